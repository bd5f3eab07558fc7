//! The `spets` binary: parse the command line, run it, and turn the outcome into an
//! exit code: 0 success, 1 a failure or findings, 2 a usage error; a closed pipe ends
//! quietly with 0.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let cli = match spets::cli::Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            // Help and version go to stdout; a closed pipe there is not an error.
            let _ = e.print();
            return ExitCode::from(code.clamp(0, 255) as u8);
        }
    };
    match spets::commands::run(cli, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == spets::error::Kind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            for line in &e.details {
                let _ = writeln!(err, "{line}");
            }
            let _ = writeln!(err, "error: {}", e.message);
            for hint in &e.hints {
                let _ = writeln!(err, "  hint: {hint}");
            }
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
