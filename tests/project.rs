//! `spets project`: recording, and refusing bad input without writing anything.

mod common;

use common::Env;

/// Every refusal names the flag, the value and what was expected, exits with the
/// documented code, and leaves the database exactly as it was.
#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let env = Env::with_project();
    let add = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = ["project", "add", "20209999", "--title", "X", "--owner", "Compare Karlstad"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let cases: Vec<(Vec<String>, i32, &str)> = vec![
        (add(&["--area", "skog:60", "--area", "halsa:30"]), 2, "error: --area: shares sum to 90 %, not 100 %\n"),
        (add(&["--area", "skog:60", "--area", "skog:40"]), 2, "error: --area: area skog is named twice\n"),
        (add(&["--area", "skgo"]), 2, "error: --area: \"skgo\": unknown area (did you mean skog?)\n"),
        (
            add(&["--area", "skog:33.333", "--area", "halsa:66.667"]),
            2,
            "error: --area: \"skog:33.333\": a share has at most two decimals\n",
        ),
        (
            ["project", "add", "20201234", "--title", "X", "--owner", "Compare Karlstad", "--area", "skog"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            1,
            "error: project 20201234 already exists\n  hint: `spets project edit 20201234` changes it\n",
        ),
        (
            add(&["--area", "skog", "--start", "2021-01-01", "--end", "2020-12-31"]),
            2,
            "error: --end: ends 2020-12-31 before it starts 2021-01-01\n",
        ),
        (
            add(&["--area", "skog", "--decided", "2023-02-30"]),
            2,
            "error: --decided: \"2023-02-30\": no such day: 2023-02 has 28 days\n",
        ),
        (
            add(&["--area", "skog", "--start", "2023-13-01"]),
            2,
            "error: --start: \"2023-13-01\": no month 13 (expected YYYY-MM-DD)\n",
        ),
        (
            add(&["--area", "skog", "--kind", "top-up", "--parent", "NYPS 1"]),
            2,
            "error: --parent: \"NYPS 1\": no such project\n",
        ),
        (
            add(&["--area", "skog", "--kind", "top-up"]),
            2,
            "error: --parent: a top-up names the project it tops up (--parent REF)\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:-5"]),
            2,
            "error: --funding: \"ERUF:eu:-5\": negative amounts are not accepted (a repayment is a payment of kind recovery)\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:1,234,567"]),
            2,
            "error: --funding: \"ERUF:eu:1,234,567\": ambiguous: ',' or '.' before three digits could be a thousands separator or a decimal mark; group thousands with spaces (1 234 567,50) or write no grouping (1234567.50)\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:12.345"]),
            2,
            "error: --funding: \"ERUF:eu:12.345\": ambiguous: ',' or '.' before three digits could be a thousands separator or a decimal mark; group thousands with spaces (1 234 567,50) or write no grouping (1234567.50)\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:2000000000000000"]),
            2,
            "error: --funding: \"ERUF:eu:2000000000000000\": larger than the maximum of 1 000 000 000 000 000 kr\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:"]),
            2,
            "error: --funding: \"ERUF:eu:\": an amount is required (expected e.g. 1 234 567,50)\n",
        ),
        (
            add(&["--area", "skog", "--funding", "ERUF:eu:tio"]),
            2,
            "error: --funding: \"ERUF:eu:tio\": not an amount (expected e.g. 1 234 567,50)\n",
        ),
        (
            add(&["--area", "skog", "--municipality", "Oslo"]),
            2,
            "error: --municipality: \"Oslo\": unknown municipality (known: Arvika, Eda, Filipstad, Forshaga, Grums, Hagfors, Hammarö, Karlstad, Kil, Kristinehamn, Munkfors, Storfors, Sunne, Säffle, Torsby, Årjäng)\n",
        ),
        (
            add(&["--area", "skog", "--municipality", "Karlstadt"]),
            2,
            "error: --municipality: \"Karlstadt\": unknown municipality (did you mean Karlstad?)\n",
        ),
        (
            add(&["--area", "skog", "--status", "approved"]),
            2,
            "error: --status: \"approved\": not a status (expected one of applied, prioritised, granted, ongoing, closed, rejected, withdrawn)\n",
        ),
        (
            add(&["--area", "skog", "--partner", "Ingen AB"]),
            2,
            "error: --partner: \"Ingen AB\": no such organisation\n  hint: `spets org add \"Ingen AB\" --kind ...` records it first\n",
        ),
        (add(&[]), 2, "error: --area is required (e.g. --area skog, or --area skog:60 --area halsa:40)\n"),
    ];
    for (args, code, expected) in cases {
        let before = env.dump();
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(env.fails(code, &argv), expected, "{argv:?}");
        assert_eq!(env.dump(), before, "{argv:?} changed the database");
    }
}

#[test]
fn an_unknown_owner_suggests_the_nearest_name() {
    let env = Env::with_project();
    let before = env.dump();
    assert_eq!(
        env.fails(2, &["project", "add", "1", "--title", "X", "--owner", "Karlstad universitet", "--area", "skog"]),
        "error: --owner: \"Karlstad universitet\": no such organisation\n  hint: did you mean \"Karlstads universitet\"? (`spets org list` shows them all)\n"
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn show_gives_each_area_its_exact_split_and_the_financing_plan() {
    let env = Env::with_project();
    env.ok(&["project", "edit", "20201234", "--funding", "ERUF:eu:1 000 000,01", "--funding", "Region:region:0,02"]);
    let csv = env.ok(&["project", "show", "20201234", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&csv).unwrap();
    let areas = &v["sections"]["areas"]["rows"];
    // 1 000 000,03 kr at 60/40: 600 000,018 and 400 000,012 -> 600 000,02 and 400 000,01.
    assert_eq!(areas[0]["area"], "halsa");
    assert_eq!(areas[0]["total"], "600000.02");
    assert_eq!(areas[1]["total"], "400000.01");
    // Each column also sums exactly: EU 1 000 000,01 and public 0,02 over the two areas,
    // every cell the floor or ceiling of its exact share, rows as above.
    assert_eq!((areas[0]["eu"].as_str(), areas[0]["public"].as_str()), (Some("600000.01"), Some("0.01")));
    assert_eq!((areas[1]["eu"].as_str(), areas[1]["public"].as_str()), (Some("400000.00"), Some("0.01")));
    assert_eq!(v["rows"][0]["total"], "1000000.03");
    assert_eq!(v["rows"][0]["eu"], "1000000.01");
    assert_eq!(v["rows"][0]["cofinancing_rate"], "100.00");
    assert_eq!(v["sections"]["funding"]["rows"][1]["amount"], "0.02");
}

#[test]
fn foreign_lines_keep_their_original_amount_and_rate() {
    let env = Env::with_project();
    env.ok(&[
        "project",
        "edit",
        "20201234",
        "--funding",
        "Interreg:eu:100 000,00:EUR:11.4525",
        "--funding",
        "Innlandet:region:50000:NOK:0.9812",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "show", "20201234", "--format", "json"])).unwrap();
    let lines = &v["sections"]["funding"]["rows"];
    assert_eq!(lines[0]["amount"], "1145250.00");
    assert_eq!(lines[0]["original"]["EUR"], "100000.00");
    assert_eq!(lines[0]["rate"], "11.4525");
    assert_eq!(lines[1]["amount"], "49060.00");
    assert_eq!(lines[1]["original"]["NOK"], "50000.00");
    assert_eq!(v["rows"][0]["total"], "1194310.00");
}

#[test]
fn edit_replaces_lists_and_clears_fields() {
    let env = Env::with_project();
    env.ok(&[
        "project",
        "edit",
        "20201234",
        "--partner",
        "Compare Karlstad",
        "--municipality",
        "Karlstad",
        "--notes",
        "x",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "show", "20201234", "--format", "json"])).unwrap();
    assert_eq!(v["rows"][0]["partners"], "Compare Karlstad");
    assert_eq!(v["rows"][0]["municipalities"], "Karlstad");
    env.ok(&["project", "edit", "20201234", "--clear", "partners", "--clear", "notes", "--clear", "end"]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "show", "20201234", "--format", "json"])).unwrap();
    assert_eq!(v["rows"][0]["partners"], "");
    assert_eq!(v["rows"][0]["notes"], serde_json::Value::Null);
    assert_eq!(v["rows"][0]["end"], serde_json::Value::Null);
    assert_eq!(v["rows"][0]["municipalities"], "Karlstad");
    let before = env.dump();
    assert_eq!(
        env.fails(2, &["project", "edit", "20201234", "--clear", "title"]),
        "error: --clear: \"title\": not a field that can be cleared (parent, programme, fund, decided, start, end, notes, municipalities, partners, funding)\n"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(env.fails(1, &["project", "edit", "NOPE", "--status", "closed"]), "error: no project NOPE\n");
}

#[test]
fn a_project_may_not_use_an_area_after_it_was_retired() {
    let env = Env::with_project();
    env.ok(&["area", "retire", "spel", "--date", "2019-12-31"]);
    let before = env.dump();
    assert_eq!(
        env.fails(
            2,
            &[
                "project",
                "add",
                "2",
                "--title",
                "X",
                "--owner",
                "Compare Karlstad",
                "--area",
                "spel",
                "--decided",
                "2020-01-01"
            ]
        ),
        "error: --area: area spel was retired after 2019-12-31\n"
    );
    assert_eq!(env.dump(), before);
    env.ok(&[
        "project",
        "add",
        "3",
        "--title",
        "X",
        "--owner",
        "Compare Karlstad",
        "--area",
        "spel",
        "--decided",
        "2019-12-31",
    ]);
}

/// `project add " R1 "` kept the spaces while import trimmed them, so re-importing the
/// database's own export added a second project and the summary rose from 500 to 600
/// kr. One normal form everywhere: trimmed, and Unicode NFC.
#[test]
fn a_reference_has_one_normal_form_whatever_the_input() {
    let env = Env::with_project();
    env.ok(&[
        "project",
        "add",
        " R1 ",
        "--title",
        "T",
        "--owner",
        "Compare Karlstad",
        "--area",
        "skog",
        "--funding",
        "ERUF:eu:100",
    ]);
    // "Å1" typed with a combining ring, then imported precomposed.
    env.ok(&[
        "project",
        "add",
        "A\u{30a}1",
        "--title",
        "T",
        "--owner",
        "Compare Karlstad",
        "--area",
        "skog",
        "--funding",
        "ERUF:eu:100",
    ]);
    let file = env.write(
        "p.csv",
        "ref,title,owner,areas,eu\nR1,T,Compare Karlstad,skog,100\n\u{c5}1,T,Compare Karlstad,skog,100\n",
    );
    let before = env.dump();
    env.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(env.dump(), before, "the import found both projects unchanged");
    let export = env.ok(&["export", "projects"]);
    let again = Env::new();
    let exported = again.write("e.csv", &export);
    again.ok(&["import", exported.to_str().unwrap()]);
    again.ok(&["import", exported.to_str().unwrap()]);
    assert_eq!(again.ok(&["export", "projects"]), export);
    let csv = env.ok(&["project", "list", "--status", "all", "--format", "csv"]);
    assert_eq!(csv.lines().filter(|l| l.starts_with("R1,") || l.starts_with("\u{c5}1,")).count(), 2, "{csv}");
    assert!(env.ok(&["project", "show", "  R1"]).contains("R1"));
}

/// `project add` without --status recorded `granted` with no decision date, counted in
/// the headline at once, and --help did not say so. Now a project without a decision
/// date is only applied for unless a status is given, and the confirmation says which.
#[test]
fn nothing_counts_by_accident() {
    let env = Env::with_project();
    let add = |r: &str, extra: &[&str]| {
        let mut a = vec![
            "project",
            "add",
            r,
            "--title",
            "T",
            "--owner",
            "Compare Karlstad",
            "--area",
            "skog",
            "--funding",
            "ERUF:eu:100",
        ];
        a.extend_from_slice(extra);
        env.ok(&a)
    };
    assert_eq!(add("A", &[]), "Added project A: T (100.00 kr), status applied: not counted as turned over.\n");
    assert_eq!(
        add("B", &["--decided", "2021-01-01"]),
        "Added project B: T (100.00 kr), status granted: counted as turned over.\n"
    );
    assert_eq!(
        add("C", &["--status", "ongoing"]),
        "Added project C: T (100.00 kr), status ongoing: counted as turned over.\n"
    );
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["report", "summary", "--format", "json"])).unwrap();
    // 20201234 (8 000 000 kr) + B + C.
    assert_eq!(summary["rows"][0]["projects"], 3);
    assert_eq!(summary["rows"][0]["total"], "8000200.00");
    let help = env.ok(&["project", "add", "--help"]);
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("A new project without --status is `granted` when --decided is given, else `applied`"),
        "{help}"
    );
}
