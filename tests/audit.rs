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
    // The records are objects, not JSON text in strings.
    let (before, after) = (&edit["before"], &edit["after"]);
    assert!(before.is_object() && after.is_object(), "{edit}");
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
        out.starts_with("Verified 30 entries: the hash chain is intact and the data is what the history says.\nHead: "),
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
        err.starts_with("error: project 20201234 (projects row vid 1): its stored totals (8,000,000.00 kr) are not the sum of its funding_lines rows (8,000,001.00 kr)\n"),
        "{err}"
    );
    assert!(err.contains("hint: 30 entries read; head as recorded: "), "{err}");
    let err = tampered("UPDATE projects SET title = 'Digital vård och omsorg';");
    assert!(
        err.starts_with("error: audit entry 29 (project 20201234, add) does not match its hash: audit row seq 29, its changes row rev 4, or projects row vid 1 (with its allocations, funding_lines and partners rows and the names rows they use) was changed outside spets\n"),
        "{err}"
    );
}

#[test]
fn a_derived_figure_edited_behind_spets_back_is_found() {
    let err = tampered("UPDATE allocations SET eu = eu + 1 WHERE position = 0;");
    assert!(
        err.starts_with(
            "error: project 20201234 (projects row vid 1): its allocations rows are not the exact split of its financing\n"
        ),
        "{err}"
    );
    let err = tampered("UPDATE allocations SET status = 4;");
    assert!(err.starts_with("error: the allocations of projects row vid 1 do not match the project's status"), "{err}");
    // The year of decision an allocation carries (schema 9) is the project's.
    let err = tampered("UPDATE allocations SET year = year + 1;");
    assert!(
        err.starts_with(
            "error: the allocations of projects row vid 1 do not match the project's status, kind, year of decision or end\n"
        ),
        "{err}"
    );
}

#[test]
fn a_rewritten_audit_entry_is_found() {
    let err = tampered("DROP TRIGGER audit_append_only_update; UPDATE audit SET key = '20209999' WHERE seq = 29;");
    assert!(
        err.starts_with(
            "error: audit entry 29 (project 20209999, add): the projects row it created (vid 1) is project 20201234\n"
        ),
        "{err}"
    );
    let err = tampered("DROP TRIGGER changes_append_only_update; UPDATE changes SET user = 'mallory' WHERE rev = 3;");
    assert!(err.starts_with("error: audit entry 28 (org 2, add) does not match its hash"), "{err}");
}

#[test]
fn a_deleted_last_entry_is_found() {
    let err =
        tampered("DROP TRIGGER audit_append_only_delete; DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);");
    assert!(
        err.starts_with("error: change 5 has no audit entries: its changes row was added outside spets, or its entries were removed\n"),
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
    assert!(out.contains("The expected head is entry 29 of 30.\n"), "{out}");

    // The same history up to a point before `head`, then a different change.
    let rewritten = Env::new();
    std::fs::copy(&copy, &rewritten.db).unwrap();
    let conn = Connection::open(&rewritten.db).unwrap();
    common::unprotect(&conn);
    conn.execute_batch(
        "DELETE FROM audit WHERE rev = 4; DELETE FROM changes WHERE rev = 4; DELETE FROM tallies WHERE rev = 4;
         DELETE FROM allocations WHERE project_vid = 1; DELETE FROM funding_lines WHERE project_vid = 1;
         DELETE FROM projects WHERE vid = 1; DELETE FROM names;",
    )
    .unwrap();
    common::reprotect(&conn);
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
    assert_eq!(String::from_utf8(all.stdout).unwrap().lines().count(), 31);
}

/// A change inserted by hand with an earlier time and no entries moved every `--as-of`
/// report before it; one dated 2030 was shown as the last change and pushed every later
/// change's time past it. Now verify names it, and spets refuses to write after it.
#[test]
fn a_change_added_by_hand_is_found_and_time_never_runs_backwards() {
    for (at, found) in [
        ("2015-01-01T00:00:00.000000Z", "change 5 is dated 2015-01-01T00:00:00.000000Z, not after change 4"),
        ("2030-01-01T00:00:00.000000Z", "change 5 has no audit entries: its changes row was added outside spets"),
    ] {
        let env = Env::with_project();
        let conn = Connection::open(&env.db).unwrap();
        conn.execute("INSERT INTO changes(rev, at, user, command) VALUES (5, ?1, 'mallory', 'x')", [at]).unwrap();
        drop(conn);
        let err = env.fails(1, &["audit", "verify"]);
        assert!(err.starts_with(&format!("error: {found}")), "{err}");
        if at.starts_with("2030") {
            let before = env.dump();
            let err = env.fails(1, &["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1"]);
            assert!(
                err.starts_with("error: the last change (5) is dated 2030-01-01T00:00:00.000000Z, not before now"),
                "{err}"
            );
            assert_eq!(env.dump(), before);
        }
    }
}

/// Deleting the tail of one change (half its entries) passed verify: the change's seal
/// now commits to how many entries it made and the last one's hash.
#[test]
fn half_a_change_removed_is_found() {
    let env = Env::new();
    let path = env.write("p.csv", "ref,title,owner,areas,eu\n1,A,O,skog,10\n2,B,O,halsa,20\n3,C,O,halsa,30\n");
    env.ok(&["import", path.to_str().unwrap()]);
    let conn = Connection::open(&env.db).unwrap();
    common::unprotect(&conn);
    conn.execute_batch(
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
         DELETE FROM allocations WHERE project_vid = 3; DELETE FROM funding_lines WHERE project_vid = 3;
         DELETE FROM projects WHERE vid = 3;",
    )
    .unwrap();
    common::reprotect(&conn);
    drop(conn);
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with("error: change 2 (changes row rev 2) made 4 audit entries, but the trail holds 3 of them"),
        "{err}"
    );
}

/// Dropping the append-only triggers and the unique index on current refs passed
/// verify, and spets carried on writing into the unprotected file.
#[test]
fn missing_protections_are_found_and_stop_every_write() {
    let env = Env::with_project();
    let conn = Connection::open(&env.db).unwrap();
    conn.execute_batch("DROP TRIGGER audit_append_only_delete; DROP INDEX projects_current_ref;").unwrap();
    drop(conn);
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with("error: the schema was changed outside spets: index projects_current_ref is missing; trigger audit_append_only_delete is missing\n"),
        "{err}"
    );
    let before = env.dump();
    let err = env.fails(1, &["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1"]);
    assert!(err.contains("the database's protections were changed outside spets (index projects_current_ref is missing; trigger audit_append_only_delete is missing); nothing was written"), "{err}");
    assert_eq!(env.dump(), before);
    // Reports still run: reading is how an auditor finds out.
    env.ok(&["report", "summary"]);
}

/// Renamed municipalities (two swapped their figures) and a changed `meta` row passed.
#[test]
fn reference_tables_changed_by_hand_are_found() {
    for sql in [
        "UPDATE municipalities SET name = 'Tmp' WHERE name = 'Arvika'; UPDATE municipalities SET name = 'Arvika' WHERE name = 'Eda'; UPDATE municipalities SET name = 'Eda' WHERE name = 'Tmp';",
        "UPDATE meta SET value = 'Dalarna' WHERE key = 'region_name';",
    ] {
        let env = Env::with_project();
        Connection::open(&env.db).unwrap().execute_batch(sql).unwrap();
        let err = env.fails(1, &["audit", "verify"]);
        assert!(
            err.starts_with("error: the reference tables (meta, municipalities) are not as change 4 left them"),
            "{err}"
        );
    }
}

/// Removing the newest changes whole leaves a shorter valid chain: the witness file
/// (every write appends its head to SPETS_WITNESS) still names them, and every report
/// names the head it was computed at.
#[test]
fn the_newest_changes_removed_are_found_by_the_witness() {
    let env = Env::new();
    let witness = env.path("witness.txt");
    let run = |args: &[&str]| {
        let out = env.cmd().env("SPETS_WITNESS", &witness).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["org", "add", "Compare Karlstad", "--kind", "cluster"]);
    let copy = env.path("copy.db");
    std::fs::copy(&env.db, &copy).unwrap();
    run(&[
        "project",
        "add",
        "P1",
        "--title",
        "T",
        "--owner",
        "Compare Karlstad",
        "--area",
        "skog",
        "--funding",
        "ERUF:eu:100",
    ]);
    let lines = std::fs::read_to_string(&witness).unwrap();
    assert_eq!(lines.lines().count(), 3, "{lines}");
    let verified = run(&["audit", "verify", "--witness", witness.to_str().unwrap()]);
    let head = verified.lines().find_map(|l| l.strip_prefix("Head: ")).unwrap();
    assert!(lines.ends_with(&format!("3 {head}\n")), "{lines}");
    let summary = run(&["report", "summary"]);
    assert!(summary.contains(&format!(", head {}.\n", &head[..12])), "{summary}");

    // The database as it was before the project: a valid, shorter history.
    std::fs::copy(&copy, &env.db).unwrap();
    std::fs::remove_file(env.path("spets.db-wal")).ok();
    verify_ok(&env);
    let err = env.fails(1, &["audit", "verify", "--witness", witness.to_str().unwrap()]);
    assert!(
        err.starts_with(&format!(
            "error: {}:3: the witness saw change 3 (head {head}), but the history ends at change 2: changes were removed\n",
            witness.display()
        )),
        "{err}"
    );
}

/// With USER and LOGNAME unset the trail recorded "unknown" although the system knows
/// the user; and a blank --user or SPETS_USER was taken as no name at all.
#[test]
fn the_change_is_recorded_under_the_system_login_and_a_blank_user_is_refused() {
    let env = Env::new();
    let expected = std::process::Command::new("id").arg("-un").output().unwrap();
    let expected = String::from_utf8(expected.stdout).unwrap().trim().to_string();
    let out = env
        .cmd()
        .env_remove("SPETS_USER")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env_remove("USERNAME")
        .args(["org", "add", "Compare Karlstad"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log = env.ok(&["audit", "log", "--format", "csv"]);
    assert!(log.lines().nth(2).unwrap().contains(&format!(",{expected},")), "{log}");
    let before = env.dump();
    assert_eq!(
        env.fails(2, &["--user", "  ", "org", "add", "X"]),
        "error: --user: \"  \": a name is needed: it is recorded with every change\n  hint: leave --user and SPETS_USER out to use your login name\n"
    );
    let out = env.cmd().env("SPETS_USER", "").args(["org", "add", "X"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(env.dump(), before);
}

/// A row added to `allocations` for a project version that does not exist made `report
/// areas` say 1.72 bn kr while `report summary` said 1.22 bn, and verify passed.
#[test]
fn an_orphan_allocation_is_found() {
    let env = Env::with_project();
    Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO allocations(project_vid, position, area_id, share, eu, public, private, other, status, kind, year)
             VALUES (99, 0, 1, 10000, 50000000000, 0, 0, 0, 2, 0, 2020);",
        )
        .unwrap();
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with(
            "error: allocations rows name projects row vid 99, which does not exist: they were added outside spets\n"
        ),
        "{err}"
    );
}

/// Changing `orgs.name_key` passed verify, after which the next import created a second
/// current "Karlstads universitet".
#[test]
fn a_changed_name_key_is_found() {
    let env = Env::with_project();
    Connection::open(&env.db).unwrap().execute_batch("UPDATE orgs SET name_key = 'x' WHERE vid = 1;").unwrap();
    let err = env.fails(1, &["audit", "verify"]);
    assert!(err.starts_with("error: orgs row vid 1: its name_key is not its name folded"), "{err}");
}

/// `audit log --detail` shows, field by field, what an entry changed; JSON gives the
/// records as objects, not as JSON text inside strings.
#[test]
fn the_log_shows_each_changed_field_before_and_after() {
    let env = Env::with_project();
    env.ok(&["project", "edit", "20201234", "--status", "ongoing", "--notes", "Förlängd"]);
    let detail = env.ok(&["audit", "log", "--ref", "20201234", "--detail", "--format", "csv"]);
    let edits: Vec<&str> = detail.lines().filter(|l| l.contains(",edit,")).collect();
    assert_eq!(edits.len(), 2, "{detail}");
    assert!(edits[0].ends_with(",20201234,edit,status,granted,ongoing"), "{detail}");
    assert!(edits[1].ends_with(",20201234,edit,notes,,Förlängd"), "{detail}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["audit", "log", "--ref", "20201234", "--format", "json"])).unwrap();
    let edit = json["rows"].as_array().unwrap().iter().find(|r| r["action"] == "edit").unwrap();
    assert_eq!(edit["before"]["status"], "granted");
    assert_eq!(edit["after"]["status"], "ongoing");
    assert_eq!(edit["after"]["notes"], "Förlängd");
}

/// Edits the database by hand as an insider with sqlite3 would: the table's append-only
/// triggers dropped and its CHECK constraints ignored first.
fn edit_by_hand(env: &Env, table: &str, sql: &str) {
    let conn = Connection::open(&env.db).unwrap();
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1")
        .unwrap()
        .query_map([table], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
    }
    conn.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF").unwrap();
    assert_eq!(conn.execute(sql, []).unwrap(), 1, "{sql}");
}

/// A stored code or date that spets would never write is an error naming the table,
/// the row and the column, wherever it is read: never a default (an unknown status read
/// as "applied", a bad date as 1970-01-01).
#[test]
fn a_code_or_date_no_spets_writes_is_named_where_it_is_read() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1000"]);
    edit_by_hand(&env, "projects", "UPDATE projects SET status = 9");
    let err = env.fails(1, &["project", "show", "20201234"]);
    assert!(err.starts_with("error: the database holds a value spets cannot read (projects row 1, column status: 9 is not a code spets writes): it was changed outside spets\n"), "{err}");
    let err = env.fails(1, &["export", "projects"]);
    assert!(err.contains("(projects row 1, column status: 9 is not a code spets writes)"), "{err}");
    let err = env.fails(1, &["audit", "verify"]);
    assert!(err.contains("projects row 1, column status: 9 is not a code spets writes"), "{err}");
    env.ok(&["indicator", "set", "20201234", "--code", "RCO01", "--target", "5"]);
    edit_by_hand(&env, "indicators", "UPDATE indicators SET target = 'fem'");
    let err = env.fails(1, &["indicator", "list"]);
    assert!(err.contains("(indicators row 1, column target: \"fem\": not a number spets writes)"), "{err}");
    edit_by_hand(&env, "payments", "UPDATE payments SET date = 20210230");
    let err = env.fails(1, &["payment", "list"]);
    assert!(
        err.starts_with("error: the database holds a value spets cannot read (payments row 1, column date: 20210230 is not a date (YYYYMMDD)): it was changed outside spets\n"),
        "{err}"
    );
}

/// `audit verify` reads the project versions a block at a time: past the first block it
/// still checks every one, and a problem is found at its own entry, not at the first
/// entry of the block that holds it (a row that cannot be read, further on in the same
/// block, does not hide an earlier row's problem).
#[test]
fn verify_finds_each_problem_at_its_entry_past_the_first_block() {
    let setup = || {
        let env = Env::new();
        let file = env.write("p.csv", common::portfolio(2500, 1));
        env.ok(&["import", file.to_str().unwrap()]);
        env
    };
    let vid = |env: &Env, reference: &str| -> i64 {
        Connection::open(&env.db)
            .unwrap()
            .query_row("SELECT vid FROM projects WHERE ref = ?1", [reference], |r| r.get(0))
            .unwrap()
    };
    let env = setup();
    let out = env.ok(&["audit", "verify"]);
    let entries: i64 =
        Connection::open(&env.db).unwrap().query_row("SELECT count(*) FROM audit", [], |r| r.get(0)).unwrap();
    assert!(out.starts_with(&format!("Verified {entries} entries: ")), "{out}");
    assert!(entries > 2500, "{entries}");

    let (p1500, p1800) = (vid(&env, "P1500"), vid(&env, "P1800"));
    edit_by_hand(&env, "projects", "UPDATE projects SET title = 'Projekt 1500' WHERE ref = 'P1500'");
    edit_by_hand(&env, "projects", "UPDATE projects SET status = 9 WHERE ref = 'P1800'");
    let err = env.fails(1, &["audit", "verify"]);
    assert!(err.starts_with("error: audit entry "), "{err}");
    assert!(err.contains("(project P1500, add) does not match its hash: audit row seq "), "{err}");
    assert!(err.contains(&format!("or projects row vid {p1500} (with its allocations")), "{err}");

    let env = setup();
    assert_eq!(vid(&env, "P1800"), p1800);
    edit_by_hand(&env, "projects", "UPDATE projects SET status = 9 WHERE ref = 'P1800'");
    let err = env.fails(1, &["audit", "verify"]);
    assert!(err.contains(&format!("(projects row {p1800}, column status: 9 is not a code spets writes)")), "{err}");

    let env = setup();
    let p2100 = vid(&env, "P2100");
    edit_by_hand(&env, "projects", "DELETE FROM projects WHERE ref = 'P2100'");
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.contains(&format!("(project P2100, add): the projects row it created (vid {p2100}) is missing")),
        "{err}"
    );
}
