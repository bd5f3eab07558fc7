//! The `spets` binary: parse the command line, run it, and turn the outcome into an
//! exit code: 0 success, 1 a failure or findings, 2 a usage error; a closed pipe ends
//! quietly with 0.

use std::io::Write;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, FromArgMatches};

/// Whether `--user` was typed on the command line (not taken from SPETS_USER): only
/// then does `audit log` show just that user's changes.
fn user_typed(matches: &ArgMatches) -> bool {
    let mut m = matches;
    loop {
        if m.value_source("user") == Some(ValueSource::CommandLine) {
            return true;
        }
        match m.subcommand() {
            Some((_, sub)) => m = sub,
            None => return false,
        }
    }
}

/// The parser's own error in Swedish, for the kinds a person meets (an unknown flag,
/// command or value, a missing argument); `None` leaves clap's English text.
fn swedish(e: &clap::Error) -> Option<String> {
    use clap::error::ContextValue as V;
    use clap::error::{ContextKind as C, ErrorKind as K};
    let get = |k| {
        e.get(k).map(|v| match v {
            V::Strings(all) => all.join("' eller '"),
            other => other.to_string(),
        })
    };
    let suggested = |k| get(k).map_or(String::new(), |s| format!("\n\n  tips: menade du '{s}'?"));
    let message = match e.kind() {
        K::UnknownArgument => format!("okänd flagga '{}'{}", get(C::InvalidArg)?, suggested(C::SuggestedArg)),
        K::InvalidSubcommand => {
            format!("okänt kommando '{}'{}", get(C::InvalidSubcommand)?, suggested(C::SuggestedSubcommand))
        }
        K::InvalidValue => {
            let valid = get(C::ValidValue).map_or(String::new(), |v| format!("\n  [möjliga värden: {v}]"));
            let value = get(C::InvalidValue)?;
            format!("ogiltigt värde '{value}' för '{}'{valid}{}", get(C::InvalidArg)?, suggested(C::SuggestedValue))
        }
        K::ValueValidation => {
            let why = std::error::Error::source(e).map(|s| s.to_string())?;
            format!("ogiltigt värde '{}' för '{}': {why}", get(C::InvalidValue)?, get(C::InvalidArg)?)
        }
        K::MissingRequiredArgument => {
            format!("dessa obligatoriska argument saknas:\n  {}", get(C::InvalidArg)?.replace('\n', "\n  "))
        }
        K::ArgumentConflict => format!("'{}' kan inte användas med '{}'", get(C::InvalidArg)?, get(C::PriorArg)?),
        _ => return None,
    };
    let usage = get(C::Usage).map_or(String::new(), |u| format!("\n\n{}", u.replacen("Usage:", "Användning:", 1)));
    Some(format!("fel: {message}{usage}\n\nMer information ger '--help'.\n"))
}

/// glibc's allocator gives the top of its heap back to the system whenever 128 KiB of
/// it is free, and asks for it again on the next allocation: an import, whose rows are
/// made on one thread and freed on the other, did that about two million times a
/// million projects (`strace -c`: 95 577 `brk` calls for 50 000 projects, a third of
/// the import's time in the kernel). Keeping 64 MiB of free top, and growing the heap
/// 16 MiB at a time, keeps memory the same and the kernel out of the way.
fn keep_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's parameters; called first thing in
    // main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
    }
}

fn main() -> ExitCode {
    keep_heap();
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    spets::domain::lang::set_messages(spets::commands::language_before_parsing(&args));
    let parsed = spets::cli::command()
        .try_get_matches_from(&args)
        .and_then(|m| spets::cli::Cli::from_arg_matches(&m).map(|cli| (cli, user_typed(&m))));
    let (cli, user_typed) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = e.exit_code();
            // Help and version go to stdout; a closed pipe there is not an error.
            match swedish(&e).filter(|_| spets::domain::lang::messages() == spets::domain::lang::Lang::Sv) {
                Some(text) => {
                    let _ = std::io::stderr().write_all(text.as_bytes());
                }
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(code.clamp(0, 255) as u8);
        }
    };
    match spets::commands::run(cli, &args, user_typed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == spets::error::Kind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Messages may quote what was stored or typed: shown, never obeyed.
            use spets::render::visible;
            let lang = spets::domain::lang::messages();
            let (error, hint) = (lang.pick("error", "fel"), lang.pick("hint", "tips"));
            let mut err = std::io::stderr().lock();
            for line in &e.details {
                let _ = writeln!(err, "{}", visible(line));
            }
            if !e.message.is_empty() {
                let _ = writeln!(err, "{error}: {}", visible(&e.message));
            }
            for line in &e.hints {
                let _ = writeln!(err, "  {hint}: {}", visible(line));
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
