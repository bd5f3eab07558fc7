//! SIGKILL at random moments during a large import: the database always opens, passes
//! `PRAGMA integrity_check` and `spets audit verify`, and holds all of the file or none.

use std::time::{Duration, Instant};

use crate::common::{self, Env};

const ROWS: usize = 100_000;
const KILLS: usize = 20;

fn projects(db: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("the database opens after a kill");
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check runs");
    assert_eq!(check, "ok");
    conn.query_row("SELECT count(*) FROM projects WHERE end_rev IS NULL", [], |r| r.get(0)).expect("count")
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_of_the_file_or_none() {
    let env = Env::new();
    env.ok(&["init"]);
    let file = env.write("big.csv", common::portfolio(ROWS, 1));
    // A first project, so "none of the file" is a database with something in it.
    let small = env.write("small.csv", common::portfolio(1, 900_000_000));
    env.ok(&["import", small.to_str().unwrap()]);
    let base = env.path("base.db");
    std::fs::copy(&env.db, &base).expect("copy the base database");

    // Imports to the end, to time one and to know what "all" looks like. The fastest of
    // three: on a busy machine one slow run would put most kills after the commit.
    let mut full = Duration::MAX;
    for round in 0..3 {
        let db = env.path(&format!("full{round}.db"));
        std::fs::copy(&base, &db).expect("copy the base database");
        let started = Instant::now();
        let status = common::process(&db).args(["import", file.to_str().unwrap()]).output().expect("import runs");
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
        full = full.min(started.elapsed());
        assert_eq!(projects(&db), ROWS as i64 + 1);
    }

    let mut outcomes = (0, 0);
    let mut seed: u64 = 0x5EED;
    for round in 0..KILLS {
        let db = env.path(&format!("kill{round}.db"));
        std::fs::copy(&base, &db).expect("copy the base database");
        // Kill moments spread over the whole import, its commit included.
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let at = full.mul_f64(((seed >> 33) % 1000) as f64 / 1000.0 * 1.05);
        let mut child = common::process(&db)
            .args(["import", file.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("import starts");
        std::thread::sleep(at.max(Duration::from_millis(5)));
        child.kill().expect("SIGKILL");
        child.wait().expect("the import ends");

        let count = projects(&db);
        assert!(count == 1 || count == ROWS as i64 + 1, "round {round}, killed after {at:?}: {count} projects");
        if count == 1 {
            outcomes.0 += 1;
        } else {
            outcomes.1 += 1;
            // The import was done before `at`: the machine is faster now than when the
            // import was timed (other tests were running), so aim earlier from here on.
            full = full.min(at);
        }
        let verify = common::process(&db).args(["audit", "verify"]).output().expect("verify runs");
        assert!(
            verify.status.success(),
            "round {round}: audit verify failed: {}",
            String::from_utf8_lossy(&verify.stderr)
        );
        std::fs::remove_file(&db).ok();
    }
    eprintln!("import of {ROWS} rows took {full:?}; kills: {} before the commit, {} after", outcomes.0, outcomes.1);
    assert!(outcomes.0 >= KILLS / 2, "too few kills landed before the commit: {outcomes:?}");
}
