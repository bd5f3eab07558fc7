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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let parsed = spets::cli::command()
        .try_get_matches_from(&args)
        .and_then(|m| spets::cli::Cli::from_arg_matches(&m).map(|cli| (cli, user_typed(&m))));
    let (cli, user_typed) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let code = e.exit_code();
            // Help and version go to stdout; a closed pipe there is not an error.
            let _ = e.print();
            return ExitCode::from(code.clamp(0, 255) as u8);
        }
    };
    match spets::commands::run(cli, &args, user_typed) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == spets::error::Kind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            // Messages may quote what was stored or typed: shown, never obeyed.
            use spets::render::visible;
            let mut err = std::io::stderr().lock();
            for line in &e.details {
                let _ = writeln!(err, "{}", visible(line));
            }
            if !e.message.is_empty() {
                let _ = writeln!(err, "error: {}", visible(&e.message));
            }
            for hint in &e.hints {
                let _ = writeln!(err, "  hint: {}", visible(hint));
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
