//! Four processes writing to one database file at once, and a fifth reading reports
//! all the while: every write lands, nobody is told the database is locked, the
//! history verifies, and every report the reader got is the database at one moment.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crate::common::{self, Env};

const EACH: usize = 500;
const SEEDED: i64 = 10;

/// Runs one spets command; returns its exit code and standard error.
fn run(db: &std::path::Path, args: &[String]) -> (Option<i32>, String) {
    let out = common::process(db).args(args).output().expect("spets runs");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn four_writers_and_a_reader_at_once_lose_nothing_and_see_one_moment() {
    let env = Env::new();
    let mut seed = String::from("ref,title,owner,owner_kind,areas,eu,status,decided\n");
    for i in 0..SEEDED {
        seed.push_str(&format!("S{i},Seed {i},Företag AB,company,skog,1000000,ongoing,2019-01-01\n"));
    }
    let file = env.write("seed.csv", seed);
    env.ok(&["import", file.to_str().unwrap()]);

    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (db, done) = (env.db.clone(), done.clone());
        thread::spawn(move || {
            let mut samples = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let out = common::process(&db).args(["report", "summary", "--format", "json"]).output().expect("runs");
                assert!(out.status.success(), "a report failed: {}", String::from_utf8_lossy(&out.stderr));
                let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
                let row = &json["rows"][0];
                samples.push((
                    json["as_of"]["rev"].as_i64().expect("a revision"),
                    row["projects"].as_i64().expect("a count"),
                    row["total"].as_str().expect("a total").to_string(),
                    row["paid"].as_str().expect("paid").to_string(),
                ));
            }
            samples
        })
    };

    let writers: Vec<_> = (0..4)
        .map(|w| {
            let db = env.db.clone();
            thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..EACH {
                    let command = if w < 2 {
                        let reference = format!("W{w}-{i}");
                        args(&[
                            "project",
                            "add",
                            &reference,
                            "--title",
                            "Samtidigt",
                            "--owner",
                            "Företag AB",
                            "--area",
                            "halsa",
                            "--funding",
                            "ERUF:eu:1000",
                            "--funding",
                            "Region Värmland:region:1000",
                            "--decided",
                            "2020-01-01",
                        ])
                    } else {
                        let project = format!("S{}", (i + w) % SEEDED as usize);
                        args(&["payment", "add", &project, "--date", "2021-01-01", "--amount", "10"])
                    };
                    let (code, stderr) = run(&db, &command);
                    if code != Some(0) {
                        failures.push(format!("{command:?}: exit {code:?}: {stderr}"));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = writers.into_iter().flat_map(|w| w.join().expect("a writer")).collect();
    done.store(true, Ordering::Relaxed);
    let samples = reader.join().expect("the reader");
    assert!(failures.is_empty(), "{} writes failed, the first: {}", failures.len(), failures[0]);

    let conn = rusqlite::Connection::open(&env.db).expect("open");
    let count = |sql: &str, rev: i64| -> i64 { conn.query_row(sql, [rev], |r| r.get(0)).expect("count") };
    let last = i64::MAX;
    assert_eq!(count("SELECT count(*) FROM projects WHERE rev <= ?1", last), SEEDED + 2 * EACH as i64);
    assert_eq!(count("SELECT count(*) FROM payments WHERE rev <= ?1", last), 2 * EACH as i64);
    let (code, stderr) = run(&env.db, &args(&["audit", "verify"]));
    assert_eq!(code, Some(0), "audit verify: {stderr}");

    // Each report is exactly the database as of the revision it names.
    assert!(samples.len() >= 5, "the reader ran only {} reports", samples.len());
    for (rev, projects, total, paid) in &samples {
        let added = count("SELECT count(*) FROM projects WHERE rev <= ?1", *rev) - SEEDED;
        let payments = count("SELECT count(*) FROM payments WHERE rev <= ?1", *rev);
        assert_eq!(*projects, SEEDED + added, "at revision {rev}");
        assert_eq!(*total, format!("{}.00", SEEDED * 1_000_000 + added * 2000), "at revision {rev}");
        assert_eq!(*paid, format!("{}.00", payments * 10), "at revision {rev}");
    }
}

/// Four processes writing to a database that did not exist yet: 2 of 48 failed with
/// `UNIQUE constraint failed: meta.key`. Creating a database is safe when 8 start at once.
#[test]
fn eight_first_writes_at_once_create_one_database() {
    for round in 0..10 {
        let env = Env::new();
        let children: Vec<_> = (0..8)
            .map(|i| {
                common::process(&env.db)
                    .args(["org", "add", &format!("Org {round}-{i}")])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spets starts")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("spets ends");
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
        }
        let orgs = env.ok(&["org", "list", "--format", "csv"]);
        assert_eq!(orgs.lines().count(), 9, "{orgs}");
        let areas = env.ok(&["area", "list", "--format", "csv"]);
        // A header, the seven 2022 areas and the six of 2015.
        assert_eq!(areas.lines().count(), 14, "the areas were set up once: {areas}");
        env.ok(&["audit", "verify"]);
    }
}
