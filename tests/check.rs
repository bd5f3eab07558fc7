//! `spets check`: a database with one violation of each rule gives exactly those
//! findings and exit 1; a clean one gives none and exit 0.

mod common;

use common::Env;

fn add(env: &Env, reference: &str, extra: &[&str]) {
    let mut args = vec!["project", "add", reference, "--title", "T", "--owner", "Compare Karlstad", "--area", "skog"];
    args.extend_from_slice(extra);
    env.ok(&args);
}

#[test]
fn a_clean_database_has_no_findings() {
    let env = Env::with_project();
    env.ok(&["programme", "set", "ERUF", "--eu-cap", "50", "--region-cap", "50"]);
    assert_eq!(env.ok(&["check", "--format", "csv"]), "rule,subject,finding\r\n");
    assert!(env.ok(&["check"]).contains("No findings: every rule holds.\n"));
}

#[test]
fn each_rule_finds_its_violation_and_nothing_else() {
    let env = Env::with_project();
    env.ok(&["programme", "set", "ERUF 2021–2027", "--eu-cap", "40", "--region-cap", "30"]);
    let capped = ["--programme", "ERUF 2021–2027"];
    add(&env, "A-shares", &["--funding", "x:eu:100"]);
    add(&env, "B-eu", &[&capped[..], &["--funding", "ERUF:eu:500", "--funding", "x:private:500"]].concat());
    add(
        &env,
        "C-region",
        &[&capped[..], &["--funding", "ERUF:eu:300", "--funding", "Region:region:400", "--funding", "x:private:300"]]
            .concat(),
    );
    add(&env, "D-paid", &["--funding", "x:eu:100"]);
    env.ok(&["payment", "add", "D-paid", "--date", "2022-01-01", "--amount", "150", "--allow-overrun"]);
    add(&env, "E-dates", &["--funding", "x:eu:100", "--start", "2022-01-01", "--end", "2022-12-31"]);
    add(&env, "F-parent", &["--funding", "x:eu:100"]);
    add(&env, "G-topup", &["--funding", "x:eu:100", "--kind", "top-up", "--parent", "F-parent"]);
    add(&env, "H-noarea", &["--funding", "x:eu:100"]);
    add(&env, "I-nofunding", &[]);
    // What spets itself refuses, written behind its back.
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute_batch(
            "PRAGMA ignore_check_constraints = ON;
             UPDATE allocations SET share = 9000 WHERE project_vid = (SELECT vid FROM projects WHERE ref = 'A-shares');
             UPDATE projects SET start = 20230101 WHERE ref = 'E-dates';
             UPDATE projects SET parent = 'GONE' WHERE ref = 'G-topup';
             DELETE FROM allocations WHERE project_vid = (SELECT vid FROM projects WHERE ref = 'H-noarea');
             UPDATE orgs SET org_no = '202100-3154' WHERE name = 'Karlstads universitet';",
        )
        .unwrap();
    let out = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "rule,subject,finding\r\n\
         shares,A-shares,area shares sum to 90 %\r\n\
         eu-cap,B-eu,EU share 50 % (500.00 kr) is above the cap of 40 % in ERUF 2021–2027\r\n\
         region-cap,C-region,regional co-financing 40 % (400.00 kr) is above the cap of 30 % in ERUF 2021–2027\r\n\
         overpaid,D-paid,paid 150.00 kr exceeds the granted 100.00 kr\r\n\
         dates,E-dates,ends 2022-12-31 before it starts 2023-01-01\r\n\
         orphan-top-up,G-topup,a top-up of GONE which is not a current project\r\n\
         no-area,H-noarea,has no specialisation area\r\n\
         no-funding,I-nofunding,has no funding lines\r\n\
         org-number,Karlstads universitet,\"organisationsnummer 202100-3154: check digit is 4, expected 3: a digit is mistyped\"\r\n"
    );
}

#[test]
fn check_reads_the_past_too() {
    let env = Env::with_project();
    let before = env.ok(&["info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&before).unwrap();
    let moment = v["as_of"]["at"].as_str().unwrap().to_string();
    add(&env, "X", &[]);
    let now = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(now.status.code(), Some(1));
    assert_eq!(env.ok(&["check", "--format", "csv", "--as-of", &moment]), "rule,subject,finding\r\n");
}

/// References recorded before they were normalised (spaces around them) are listed,
/// since typing or importing them now names another project.
#[test]
fn check_lists_references_not_in_their_normal_form() {
    let env = Env::with_project();
    rusqlite::Connection::open(&env.db)
        .unwrap()
        .execute("UPDATE projects SET ref = ' 20201234' WHERE vid = 1", [])
        .unwrap();
    let out = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains("reference,\"\"\" 20201234\"\"\",\"reference, normally \"\"20201234\"\" has spaces around it: typing or importing it now names another project\"\r\n"),
        "{csv}"
    );
}
