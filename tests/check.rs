//! `spets check`: a database with one violation of each rule gives exactly those
//! findings and exit 1; a clean one gives none and exit 0.

mod common;

use common::Env;

fn add(env: &Env, reference: &str, extra: &[&str]) {
    let mut args = vec![
        "project",
        "add",
        reference,
        "--title",
        "T",
        "--owner",
        "Compare Karlstad",
        "--area",
        "skog",
        "--decided",
        "2021-01-01",
    ];
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

/// What an auditor would look for and check did not find: payments to projects that
/// are not counted (and the summary's Paid against `payment list`), two organisations
/// with one organisationsnummer, a status moved backwards, one programme spelt two ways,
/// a payment whose funder is not in the plan, a counted project without a decision date.
#[test]
fn check_finds_what_an_auditor_would() {
    let env = Env::with_project();
    add(&env, "R-rejected", &["--funding", "ERUF:eu:1000"]);
    env.ok(&["payment", "add", "R-rejected", "--date", "2021-02-01", "--amount", "400"]);
    env.ok(&["project", "edit", "R-rejected", "--status", "rejected"]);
    env.ok(&["org", "add", "Karlstad University", "--org-no", "202100-3153", "--kind", "university"]);
    let before = env.dump();
    let err = env.fails(1, &["project", "edit", "20201234", "--status", "applied"]);
    assert_eq!(
        err,
        "error: project 20201234: from granted to applied moves the status backwards\n  hint: --force records it (and `spets check` lists it)\n"
    );
    assert_eq!(env.dump(), before);
    env.ok(&["project", "edit", "20201234", "--status", "closed"]);
    env.ok(&["project", "edit", "20201234", "--status", "ongoing", "--force"]);
    env.ok(&["programme", "set", "ERUF Norra Mellansverige 2021–2027", "--eu-cap", "40"]);
    let out =
        env.cmd().args(["programme", "set", "ERUF norra mellansverige 2021-2027", "--eu-cap", "40"]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: programme \"ERUF norra mellansverige 2021-2027\" differs only by dash, case or spacing from \"ERUF Norra Mellansverige 2021–2027\"\n"
    );
    env.ok(&["payment", "add", "20201234", "--date", "2021-03-01", "--amount", "10", "--funder", "Tillväxtverket"]);
    env.ok(&["payment", "add", "20201234", "--date", "2021-03-02", "--amount", "10", "--funder", "eruf"]);
    let undecided = ["--title", "T", "--owner", "Compare Karlstad", "--area", "skog", "--funding", "ERUF:eu:1"];
    env.ok(&[&["project", "add", "U-undecided", "--status", "granted"][..], &undecided[..]].concat());

    let out = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "rule,subject,finding\r\n\
         shared-org-number,202100-3153,is the organisationsnummer of Karlstad University | Karlstads universitet\r\n\
         paid-uncounted,R-rejected,400.00 kr paid to a project that is rejected (not counted as turned over)\r\n\
         status-backwards,20201234,status moved back from closed to ongoing (change 10)\r\n\
         programme-spelling,ERUF Norra Mellansverige 2021–2027 | ERUF norra mellansverige 2021-2027,\"one programme spelt in several ways (dash, case or spacing): caps and filters see them apart\"\r\n\
         payment-funder,20201234,\"payment 2: funder \"\"Tillväxtverket\"\" matches no funding line of the project\"\r\n\
         undecided,U-undecided,counted as turned over but has no decision date\r\n"
    );
    // The summary says what was paid outside the counted projects: with Paid, it is what
    // `payment list` totals (400 + 10 + 10 kr).
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["report", "summary", "--format", "json"])).unwrap();
    assert_eq!(summary["rows"][0]["paid"], "20.00");
    assert_eq!(summary["rows"][0]["paid_outside"], "400.00");
    let list = env.ok(&["payment", "list", "--format", "csv"]);
    let total: i64 =
        list.lines().skip(1).map(|l| l.split(',').nth(4).unwrap().replace('.', "").parse::<i64>().unwrap()).sum();
    assert_eq!(total, 42_000);
}
