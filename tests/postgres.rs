//! The same spets on a PostgreSQL server: every CLI session of `tests/cmd/` and the
//! README gives the same output on both engines, bad input gets the same messages and
//! changes nothing, and a server that cannot be used is one clear line. These tests
//! need `SPETS_TEST_PG` (see `common::pg_server`).

mod common;

use std::path::Path;
use std::process::Command;

use common::PgDb;

/// The words of a shell command line: spaces split, quotes group, `\` escapes.
fn words(line: &str) -> Vec<String> {
    let (mut out, mut word, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, ' ') => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, '"' | '\'') => (quote, any) = (Some(c), true),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => word.push(c),
            (_, '\\') => {
                word.extend(chars.next());
                any = true;
            }
            (_, c) => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// The `$ spets …` commands of a session file, in order.
fn session(file: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(file)
        .expect("a session file")
        .lines()
        .filter_map(|l| l.strip_prefix("$ spets "))
        .map(words)
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    let Ok(entries) = std::fs::read_dir(from) else { return };
    for e in entries {
        let e = e.expect("an entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("a type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).expect("a copy");
        }
    }
}

fn spets(dir: &Path, db: &str, args: &[String]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_spets"))
        .current_dir(dir)
        .args(args)
        .env("SPETS_DB", db)
        .env("SPETS_LANG", "en")
        .env("SPETS_USER", "tester")
        .env("SPETS_CONFIG", "no-config.toml")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .env_remove("LANG")
        .env_remove("PGPASSWORD")
        .output()
        .expect("spets runs");
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// Output with what must differ between two runs made out: the moments of changes,
/// the heads that hash them, and where the database is.
fn normal(text: &str, location: &str) -> String {
    let moment = regex::Regex::new(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?(\.\d+)?(Z| UTC)?").unwrap();
    let head = regex::Regex::new(r#"\b[0-9a-f]{64}\b|(head:? |"head": ")[0-9a-f]{12}\b"#).unwrap();
    let text = text.replace(location, "[DB]");
    let text = moment.replace_all(&text, "[MOMENT]");
    head.replace_all(&text, "${1}[HEAD]").into_owned()
}

/// What a command says about the database at `location` in a file or on a server:
/// shown without the password.
fn shown(url: &str) -> String {
    regex::Regex::new(r"://([^:@/]+):[^@/]*@").unwrap().replace(url, "://$1@").into_owned()
}

#[test]
fn every_cli_session_gives_the_same_output_on_both_engines() {
    let mut files: Vec<_> = std::fs::read_dir("tests/cmd")
        .expect("tests/cmd")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files.push("README.md".into());
    let mut compared = 0;
    for file in files {
        let Some(pg) = PgDb::new("every_cli_session_gives_the_same_output_on_both_engines") else { return };
        let tmp = tempfile::tempdir().expect("a folder");
        let (lite_dir, pg_dir) = (tmp.path().join("lite"), tmp.path().join("pg"));
        let input = file.with_extension("in");
        copy_dir(&input, &lite_dir);
        copy_dir(&input, &pg_dir);
        for args in session(&file) {
            // `backup` writes a file copy of a file database; on a server it is refused
            // (tested below), and the commands that read its copy have nothing to read.
            if args.iter().any(|a| a == "backup" || a == "--db") {
                continue;
            }
            let lite = spets(&lite_dir, "spets.db", &args);
            let server = spets(&pg_dir, &pg.url, &args);
            let at = format!("{} {}", file.display(), args.join(" "));
            assert_eq!(lite.0, server.0, "{at}: exit codes differ\nSQLite: {}\nPostgreSQL: {}", lite.2, server.2);
            assert_eq!(
                normal(&lite.1, "spets.db"),
                normal(&server.1, &shown(&pg.url)),
                "{at}: standard output differs"
            );
            assert_eq!(normal(&lite.2, "spets.db"), normal(&server.2, &shown(&pg.url)), "{at}: standard error differs");
            compared += 1;
        }
    }
    assert!(compared > 100, "only {compared} commands compared");
}

#[test]
fn a_server_that_is_down_a_wrong_password_or_a_missing_database_is_one_clear_line() {
    let Some(pg) = PgDb::new("a_server_that_is_down_a_wrong_password_or_a_missing_database_is_one_clear_line") else {
        return;
    };
    let dir = tempfile::tempdir().expect("a folder");
    let report = ["report".to_string(), "summary".to_string()];
    let url = pg.url.clone();
    let wrong_password = regex::Regex::new(r"://([^:@/]+):[^@/]*@").unwrap().replace(&url, "://$1:wrong@").into_owned();
    let missing = common::with_database(&url, "no_such_database");
    let nowhere = "postgres://spets:spets@%2Fno%2Fsuch%2Ffolder/portfolio";
    let refused = "postgres://spets:spets@127.0.0.1:1/portfolio";
    let cases = [
        (
            wrong_password.as_str(),
            format!(
                "error: {}: the server refused the password of user spets\n  hint: give the right password in the address \
                 (postgres://USER:PASSWORD@HOST/DATABASE) or in PGPASSWORD\n",
                shown(&url)
            ),
        ),
        (
            missing.as_str(),
            format!(
                "error: {}: the server has no database no_such_database\n  hint: create it first (`createdb \
                 no_such_database`), or check the name in the address\n",
                shown(&missing)
            ),
        ),
        (
            nowhere,
            "error: postgres://spets@%2Fno%2Fsuch%2Ffolder/portfolio: cannot reach the PostgreSQL server: No such file or \
             directory (os error 2)\n  hint: check that the server is running and that the host and port in the address are \
             right\n"
                .to_string(),
        ),
        (
            refused,
            "error: postgres://spets@127.0.0.1:1/portfolio: cannot reach the PostgreSQL server: Connection refused (os error \
             111)\n  hint: check that the server is running and that the host and port in the address are right\n"
                .to_string(),
        ),
    ];
    for (db, expected) in cases {
        let (code, out, err) = spets(dir.path(), db, &report);
        assert_eq!((code, out.as_str(), err.as_str()), (Some(1), "", expected.as_str()), "{db}");
    }
    // A database that spets has not set up: reading it is refused, and it stays empty.
    let (code, _, err) = spets(dir.path(), &url, &report);
    assert_eq!(
        (code, err.as_str()),
        (
            Some(1),
            format!(
                "error: {}: no database here yet\n  hint: `spets init` creates one, as does any command that records \
                 something; `--sample` tries spets on its bundled sample portfolio\n",
                shown(&url)
            )
            .as_str()
        )
    );
    let tables: i64 = pg
        .client()
        .query_one("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", &[])
        .expect("a count")
        .get(0);
    assert_eq!(tables, 0);
}

#[test]
fn a_database_of_another_program_is_left_untouched() {
    let Some(pg) = PgDb::new("a_database_of_another_program_is_left_untouched") else { return };
    pg.client().batch_execute("CREATE TABLE invoices(id BIGINT); INSERT INTO invoices VALUES (7)").expect("a table");
    let dir = tempfile::tempdir().expect("a folder");
    let (code, _, err) = spets(dir.path(), &pg.url, &["init".to_string()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: {}: not a spets database (it holds tables of some other program); left untouched\n",
            shown(&pg.url)
        )
    );
    let tables: Vec<String> = pg
        .client()
        .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'", &[])
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(tables, ["invoices"]);
}

/// Everything a database holds that a person can see, to prove a refused command
/// changed nothing.
fn everything(dir: &Path, db: &str) -> String {
    let mut out = String::new();
    for args in [
        &["export", "projects"][..],
        &["export", "funding"],
        &["export", "payments"],
        &["export", "orgs"],
        &["audit", "log", "--detail"],
        &["area", "list"],
    ] {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        let (code, stdout, stderr) = spets(dir, db, &args);
        assert_eq!(code, Some(0), "{args:?}: {stderr}");
        out.push_str(&stdout);
    }
    out
}

#[test]
fn bad_input_gets_the_same_message_on_both_engines_and_changes_nothing() {
    let Some(pg) = PgDb::new("bad_input_gets_the_same_message_on_both_engines_and_changes_nothing") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let (lite_dir, pg_dir) = (tmp.path().join("lite"), tmp.path().join("pg"));
    for dir in [&lite_dir, &pg_dir] {
        copy_dir(Path::new("fixtures"), dir);
        std::fs::write(dir.join("bad.csv"), "ref,title,owner,areas,total\nX1,Titel,Okänd AB,skog:70,100\n,Tom,,,\n")
            .expect("a bad file");
    }
    let setup: &[&[&str]] = &[
        &["import", "orgs.csv"],
        &["import", "projects.csv"],
        &["import", "funding.csv"],
        &["import", "payments.csv"],
    ];
    let bad: &[&[&str]] = &[
        &["import", "bad.csv"],
        &["project", "add", "P9", "--title", "T", "--owner", "Nobody", "--area", "skog", "--funding", "R:region:1"],
        &[
            "project",
            "add",
            "P9",
            "--title",
            "T",
            "--owner",
            "Region Värmland",
            "--area",
            "quantum",
            "--funding",
            "R:region:1",
        ],
        &["payment", "add", "20160347", "--date", "2024-01-01", "--amount", "999999999"],
        &["payment", "add", "20160347", "--date", "2024-02-30", "--amount", "1"],
        &["project", "edit", "20160347", "--status", "approved"],
        &["project", "remove", "NO-SUCH"],
        &["area", "add", "skog", "--sv", "Skog", "--en", "Forest"],
        &["org", "add", "X", "--org-no", "12-34", "--kind", "company"],
        &["indicator", "set", "20160347", "--code", "RCO01", "--target", "5x"],
        &["report", "summary", "--status", "approved"],
    ];
    let run =
        |dir: &Path, db: &str, args: &[&str]| spets(dir, db, &args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    for args in setup {
        assert_eq!(run(&lite_dir, "spets.db", args).0, Some(0), "{args:?}");
        assert_eq!(run(&pg_dir, &pg.url, args).0, Some(0), "{args:?}");
    }
    let before = everything(&pg_dir, &pg.url);
    for args in bad {
        let lite = run(&lite_dir, "spets.db", args);
        let server = run(&pg_dir, &pg.url, args);
        assert_ne!(server.0, Some(0), "{args:?} was accepted");
        assert_eq!(lite.0, server.0, "{args:?}: exit codes differ");
        assert_eq!(normal(&lite.2, "spets.db"), normal(&server.2, &shown(&pg.url)), "{args:?}: messages differ");
    }
    assert_eq!(everything(&pg_dir, &pg.url), before, "a refused command changed the database");
    assert_eq!(
        normal(&everything(&lite_dir, "spets.db"), "spets.db"),
        normal(&before, &shown(&pg.url)),
        "the two databases differ"
    );
}

/// An import into an empty database skips looking up each reference: a reference
/// twice is then found by the server's bookkeeping (SQLite's unique index answers at
/// once), and parents after the whole file, in one query. The same words on both.
#[test]
fn a_first_import_refuses_a_reference_twice_and_bad_parents_in_the_same_words_on_both_engines() {
    let Some(pg) = PgDb::new("a_first_import_refuses_a_reference_twice_and_bad_parents") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    let rows: String = (1..=3000).map(|i| format!("R{i},T,O,skog,{i},project,\n")).collect();
    let file = format!(
        "ref,title,owner,areas,eu,kind,parent\n{rows}R77,Igen,O,skog,5,project,\nA,T,O,skog,1,top-up,B\nB,T,O,skog,1,top-up,A\nC,T,O,skog,1,top-up,NOPE\nR3000,Igen,O,skog,5,project,\n"
    );
    std::fs::write(dir.join("p.csv"), file).expect("a file");
    let expected = "p.csv:3002: ref: \"R77\": appears more than once in this file
p.csv:3003: parent: \"B\": A and B would be top-ups of each other
p.csv:3004: parent: \"A\": B and A would be top-ups of each other
p.csv:3005: parent: \"NOPE\": project C names a parent, NOPE, that does not exist
p.csv:3006: ref: \"R3000\": appears more than once in this file
error: p.csv: 5 problems; nothing was imported
";
    for db in ["spets.db", pg.url.as_str()] {
        quietly(dir, db, &s(&["init"]));
        let before = everything(dir, db);
        let (code, out, err) = spets(dir, db, &s(&["import", "p.csv"]));
        assert_eq!((code, out.as_str(), err.as_str()), (Some(1), "", expected), "{db}");
        assert_eq!(everything(dir, db), before, "{db}");
    }
}

/// The hostile insider with `psql` instead of `sqlite3`: each hand edit of the data,
/// made with the protections switched off and back on to cover the tracks, is found
/// by `audit verify` on the server in the very words it is found in the file.
#[test]
fn every_hand_edit_audit_verify_finds_in_a_file_it_finds_on_the_server_in_the_same_words() {
    let tmp = tempfile::tempdir().expect("a folder");
    let pristine = tmp.path().join("pristine");
    with_fixtures(&pristine, "spets.db", &["orgs.csv", "projects.csv", "funding.csv", "payments.csv"]);
    let first = "(SELECT min(vid) FROM projects)";
    let attacks = [
        format!("UPDATE funding_lines SET amount = amount + 100 WHERE position = 0 AND project_vid = {first}"),
        format!("UPDATE projects SET title = 'Digital vård' WHERE vid = {first}"),
        format!("UPDATE allocations SET eu = eu + 1 WHERE position = 0 AND project_vid = {first}"),
        "UPDATE allocations SET status = 4".to_string(),
        "UPDATE audit SET key = '20209999' WHERE seq = (SELECT min(seq) FROM audit WHERE key = (SELECT min(ref) FROM projects))"
            .into(),
        "UPDATE changes SET \"user\" = 'mallory' WHERE rev = 2".into(),
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)".into(),
        "INSERT INTO payments(id, rev, project_ref, date, amount, kind)
         SELECT (SELECT max(id) + 1 FROM payments), max(rev), '20160347', 20210301, 99900, 1 FROM changes"
            .into(),
        "UPDATE meta SET value = 'Dalarna' WHERE key = 'region_name'".into(),
        "INSERT INTO allocations(project_vid, position, area_id, share, eu, public, private, other, status, kind)
         VALUES (999999, 0, 1, 10000, 0, 0, 0, 0, 0, 0)"
            .into(),
        "DELETE FROM partners WHERE project_vid = (SELECT min(project_vid) FROM partners)".into(),
        "UPDATE orgs SET name = 'Någon annan AB' WHERE id = 2".into(),
    ];
    let tables = ["changes", "audit", "projects", "allocations", "funding_lines", "partners", "payments", "orgs"];
    for attack in &attacks {
        let Some(pg) = PgDb::new("every_hand_edit_audit_verify_finds") else { return };
        let dir = tmp.path().join("attacked");
        let _ = std::fs::remove_dir_all(&dir);
        copy_dir(&pristine, &dir);
        quietly(&dir, "spets.db", &s(&["db", "copy", "spets.db", &pg.url]));
        quietly(&dir, &pg.url, &s(&["audit", "verify"]));

        let lite = rusqlite::Connection::open(dir.join("spets.db")).expect("the file");
        common::unprotect(&lite);
        lite.execute_batch(attack).unwrap_or_else(|e| panic!("{attack}: {e}"));
        common::reprotect(&lite);
        drop(lite);
        let mut server = pg.client();
        let off: String = tables.iter().map(|t| format!("ALTER TABLE {t} DISABLE TRIGGER USER;")).collect();
        let on: String = tables.iter().map(|t| format!("ALTER TABLE {t} ENABLE TRIGGER USER;")).collect();
        server.batch_execute(&format!("{off}{attack};{on}")).unwrap_or_else(|e| panic!("{attack}: {e:?}"));

        let in_file = spets(&dir, "spets.db", &s(&["audit", "verify"]));
        let on_server = spets(&dir, &pg.url, &s(&["audit", "verify"]));
        assert_eq!(in_file.0, Some(1), "{attack}: the file's verify passed");
        assert!(in_file.2.starts_with("error: "), "{attack}: {}", in_file.2);
        assert_eq!(on_server.0, Some(1), "{attack}: the server's verify passed: {}", on_server.1);
        assert_eq!(normal(&on_server.2, &shown(&pg.url)), normal(&in_file.2, "spets.db"), "{attack}");
    }
}

#[test]
fn a_password_in_the_address_is_never_recorded_or_shown() {
    let Some(pg) = PgDb::new("a_password_in_the_address_is_never_recorded_or_shown") else { return };
    let dir = tempfile::tempdir().expect("a folder");
    let password =
        regex::Regex::new(r"://[^:@/]+:([^@/]*)@").unwrap().captures(&pg.url).expect("a password")[1].to_string();
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let given = ["--db".to_string(), pg.url.clone()];
    let with_flag: Vec<String> =
        given.iter().cloned().chain(args(&["org", "add", "Paper Province", "--kind", "cluster"])).collect();
    let with_equals: Vec<String> = std::iter::once(format!("--db={}", pg.url))
        .chain(args(&["org", "add", "Compare Karlstad", "--kind", "cluster"]))
        .collect();
    for command in [with_flag, with_equals] {
        let (code, out, err) = spets(dir.path(), "unused.db", &command);
        assert_eq!(code, Some(0), "{err}");
        assert!(!out.contains(&format!(":{password}@")) && !err.contains(&format!(":{password}@")), "{out}{err}");
    }
    let (_, log, _) = spets(dir.path(), &pg.url, &args(&["audit", "log", "--format", "csv"]));
    assert!(log.contains(&format!("--db {} org add", shown(&pg.url))), "{log}");
    assert!(log.contains(&format!("--db={} org add", shown(&pg.url))), "{log}");
    assert!(!log.contains(&format!(":{password}@")), "{log}");
    let (_, info, _) = spets(dir.path(), &pg.url, &args(&["info"]));
    assert!(info.contains(&shown(&pg.url)) && !info.contains(&format!(":{password}@")), "{info}");
}

#[test]
fn backup_of_a_server_database_is_refused_with_a_hint() {
    let Some(pg) = PgDb::new("backup_of_a_server_database_is_refused_with_a_hint") else { return };
    let dir = tempfile::tempdir().expect("a folder");
    assert_eq!(spets(dir.path(), &pg.url, &["init".to_string()]).0, Some(0));
    let (code, _, err) = spets(dir.path(), &pg.url, &["backup".to_string(), "copy.db".to_string()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: copy.db: a database on a PostgreSQL server is not copied by `spets backup`; nothing was written\n  hint: use the \
         server's own backups (pg_dump), or copy it to a file with `spets db copy`\n"
    );
    assert!(!dir.path().join("copy.db").exists());
}

#[test]
fn a_portfolio_copied_to_a_server_and_back_verifies_with_the_same_head_and_reports_the_same() {
    let Some(pg) =
        PgDb::new("a_portfolio_copied_to_a_server_and_back_verifies_with_the_same_head_and_reports_the_same")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    copy_dir(Path::new("fixtures"), dir);
    let run = |db: &str, args: &[&str]| {
        let (code, out, err) = spets(dir, db, &args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        assert_eq!(code, Some(0), "{args:?} on {db}: {err}");
        out
    };
    for file in ["orgs.csv", "projects.csv", "funding.csv", "payments.csv"] {
        run("spets.db", &["import", file]);
    }
    run("spets.db", &["indicator", "set", "20160347", "--code", "RCO01", "--target", "5"]);
    let verified = run("spets.db", &["audit", "verify"]);
    let head = verified.lines().find_map(|l| l.strip_prefix("Head: ")).expect("a head").to_string();

    let copied = run("unused.db", &["db", "copy", "spets.db", &pg.url]);
    assert!(copied.ends_with(&format!("head {head}.\n")), "{copied}");
    assert_eq!(run(&pg.url, &["audit", "verify"]), verified);
    run("unused.db", &["db", "copy", &pg.url, "back.db"]);
    assert_eq!(run("back.db", &["audit", "verify"]), verified);

    // The copies are the same portfolio at the same change: every report is the same,
    // byte for byte, its "as of" line included.
    let location = shown(&pg.url);
    for report in [
        &["report", "summary"][..],
        &["report", "areas", "--format", "csv"],
        &["report", "years", "--basis", "prorata", "--format", "json"],
        &["report", "funders"],
        &["check", "--format", "csv"],
        &["audit", "log", "--format", "csv"],
        &["export", "projects"],
        &["payment", "list"],
        &["indicator", "list"],
    ] {
        let original = spets(dir, "spets.db", &report.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        let server = spets(dir, &pg.url, &report.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        let back = spets(dir, "back.db", &report.iter().map(|a| a.to_string()).collect::<Vec<_>>());
        assert_eq!(original, server, "{report:?} on the server");
        assert_eq!(original, back, "{report:?} on the copy back");
    }
    assert_eq!(
        run("spets.db", &["info"]).replace("spets.db", "[DB]"),
        run(&pg.url, &["info"]).replace(&location, "[DB]")
    );

    // Both go on from the same head: the next change chains onto it on either engine.
    let entries: usize = verified
        .strip_prefix("Verified ")
        .and_then(|v| v.split(' ').next())
        .expect("a count")
        .parse()
        .expect("a number");
    for db in ["spets.db", pg.url.as_str()] {
        run(db, &["payment", "add", "20160347", "--date", "2024-03-01", "--amount", "1000"]);
        let after = run(db, &["audit", "verify"]);
        assert!(after.starts_with(&format!("Verified {} entries: the hash chain is intact", entries + 1)), "{after}");
    }
    // The same payment number on both, the same figures; only the moment differs.
    assert_eq!(
        normal(&run("spets.db", &["payment", "list", "20160347"]), "spets.db"),
        normal(&run(&pg.url, &["payment", "list", "20160347"]), &location)
    );
}

#[test]
fn a_copy_goes_only_into_an_empty_database() {
    let Some(pg) = PgDb::new("a_copy_goes_only_into_an_empty_database") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    let run = |args: &[&str]| spets(dir, "spets.db", &args.iter().map(|a| a.to_string()).collect::<Vec<_>>());
    assert_eq!(run(&["org", "add", "Paper Province", "--kind", "cluster"]).0, Some(0));
    assert_eq!(spets(dir, &pg.url, &["init".to_string()]).0, Some(0));
    let before = everything(dir, &pg.url);
    let (code, _, err) = run(&["db", "copy", "spets.db", &pg.url]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: {}: already holds a portfolio; a copy goes only into an empty database, and nothing was copied\n  \
             hint: give a new file, or an empty database on the server (`createdb NAME`)\n",
            shown(&pg.url)
        )
    );
    assert_eq!(everything(dir, &pg.url), before);
    // Into a file that holds a portfolio: refused the same way, the file unchanged.
    let file_before = everything(dir, "spets.db");
    assert_eq!(run(&["db", "copy", &pg.url, "spets.db"]).0, Some(1));
    assert_eq!(everything(dir, "spets.db"), file_before);
}

/// Runs spets on `db` from `dir` and insists it succeeds saying nothing on stderr.
/// A command line's words as the owned strings [`spets`] takes.
fn s(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// The fixtures copied into `dir` and `files` of them imported into `db`.
fn with_fixtures(dir: &Path, db: &str, files: &[&str]) {
    copy_dir(Path::new("fixtures"), dir);
    for file in files {
        quietly(dir, db, &s(&["import", file]));
    }
}

fn quietly(dir: &Path, db: &str, args: &[String]) -> String {
    let (code, out, err) = spets(dir, db, args);
    assert_eq!((code, err.as_str()), (Some(0), ""), "{args:?}");
    out
}

#[test]
fn eight_writers_at_once_all_land_in_one_unbroken_chain_and_every_report_is_a_moment() {
    let Some(pg) = PgDb::new("eight_writers_at_once_all_land_in_one_unbroken_chain_and_every_report_is_a_moment")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path().to_path_buf();
    quietly(&dir, &pg.url, &s(&["org", "add", "Ägare AB", "--kind", "company"]));
    const WRITERS: usize = 8;
    const WRITES: usize = 500;
    let header = "ref,title,owner,owner_org_no,owner_kind,kind,parent,programme,fund,status,decided,start,end,municipalities,areas,partners,eu,state,region,municipality,university,private,other,notes,source\n";
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (dir, url, done) = (dir.clone(), pg.url.clone(), done.clone());
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                seen.push(quietly(&dir, &url, &s(&["report", "areas", "--format", "json"])));
            }
            seen
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (dir, url) = (dir.clone(), pg.url.clone());
            std::thread::spawn(move || {
                let file = dir.join(format!("import-{w}.csv"));
                for i in 0..WRITES {
                    let r = format!("W{w}-{i}");
                    let args = match i % 5 {
                        0 | 4 => s(&["project", "add", &r, "--title", "T", "--owner", "Ägare AB", "--area", "skog:60", "--area", "spel:40", "--funding", "Region Värmland:region:1000", "--decided", "2024-01-01", "--status", "granted"]),
                        1 => s(&["project", "edit", &format!("W{w}-{}", i - 1), "--status", "ongoing"]),
                        2 => s(&["payment", "add", &format!("W{w}-{}", i - 2), "--date", "2024-02-01", "--amount", "10"]),
                        _ => {
                            let rows = format!("{header}{r},Importerad,Ägare AB,,company,project,,,,granted,2024-03-01,,,,halsa,,,,500,,,,,,\n");
                            std::fs::write(&file, rows).expect("an import file");
                            s(&["import", file.to_str().expect("a path")])
                        }
                    };
                    quietly(&dir, &url, &args);
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("a writer");
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.join().expect("the reader");

    // Every write landed, each as its own change, in one chain that verifies.
    let verified = quietly(&dir, &pg.url, &s(&["audit", "verify"]));
    assert!(verified.contains("the hash chain is intact"), "{verified}");
    let changes: i64 = pg.client().query_one("SELECT count(*) FROM changes", &[]).expect("a count").get(0);
    assert_eq!(changes, 2 + (WRITERS * WRITES) as i64, "init, the owner, and every write");
    let projects: i64 =
        pg.client().query_one("SELECT count(*) FROM projects WHERE end_rev IS NULL", &[]).expect("a count").get(0);
    assert_eq!(projects, (WRITERS * WRITES * 3 / 5) as i64);
    let paid: i64 = pg
        .client()
        .query_one("SELECT sum(amount)::bigint FROM payments WHERE end_rev IS NULL", &[])
        .expect("a sum")
        .get(0);
    assert_eq!(paid, (WRITERS * WRITES / 5 * 1000) as i64, "10 kr, in öre, per payment");

    // A report read while others wrote is the database at the change it names.
    assert!(seen.len() >= 3, "only {} reports were read meanwhile", seen.len());
    let at = regex::Regex::new(r#""at": "([^"]+)""#).unwrap();
    for report in seen.iter().step_by((seen.len() / 20).max(1)) {
        let moment = &at.captures(report).expect("an as_of moment")[1];
        let again = quietly(&dir, &pg.url, &s(&["report", "areas", "--format", "json", "--as-of", moment]));
        assert_eq!(&again, report, "as of {moment}");
    }
}

#[test]
fn a_writer_killed_in_the_middle_of_an_import_leaves_nothing_of_it() {
    let Some(pg) = PgDb::new("a_writer_killed_in_the_middle_of_an_import_leaves_nothing_of_it") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    std::fs::write(dir.join("big.csv"), common::portfolio(200_000, 1)).expect("a big file");
    quietly(dir, &pg.url, &s(&["init"]));
    let before = everything(dir, &pg.url);
    let mut child = Command::new(env!("CARGO_BIN_EXE_spets"))
        .current_dir(dir)
        .args(["import", "big.csv"])
        .env("SPETS_DB", &pg.url)
        .env("SPETS_USER", "tester")
        .env("SPETS_CONFIG", "no-config.toml")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spets starts");
    // Kill it once it is writing: when the server shows it sending projects.
    let mut watcher = pg.client();
    let started = std::time::Instant::now();
    loop {
        let writing: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                 AND state = 'active' AND query LIKE 'COPY projects %'",
                &[],
            )
            .expect("the activity")
            .get(0);
        if writing > 0 || started.elapsed() > std::time::Duration::from_secs(20) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(child.try_wait().expect("a status").is_none(), "the import finished before it could be killed");
    unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
    child.wait().expect("the killed writer");
    // The server rolls the dead connection's transaction back.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(everything(dir, &pg.url), before);
    let verified = quietly(dir, &pg.url, &s(&["audit", "verify"]));
    assert!(verified.contains("the hash chain is intact"), "{verified}");
    // And the next writer goes on at once: the lock died with the process.
    quietly(dir, &pg.url, &s(&["org", "add", "Efter AB", "--kind", "company"]));
}

#[test]
fn rows_the_server_refuses_while_the_next_are_gathered_fail_the_import_and_leave_nothing() {
    let Some(pg) = PgDb::new("rows_the_server_refuses_while_the_next_are_gathered") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    // Big enough that its rows go to the server in several bulks, each sent while the
    // next is gathered: the refused row is in the middle, not in the last bulk.
    std::fs::write(dir.join("big.csv"), common::portfolio(60_000, 1)).expect("a big file");
    quietly(dir, &pg.url, &s(&["init"]));
    pg.client()
        .batch_execute("ALTER TABLE projects ADD CONSTRAINT not_p30000 CHECK (ref <> 'P30000')")
        .expect("a check");
    let before = everything(dir, &pg.url);
    let (code, out, err) = spets(dir, &pg.url, &s(&["import", "big.csv"]));
    assert_eq!((code, out.as_str()), (Some(1), ""), "{err}");
    assert!(
        err.starts_with("error: the server refused the change: ")
            && err.contains("violates check constraint \"not_p30000\"")
            && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(everything(dir, &pg.url), before);
    let copies: i64 = pg.client().query_one("SELECT count(*) FROM projects", &[]).expect("a count").get(0);
    assert_eq!(copies, 0);
}

#[test]
fn a_reader_runs_every_report_but_the_server_refuses_its_writes_and_nobody_rewrites_the_history() {
    let Some(pg) = PgDb::new("a_reader_runs_every_report_but_the_server_refuses_its_writes") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    with_fixtures(dir, &pg.url, &["orgs.csv", "projects.csv", "funding.csv", "payments.csv"]);
    // Two logins of the server (roles are the cluster's, so named for this run).
    let tag = std::process::id();
    let (reader, writer) = (format!("revisor_{tag}"), format!("handlaggare_{tag}"));
    let mut admin = pg.client();
    for name in [&reader, &writer] {
        admin
            .batch_execute(&format!("DROP ROLE IF EXISTS {name}; CREATE ROLE {name} LOGIN PASSWORD 'pw'"))
            .expect("a role");
    }
    let login = |name: &str| {
        regex::Regex::new(r"://[^@/]*@").unwrap().replace(&pg.url, format!("://{name}:pw@").as_str()).into_owned()
    };
    assert_eq!(
        quietly(dir, &pg.url, &s(&["db", "grant", &reader, "--role", "reader"])),
        format!("Granted {reader} the role of reader in {}.\n", shown(&pg.url))
    );
    quietly(dir, &pg.url, &s(&["db", "grant", &writer, "--role", "writer"]));
    let (as_reader, as_writer) = (login(&reader), login(&writer));

    // The reader: every report, as the owner sees it, and audit verify.
    for report in [
        &["report", "summary"][..],
        &["report", "areas"],
        &["report", "years", "--basis", "prorata"],
        &["report", "municipalities"],
        &["report", "funders"],
        &["report", "actors"],
        &["report", "status"],
        &["check", "--format", "csv"],
        &["audit", "log", "--format", "csv"],
        &["audit", "verify"],
        &["export", "projects"],
    ] {
        let owner = spets(dir, &pg.url, &s(report));
        let read = spets(dir, &as_reader, &s(report));
        assert_eq!(normal(&read.1, &shown(&as_reader)), normal(&owner.1, &shown(&pg.url)), "{report:?}");
        assert_eq!((read.0, read.2.as_str()), (owner.0, owner.2.as_str()), "{report:?}");
    }
    // Its writes are refused by the server, and change nothing.
    let before = everything(dir, &pg.url);
    for write in [
        &["org", "add", "Ny AB", "--kind", "company"][..],
        &["payment", "add", "20160347", "--date", "2024-01-01", "--amount", "1"],
        &["import", "new-orgs.csv"],
    ] {
        std::fs::write(dir.join("new-orgs.csv"), "name,org_no,kind\nNytt AB,,company\n").expect("a file");
        let (code, _, err) = spets(dir, &as_reader, &s(write));
        assert_eq!(code, Some(1), "{write:?}: {err}");
        assert!(
            err.starts_with("error: the server refused the change: permission denied for table"),
            "{write:?}: {err}"
        );
        assert!(err.contains("nothing was written\n  hint: this user may only read"), "{err}");
    }
    let mut by_hand = postgres::Client::connect(&as_reader, postgres::NoTls).expect("the reader's login");
    assert!(by_hand.batch_execute("INSERT INTO meta VALUES ('x', 'y')").is_err());
    assert_eq!(everything(dir, &pg.url), before);

    // The writer records changes; neither it nor anyone else rewrites the history.
    quietly(dir, &as_writer, &s(&["org", "add", "Ny AB", "--kind", "company"]));
    quietly(dir, &as_writer, &s(&["payment", "add", "20160347", "--date", "2024-01-01", "--amount", "1"]));
    let mut by_hand = postgres::Client::connect(&as_writer, postgres::NoTls).expect("the writer's login");
    for attack in [
        "UPDATE changes SET \"user\" = 'någon annan'",
        "DELETE FROM audit",
        "TRUNCATE audit",
        "UPDATE audit SET key = 'x'",
        "ALTER TABLE audit DISABLE TRIGGER audit_append_only",
    ] {
        let refused = by_hand.batch_execute(attack).expect_err(attack);
        assert_eq!(refused.code(), Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE), "{attack}: {refused}");
    }
    // The owner is held by the triggers.
    for attack in ["UPDATE changes SET \"user\" = 'någon annan'", "DELETE FROM audit", "TRUNCATE changes"] {
        let refused = admin.batch_execute(attack).expect_err(attack);
        let message = refused.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
        assert!(message.contains("is append-only"), "{attack}: {message}");
    }
    let verified = quietly(dir, &pg.url, &s(&["audit", "verify"]));
    assert!(verified.contains("the hash chain is intact"), "{verified}");
    for name in [&reader, &writer] {
        let _ = admin.batch_execute(&format!(
            "REASSIGN OWNED BY {name} TO CURRENT_USER; DROP OWNED BY {name}; DROP ROLE {name}"
        ));
    }
}

#[test]
fn a_file_has_no_roles() {
    let dir = tempfile::tempdir().expect("a folder");
    let (code, _, err) = spets(dir.path(), "spets.db", &["db", "grant", "anna", "--role", "reader"].map(String::from));
    assert_eq!(code, Some(2));
    assert_eq!(
        err,
        "error: spets.db: a database file has no roles; who may read or write it is up to the file's permissions\n"
    );
}

#[test]
fn text_with_tabs_newlines_and_backslashes_is_stored_verbatim_on_the_server() {
    let Some(pg) = PgDb::new("text_with_tabs_newlines_and_backslashes_is_stored_verbatim_on_the_server") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    let title = "Tab\there, line\nbreak, back\\slash \\N, \\x00 and \r return; 'quote' \"dq\" =SUM(A1)";
    let file = format!(
        "ref,title,owner,owner_kind,areas,eu,region,decided\n\"R\\1\",\"{}\",\"Ägare\\tAB\",company,skog,100,200,2024-01-01\n",
        title.replace('"', "\"\"")
    );
    std::fs::write(dir.join("hostile.csv"), file).expect("a file");
    for db in ["spets.db", pg.url.as_str()] {
        quietly(dir, db, &s(&["import", "hostile.csv"]));
    }
    let show = |db: &str| quietly(dir, db, &s(&["export", "projects", "--format", "json"]));
    assert_eq!(show("spets.db"), show(&pg.url));
    let stored: String = pg.client().query_one("SELECT title FROM projects", &[]).expect("a row").get(0);
    assert_eq!(stored, title);
}

#[test]
fn the_server_may_come_from_the_config_file() {
    let Some(pg) = PgDb::new("the_server_may_come_from_the_config_file") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let config = tmp.path().join("config.toml");
    std::fs::write(&config, format!("db = \"{}\"\n", pg.url)).expect("a config file");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_spets"))
            .current_dir(tmp.path())
            .args(args)
            .env("SPETS_CONFIG", &config)
            .env("SPETS_LANG", "en")
            .env("SPETS_USER", "tester")
            .env_remove("SPETS_DB")
            .output()
            .expect("spets runs")
    };
    assert!(run(&["org", "add", "Paper Province", "--kind", "cluster"]).status.success());
    let info = String::from_utf8(run(&["info"]).stdout).expect("UTF-8");
    assert!(info.contains(&shown(&pg.url)), "{info}");
    let orgs: i64 = pg.client().query_one("SELECT count(*) FROM orgs", &[]).expect("a count").get(0);
    assert_eq!(orgs, 1);
    assert!(!tmp.path().join("spets.db").exists());
}

#[test]
fn every_row_of_a_project_stays_tied_to_a_project_version_and_a_removed_guard_stops_every_write() {
    let Some(pg) = PgDb::new("every_row_of_a_project_stays_tied_to_a_project_version") else { return };
    let tmp = tempfile::tempdir().expect("a folder");
    let dir = tmp.path();
    with_fixtures(dir, &pg.url, &["orgs.csv", "projects.csv", "funding.csv"]);
    let before = everything(dir, &pg.url);
    let mut admin = pg.client();
    let vid: i64 = admin.query_one("SELECT min(project_vid) FROM allocations", &[]).expect("a row").get(0);
    let attacks = [
        format!(
            "INSERT INTO allocations(project_vid, position, area_id, share, eu, public, private, other, status, kind)
             VALUES ({}, 0, 1, 10000, 0, 0, 0, 0, 0, 0)",
            vid + 1_000_000
        ),
        "INSERT INTO funding_lines(project_vid, position, funder_id, kind, amount) VALUES (999999, 0, 1, 0, 1)".into(),
        "INSERT INTO partners VALUES (999999, 0, 1)".into(),
        format!("UPDATE allocations SET project_vid = 999999 WHERE project_vid = {vid}"),
        format!("UPDATE projects SET vid = 999999 WHERE vid = {vid}"),
        format!("DELETE FROM projects WHERE vid = {vid}"),
    ];
    for attack in &attacks {
        let refused = admin.batch_execute(attack).expect_err(attack);
        let message = refused.as_db_error().map(|d| d.message().to_string()).unwrap_or_default();
        assert!(message.contains("violates foreign key") || message.contains("keeps its"), "{attack}: {message}");
    }
    assert_eq!(everything(dir, &pg.url), before);

    // With a guard removed, spets refuses to write, and says which.
    admin.batch_execute("DROP TRIGGER allocations_parent ON allocations").expect("the owner drops it");
    let (code, _, err) = spets(dir, &pg.url, &s(&["org", "add", "Ny AB", "--kind", "company"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: the database's protections were changed outside spets (trigger allocations_parent is missing); nothing was written",
            shown(&pg.url)
        )),
        "{err}"
    );
    admin
        .batch_execute("CREATE OR REPLACE FUNCTION spets_parent_exists() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")
        .expect("the owner rewrites it");
    let (code, _, err) = spets(dir, &pg.url, &s(&["org", "add", "Ny AB", "--kind", "company"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("trigger allocations_parent is missing; function spets_parent_exists was changed)"), "{err}");
    assert_eq!(everything(dir, &pg.url), before);

    // A guard recreated under its own name but for other rows or events is no guard:
    // the history's, made to fire on INSERT only, would let an UPDATE through.
    admin
        .batch_execute(
            "DROP TRIGGER audit_append_only ON audit;
             CREATE TRIGGER audit_append_only BEFORE INSERT ON audit
               FOR EACH ROW EXECUTE FUNCTION spets_append_only('the audit trail is append-only');
             DROP TRIGGER projects_vid_fixed ON projects;
             CREATE TRIGGER projects_vid_fixed BEFORE UPDATE OF title ON projects
               FOR EACH ROW WHEN (OLD.vid IS DISTINCT FROM NEW.vid) EXECUTE FUNCTION spets_append_only('a project version keeps its number');",
        )
        .expect("the owner recreates them");
    let (code, _, err) = spets(dir, &pg.url, &s(&["org", "add", "Ny AB", "--kind", "company"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("(trigger allocations_parent is missing; trigger audit_append_only was changed; trigger projects_vid_fixed was changed; function spets_parent_exists was changed); nothing was written"),
        "{err}"
    );
    let (code, _, err) = spets(dir, &pg.url, &s(&["audit", "verify"]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("trigger audit_append_only was changed"), "{err}");
    assert_eq!(everything(dir, &pg.url), before);
}

/// A server database set up for Värmland at schema version 6 (before strategies) gets
/// them when spets opens it: the 2015 and 2022 strategies and the 2015 areas, as one
/// change by user `spets`, in a history that verifies.
#[test]
fn a_server_database_from_schema_6_gets_its_strategies_as_a_change_of_its_own() {
    let Some(pg) = PgDb::new("a_server_database_from_schema_6_gets_its_strategies_as_a_change_of_its_own") else {
        return;
    };
    let schema = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/postgres/0006-schema.sql")).unwrap();
    let mut c = pg.client();
    c.batch_execute(&schema).expect("schema 6");
    c.batch_execute(
        "INSERT INTO spets_schema(version) VALUES (6);
         INSERT INTO meta(key, value) VALUES ('region', 'varmland'), ('region_name', 'Värmland');",
    )
    .expect("a region");
    drop(c);
    let dir = tempfile::tempdir().expect("a folder");
    let (code, out, err) = spets(dir.path(), &pg.url, &s(&["strategy", "list", "--format", "csv"]));
    assert_eq!(code, Some(0), "{err}");
    let names: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').next().unwrap_or("")).collect();
    assert_eq!(names, ["2015", "2022"]);
    let (_, areas, _) = spets(dir.path(), &pg.url, &s(&["area", "list", "--format", "csv"]));
    assert_eq!(areas.lines().filter(|l| l.contains(",2015,")).count(), 6, "{areas}");
    let (_, log, _) = spets(dir.path(), &pg.url, &s(&["audit", "log", "--format", "csv"]));
    assert!(log.lines().skip(1).all(|l| l.contains(",spets,migrate to schema version 7,")), "{log}");
    let (code, _, err) = spets(dir.path(), &pg.url, &s(&["audit", "verify"]));
    assert_eq!(code, Some(0), "{err}");
    let version: i64 = pg.client().query_one("SELECT max(version) FROM spets_schema", &[]).unwrap().get(0);
    assert_eq!(version, 9);
}
