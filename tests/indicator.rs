//! Indicators (issue 14): the catalogue and the region's own codes, `indicator set`'s
//! checks, `report indicators` (summed only where values add up, split exactly), the
//! check rules, and import from CSV and through rules. Runs on either engine.

mod common;

use common::Env;

/// A database with three closed projects: P1 in skog 60 % / halsa 40 % (2020), P2 in
/// halsa (2021), P3 on the 2015 strategy's forest area (2017).
fn portfolio() -> Env {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["org", "add", "Karlstads universitet", "--kind", "university"]);
    for (r, areas, decided) in [
        ("P1", &["skog:60", "halsa:40"][..], "2020-02-01"),
        ("P2", &["halsa"][..], "2021-06-01"),
        ("P3", &["skog-2015"][..], "2017-01-01"),
    ] {
        let mut args =
            vec!["project", "add", r, "--title", "T", "--owner", "Karlstads universitet", "--decided", decided];
        for a in areas {
            args.extend(["--area", a]);
        }
        args.extend(["--status", "closed", "--funding", "ERUF:eu:1000"]);
        env.ok(&args);
    }
    env
}

fn csv_rows(out: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    r.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

#[test]
fn the_catalogue_knows_whether_a_code_may_be_summed_and_the_region_adds_its_own() {
    let env = portfolio();
    let rows = csv_rows(&env.ok(&["indicator", "catalogue", "--format", "csv"]));
    let row = |code: &str| rows.iter().find(|r| r[0] == code).cloned().unwrap();
    assert_eq!(row("RCO01")[2..], ["enterprises", "no", "ERDF"]);
    assert_eq!(row("RCR01")[2..], ["annual FTEs", "yes", "ERDF"]);
    assert_eq!(row("RCO58")[2..], ["km", "yes", "ERDF"]);
    assert_eq!(row("EECO01")[2..], ["persons", "yes", "ESF+"]);
    let sv = csv_rows(&env.ok(&["--lang", "sv", "indicator", "catalogue", "--format", "csv"]));
    let rco01 = sv.iter().find(|r| r[0] == "RCO01").unwrap();
    assert_eq!(rco01[2..4], ["företag", "nej"]);

    let before = env.dump();
    let err = env.fails(2, &["indicator", "define", "rco01", "--en", "X", "--sv", "X", "--unit", "x"]);
    assert!(err.starts_with("error: CODE: \"RCO01\": is a common indicator of the EU's catalogue (ERDF)"), "{err}");
    let err = env.fails(2, &["indicator", "define", "1X", "--en", "X", "--sv", "X", "--unit", "x"]);
    assert!(err.starts_with("error: CODE: \"1X\": not an indicator code"), "{err}");
    assert_eq!(env.dump(), before);

    assert_eq!(
        env.ok(&[
            "indicator",
            "define",
            "VLD01",
            "--en",
            "Testbeds opened",
            "--sv",
            "Öppnade testbäddar",
            "--unit",
            "testbäddar",
            "--summable"
        ]),
        "Defined indicator VLD01 (Testbeds opened).\n"
    );
    let rows = csv_rows(&env.ok(&["indicator", "catalogue", "--format", "csv"]));
    assert_eq!(rows.last().unwrap(), &["VLD01", "Testbeds opened", "testbäddar", "yes", "region"]);
    assert_eq!(
        env.ok(&[
            "indicator",
            "define",
            "VLD01",
            "--en",
            "Testbeds opened",
            "--sv",
            "Öppnade testbäddar",
            "--unit",
            "testbäddar",
            "--summable"
        ]),
        "Nothing to change for indicator VLD01.\n"
    );
    env.ok(&["audit", "verify"]);
}

#[test]
fn set_refuses_an_unknown_code_and_a_wrong_unit_and_keeps_the_catalogues_unit() {
    let env = portfolio();
    let before = env.dump();
    let err = env.fails(2, &["indicator", "set", "P1", "--code", "RCO99", "--target", "3"]);
    assert!(err.starts_with("error: --code: \"RCO99\": unknown indicator code (did you mean RCO"), "{err}");
    assert!(err.contains("hint: `spets indicator catalogue` lists the codes"), "{err}");
    let err = env.fails(2, &["indicator", "set", "P1", "--code", "RCR01", "--target", "3", "--unit", "persons"]);
    assert_eq!(
        err,
        "error: --unit: \"persons\": RCR01 is measured in annual FTEs (årsarbetskrafter), not \"persons\"\n"
    );
    assert_eq!(env.dump(), before);
    // The Swedish word is the same unit; `rcr 1` is RCR01.
    env.ok(&["indicator", "set", "P1", "--code", "rcr 1", "--target", "2,5", "--unit", "årsarbetskrafter"]);
    assert_eq!(
        env.ok(&["indicator", "list", "P1", "--format", "csv"]),
        "ref,code,name,unit,target,outcome\r\nP1,RCR01,,annual FTEs,2.5,\r\n"
    );
    assert_eq!(
        env.ok(&["--lang", "sv", "indicator", "list", "P1", "--format", "csv"]),
        "ref,code,name,unit,target,outcome\r\nP1,RCR01,,årsarbetskrafter,2.5,\r\n"
    );
}

#[test]
fn the_report_sums_what_may_be_summed_splits_it_exactly_and_never_adds_distinct_counts() {
    let env = portfolio();
    let set = |r: &str, code: &str, target: &str, outcome: Option<&str>| {
        let mut args = vec!["indicator", "set", r, "--code", code, "--target", target];
        if let Some(o) = outcome {
            args.extend(["--outcome", o]);
        }
        env.ok(&args);
    };
    set("P1", "RCR01", "5", Some("3"));
    set("P2", "RCR01", "2.5", Some("2.5"));
    set("P3", "RCR01", "1", None);
    set("P1", "RCO01", "10", Some("12"));
    set("P2", "RCO01", "4", Some("4"));
    set("P3", "RCO01", "7", Some("2"));

    let rows = csv_rows(&env.ok(&["report", "indicators", "--format", "csv"]));
    // RCO01: three projects, never summed (12 + 4 + 2 would count a shared firm twice).
    assert_eq!(rows[0][0], "RCO01");
    assert_eq!(rows[0][3..], ["3", "3", "", "", "", "outcome range 2–12"]);
    // RCR01: targets 5 + 2.5 + 1 = 8.5, outcomes 3 + 2.5 = 5.5, 5.5 / 8.5 = 64.71 %.
    assert_eq!(rows[1][0], "RCR01");
    assert_eq!(rows[1][3..], ["3", "2", "8.5", "5.5", "64.71", ""]);

    // By area: P1's 5 FTEs are 3 in skog and 2 in halsa (60/40 of whole units); its
    // outcome 3 is 2 and 1 (1.8 and 1.2, the larger remainder first). P3 stays on its
    // 2015 area.
    let by = csv_rows(&env.ok(&["report", "indicators", "--by", "area", "--format", "csv"]));
    let get = |rows: &[Vec<String>], area: &str, code: &str| {
        rows.iter().find(|r| r[0] == area && r[2] == code).cloned().unwrap_or_else(|| panic!("{area} {code}: {rows:?}"))
    };
    assert_eq!(get(&by, "skog", "RCR01")[5..9], ["1", "1", "3", "2"]);
    assert_eq!(get(&by, "halsa", "RCR01")[5..9], ["2", "2", "4.5", "3.5"]);
    assert_eq!(get(&by, "skog-2015", "RCR01")[5..9], ["1", "0", "1", "0"]);
    assert_eq!(get(&by, "halsa", "RCO01")[5..], ["2", "2", "", "", "", "outcome range 4–12"]);
    // Each summable code's split adds up to its total.
    let sum = |rows: &[Vec<String>], code: &str, col: usize| {
        rows.iter().filter(|r| r[2] == code).map(|r| r[col].parse::<f64>().unwrap_or(0.0) * 10.0).sum::<f64>().round()
    };
    assert_eq!((sum(&by, "RCR01", 7), sum(&by, "RCR01", 8)), (85.0, 55.0));

    // By the 2022 strategy's areas: forest-2015 goes to skog.
    let onto = csv_rows(&env.ok(&["report", "indicators", "--by", "strategy-area", "--format", "csv"]));
    assert_eq!(get(&onto, "skog", "RCR01")[5..9], ["2", "1", "4", "2"]);
    assert!(onto.iter().all(|r| r[0] != "skog-2015"));
    assert_eq!((sum(&onto, "RCR01", 7), sum(&onto, "RCR01", 8)), (85.0, 55.0));

    let sv = env.ok(&["--lang", "sv", "report", "indicators", "--by", "strategiområde"]);
    assert!(sv.starts_with("Indikatorer\nper: strategiområde\n"), "{sv}");

    // By year of decision.
    let years = csv_rows(&env.ok(&["report", "indicators", "--by", "year", "--format", "csv"]));
    let keys: Vec<&str> = years.iter().filter(|r| r[2] == "RCR01").map(|r| r[0].as_str()).collect();
    assert_eq!(keys, ["2017", "2020", "2021"]);

    // A filter narrows it like every report.
    let skog = csv_rows(&env.ok(&["report", "indicators", "--area", "skog", "--format", "csv"]));
    assert_eq!(skog[1][3..8], ["1", "1", "5", "3", "60.00"]);
}

#[test]
fn check_flags_a_closed_project_without_outcomes_and_a_value_in_another_unit() {
    let env = portfolio();
    env.ok(&[
        "indicator",
        "define",
        "VLD01",
        "--en",
        "Testbeds",
        "--sv",
        "Testbäddar",
        "--unit",
        "testbeds",
        "--summable",
    ]);
    env.ok(&["indicator", "set", "P1", "--code", "VLD01", "--target", "2", "--outcome", "2"]);
    env.ok(&["indicator", "set", "P2", "--code", "RCO01", "--target", "3"]);
    env.ok(&["indicator", "set", "P2", "--code", "RCR01", "--target", "1"]);
    // The region changes the code's unit: P1's value was recorded in the old one.
    env.ok(&["indicator", "define", "VLD01", "--en", "Testbeds", "--sv", "Testbäddar", "--unit", "beds", "--summable"]);
    let out = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let found: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("no-outcome") || l.starts_with("indicator-"))
        .map(str::to_string)
        .collect();
    assert_eq!(
        found,
        [
            "no-outcome,P2,\"closed, but no outcome is recorded for its target RCO01, RCR01\"",
            "indicator-unit,P1,\"VLD01 is recorded in \"\"testbeds\"\", but the code is measured in beds\"",
        ]
    );
}

#[test]
fn indicators_import_from_csv_checked_row_by_row_and_all_or_nothing() {
    let env = portfolio();
    let bad = env.write(
        "bad.csv",
        "ref,code,target,outcome,unit\n\
         P1,RCR01,4,,\n\
         P1,RCO99,1,,\n\
         P2,RCR01,2,1,persons\n\
         P9,RCO01,3,,\n\
         P1,RCR01,5,,\n\
         P2,RCO01,x,,\n",
    );
    let before = env.dump();
    let err = env.fails(1, &["import", bad.to_str().unwrap()]);
    for line in [
        "bad.csv:3: code: \"RCO99\": unknown indicator code RCO99",
        "bad.csv:4: unit: \"persons\": RCR01 is measured in annual FTEs (årsarbetskrafter), not \"persons\"",
        "bad.csv:5: ref: \"P9\": no such project",
        "bad.csv:6: code: \"RCR01\": project P1 has this code twice in the file",
        "bad.csv:7: target: \"x\": not a number",
    ] {
        assert!(err.contains(line), "{line}\n{err}");
    }
    assert_eq!(env.dump(), before);

    let good = env.write("good.csv", "ref,code,target,outcome\nP1,RCR01,\"4,5\",2\nP2,rco01,3,\nP3,EECO01,12,11\n");
    assert_eq!(
        env.ok(&["import", good.to_str().unwrap()]),
        format!("{}: 3 rows of indicators: added 3, updated 0, unchanged 0\n", good.display())
    );
    assert_eq!(
        env.ok(&["indicator", "list", "--format", "csv"]),
        "ref,code,name,unit,target,outcome\r\n\
         P1,RCR01,,annual FTEs,4.5,2\r\n\
         P2,RCO01,,enterprises,3,\r\n\
         P3,EECO01,,persons,12,11\r\n"
    );
    // Exported and imported again: nothing changes.
    let exported = env.ok(&["export", "indicators"]);
    let again = env.write("again.csv", &exported);
    let dump = env.dump();
    env.ok(&["import", again.to_str().unwrap()]);
    assert_eq!(env.dump(), dump);
    env.ok(&["audit", "verify"]);
}

#[test]
fn import_rules_read_indicators_from_a_foreign_files_columns() {
    let env = portfolio();
    let rules = env.write(
        "r.toml",
        "name = \"register\"\n\
         [fields]\nref = \"Dnr\"\ntitle = \"Namn\"\nowner = \"Ägare\"\neu = \"EU\"\nareas = \"Område\"\n\
         [[indicator]]\ncode = \"RCR01\"\ntarget = \"Jobb mål\"\noutcome = \"Jobb utfall\"\n\
         [[indicator]]\ncode = \"RCO01\"\ntarget = \"Företag mål\"\n",
    );
    let file = env.write(
        "reg.csv",
        "Dnr,Namn,Ägare,EU,Område,Jobb mål,Jobb utfall,Företag mål\n\
         R1,Ett,Karlstads universitet,100,skog,\"3,5\",1,8\n\
         R2,Två,Karlstads universitet,200,halsa,,,2\n",
    );
    env.ok(&["import", file.to_str().unwrap(), "--rules", rules.to_str().unwrap()]);
    assert_eq!(
        env.ok(&["indicator", "list", "--format", "csv"]),
        "ref,code,name,unit,target,outcome\r\n\
         R1,RCO01,,enterprises,8,\r\n\
         R1,RCR01,,annual FTEs,3.5,1\r\n\
         R2,RCO01,,enterprises,2,\r\n"
    );
    // A bad value is the file's cell, and nothing is written.
    let bad = env.write(
        "bad.csv",
        "Dnr,Namn,Ägare,EU,Område,Jobb mål,Jobb utfall,Företag mål\nR3,Tre,Karlstads universitet,1,skog,many,,\n",
    );
    let before = env.dump();
    let err = env.fails(1, &["import", bad.to_str().unwrap(), "--rules", rules.to_str().unwrap()]);
    assert!(err.contains("bad.csv:2: Jobb mål: \"many\": not a number"), "{err}");
    assert_eq!(env.dump(), before);
    // A code the rules misspell is refused when the rules are read.
    let wrong = env.write("w.toml", "name = \"w\"\n[fields]\nref = \"Dnr\"\ntitle = \"Namn\"\nowner = \"Ägare\"\neu = \"EU\"\nareas = \"Område\"\n[[indicator]]\ncode = \"9\"\ntarget = \"X\"\n");
    let err = env.fails(1, &["import", file.to_str().unwrap(), "--rules", wrong.to_str().unwrap()]);
    assert!(err.contains("indicator[0].code: \"9\": not an indicator code"), "{err}");
}

/// The sample's figures, computed from its file: every RCR01 target and outcome summed
/// (in tenths), RCO01 counted, never summed.
#[test]
fn the_sample_reports_its_indicators() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/indicators.csv")).unwrap();
    let tenths = |s: &str| -> i64 {
        let (i, f) = s.split_once('.').unwrap_or((s, "0"));
        i.parse::<i64>().unwrap() * 10 + f.parse::<i64>().unwrap()
    };
    let (mut target, mut outcome, mut projects, mut firms) = (0, 0, 0, 0);
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        match cells[1] {
            "RCR01" => {
                projects += 1;
                target += tenths(cells[2]);
                if !cells[3].is_empty() {
                    outcome += tenths(cells[3]);
                }
            }
            "RCO01" => firms += 1,
            _ => {}
        }
    }
    let env = Env::new();
    let rows = csv_rows(&env.ok(&["--sample", "report", "indicators", "--format", "csv"]));
    let jobs = rows.iter().find(|r| r[0] == "RCR01").unwrap();
    let shown = |s: &str| if s.contains('.') { tenths(s) } else { s.parse::<i64>().unwrap() * 10 };
    assert_eq!((jobs[3].parse::<i64>().unwrap(), shown(&jobs[5]), shown(&jobs[6])), (projects, target, outcome));
    let rco01 = rows.iter().find(|r| r[0] == "RCO01").unwrap();
    assert_eq!(rco01[3].parse::<i64>().unwrap(), firms);
    assert_eq!(rco01[5], "");
}
