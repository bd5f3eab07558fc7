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
            "{}: 20000 rows of projects: added 20000, updated 0, unchanged 0; 500 new organisations\n",
            file.display()
        )
    );
}
