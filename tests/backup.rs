//! `spets backup`: a consistent copy while other processes keep writing.

mod common;

use common::Env;

#[test]
fn a_backup_taken_while_another_process_writes_is_whole_and_verifies() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-01-01", "--amount", "1"]);
    // Another process records payments, one command each, while the copies are made.
    let db = env.db.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..40 {
            let out = assert_cmd::Command::cargo_bin("spets")
                .unwrap()
                .env("SPETS_DB", &db)
                .env("SPETS_USER", "writer")
                .args(["payment", "add", "20201234", "--date", "2021-02-01", "--amount", &format!("{}", i + 1)])
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
    });
    let mut copies = Vec::new();
    for i in 0..5 {
        let copy = env.path(&format!("copy{i}.db"));
        let out = env.ok(&["backup", copy.to_str().unwrap()]);
        assert_eq!(out, format!("Copied {} to {}.\n", env.db.display(), copy.display()));
        copies.push(copy);
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    writer.join().unwrap();
    for copy in &copies {
        let conn = rusqlite::Connection::open(copy).unwrap();
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let payments: i64 = conn.query_row("SELECT count(*) FROM payments", [], |r| r.get(0)).unwrap();
        assert!((1..=41).contains(&payments), "{payments}");
        assert!(!copy.with_extension("db-wal").exists());
        let verified = env.cmd().env("SPETS_DB", copy).args(["audit", "verify"]).output().unwrap();
        assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    }
    let again = env.path("copy0.db");
    assert_eq!(
        env.fails(1, &["backup", again.to_str().unwrap()]),
        format!("error: {}: already exists; a backup never overwrites a file\n", again.display())
    );
}

/// A failed backup (disk full) left its partial file behind, so a retry refused to
/// overwrite it; and a target that is the database's own `-wal`, `-shm` or `-journal`
/// file was accepted.
#[cfg(unix)]
#[test]
fn a_failed_backup_leaves_nothing_and_the_journal_files_are_refused() {
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    let file = env.write("p.csv", common::portfolio(2000, 1));
    env.ok(&["import", file.to_str().unwrap()]);
    let copy = env.path("copy.db");
    let mut cmd = common::process(&env.db);
    cmd.args(["backup", copy.to_str().unwrap()]);
    // A disk that fills up after 64 KiB: writes beyond it fail with EFBIG.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit { rlim_cur: 65_536, rlim_max: 65_536 };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with(&format!("error: {}: ", copy.display())));
    assert!(!copy.exists(), "the partial backup was left behind");
    env.ok(&["backup", copy.to_str().unwrap()]);
    assert!(copy.exists());

    for suffix in ["-wal", "-shm", "-journal"] {
        let name = format!("{}{suffix}", env.db.display());
        let _ = std::fs::remove_file(&name);
        let err = env.fails(1, &["backup", &name]);
        assert_eq!(
            err,
            format!("error: {name}: is where SQLite keeps the database's own journal; a backup goes elsewhere\n")
        );
    }
}
