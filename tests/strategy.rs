//! Strategies and the crosswalk (issue 14): Värmland's two strategies as data, the
//! decision-date rule, `strategy map`, and `--strategy` on the area reports, whose every
//! variant reconciles to the summary's total to the öre. Runs on either engine.

mod common;

use common::Env;

/// A Värmland database with an owner and three projects: one decided in 2017 on two
/// 2015 areas (forest 60 %, the horizontal theme 40 %), one decided in 2023 on a 2022
/// area, and one from 2019 on welfare services alone.
fn portfolio() -> Env {
    let env = Env::new();
    env.ok(&["init"]);
    env.ok(&["org", "add", "Karlstads universitet", "--kind", "university"]);
    let add = |r: &str, decided: &str, areas: &[&str], eu: &str, region: &str| {
        let mut args = vec!["project", "add", r, "--title", "T", "--owner", "Karlstads universitet"];
        for a in areas {
            args.extend(["--area", a]);
        }
        let (eu, region) = (format!("ERUF:eu:{eu}"), format!("Region Värmland:region:{region}"));
        args.extend(["--decided", decided, "--status", "closed", "--funding", &eu, "--funding", &region]);
        env.ok(&args);
    };
    add("A2017", "2017-03-01", &["skog-2015:60", "tjanster-2015:40"], "1000,01", "333,33");
    add("B2023", "2023-05-04", &["skog"], "500", "0");
    add("C2019", "2019-09-30", &["valfard-2015"], "200,03", "100");
    env
}

fn csv_rows(out: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_reader(out.as_bytes());
    r.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// Öre from a CSV amount such as `1234.56`.
fn ore(s: &str) -> i64 {
    let (kr, o) = s.split_once('.').unwrap_or((s, "0"));
    let sign = if kr.starts_with('-') { -1 } else { 1 };
    sign * (kr.trim_start_matches('-').parse::<i64>().unwrap() * 100 + o.parse::<i64>().unwrap())
}

#[test]
fn varmland_starts_with_both_strategies_and_the_crosswalk_by_name() {
    let env = Env::new();
    env.ok(&["init"]);
    assert_eq!(
        env.ok(&["strategy", "list", "--format", "csv"]),
        "strategy,title,valid_from,valid_to,areas,horizontal,replaced_by\r\n\
         2015,Värmland's research and innovation strategy for smart specialisation 2015–2020,2015-01-01,2020-12-31,5,1,2022\r\n\
         2022,Värmland's smart specialisation strategy 2022–2028,2022-01-01,2028-12-31,7,0,\r\n"
    );
    assert_eq!(
        env.ok(&["strategy", "show", "2015", "--format", "csv"]),
        "area,name,kind,continues_in\r\n\
         skog-2015,Forest-based bioeconomy,area,skog:100\r\n\
         valfard-2015,Digitalisation of welfare services,area,halsa:100\r\n\
         tillverkning-2015,Advanced manufacturing and complex systems,area,tillverkning:100\r\n\
         upplevelser-2015,\"Nature, culture and place-based digitalised experiences\",area,plats:100\r\n\
         solceller-2015,Systems solutions with photovoltaics,area,solel:100\r\n\
         tjanster-2015,Value-creating services,horizontal theme,\r\n"
    );
    let sv = env.ok(&["--lang", "sv", "strategy", "show", "2015", "--format", "csv"]);
    assert!(sv.contains("skog-2015,Skogsbaserad bioekonomi,område,skog:100\r\n"), "{sv}");
    assert!(sv.contains("tjanster-2015,Värdeskapande tjänster,horisontellt tema,\r\n"), "{sv}");
    env.ok(&["audit", "verify"]);
}

#[test]
fn a_project_decided_after_its_strategy_was_replaced_cannot_use_its_areas() {
    let env = portfolio();
    let before = env.dump();
    let err = env.fails(
        2,
        &[
            "project",
            "add",
            "D2022",
            "--title",
            "T",
            "--owner",
            "Karlstads universitet",
            "--area",
            "skog-2015",
            "--decided",
            "2022-01-01",
        ],
    );
    assert_eq!(
        err,
        "error: --area: area skog-2015 belongs to strategy 2015 (2015–2020), which strategy 2022 replaced on 2022-01-01; give a project decided on 2022-01-01 areas of strategy 2022 (`spets strategy show 2022`)\n"
    );
    // Moving a 2017 project's decision past the replacement is refused the same way.
    let err = env.fails(2, &["project", "edit", "A2017", "--decided", "2024-02-02"]);
    assert!(err.starts_with("error: --area: area skog-2015 belongs to strategy 2015"), "{err}");
    assert_eq!(env.dump(), before);
    // The day before, the older strategy is still in force.
    env.ok(&["project", "edit", "A2017", "--decided", "2021-12-31"]);
    // An import reports the row and writes nothing.
    let file = env
        .write("p.csv", "ref,title,owner,areas,decided,eu\nE1,T,Karlstads universitet,solceller-2015,2023-01-01,10\n");
    let before = env.dump();
    let err = env.fails(1, &["import", file.to_str().unwrap()]);
    assert!(err.contains("p.csv:2: areas: \"solceller-2015\": area solceller-2015 belongs to strategy 2015"), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn every_variant_of_the_area_report_reconciles_to_the_summary_and_splits_by_the_crosswalk() {
    let env = portfolio();
    // 1000.01 + 333.33 + 500 + 200.03 + 100 kr, as the summary has it.
    let total = 100_001 + 33_333 + 50_000 + 20_003 + 10_000;
    let summary = env.ok(&["report", "summary", "--format", "csv"]);
    assert_eq!(ore(&csv_rows(&summary)[0][1]), total);

    // Without --strategy: each project on its own strategy's areas, with the strategy.
    let own = csv_rows(&env.ok(&["report", "areas", "--format", "csv"]));
    let row = |rows: &[Vec<String>], code: &str| rows.iter().find(|r| r[0] == code).cloned().unwrap();
    assert_eq!(row(&own, "skog")[1], "2022");
    assert_eq!(row(&own, "skog-2015")[1], "2015");
    // A2017's 1333.34 kr: 60 % is 800.004 → 800.00, 40 % is 533.336 → 533.34 (larger remainder).
    assert_eq!(ore(&row(&own, "skog-2015")[4]), 80_000);
    assert_eq!(ore(&row(&own, "tjanster-2015")[4]), 53_334);
    assert_eq!(ore(&row(&own, "valfard-2015")[4]), 30_003);
    assert_eq!(own.iter().map(|r| ore(&r[4])).sum::<i64>(), total);
    // An area of the older strategy with nothing in it is left out.
    assert!(own.iter().all(|r| r[0] != "solceller-2015"));

    // --strategy 2022: the 2015 areas on their successors; the theme stays, labelled.
    let on = csv_rows(&env.ok(&["report", "areas", "--strategy", "2022", "--format", "csv"]));
    assert_eq!(ore(&row(&on, "skog")[3]), 80_000 + 50_000);
    assert_eq!(row(&on, "skog")[2], "2");
    assert_eq!(ore(&row(&on, "halsa")[3]), 30_003);
    let theme = row(&on, "tjanster-2015");
    assert_eq!(theme[1], "Value-creating services (strategy 2015; no successor in 2022)");
    assert_eq!(ore(&theme[3]), 53_334);
    assert_eq!(on.iter().map(|r| ore(&r[3])).sum::<i64>(), total);
    assert!(on.iter().all(|r| r[0] != "skog-2015"));

    // A crosswalk with shares: 70 % skog, 30 % livsmedel; 800.00 kr → 560.00 + 240.00,
    // and the EU part 600.006 kr (60 % of 1000.01) → 420.00 + 180.00, each column exact.
    env.ok(&["strategy", "map", "skog-2015", "skog:70", "livsmedel:30"]);
    let on = csv_rows(&env.ok(&["report", "areas", "--strategy", "2022", "--format", "csv"]));
    assert_eq!(ore(&row(&on, "skog")[3]), 56_000 + 50_000);
    assert_eq!(ore(&row(&on, "livsmedel")[3]), 24_000);
    for r in &on {
        let parts: i64 = (4..=7).map(|i| ore(&r[i])).sum();
        assert_eq!(parts, ore(&r[3]), "{r:?}");
    }
    assert_eq!(on.iter().map(|r| ore(&r[3])).sum::<i64>(), total);
    // Years by area reconcile too.
    let years = csv_rows(&env.ok(&["report", "years", "--by", "area", "--strategy", "2022", "--format", "csv"]));
    assert_eq!(years.iter().map(|r| ore(r.last().unwrap())).sum::<i64>(), total);

    // --strategy 2015: the 2022 areas have no way back; they stay rows of their own.
    let back = csv_rows(&env.ok(&["report", "areas", "--strategy", "2015", "--format", "csv"]));
    assert_eq!(row(&back, "skog")[1], "Forest-based bioeconomy (strategy 2022; no successor in 2015)");
    assert_eq!(back.iter().map(|r| ore(&r[3])).sum::<i64>(), total);

    let err = env.fails(2, &["report", "areas", "--strategy", "2030"]);
    assert_eq!(err, "error: --strategy: \"2030\": no such strategy (known: 2015, 2022)\n");
}

#[test]
fn the_crosswalk_is_data_in_the_history_and_refuses_what_cannot_be() {
    let env = portfolio();
    let before = env.dump();
    for (args, message) in [
        (
            &["strategy", "map", "skog-2015", "skog:70", "livsmedel:20"][..],
            "error: AREA[:SHARE]: \"skog:70 livsmedel:20\": shares sum to 90 %, not 100 %\n",
        ),
        (
            &["strategy", "map", "skog", "skog-2015"][..],
            "error: AREA[:SHARE]: \"skog-2015\": an area continues only in areas of a later strategy than its own (2022)\n",
        ),
        (&["strategy", "map", "nowhere", "skog"][..], "error: AREA: \"nowhere\": unknown area"),
    ] {
        let err = env.fails(2, args);
        assert!(err.starts_with(message), "{err}");
    }
    assert_eq!(env.dump(), before);
    assert_eq!(env.ok(&["strategy", "map", "skog-2015", "skog"]), "Unchanged: skog-2015 continues in skog.\n");
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.ok(&["strategy", "map", "skog-2015", "skog:70", "livsmedel:30"]),
        "skog-2015 continues in skog 70 %, livsmedel 30 %.\n"
    );
    assert_eq!(env.ok(&["strategy", "map", "skog-2015"]), "skog-2015 has no successor.\n");
    let log = env.ok(&["audit", "log", "--format", "csv"]);
    let crosswalk: Vec<&str> = log.lines().filter(|l| l.contains(",crosswalk,")).collect();
    // Five seeded, then skog-2015's row edited, one added, and both removed.
    assert_eq!(crosswalk.len(), 5 + 2 + 2, "{log}");
    env.ok(&["audit", "verify"]);
    // Without a successor, the area is a row of its own again.
    let on = env.ok(&["report", "areas", "--strategy", "2022", "--format", "csv"]);
    assert!(on.contains("skog-2015,Forest-based bioeconomy (strategy 2015; no successor in 2022),"), "{on}");
}

#[test]
fn a_strategy_is_added_named_by_its_first_year_and_areas_join_it() {
    let env = Env::new();
    env.ok(&["init"]);
    assert_eq!(
        env.ok(&[
            "strategy",
            "add",
            "2029",
            "--sv",
            "Strategi 2029–2035",
            "--en",
            "Strategy 2029–2035",
            "--to",
            "2035-12-31"
        ]),
        "Added strategy 2029 (Strategy 2029–2035).\n"
    );
    let before = env.dump();
    assert_eq!(
        env.fails(2, &["strategy", "add", "29", "--sv", "S", "--en", "S"]),
        "error: NAME: \"29\": a strategy is named by its first year (e.g. 2022)\n"
    );
    assert_eq!(
        env.fails(1, &["strategy", "add", "2029", "--sv", "S", "--en", "S"]),
        "error: strategy 2029 already exists\n"
    );
    assert_eq!(env.dump(), before);
    // A new area joins the newest strategy unless told otherwise, and may reuse a name
    // another strategy has.
    env.ok(&["area", "add", "rymd", "--sv", "Rymdteknik", "--en", "Space technology"]);
    env.ok(&["area", "add", "skog-2029", "--sv", "Skoglig bioekonomi", "--en", "Forest-based bioeconomy"]);
    env.ok(&["area", "add", "hav", "--sv", "Havet", "--en", "The sea", "--strategy", "2022"]);
    let areas = env.ok(&["area", "list", "--format", "csv"]);
    assert!(areas.contains("\r\nrymd,2029,Rymdteknik,") && areas.contains("\r\nhav,2022,Havet,"), "{areas}");
    assert_eq!(
        env.fails(1, &["area", "add", "skog2", "--sv", "Skoglig bioekonomi", "--en", "X", "--strategy", "2022"]),
        "error: area Swedish name \"Skoglig bioekonomi\" is already used by area skog\n"
    );
    env.ok(&["strategy", "map", "skog", "skog-2029"]);
    let list = env.ok(&["strategy", "list", "--format", "csv"]);
    assert!(
        list.contains("\r\n2022,Värmland's smart specialisation strategy 2022–2028,2022-01-01,2028-12-31,8,0,2029\r\n"),
        "{list}"
    );
    env.ok(&["audit", "verify"]);
}
