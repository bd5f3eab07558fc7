//! Output to pipes: a reader that stops early (`| head`) is not an error, and nothing
//! but the result goes anywhere when spets is not talking to a terminal.

mod common;

use std::io::Read;
use std::process::Stdio;

use common::Env;

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let env = Env::new();
    let mut child = common::process(&env.db)
        .args(["--sample", "audit", "log", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spets starts");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    // The reading end is closed here, long before the 800 kB of output are written.
    let out = child.wait_with_output().expect("spets ends");
    assert_eq!(&first[..1], b"{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn an_import_on_a_pipe_shows_no_progress_bar() {
    let env = Env::new();
    let file = env.write("p.csv", common::portfolio(20_000, 1));
    let out = env.cmd().args(["import", file.to_str().unwrap()]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr must stay empty on a pipe");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}: 20000 rows of projects: added 20000, updated 0, unchanged 0; 500 new organisations\n\
             New organisations: Företag 0 AB (company), Företag 1 AB (company), Företag 2 AB (company), Företag 3 AB (company), \
             Företag 4 AB (company), Företag 5 AB (company), Företag 6 AB (company), Företag 7 AB (company), Företag 8 AB (company), \
             Företag 9 AB (company) and 490 more\n",
            file.display()
        )
    );
}

/// `spets completions bash | head -5` panicked with exit 134: every command that
/// writes output ends quietly with success when its reader has gone.
#[test]
fn every_subcommand_into_a_closed_pipe_is_quiet_success() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &["completions", "bash"],
        &["info"],
        &["area", "list"],
        &["org", "list"],
        &["org", "show", "Karlstads universitet"],
        &["project", "list"],
        &["project", "show", "20152537"],
        &["payment", "list"],
        &["export", "projects"],
        &["export", "funding"],
        &["export", "payments"],
        &["report", "summary"],
        &["report", "areas"],
        &["report", "years"],
        &["report", "funders"],
        &["report", "orgs"],
        &["report", "actors"],
        &["report", "municipalities"],
        &["report", "status"],
        &["programme", "list"],
        &["check"],
        &["audit", "log"],
        &["audit", "verify"],
        &["--help"],
    ];
    for args in commands {
        let mut child = common::process(&env.db)
            .arg("--sample")
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spets starts");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("spets ends");
        let code = out.status.code();
        // `check` exits 1 when it has findings; the sample has some.
        let expected = if args[0] == "check" { [Some(0), Some(1)].contains(&code) } else { code == Some(0) };
        assert!(expected, "{args:?}: exit {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}
