//! Opening and creating databases: `spets init`, the first write, `spets info`, and
//! files that are not spets databases (refused, left untouched).

mod common;

use common::Env;

#[test]
fn reading_a_missing_database_creates_nothing() {
    let env = Env::new();
    let err = env.fails(1, &["info"]);
    assert!(err.starts_with(&format!("error: {}: no database here yet\n", env.db.display())), "{err}");
    assert!(err.contains("hint: `spets init` creates one"), "{err}");
    assert!(!env.db.exists());
}

#[test]
fn the_first_write_creates_the_database_with_varmlands_areas() {
    let env = Env::new();
    env.ok(&["org", "add", "Region Värmland", "--kind", "region"]);
    assert_eq!(
        env.ok(&["area", "list", "--format", "csv"]),
        "code,strategy,name_sv,name_en,valid_from,valid_to,theme\r\n\
         skog,2022,Skoglig bioekonomi,Forest-based bioeconomy,,,\r\n\
         halsa,2022,Digital hälsoinnovation,Digital health innovation,,,\r\n\
         tillverkning,2022,Avancerad tillverkning och komplexa system,Advanced manufacturing and complex systems,,,\r\n\
         solel,2022,Hållbara systemlösningar med solel i centrum,Sustainable system solutions centred on solar power,,,\r\n\
         plats,2022,Attraktion genom hållbar platsutveckling,Attraction through sustainable place development,,,\r\n\
         livsmedel,2022,Livsmedel i hållbara samspel,Food in sustainable interplay,,,\r\n\
         spel,2022,Dataspel och spelifiering,Video games and gamification,,,\r\n\
         skog-2015,2015,Skogsbaserad bioekonomi,Forest-based bioeconomy,,,\r\n\
         valfard-2015,2015,Digitalisering av välfärdstjänster,Digitalisation of welfare services,,,\r\n\
         tillverkning-2015,2015,Avancerad tillverkning och komplexa system,Advanced manufacturing and complex systems,,,\r\n\
         upplevelser-2015,2015,\"Natur, kultur och platsbaserade digitaliserade upplevelser\",\"Nature, culture and place-based digitalised experiences\",,,\r\n\
         solceller-2015,2015,Systemlösningar med solceller,Systems solutions with photovoltaics,,,\r\n\
         tjanster-2015,2015,Värdeskapande tjänster,Value-creating services,,,horizontal theme\r\n"
    );
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 9);
}

/// A database written by spets 0.1.0 at schema version 1 (tests/fixtures/v1/: made by
/// its make.sh with that release) migrates to every later schema in one go: its changes
/// are sealed (2), the overrun column added (3), and the settings recorded as a change of
/// their own (4), which also renames the funders the old import named by their kind
/// (`region`) to the default funders. The history verifies, and the head an auditor
/// recorded before the upgrade is still found in it.
#[test]
fn a_version_1_database_migrates_to_every_later_schema() {
    let env = Env::new();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1/spets.db"), &env.db).unwrap();
    let old_head = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1/head.txt")).unwrap();
    let old_head = old_head.trim();
    let out = env.ok(&["audit", "verify", "--expect-head", old_head]);
    assert!(out.contains("The expected head is entry "), "{out}");
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 9);
    let migrations: Vec<(String, String)> = conn
        .prepare("SELECT user, command FROM changes ORDER BY rev DESC LIMIT 2")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let spets = |c: &str| ("spets".to_string(), c.to_string());
    assert_eq!(migrations, vec![spets("migrate to schema version 7"), spets("migrate to schema version 4")]);
    // Migration 7 put the old areas in the 2022 strategy and added the 2015 one, with
    // its crosswalk onto them.
    let areas = env.ok(&["area", "list", "--format", "csv"]);
    assert!(areas.contains("\r\nskog,2022,") && areas.contains("\r\nskog-2015,2015,"), "{areas}");
    assert_eq!(
        env.ok(&["strategy", "list", "--format", "csv"])
            .lines()
            .map(|l| l.split(',').next().unwrap())
            .collect::<Vec<_>>(),
        vec!["strategy", "2015", "2022"]
    );
    assert!(
        env.ok(&["strategy", "show", "2015", "--format", "csv"])
            .contains("skog-2015,Forest-based bioeconomy,area,skog:100\r\n")
    );
    let funders = env.ok(&["export", "funding"]);
    assert!(!funders.contains(",region,region,") && funders.contains(",Region Värmland,region,"), "{funders}");
    assert!(funders.contains(",Kommunal medfinansiering,municipality,"), "{funders}");
    let defaults = env.ok(&["funder", "defaults", "--format", "csv"]);
    assert!(defaults.contains("region,Region Värmland\r\n"), "{defaults}");
    // Migrating again is harmless.
    let dump = env.dump();
    env.ok(&["audit", "verify"]);
    assert_eq!(env.dump(), dump);
}

#[test]
fn init_sets_up_once() {
    let env = Env::new();
    assert_eq!(env.ok(&["init"]), format!("Created {} (Värmland): 7 areas, 16 municipalities.\n", env.db.display()));
    let before = env.dump();
    assert_eq!(env.fails(1, &["init"]), "error: the database is already set up (region varmland)\n");
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.fails(2, &["init", "--region", "skane"]),
        "error: --region: \"skane\": not a region spets knows (known: varmland)\n  hint: for another region, give its areas with --areas FILE\n"
    );
}

#[test]
fn another_region_brings_its_own_areas_and_municipalities() {
    let env = Env::new();
    let areas = env.write("areas.csv", "code,name_sv,name_en\nhav,Havet,The sea\nfisk,Fiske,Fishing\n");
    let munis = env.write("munis.txt", "Lysekil\nSotenäs\n");
    env.ok(&[
        "init",
        "--areas",
        areas.to_str().unwrap(),
        "--municipalities",
        munis.to_str().unwrap(),
        "--region-name",
        "Bohuslän",
    ]);
    assert_eq!(
        env.ok(&["area", "list", "--format", "csv"]),
        "code,strategy,name_sv,name_en,valid_from,valid_to,theme\r\nhav,2022,Havet,The sea,,,\r\nfisk,2022,Fiske,Fishing,,,\r\n"
    );
    env.ok(&["org", "add", "Sotenäs kommun", "--kind", "municipality"]);
    env.ok(&[
        "project",
        "add",
        "1",
        "--title",
        "Tång",
        "--owner",
        "Sotenäs kommun",
        "--area",
        "fisk",
        "--municipality",
        "sotenas",
        "--funding",
        "x:region:1",
    ]);
    assert_eq!(
        env.fails(2, &["project", "add", "2", "--title", "Y", "--owner", "Sotenäs kommun", "--area", "skog"]),
        "error: --area: \"skog\": unknown area (known: hav, fisk)\n"
    );
}

fn refused_untouched(content: &[u8], expected: &str) {
    let env = Env::new();
    std::fs::write(&env.db, content).unwrap();
    for args in [&["info"][..], &["org", "add", "X"][..], &["report", "summary"][..]] {
        let err = env.fails(1, args);
        assert_eq!(err, format!("error: {}: {expected}\n", env.db.display()), "{args:?}");
        assert_eq!(std::fs::read(&env.db).unwrap(), content, "{args:?} touched the file");
    }
    let mut others: Vec<_> = std::fs::read_dir(env.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    others.sort();
    assert_eq!(others, vec![std::ffi::OsString::from("spets.db")], "no -wal or -shm files were made");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_untouched() {
    refused_untouched(
        b"ref,title\n1,Not a database at all, just a CSV file\n",
        "not a spets database (not an SQLite file at all); left untouched",
    );
}

#[test]
fn another_programs_database_is_refused_and_left_untouched() {
    let env = Env::new();
    let other = env.path("other.db");
    {
        let conn = rusqlite::Connection::open(&other).unwrap();
        conn.execute_batch(
            "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO accounts VALUES (1, 'x');",
        )
        .unwrap();
    }
    refused_untouched(
        &std::fs::read(&other).unwrap(),
        "not a spets database (an SQLite database of some other program); left untouched",
    );
}

#[test]
fn a_database_from_a_newer_spets_is_refused_and_left_untouched() {
    let env = Env::new();
    env.ok(&["init"]);
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;")
            .unwrap();
    }
    let bytes = std::fs::read(&env.db).unwrap();
    for args in [&["info"][..], &["org", "add", "X"][..]] {
        let err = env.fails(1, args);
        assert_eq!(
            err,
            format!(
                "error: {}: written by a newer spets (schema version 99; this spets knows up to 9); left untouched\n  hint: upgrade spets to open it\n",
                env.db.display()
            )
        );
        assert_eq!(std::fs::read(&env.db).unwrap(), bytes);
    }
}

#[test]
fn an_older_database_is_migrated_and_migrating_again_is_harmless() {
    let env = Env::new();
    // Version 0: a spets file created before any schema was applied.
    {
        let conn = rusqlite::Connection::open(&env.db).unwrap();
        conn.execute_batch("PRAGMA application_id = 1397769556;").unwrap();
    }
    env.ok(&["init"]);
    let first = env.dump();
    env.ok(&["info"]);
    env.ok(&["area", "list"]);
    assert_eq!(env.dump(), first);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 9);
}

#[test]
fn a_folder_is_not_a_database() {
    let env = Env::new();
    let folder = env.path("data");
    std::fs::create_dir(&folder).unwrap();
    let err = env.cmd().env("SPETS_DB", &folder).args(["info"]).output().unwrap();
    assert_eq!(err.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&err.stderr),
        format!(
            "error: {}: is a folder, not a database file\n  hint: give --db the path of a file, e.g. --db portfolio.db\n",
            folder.display()
        )
    );
}

/// The schema's CHECK constraints hold even against writes that bypass spets.
#[test]
fn check_constraints_mirror_the_domain_rules() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-01-01", "--amount", "100"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    // Without the triggers, a statement can only be refused by the constraint it names
    // (with them, the append-only rule would refuse every UPDATE first).
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\"")).unwrap();
    }
    for (sql, check) in [
        ("UPDATE funding_lines SET amount = -1", "amount >= 0"),
        ("UPDATE allocations SET share = 0", "share > 0 AND share <= 10000"),
        ("UPDATE allocations SET share = 10001", "share > 0 AND share <= 10000"),
        (
            "UPDATE projects SET start = 20230101, \"end\" = 20220101",
            "start IS NULL OR \"end\" IS NULL OR start <= \"end\"",
        ),
        ("UPDATE projects SET decided = 30000101", "decided BETWEEN 19000101 AND 29991231"),
        ("UPDATE projects SET status = 7", "status BETWEEN 0 AND 6"),
        ("UPDATE projects SET kind = 2, parent = NULL", "kind <> 2 OR parent IS NOT NULL"),
        ("UPDATE payments SET amount = -5", "amount >= 0"),
        ("UPDATE payments SET kind = 4", "kind BETWEEN 0 AND 3"),
        ("UPDATE orgs SET org_no = '12345'", "org_no GLOB"),
        (
            "UPDATE funding_lines SET currency = 'SEK', original = 1, rate = '1'",
            "currency GLOB '[A-Z][A-Z][A-Z]' AND currency <> 'SEK'",
        ),
    ] {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(err.starts_with("CHECK constraint failed: ") && err.contains(check), "{sql}: {err}");
    }
    // A total is the sum of its four columns, computed, never written (schema 9).
    for sql in ["UPDATE projects SET total = total + 1", "UPDATE allocations SET total = total + 1"] {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert_eq!(err, "cannot UPDATE generated column \"total\"", "{sql}");
    }
    drop(conn);
    // The triggers keep the history append-only.
    let env = Env::with_project();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    for sql in
        ["DELETE FROM audit", "UPDATE audit SET key = 'x'", "DELETE FROM changes", "UPDATE changes SET user = 'x'"]
    {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let fk: i64 = {
        let c = rusqlite::Connection::open(&env.db).unwrap();
        c.pragma_update(None, "foreign_keys", "ON").unwrap();
        c.execute("INSERT INTO allocations(project_vid, position, area_id, share, eu, public, private, other) VALUES (999, 0, 1, 10000, 0, 0, 0, 0)", []).map_or(1, |_| 0)
    };
    assert_eq!(fk, 1, "an allocation of a project version that does not exist was accepted");
}

/// `--db 'file:zz.db?mode=memory'` was read as an SQLite URI: the changes went to
/// memory and were lost. `--db` is always a path.
#[test]
fn db_is_always_a_path_never_an_sqlite_uri() {
    let env = Env::new();
    let name = "file:zz.db?mode=memory";
    let out = env.cmd().env_remove("SPETS_DB").args(["--db", name, "org", "add", "Compare Karlstad"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(env.path(name).is_file());
    let out = env.cmd().env_remove("SPETS_DB").args(["--db", name, "org", "list", "--format", "csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Compare Karlstad"));
}
