//! The reliability suite (issue 7): hostile input, crashes, concurrent users and
//! database faults lose nothing, and every failure says clearly what happened.

#[path = "../common/mod.rs"]
mod common;

mod concurrency;
mod crash;
mod fuzz;
mod hostile;
mod tamper;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// What a finished spets process did, and what it cost.
pub struct Measured {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory of this one process, in bytes (from its own rusage).
    pub peak_rss: u64,
    pub elapsed: Duration,
}

/// Runs spets on `db` with `args`, and measures its own peak memory with wait4 (the
/// rusage of exactly this child, whatever other tests run meanwhile).
#[allow(clippy::zombie_processes)] // reaped by wait4, which std does not know of
pub fn measured(db: &Path, args: &[&str]) -> Measured {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    let started = Instant::now();
    let mut command = common::process(db);
    // A plain fork rather than the vfork std uses by default: a vfork child's peak
    // memory counts the whole test process's peak. A forked one starts from this
    // process's current size, which the tests keep small (big files are streamed).
    // SAFETY: the closure does nothing, so it is async-signal-safe.
    unsafe {
        use std::os::unix::process::CommandExt;
        command.pre_exec(|| Ok(()));
    }
    let child = command
        .args(args)
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).expect("an output file"))
        .stderr(std::fs::File::create(&err_path).expect("an error file"))
        .spawn()
        .expect("spets starts");
    let mut status = 0;
    // SAFETY: rusage is plain data, zeroed is a valid value; wait4 reaps exactly the
    // child just spawned, which std has not waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t, "wait4 failed");
    let elapsed = started.elapsed();
    let code = if libc::WIFEXITED(status) { Some(libc::WEXITSTATUS(status)) } else { None };
    Measured {
        code,
        stdout: std::fs::read_to_string(out_path).expect("UTF-8 output"),
        stderr: std::fs::read_to_string(err_path).expect("UTF-8 errors"),
        peak_rss: usage.ru_maxrss as u64 * 1024,
        elapsed,
    }
}
mod faults;
mod injection;
