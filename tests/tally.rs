//! Tallies (issue 15): the headline reports read the sums each change appended, now
//! and `--as-of` any change. They must give what a scan of the projects gives, at every
//! change, and a hand edit of them must be found by `audit verify`.

mod common;

use common::Env;

/// A report as CSV; with `scan`, filtered on every area then recorded, which selects the
/// same projects (every project has an area) but makes the report scan the projects.
fn csv(env: &Env, report: &[&str], as_of: Option<&str>, scan: bool) -> String {
    let mut args: Vec<&str> = report.to_vec();
    args.extend(["--format", "csv"]);
    if let Some(at) = as_of {
        args.extend(["--as-of", at]);
    }
    let areas = if scan { areas_at(env, as_of) } else { Vec::new() };
    for area in &areas {
        args.extend(["--area", area]);
    }
    env.ok(&args)
}

/// The codes of the areas recorded at a moment (every one, ended or not, as then).
fn areas_at(env: &Env, as_of: Option<&str>) -> Vec<String> {
    let mut args = vec!["area", "list", "--format", "csv"];
    if let Some(at) = as_of {
        args.extend(["--as-of", at]);
    }
    env.ok(&args).lines().skip(1).map(|l| l.split(',').next().unwrap().to_string()).collect()
}

/// The moment of the last change, to the microsecond.
fn moment(env: &Env) -> String {
    let info: serde_json::Value = serde_json::from_str(&env.ok(&["info", "--format", "json"])).unwrap();
    info["as_of"]["at"].as_str().unwrap().to_string()
}

/// A history that moves money every way a tally has to follow: projects added in
/// several areas, years and statuses, a top-up, edits of amounts, status, decision year
/// and areas, payments added and removed (and paid on a project whose own version did
/// not change), and a project removed. Returns the moment after each step.
fn history(env: &Env) -> Vec<String> {
    let mut moments = Vec::new();
    let mut step = |args: &[&str]| {
        env.ok(args);
        moments.push(moment(env));
    };
    step(&["org", "add", "Karlstads universitet", "--kind", "university"]);
    let project = |step: &mut dyn FnMut(&[&str]), reference: &str, extra: &[&str]| {
        let mut args = vec!["project", "add", reference, "--title", "P", "--owner", "Karlstads universitet"];
        args.extend(extra);
        step(&args);
    };
    project(
        &mut step,
        "A",
        &[
            "--area",
            "skog:60",
            "--area",
            "spel:40",
            "--funding",
            "ERUF:eu:1000.01",
            "--funding",
            "Region Värmland:region:333.33",
            "--decided",
            "2020-05-04",
            "--status",
            "granted",
        ],
    );
    project(
        &mut step,
        "B",
        &["--area", "halsa", "--funding", "ERUF:eu:500", "--decided", "2021-01-10", "--status", "ongoing"],
    );
    project(
        &mut step,
        "C",
        &[
            "--area",
            "skog-2015",
            "--funding",
            "Företag AB:private:250.50",
            "--decided",
            "2016-03-01",
            "--status",
            "closed",
        ],
    );
    project(&mut step, "D", &["--area", "plats", "--funding", "ERUF:eu:90", "--status", "applied"]);
    project(
        &mut step,
        "A-1",
        &[
            "--kind",
            "top-up",
            "--parent",
            "A",
            "--area",
            "skog",
            "--funding",
            "ERUF:eu:10",
            "--decided",
            "2022-02-02",
            "--status",
            "granted",
        ],
    );
    step(&["payment", "add", "A", "--date", "2021-02-01", "--amount", "400"]);
    step(&["payment", "add", "B", "--date", "2021-03-01", "--amount", "100.25"]);
    step(&["project", "edit", "A", "--status", "ongoing", "--area", "skog:50", "--area", "solel:50"]);
    step(&[
        "project",
        "edit",
        "B",
        "--decided",
        "2023-06-30",
        "--funding",
        "ERUF:eu:700",
        "--funding",
        "Karlstads kommun:municipality:1.99",
    ]);
    step(&["project", "edit", "D", "--status", "granted", "--decided", "2024-01-01"]);
    let payments = env.ok(&["payment", "list", "--format", "csv"]);
    let id = payments.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    step(&["payment", "remove", &id]);
    step(&["project", "remove", "C"]);
    step(&["project", "edit", "B", "--status", "closed"]);
    moments
}

#[test]
fn the_tallies_give_what_a_scan_gives_at_every_change() {
    let env = Env::new();
    let moments = history(&env);
    let reports: [&[&str]; 12] = [
        &["report", "summary"],
        &["report", "summary", "--status", "all"],
        &["report", "status", "--status", "all"],
        &["report", "summary", "--from", "2021-01-01", "--to", "2023-12-31"],
        // Not whole years (A was decided on 2020-05-04, D on 2024-01-01, B first on
        // 2021-01-10 and then on 2023-06-30): the whole years inside from the tallies,
        // the days at the ends scanned.
        &["report", "summary", "--from", "2020-05-05", "--to", "2024-01-01"],
        &["report", "summary", "--from", "2020-05-04", "--status", "all"],
        &["report", "summary", "--to", "2023-06-29"],
        &["report", "status", "--from", "2021-01-11", "--to", "2024-01-01", "--status", "all"],
        &["report", "areas", "--from", "2020-05-04", "--to", "2023-06-30"],
        // No whole year inside: a scan.
        &["report", "summary", "--from", "2023-06-30", "--to", "2024-01-01"],
        &["report", "areas", "--kind", "project"],
        &["report", "areas", "--kind", "project", "--to", "2022-02-01"],
    ];
    assert_eq!(moments.len(), 14);
    for at in moments.iter().map(|t| Some(t.as_str())).chain([None]) {
        for report in reports {
            let tallied = csv(&env, report, at, false);
            let scanned = csv(&env, report, at, true);
            assert_eq!(tallied, scanned, "{report:?} as of {at:?}");
        }
    }
    env.ok(&["audit", "verify"]);
}

#[test]
fn the_tallies_give_the_figures_worked_out_by_hand() {
    let env = Env::new();
    let moments = history(&env);
    // Now: A ongoing (1 333.34 kr, of which 1 000.01 EU, paid 0 after its payment was
    // removed), B closed (700 + 1.99, paid 100.25), D granted (90), A-1 granted (10, a
    // top-up: money but no project count). C was removed.
    let total = 133_334 + 70_199 + 9_000 + 1_000;
    let eu = 100_001 + 70_000 + 9_000 + 1_000;
    let kr = |ore: i64| format!("{}.{:02}", ore / 100, ore % 100);
    let summary = csv(&env, &["report", "summary"], None, false);
    let row = summary.lines().nth(1).unwrap();
    let fields: Vec<&str> = row.split(',').collect();
    assert_eq!(&fields[..3], &["3", &kr(total), &kr(eu)], "{summary}");
    assert_eq!(fields[6], "100.25", "{summary}");
    assert_eq!((fields[10], fields[11]), ("2020", "2024"), "{summary}");
    // As of the change that recorded B's payment: A granted 1 333.34, B ongoing 500, C
    // closed 250.50, A-1 10; D applied is not counted. Paid 400 + 100.25.
    let at = &moments[7];
    let summary = csv(&env, &["report", "summary"], Some(at), false);
    let fields: Vec<String> = summary.lines().nth(1).unwrap().split(',').map(String::from).collect();
    assert_eq!(
        fields[..3],
        ["3".to_string(), kr(133_334 + 50_000 + 25_050 + 1_000), kr(100_001 + 50_000 + 1_000)],
        "{summary}"
    );
    assert_eq!(fields[6], "500.25", "{summary}");
    assert_eq!((fields[10].as_str(), fields[11].as_str()), ("2016", "2022"), "{summary}");
}

/// A hand edit of the database, on either engine; `{id}` in `sql` stands for a row's own
/// address (SQLite's rowid, PostgreSQL's ctid).
fn edit(env: &Env, sql: &str) {
    match &env.server {
        Some(pg) => pg.client().batch_execute(&sql.replace("{id}", "ctid")).unwrap(),
        None => rusqlite::Connection::open(&env.db).unwrap().execute_batch(&sql.replace("{id}", "rowid")).unwrap(),
    }
}

#[test]
fn a_hand_edit_of_a_tally_is_found() {
    let env = Env::new();
    let moments = history(&env);
    let before = env.dump();
    let then = csv(&env, &["report", "summary"], Some(&moments[1]), false);
    assert!(then.contains("\n1,1333.34,1000.01,333.33,"), "{then}");
    // Moving money from one change's tally to another's leaves every current sum right,
    // but a report as of the first change wrong: the change's digest finds it.
    let row = |end: &str| {
        format!(
            "(SELECT {{id}} FROM tallies WHERE area_id = 0 AND rev = (SELECT {end}(rev) FROM tallies WHERE area_id = 0) LIMIT 1)"
        )
    };
    edit(
        &env,
        &format!(
            "UPDATE tallies SET total = total + 100, eu = eu + 100 WHERE {{id}} = {};
             UPDATE tallies SET total = total - 100, eu = eu - 100 WHERE {{id}} = {};",
            row("min"),
            row("max")
        ),
    );
    // The report as of that change reads the tallies, so it shows the edit.
    let now = csv(&env, &["report", "summary"], Some(&moments[1]), false);
    assert!(now.contains("\n1,1334.34,1001.01,333.33,"), "{now}");
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with(
            "error: the tallies rows of change 3 are not the ones it recorded: they were changed outside spets"
        ),
        "{err}"
    );
    assert_ne!(before, env.dump());
    // Rows of a change that recorded none.
    let env = Env::new();
    history(&env);
    edit(
        &env,
        "INSERT INTO tallies SELECT 1, area_id, status, kind, year, n, firsts, total, eu, public, private, other, paid FROM tallies WHERE rev = 3 LIMIT 1;",
    );
    let err = env.fails(1, &["audit", "verify"]);
    assert!(err.starts_with("error: the tallies rows of change 1 are not the ones it recorded"), "{err}");
    edit(
        &env,
        "DELETE FROM tallies WHERE rev = 1; INSERT INTO tallies SELECT 99, area_id, status, kind, year, n, firsts, total, eu, public, private, other, paid FROM tallies WHERE rev = 3 LIMIT 1;",
    );
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with("error: tallies rows of change 99, which recorded none: they were added outside spets"),
        "{err}"
    );
}

/// A database from before tallies (schema 1, tests/fixtures/v1/) gets opening tallies at
/// the change it had then: reports of earlier changes scan the projects as before, of
/// later ones read the tallies, and verify pins the opening to the projects.
#[test]
fn a_migrated_database_opens_its_tallies_at_its_last_change() {
    if common::on_postgres() {
        return;
    }
    let env = Env::new();
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1/spets.db"), &env.db).unwrap();
    env.ok(&["audit", "verify"]);
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    let opening: i64 = conn.query_row("SELECT max(rev) FROM changes WHERE tally IS NULL", [], |r| r.get(0)).unwrap();
    let (first, last): (i64, i64) =
        conn.query_row("SELECT min(rev), max(rev) FROM tallies", [], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(first, opening);
    assert!(last <= opening + 2, "only the migration's own changes follow the opening: {last}");
    let migrated = moment(&env);
    env.ok(&["payment", "add", &first_project(&env), "--date", "2021-02-01", "--amount", "1"]);
    let log = env.ok(&["audit", "log", "--format", "json"]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let mut moments: Vec<String> = log["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("{}Z", r["at"].as_str().unwrap().replace(' ', "T")))
        .collect();
    moments.dedup();
    moments.push(migrated);
    for at in moments.iter().map(|t| Some(t.as_str())).chain([None]) {
        for report in [&["report", "summary"][..], &["report", "areas"][..]] {
            assert_eq!(csv(&env, report, at, false), csv(&env, report, at, true), "{report:?} as of {at:?}");
        }
    }
    env.ok(&["audit", "verify"]);
    // The opening is covered by no seal, but by the projects themselves.
    conn.execute_batch(&format!(
        "UPDATE tallies SET paid = paid + 1 WHERE rowid = (SELECT min(rowid) FROM tallies WHERE rev = {opening} AND area_id = 0)"
    ))
    .unwrap();
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with("error: the tallies rows do not add up to the projects and their payments as they are: tallies rows were changed outside spets"),
        "{err}"
    );
    // Four rows of 2^62 öre add 2^64: a sum that wrapped around 64 bits would come back
    // to the right one. It is refused, as SQL's sum() refuses it.
    conn.execute_batch(&format!(
        "UPDATE tallies SET paid = paid - 1 WHERE rowid = (SELECT min(rowid) FROM tallies WHERE rev = {opening} AND area_id = 0);
         INSERT INTO tallies SELECT t.rev, t.area_id, t.status, t.kind, t.year, 0, 0, 4611686018427387904, 0, 0, 0, 0, 0
           FROM tallies t, (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4)
          WHERE t.rowid = (SELECT min(rowid) FROM tallies WHERE rev = {opening} AND area_id = 0);"
    ))
    .unwrap();
    let err = env.fails(1, &["audit", "verify"]);
    assert!(
        err.starts_with("error: a sum of the tallies is beyond 64 bits: tallies rows were changed outside spets"),
        "{err}"
    );
    assert!(err.contains("hint: restore the database from a backup"), "{err}");
}

#[test]
fn a_scan_refuses_a_sum_beyond_64_bits() {
    let env = Env::new();
    history(&env);
    // Four projects' totals of 2^62 öre each add 2^64, which a sum wrapping around 64
    // bits would give back as 0 (plus what is left). A filter on an area scans them.
    edit(
        &env,
        "UPDATE projects SET eu = 4611686018427387904, public = 0, private = 0, other = 0
          WHERE end_rev IS NULL AND ref IN ('A', 'B', 'D', 'A-1')",
    );
    let args = ["report", "summary", "--status", "all", "--area", "skog", "--area", "halsa", "--area", "plats"];
    let err = env.fails(1, &args);
    match env.server {
        // The server sums in numeric, which is then beyond what a report can read.
        Some(_) => assert!(err.starts_with("error: "), "{err}"),
        None => {
            assert!(
                err.starts_with(
                    "error: a sum of the projects is beyond 64 bits: projects rows were changed outside spets"
                ),
                "{err}"
            );
            assert!(err.contains("hint: restore the database from a backup"), "{err}");
        }
    }
}

fn first_project(env: &Env) -> String {
    let list = env.ok(&["project", "list", "--format", "csv"]);
    list.lines().nth(1).unwrap().split(',').next().unwrap().to_string()
}

/// A change that only adds projects takes its tallies from the versions as it writes
/// them instead of reading them back; the sums must be the same, including for a
/// project added again after it was removed with its payments (which a new project
/// cannot have), and for an import that also changes a project (read back again).
#[test]
fn a_change_that_only_adds_projects_tallies_what_a_scan_gives() {
    let env = Env::new();
    let file = env.write("p.csv", common::portfolio(60, 1));
    env.ok(&["import", file.to_str().unwrap()]);
    env.ok(&["payment", "add", "P5", "--date", "2024-01-05", "--amount", "1000"]);
    let paid = moment(&env);
    env.ok(&["project", "remove", "P5", "--force"]);
    // P5 again, with nothing paid; and P6's plan changed along with P61 added.
    env.ok(&["import", file.to_str().unwrap()]);
    let again = moment(&env);
    let changed = common::portfolio(61, 1).replace("P6,\"Projekt 6,", "P6,\"Projekt sex,");
    let changed_file = env.write("q.csv", changed);
    env.ok(&["import", changed_file.to_str().unwrap()]);
    let reports: [&[&str]; 3] =
        [&["report", "summary", "--status", "all"], &["report", "status", "--status", "all"], &["report", "areas"]];
    for at in [Some(paid.as_str()), Some(again.as_str()), None] {
        for report in reports {
            assert_eq!(csv(&env, report, at, false), csv(&env, report, at, true), "{report:?} as of {at:?}");
        }
    }
    // The figures themselves: P5 counts again, paid nothing; 61 projects now.
    let summary = csv(&env, &["report", "summary"], None, false);
    let fields: Vec<&str> = summary.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(fields[0], "61", "{summary}");
    assert_eq!(fields[6], "0.00", "{summary}");
    env.ok(&["audit", "verify"]);
}
