//! `spets audit`: the change history is complete, append-only and tamper-evident.

mod common;

use common::Env;
use rusqlite::Connection;

fn verify_ok(env: &Env) -> String {
    let out = env.ok(&["audit", "verify"]);
    let head = out.lines().find_map(|l| l.strip_prefix("Head: ")).expect("a head line").to_string();
    assert_eq!(head.len(), 64, "{out}");
    head
}

#[test]
fn every_write_is_in_the_history_with_before_and_after() {
    let env = Env::with_project();
    env.ok(&["--user", "karin", "project", "edit", "20201234", "--status", "ongoing"]);
    let log: serde_json::Value =
        serde_json::from_str(&env.ok(&["audit", "log", "--ref", "20201234", "--format", "json"])).unwrap();
    let rows = log["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["user"].as_str(), rows[0]["action"].as_str()), (Some("tester"), Some("add")));
    assert_eq!(rows[0]["before"], serde_json::Value::Null);
    let edit = &rows[1];
    assert_eq!(
        (edit["user"].as_str(), edit["entity"].as_str(), edit["key"].as_str()),
        (Some("karin"), Some("project"), Some("20201234"))
    );
    assert_eq!(edit["command"], "--user karin project edit 20201234 --status ongoing");
    assert_eq!(edit["changed"], "status");
    let before: serde_json::Value = serde_json::from_str(edit["before"].as_str().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(edit["after"].as_str().unwrap()).unwrap();
    assert_eq!((before["status"].as_str(), after["status"].as_str()), (Some("granted"), Some("ongoing")));
    assert_eq!(after["owner"], "Karlstads universitet");
    assert_eq!(after["funding"][0]["amount"], "4000000.00");
    assert_eq!(after["areas"][1], serde_json::json!({"area": "spel", "share": "40"}));
}

#[test]
fn the_history_cannot_be_updated_or_deleted_through_sqlite() {
    let env = Env::with_project();
    let conn = Connection::open(&env.db).unwrap();
    for sql in [
        "UPDATE audit SET key = 'x' WHERE seq = 1",
        "DELETE FROM audit",
        "UPDATE changes SET user = 'x'",
        "DELETE FROM changes WHERE rev = 1",
    ] {
        let err = conn.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

#[test]
fn a_reimport_that_changes_nothing_adds_nothing() {
    let env = Env::new();
    let path = env.write("p.csv", "ref,title,owner,areas,eu\n1,A,O,skog,10\n2,B,O,halsa,20\n");
    env.ok(&["import", path.to_str().unwrap()]);
    let before = env.dump();
    env.ok(&["import", path.to_str().unwrap()]);
    assert_eq!(env.dump(), before);
}

#[test]
fn verify_accepts_an_untouched_history_and_prints_its_head() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1000"]);
    let out = env.ok(&["audit", "verify"]);
    assert!(
        out.starts_with("Verified 11 entries: the hash chain is intact and the data is what the history says.\nHead: "),
        "{out}"
    );
}

fn tampered(setup: &str) -> String {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1000"]);
    verify_ok(&env);
    Connection::open(&env.db).unwrap().execute_batch(setup).unwrap();
    env.fails(1, &["audit", "verify"])
}

#[test]
fn an_amount_edited_behind_spets_back_is_found() {
    let err = tampered("UPDATE funding_lines SET amount = amount + 100 WHERE position = 0;");
    assert!(
        err.starts_with("error: project 20201234 (projects row vid 1): its stored totals (8 000 000,00 kr) are not the sum of its funding lines (8 000 001,00 kr)\n"),
        "{err}"
    );
    assert!(err.contains("hint: 11 entries read; head as recorded: "), "{err}");
    let err = tampered("UPDATE projects SET title = 'Digital vård och omsorg';");
    assert!(
        err.starts_with("error: entry 10 (project 20201234, add) does not match its hash: the entry, or the record it describes, was changed outside spets\n"),
        "{err}"
    );
}

#[test]
fn a_derived_figure_edited_behind_spets_back_is_found() {
    let err = tampered("UPDATE allocations SET total = total + 1, eu = eu + 1 WHERE position = 0;");
    assert!(
        err.starts_with(
            "error: project 20201234 (projects row vid 1): its split by area is not the exact split of its financing\n"
        ),
        "{err}"
    );
    let err = tampered("UPDATE allocations SET status = 4;");
    assert!(err.starts_with("error: the allocations of projects row vid 1 do not match the project's status"), "{err}");
}

#[test]
fn a_rewritten_audit_entry_is_found() {
    let err = tampered("DROP TRIGGER audit_append_only_update; UPDATE audit SET key = '20209999' WHERE seq = 10;");
    assert!(
        err.starts_with("error: entry 10 (project 20209999, add): the record it created is project 20201234\n"),
        "{err}"
    );
    let err = tampered("DROP TRIGGER changes_append_only_update; UPDATE changes SET user = 'mallory' WHERE rev = 3;");
    assert!(err.starts_with("error: entry 9 (org 2, add) does not match its hash"), "{err}");
}

#[test]
fn a_deleted_last_entry_is_found() {
    let err =
        tampered("DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);");
    assert!(
        err.starts_with("error: payments row id 1 (change 5) has no audit entry: it was written outside spets, or its entry was deleted\n"),
        "{err}"
    );
}

#[test]
fn a_row_added_behind_spets_back_is_found() {
    let err = tampered(
        "INSERT INTO payments(rev, project_ref, date, amount, kind) VALUES (5, '20201234', 20210301, 99900, 1);",
    );
    assert!(err.starts_with("error: payments row id 2 (change 5) has no audit entry"), "{err}");
}

/// A head recorded earlier proves nothing was rewritten up to it; a history that was
/// rewritten from some point on no longer contains it.
#[test]
fn expect_head_detects_a_rewritten_history() {
    let env = Env::with_project();
    let head = verify_ok(&env);
    let copy = env.path("copy.db");
    std::fs::copy(&env.db, &copy).unwrap();
    env.ok(&["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1000"]);
    let out = env.ok(&["audit", "verify", "--expect-head", &head]);
    assert!(out.contains("The expected head is entry 10 of 11.\n"), "{out}");

    // The same history up to a point before `head`, then a different change.
    let rewritten = Env::new();
    std::fs::copy(&copy, &rewritten.db).unwrap();
    let conn = Connection::open(&rewritten.db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_append_only_delete; DROP TRIGGER changes_append_only_delete;
         DELETE FROM audit WHERE rev = 4; DELETE FROM changes WHERE rev = 4;
         DELETE FROM allocations WHERE project_vid = 1; DELETE FROM funding_lines WHERE project_vid = 1;
         DELETE FROM projects WHERE vid = 1;",
    )
    .unwrap();
    drop(conn);
    rewritten.ok(&["project", "add", "20201234", "--title", "Annan", "--owner", "Compare Karlstad", "--area", "skog"]);
    verify_ok(&rewritten);
    let err = rewritten.fails(1, &["audit", "verify", "--expect-head", &head]);
    assert!(
        err.starts_with(&format!("error: the expected head {head} is not in the history: the history was rewritten")),
        "{err}"
    );
    assert_eq!(
        rewritten.fails(2, &["audit", "verify", "--expect-head", "abc"]),
        "error: --expect-head: \"abc\": not a head hash (expected 64 hexadecimal digits, as `spets audit verify` prints)\n"
    );
}

#[test]
fn the_log_filters_by_project_date_and_user() {
    let env = Env::with_project();
    env.ok(&["--user", "karin", "payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1000"]);
    let csv = env.ok(&["audit", "log", "--ref", "20201234", "--format", "csv"]);
    let entities: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').nth(4).unwrap()).collect();
    assert_eq!(entities, vec!["project", "payment"]);
    let by_karin = env.ok(&["audit", "log", "--user", "karin", "--format", "csv"]);
    assert_eq!(by_karin.lines().count(), 2, "{by_karin}");
    let future = env.ok(&["audit", "log", "--since", "2999-01-01", "--format", "csv"]);
    assert_eq!(future.lines().count(), 1);
    // SPETS_USER names who makes changes; it does not filter the log.
    let all = env.cmd().env("SPETS_USER", "karin").args(["audit", "log", "--format", "csv"]).output().unwrap();
    assert_eq!(String::from_utf8(all.stdout).unwrap().lines().count(), 12);
}
