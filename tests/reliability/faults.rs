//! Database faults: each is a clear error and loses nothing. (A database from a newer
//! schema version and a path that is a folder are tested in tests/init.rs.)

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{self, Env};

/// Runs spets as an ordinary user: as root, file permissions would not apply.
fn unprivileged(db: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut command = common::process(db);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        command.uid(65534).gid(65534);
    }
    let out = command.args(args).output().expect("spets runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

const ADD: [&str; 4] = ["org", "add", "Ny AB", "--kind=company"];

#[test]
fn a_read_only_file_refuses_changes_and_still_gives_reports() {
    let env = Env::with_project();
    let before = env.dump();
    chmod(env.dir.path(), 0o777);
    chmod(&env.db, 0o444);
    let (code, out, err) = unprivileged(&env.db, &ADD);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        format!(
            "error: {}: the database file is read-only (no permission to write it); nothing was written\n  \
             hint: reports still work; to record changes, make the file writable or ask whoever manages it\n",
            env.db.display()
        )
    );
    let (code, out, err) = unprivileged(&env.db, &["report", "summary", "--format", "csv"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1,8000000.00,4000000.00"), "{out}");
    chmod(&env.db, 0o644);
    assert_eq!(env.dump(), before);
}

#[test]
fn a_read_only_folder_is_named_as_the_cause() {
    let env = Env::with_project();
    let before = env.dump();
    chmod(&env.db, 0o666);
    chmod(env.dir.path(), 0o555);
    for (args, nothing) in [(&ADD[..], "nothing was written"), (&["report", "summary"][..], "nothing was read")] {
        let (code, out, err) = unprivileged(&env.db, args);
        assert_eq!((code, out.as_str()), (Some(1), ""), "{args:?}");
        assert_eq!(
            err,
            format!(
                "error: {}: its folder {} is read-only, and SQLite needs to keep its journal files beside the \
                 database; {nothing}\n  hint: make the folder writable, or copy the database to a writable folder\n",
                env.db.display(),
                env.dir.path().display()
            )
        );
    }
    chmod(env.dir.path(), 0o755);
    assert_eq!(env.dump(), before);
}

#[test]
fn a_database_locked_longer_than_the_busy_timeout() {
    let env = Env::with_project();
    let before = env.dump();
    let holder = rusqlite::Connection::open(&env.db).expect("open");
    holder.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");

    let started = Instant::now();
    let out = env.cmd().env("SPETS_BUSY_TIMEOUT", "1").args(ADD).output().expect("runs");
    let waited = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: the database is busy: another program has held it longer than the 1 s busy timeout\n  \
         hint: try again in a moment (nothing was written), or raise SPETS_BUSY_TIMEOUT (seconds)\n"
    );
    assert!(waited >= Duration::from_secs(1), "gave up after {waited:?}");
    // Readers are not held up by a writer.
    env.ok(&["report", "summary"]);

    holder.execute_batch("ROLLBACK").expect("release");
    drop(holder);
    assert_eq!(env.dump(), before);
    env.ok(&ADD);
}

/// A damaged file is reported as such by every command, and left exactly as it was.
fn damaged(name: &str, damage: impl Fn(&mut Vec<u8>)) {
    let env = Env::with_project();
    let mut bytes = std::fs::read(&env.db).expect("read the database");
    damage(&mut bytes);
    std::fs::write(&env.db, &bytes).expect("write the damage");
    for args in [&["report", "summary"][..], &ADD[..], &["audit", "verify"][..], &["check"][..]] {
        let err = env.fails(1, args);
        assert_eq!(
            err,
            format!(
                "error: {}: the database file is damaged (SQLite: database disk image is malformed); nothing was \
                 written\n  hint: restore it from a backup (`spets backup` makes one); `PRAGMA integrity_check` in \
                 sqlite3 shows the damage\n",
                env.db.display()
            ),
            "{name}: {args:?}"
        );
        assert_eq!(std::fs::read(&env.db).expect("read"), bytes, "{name}: {args:?} changed the file");
    }
}

#[test]
fn a_truncated_file() {
    damaged("truncated", |b| b.truncate(b.len() / 2));
}

#[test]
fn a_corrupted_file() {
    damaged("corrupted", |b| b[100..4096].fill(0xff));
}

/// A value changed with another tool into something spets never writes is reported as
/// such, not read as some default.
#[test]
fn a_value_spets_cannot_read_is_named_not_guessed() {
    let env = Env::with_project();
    env.ok(&["project", "edit", "20201234", "--funding", "Interreg:eu:1000:EUR:11.20"]);
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    conn.execute("UPDATE funding_lines SET rate = 'elva' WHERE currency = 'EUR'", []).expect("tamper");
    drop(conn);
    assert_eq!(
        env.fails(1, &["project", "show", "20201234"]),
        "error: the database holds a value spets cannot read (funding_lines row of projects row vid 2 at position 0, column \
         rate: \"elva\": not an exchange \
         rate (expected e.g. 11.4520)): it \
         was changed outside spets\n  hint: `spets audit verify` names what differs from the history; restore the database \
         from a backup\n"
    );
}
