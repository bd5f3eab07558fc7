//! `spets import`: all or nothing, every bad row reported, re-import a no-op, dry runs,
//! delimiters, BOMs and encodings.

mod common;

use common::Env;

const GOOD: &str = "\
ref,title,owner,owner_org_no,owner_kind,areas,eu,region,decided,municipalities,partners
20201234,Digital vård,Karlstads universitet,202100-3153,university,halsa:60|spel:40,4000000,3 000 000,2020-05-04,Karlstad|Hammarö,Compare Karlstad
20211111,\"Solel, fas 2\",Compare Karlstad,,cluster,solel,\"1 000 000,50\",,2021-02-01,,
";

fn import(env: &Env, name: &str, content: &str, extra: &[&str]) -> String {
    let path = env.write(name, content);
    let mut args = vec!["import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    env.ok(&args)
}

#[test]
fn a_good_file_is_imported_and_importing_it_again_changes_nothing() {
    let env = Env::new();
    assert_eq!(
        import(&env, "p.csv", GOOD, &[]),
        format!(
            "{}: 2 rows of projects: added 2, updated 0, unchanged 0; 2 new organisations\n\
             New organisations: Karlstads universitet (university), Compare Karlstad (cluster)\n",
            env.path("p.csv").display()
        )
    );
    let after_first = env.dump();
    assert_eq!(
        import(&env, "p.csv", GOOD, &[]),
        format!("{}: 2 rows of projects: added 0, updated 0, unchanged 2\n", env.path("p.csv").display())
    );
    assert_eq!(env.dump(), after_first, "re-importing wrote something");
    let csv = env.ok(&["project", "list", "--format", "csv"]);
    assert_eq!(
        csv,
        "ref,title,owner,kind,status,decided,areas,total,eu\r\n\
         20201234,Digital vård,Karlstads universitet,project,granted,2020-05-04,halsa:60|spel:40,7000000.00,4000000.00\r\n\
         20211111,\"Solel, fas 2\",Compare Karlstad,project,granted,2021-02-01,solel,1000000.50,1000000.50\r\n"
    );
}

#[test]
fn a_file_with_any_bad_row_changes_nothing_and_every_bad_row_is_reported() {
    let env = Env::new();
    import(&env, "good.csv", GOOD, &[]);
    let before = env.dump();
    let bad = "\
ref,title,owner,areas,eu,decided,start,end,status,municipalities,owner_org_no,kind,parent
30000001,Fine,Ny AB,skog,100,2022-01-01,,,,,,,
30000002,Bad amount,Ny AB,skog,\"12,5x\",2022-01-01,,,,,,,
30000003,Bad area,Ny AB,skgo,100,2022-01-01,,,,,,,
30000004,Bad shares,Ny AB,skog:60|halsa:30,100,2022-01-01,,,,,,,
30000005,Bad date,Ny AB,skog,100,2023-02-30,,,,,,,
30000006,Bad order,Ny AB,skog,100,,2022-06-01,2022-01-01,,,,,
30000007,Bad status,Ny AB,skog,100,,,,approved,,,,
30000008,Bad municipality,Ny AB,skog,100,,,,,Oslo,,,
30000009,Bad org no,Other AB,skog,100,,,,,,556677-8890,,
30000010,,Ny AB,skog,-5,,,,,,,,
30000011,Orphan,Ny AB,skog,1,,,,,,,top-up,NOPE
30000001,Twice,Ny AB,skog,100,2022-01-01,,,,,,,
30000012,Short row
";
    let path = env.write("bad.csv", bad);
    let err = env.fails(1, &["import", path.to_str().unwrap()]);
    let f = path.display();
    let expected = [
        format!("{f}:3: eu: \"12,5x\": not an amount (expected e.g. 1 234 567,50)"),
        format!("{f}:4: areas: \"skgo\": unknown area (did you mean skog?)"),
        format!("{f}:5: areas: \"skog:60|halsa:30\": shares sum to 90 %, not 100 %"),
        format!("{f}:6: decided: \"2023-02-30\": no such day: 2023-02 has 28 days"),
        format!("{f}:7: end: \"2022-01-01\": ends before it starts (2022-06-01)"),
        format!(
            "{f}:8: status: \"approved\": not a status (expected one of applied, prioritised, granted, ongoing, closed, rejected, withdrawn)"
        ),
        format!(
            "{f}:9: municipalities: \"Oslo\": unknown municipality (known: Arvika, Eda, Filipstad, Forshaga, Grums, Hagfors, Hammarö, Karlstad, Kil, Kristinehamn, Munkfors, Storfors, Sunne, Säffle, Torsby, Årjäng)"
        ),
        format!("{f}:10: owner_org_no: \"556677-8890\": check digit is 0, expected 9: a digit is mistyped"),
        format!("{f}:11: title: \"\": a title is required"),
        format!("{f}:11: eu: \"-5\": negative amounts are not accepted (a repayment is a payment of kind recovery)"),
        // In line order, though a parent is checked after the whole file.
        format!("{f}:12: parent: \"NOPE\": project 30000011 names a parent, NOPE, that does not exist"),
        format!("{f}:13: ref: \"30000001\": appears more than once in this file"),
        format!("{f}:14: 2 cells where the header has 13 (a `,` inside a cell must be in double quotes)"),
        format!("error: {f}: 13 problems; nothing was imported"),
    ];
    assert_eq!(err, expected.join("\n") + "\n");
    assert_eq!(env.dump(), before, "a file with bad rows changed the database");
}

#[test]
fn the_list_of_bad_rows_is_capped() {
    let env = Env::new();
    let mut body = String::from("ref,title,owner,areas,eu\n");
    for i in 0..150 {
        body.push_str(&format!("{i},T,O,skog,x{i}\n"));
    }
    let path = env.write("many.csv", &body);
    let err = env.fails(1, &["import", path.to_str().unwrap()]);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 102);
    assert_eq!(lines[100], "… and 50 more");
    assert_eq!(lines[101], format!("error: {}: 150 problems; nothing was imported", path.display()));
}

#[test]
fn a_dry_run_reports_what_would_change_and_writes_nothing() {
    let env = Env::new();
    let path = env.write("p.csv", GOOD);
    assert_eq!(
        env.ok(&["import", path.to_str().unwrap(), "--dry-run"]),
        format!(
            "{}: 2 rows of projects: would add 2, would update 0, unchanged 0; 2 new organisations (dry run: nothing was written)\n\
             New organisations: Karlstads universitet (university), Compare Karlstad (cluster)\n\
             New projects:\n  20201234  Digital vård\n  20211111  Solel, fas 2\n",
            path.display()
        )
    );
    assert!(!env.db.exists(), "a dry run created the database");
    env.ok(&["import", path.to_str().unwrap()]);
    let before = env.dump();
    let changed = GOOD.replace("Digital vård", "Digital vård i hemmet");
    let path = env.write("p2.csv", &changed);
    assert_eq!(
        env.ok(&["import", path.to_str().unwrap(), "--dry-run"]),
        format!(
            "{}: 2 rows of projects: would add 0, would update 1, unchanged 1 (dry run: nothing was written)\n\
             Changed projects:\n  20201234\n    title: Digital vård → Digital vård i hemmet\n",
            path.display()
        )
    );
    assert_eq!(env.dump(), before);
}

#[test]
fn semicolons_and_byte_order_marks_are_understood() {
    let env = Env::new();
    let semi = "\u{feff}ref;title;owner;areas;eu;region\r\n20201234;\"Vård; digital\";Region Värmland;halsa;1234567,50;1 000\r\n";
    import(&env, "semi.csv", semi, &[]);
    let plain = "ref,title,owner,areas,eu\n20201235,Utan BOM,Region Värmland,skog,10\n";
    import(&env, "plain.csv", plain, &[]);
    assert_eq!(
        env.ok(&["project", "list", "--format", "csv"]),
        "ref,title,owner,kind,status,decided,areas,total,eu\r\n\
         20201234,Vård; digital,Region Värmland,project,granted,,halsa,1235567.50,1234567.50\r\n\
         20201235,Utan BOM,Region Värmland,project,granted,,skog,10.00,10.00\r\n"
    );
}

#[test]
fn a_header_must_name_known_columns() {
    let env = Env::new();
    let path = env.write("h.csv", "ref,title,owner,areas,budget\n1,T,O,skog,5\n");
    assert_eq!(
        env.fails(1, &["import", path.to_str().unwrap()]),
        format!(
            "{0}:1: unknown column \"budget\" (the known columns are: ref, title, owner, owner_org_no, owner_kind, kind, parent, programme, fund, status, decided, start, end, municipalities, areas, partners, eu, state, region, municipality, university, private, other, currency, rate, notes, overrun, source, source_id)\n\
             error: {0}: 1 problem; nothing was imported\n  \
             hint: a file in another layout is read through import rules: spets rules list\n",
            path.display()
        )
    );
    let path = env.write("h2.csv", "ref,owner,areas,eu\n1,O,skog,5\n");
    assert_eq!(
        env.fails(1, &["import", path.to_str().unwrap(), "--table", "projects"]),
        format!(
            "{0}:1: the required column \"title\" is missing\nerror: {0}: 1 problem; nothing was imported\n",
            path.display()
        )
    );
    assert!(!env.db.exists());
}

#[test]
fn a_parent_may_come_later_in_the_same_file() {
    let env = Env::new();
    let body = "ref,title,owner,areas,eu,kind,parent\n2,Tillägg,O,skog,5,top-up,1\n1,Huvud,O,skog,10,,\n";
    import(&env, "p.csv", body, &[]);
    assert!(env.ok(&["project", "show", "2"]).contains("Parent                1\n"));
}

/// Into an empty database the import skips looking references up; a reference given
/// twice is still refused (by the unique index), with the same message.
#[test]
fn a_reference_twice_is_refused_in_an_empty_database_too() {
    let env = Env::new();
    let path = env.write("twice.csv", "ref,title,owner,areas,eu\n1,A,O,skog,1\n2,B,O,skog,1\n1,C,O,skog,1\n");
    assert_eq!(
        env.fails(1, &["import", path.to_str().unwrap()]),
        format!(
            "{0}:4: ref: \"1\": appears more than once in this file\nerror: {0}: 1 problem; nothing was imported\n",
            path.display()
        )
    );
    assert_eq!(
        env.ok(&["project", "list", "--format", "csv"]),
        "ref,title,owner,kind,status,decided,areas,total,eu\r\n"
    );
}

/// A financing plan line by line: several funders of one kind, contributions in kind,
/// EUR and NOK lines with their rate and its date; the SEK value is computed once and
/// kept beside the original, and currencies are never added together.
#[test]
fn funding_lines_replace_a_projects_plan() {
    let env = Env::with_project();
    let plan = env.write(
        "funding.csv",
        "ref,funder,kind,amount,currency,rate,rate_date,in_kind\n\
         20201234,Interreg Sverige-Norge,eu,\"100 000,00\",EUR,\"11,4525\",2020-05-04,\n\
         20201234,Innlandet fylkeskommune,region,50000,NOK,0.9812,2020-05-04,\n\
         20201234,Region Värmland,region,300000,,,,\n\
         20201234,Karlstads kommun,municipality,100000,,,,\n\
         20201234,Hammarö kommun,municipality,50000,,,,\n\
         20201234,Karlstads universitet,university,80000,SEK,,,yes\n",
    );
    assert_eq!(
        env.ok(&["import", plan.to_str().unwrap()]),
        format!("{}: 6 rows of funding lines: added 0, updated 1, unchanged 0\n", plan.display())
    );
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "show", "20201234", "--format", "json"])).unwrap();
    let lines = &show["sections"]["funding"]["rows"];
    assert_eq!(lines[0]["amount"], "1145250.00");
    assert_eq!(lines[0]["original"]["EUR"], "100000.00");
    assert_eq!((lines[0]["rate"].as_str(), lines[0]["rate_date"].as_str()), (Some("11.4525"), Some("2020-05-04")));
    assert_eq!(lines[1]["amount"], "49060.00");
    assert_eq!(lines[5]["in_kind"], "in kind");
    assert_eq!(show["rows"][0]["total"], "1724310.00");
    let funders = env.ok(&["report", "funders", "--format", "csv"]);
    assert!(funders.contains("EU,Interreg Sverige-Norge,1,1145250.00,EUR 100000.00,66.42\r\n"), "{funders}");
    assert!(funders.contains("region,Innlandet fylkeskommune,1,49060.00,NOK 50000.00,2.85\r\n"), "{funders}");
    assert!(funders.contains("municipality,Karlstads kommun,1,100000.00,,5.80\r\n"), "{funders}");
    let after = env.dump();
    env.ok(&["import", plan.to_str().unwrap()]);
    assert_eq!(env.dump(), after, "re-importing the plan wrote something");
}

#[test]
fn bad_funding_lines_are_all_reported_and_nothing_changes() {
    let env = Env::with_project();
    let before = env.dump();
    let bad = env.write(
        "bad.csv",
        "ref,funder,kind,amount,currency,rate,rate_date,in_kind\n\
         NOPE,X,eu,1,,,,\n\
         20201234,,eu,1,,,,\n\
         20201234,X,bank,1,,,,\n\
         20201234,X,eu,1,EUR,,,\n\
         20201234,X,eu,1,,11.2,,\n\
         20201234,X,eu,1,DOLLAR,1.1,,\n\
         20201234,X,eu,1,,,,maybe\n\
         20201234,X,eu,1,EUR,1.1,2020-02-30,\n",
    );
    let f = bad.display();
    assert_eq!(
        env.fails(1, &["import", bad.to_str().unwrap()]),
        format!(
            "{f}:2: ref: \"NOPE\": no such project (import the projects file first)\n\
             {f}:3: funder: \"\": a funder is required\n\
             {f}:4: kind: \"bank\": not a funder kind (expected one of eu, state, region, municipality, university, private, other)\n\
             {f}:5: rate: \"\": an amount in EUR needs its rate\n\
             {f}:6: rate: \"11.2\": a line in SEK has no rate\n\
             {f}:7: currency: \"DOLLAR\": not a currency code (expected e.g. SEK, EUR or NOK)\n\
             {f}:8: in_kind: \"maybe\": expected yes or no\n\
             {f}:9: rate_date: \"2020-02-30\": no such day: 2020-02 has 29 days\n\
             error: {f}: 8 problems; nothing was imported\n"
        )
    );
    assert_eq!(env.dump(), before);
}

/// A file saved by Excel in Sweden: Windows-1252, semicolons, decimal commas.
#[test]
fn windows_1252_needs_saying_and_then_reads_swedish_letters() {
    let env = Env::new();
    let mut bytes = b"ref;title;owner;areas;eu;municipalities\r\n".to_vec();
    bytes.extend(b"2020-1;R\xe4ksm\xf6rg\xe5s i \xc5rj\xe4ng;\xd6stra V\xe4rmlands AB;h\xe4lsa;1 234,56;\xc5rj\xe4ng|S\xe4ffle\r\n");
    let path = env.write("excel.csv", &bytes);
    assert_eq!(
        env.fails(1, &["import", path.to_str().unwrap()]),
        format!(
            "{0}:2: not valid UTF-8 text\n\
             error: {0}: 1 problem; nothing was imported\n  \
             hint: a file saved by Excel in Sweden is often Windows-1252: try --encoding windows-1252\n",
            path.display()
        )
    );
    env.ok(&["import", path.to_str().unwrap(), "--encoding", "windows-1252"]);
    assert_eq!(
        env.ok(&["project", "list", "--format", "csv"]),
        "ref,title,owner,kind,status,decided,areas,total,eu\r\n2020-1,Räksmörgås i Årjäng,Östra Värmlands AB,project,granted,,halsa,1234.56,1234.56\r\n"
    );
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "show", "2020-1", "--format", "json"])).unwrap();
    assert_eq!(show["rows"][0]["municipalities"], "Säffle, Årjäng");
}

/// Dates outside 1900–2999 gave `database error: CHECK constraint failed`, hid every
/// other bad row of the file and exited 1; they are bad values like any other.
#[test]
fn a_date_out_of_range_is_a_bad_value_reported_with_the_others() {
    let env = Env::with_project();
    let file = env.write(
        "p.csv",
        "ref,title,owner,areas,eu,decided\nA,T,O,skog,10,1850-01-01\nB,T,O,skgo,10,2020-01-01\nC,T,O,skog,10,3001-05-05\n",
    );
    let before = env.dump();
    let err = env.fails(1, &["import", file.to_str().unwrap()]);
    let f = file.display();
    assert!(err.starts_with(&format!(
        "{f}:2: decided: \"1850-01-01\": year 1850 is out of range (spets keeps dates from 1900-01-01 to 2999-12-31)\n{f}:3: areas: \"skgo\": unknown area (did you mean skog?)\n{f}:4: decided: \"3001-05-05\": year 3001 is out of range"
    )), "{err}");
    assert_eq!(env.dump(), before);
    let err = env.fails(
        2,
        &[
            "project",
            "add",
            "D",
            "--title",
            "T",
            "--owner",
            "Compare Karlstad",
            "--area",
            "skog",
            "--decided",
            "1066-10-14",
        ],
    );
    assert_eq!(
        err,
        "error: --decided: \"1066-10-14\": year 1066 is out of range (spets keeps dates from 1900-01-01 to 2999-12-31)\n"
    );
    assert_eq!(env.dump(), before);
}

/// `A` a top-up of `B` and `B` a top-up of `A` were accepted (summary: "0 projects,
/// 200 kr") and neither could be removed. A parent must exist, in the database or the
/// same file, and must not itself be a top-up.
#[test]
fn top_ups_form_no_cycles() {
    let env = Env::with_project();
    let file = env.write(
        "p.csv",
        "ref,title,owner,areas,eu,kind,parent\nA,T,O,skog,100,top-up,B\nB,T,O,skog,100,top-up,A\nC,T,O,skog,100,top-up,D\nD,T,O,skog,100,project,\n",
    );
    let before = env.dump();
    let err = env.fails(1, &["import", file.to_str().unwrap()]);
    let f = file.display();
    assert!(
        err.starts_with(&format!(
            "{f}:2: parent: \"B\": A and B would be top-ups of each other\n{f}:3: parent: \"A\": B and A would be top-ups of each other\nerror: "
        )),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    env.ok(&[
        "project",
        "add",
        "T1",
        "--title",
        "T",
        "--owner",
        "Compare Karlstad",
        "--area",
        "skog",
        "--kind",
        "top-up",
        "--parent",
        "20201234",
    ]);
    let before = env.dump();
    let err = env.fails(
        1,
        &[
            "project",
            "add",
            "T2",
            "--title",
            "T",
            "--owner",
            "Compare Karlstad",
            "--area",
            "skog",
            "--kind",
            "top-up",
            "--parent",
            "T1",
        ],
    );
    assert_eq!(err, "error: its parent T1 is itself a top-up (of 20201234): a top-up tops up a project\n");
    let err = env.fails(1, &["project", "edit", "20201234", "--kind", "top-up", "--parent", "T1"]);
    assert_eq!(err, "error: 20201234 and T1 would be top-ups of each other\n");
    assert_eq!(env.dump(), before);
}

/// Amounts up to 10^15 kr are accepted, but about 93 of them made every report fail
/// with `database error: integer overflow`. The portfolio's sums are now limited when
/// writing, so a report of data spets accepted never fails.
#[test]
fn no_sum_overflows_a_report() {
    let env = Env::new();
    let rows = |n: usize| {
        let mut f = String::from("ref,title,owner,areas,eu,region,decided\n");
        for i in 0..n {
            f.push_str(&format!(
                "R{i},T,O,skog:33.33|halsa:66.67,1000000000000000,999999999999999.99,2020-01-0{}\n",
                1 + i % 9
            ));
        }
        f
    };
    let big = env.write("big.csv", rows(6));
    let err = env.fails(1, &["import", big.to_str().unwrap()]);
    assert_eq!(
        err,
        "error: with this change the recorded projects' totals would add up to more than 10,000,000,000,000,000.00 kr, more than spets can sum exactly; nothing was written\n"
    );
    assert_eq!(
        env.ok(&["project", "list", "--status", "all", "--format", "csv"]).lines().count(),
        1,
        "nothing imported"
    );
    let fits = env.write("fits.csv", rows(4));
    env.ok(&["import", fits.to_str().unwrap()]);
    for report in ["summary", "areas", "years", "funders", "orgs", "actors", "municipalities", "status"] {
        let out = env.ok(&["report", report, "--status", "all", "--format", "csv"]);
        assert!(!out.is_empty(), "{report}");
    }
    // 4 × (10^15 + 10^15 − 0.01) kr, summed independently.
    let expected: i128 = 4 * (100_000_000_000_000_000i128 + 99_999_999_999_999_999);
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["report", "summary", "--format", "json"])).unwrap();
    assert_eq!(summary["rows"][0]["total"], format!("{}.{:02}", expected / 100, expected % 100));
}

/// A row with `currency = EUR, rate = 11.2` turned its SEK `region` amount of 300 000
/// into EUR (3 360 000 kr). `currency`/`rate` are the eu amount's; every other amount
/// is SEK unless its cell names its own currency, which then needs the row's rate.
#[test]
fn the_currency_belongs_to_the_eu_amount_not_the_row() {
    let env = Env::new();
    let file = env.write(
        "p.csv",
        "ref,title,owner,areas,eu,region,private,currency,rate\n\
         X1,T,O,skog,100 000,300 000,27 000 EUR,EUR,\"11,2\"\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let funding = env.ok(&["export", "funding"]);
    let kinds: Vec<String> =
        funding.lines().skip(1).map(|l| l.split(',').skip(2).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(kinds, ["eu,100000.00,EUR,11.2,,", "region,300000.00,,,,", "private,27000.00,EUR,11.2,,"], "{funding}");
    // 100 000 EUR × 11.2 = 1 120 000 kr; 300 000 kr as given; 27 000 EUR × 11.2 = 302 400 kr.
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["report", "summary", "--format", "json"])).unwrap();
    assert_eq!(summary["rows"][0]["total"], "1722400.00");

    // What export writes, import reads: the same plan again, byte for byte.
    let projects = env.ok(&["export", "projects"]);
    assert!(projects.lines().nth(1).unwrap().contains(",100000.00,,300000.00,,,27000.00 EUR,,EUR,11.2,"), "{projects}");
    let again = Env::new();
    let p = again.write("p.csv", &projects);
    again.ok(&["import", p.to_str().unwrap()]);
    assert_eq!(again.ok(&["export", "projects"]), projects);
    assert_eq!(again.ok(&["export", "funding"]), funding);

    // An amount in a currency the row gives no rate for is a bad value.
    let bad = env.write(
        "bad.csv",
        "ref,title,owner,areas,eu,private,currency,rate\nX2,T,O,skog,100,5 NOK,EUR,11.2\nX3,T,O,skog,,5 EUR,,\n",
    );
    let before = env.dump();
    let err = env.fails(1, &["import", bad.to_str().unwrap()]);
    let f = bad.display();
    assert_eq!(
        err,
        format!(
            "{f}:2: private: \"5 NOK\": an amount in NOK needs its rate: give the row's currency as NOK with a rate, or put the line in the funding CSV\n\
             {f}:3: private: \"5 EUR\": an amount in EUR needs its rate: give the row's currency as EUR with a rate, or put the line in the funding CSV\n\
             error: {f}: 2 problems; nothing was imported\n"
        )
    );
    assert_eq!(env.dump(), before);
}

/// The region, municipality, private … columns created funders literally called
/// `region`, `municipality`, `private`, so `report funders` listed `region` beside
/// Region Värmland. Each kind has a default funder, changeable and in the history.
#[test]
fn amount_columns_are_recorded_under_the_default_funders() {
    let env = Env::new();
    let file = env.write(
        "p.csv",
        "ref,title,owner,areas,fund,eu,state,region,municipality,university,private,other,decided\n\
         D1,T,O,skog,ERUF,10,1,2,3,4,5,6,2020-01-01\n",
    );
    env.ok(&["import", file.to_str().unwrap()]);
    let funding = env.ok(&["export", "funding"]);
    let funders: Vec<&str> = funding.lines().skip(1).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(
        funders,
        [
            "ERUF",
            "Statlig medfinansiering",
            "Region Värmland",
            "Kommunal medfinansiering",
            "Lärosätenas medfinansiering",
            "Privat medfinansiering",
            "Övrig medfinansiering"
        ]
    );
    let report = env.ok(&["report", "funders", "--format", "csv"]);
    for line in report.lines().skip(1) {
        let funder = line.split(',').nth(1).unwrap();
        assert!(!["state", "region", "municipality", "university", "private", "other"].contains(&funder), "{report}");
    }

    assert_eq!(
        env.ok(&["funder", "default", "municipality", "Karlstads kommun"]),
        "Default funder for municipality: Karlstads kommun.\n"
    );
    assert_eq!(env.ok(&["funder", "default", "municipality", "Karlstads kommun"]), "Nothing to change.\n");
    let log = env.ok(&["audit", "log", "--format", "csv"]);
    let last = log.lines().last().unwrap();
    assert!(last.contains(",setting,funder.municipality,edit,value,"), "{last}");
    let next = env.write("q.csv", "ref,title,owner,areas,municipality\nD2,T,O,skog,7\n");
    env.ok(&["import", next.to_str().unwrap()]);
    assert!(env.ok(&["export", "funding"]).contains("D2,Karlstads kommun,municipality,7.00,"));
    assert_eq!(
        env.fails(2, &["funder", "default", "eu", "EU"]),
        "error: KIND: \"eu\": the eu column's funder is each project's fund (--fund)\n"
    );
    env.ok(&["audit", "verify"]);
}

/// Organisations created by an import got kind `other` silently, so a company partner
/// showed up as civil society in `report actors`. The import says what it created and
/// as what; an unknown kind is "kind not recorded", counted in no helix; check lists it.
#[test]
fn an_organisation_without_a_kind_is_not_civil_society() {
    let env = Env::new();
    let file = env.write(
        "p.csv",
        "ref,title,owner,owner_kind,areas,eu,partners,decided\nK1,T,Karlstads universitet,university,skog,100,Ny Partner AB,2020-01-01\n",
    );
    let out = env.ok(&["import", file.to_str().unwrap()]);
    assert!(
        out.ends_with("\nNew organisations: Karlstads universitet (university), Ny Partner AB (kind not recorded)\n"),
        "{out}"
    );
    let actors = env.ok(&["report", "actors", "--format", "csv"]);
    assert!(actors.contains("\nkind not recorded,kind not recorded,1,0,1,100.00,"), "{actors}");
    assert!(!actors.contains("civil"), "{actors}");
    let out = env.cmd().args(["check", "--format", "csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(
        csv.contains("org-kind,Ny Partner AB,kind not recorded: it counts in no helix (`spets org edit NAME --kind KIND` records it)\r\n"),
        "{csv}"
    );
    // Exported, the kind stays blank, and imports back as not recorded.
    let orgs = env.ok(&["export", "orgs"]);
    assert!(orgs.contains("\nNy Partner AB,,\n") || orgs.contains("\nNy Partner AB,,\r\n"), "{orgs}");
    assert_eq!(
        env.fails(2, &["org", "add", "X", "--kind", "not-recorded"]).lines().next().unwrap(),
        "error: --kind: \"not-recorded\": not an organisation kind (expected one of university, research-institute, cluster, science-park, incubator, testbed, financing, company, municipality, region, agency, other)"
    );
    env.ok(&["org", "edit", "Ny Partner AB", "--kind", "company"]);
    let actors = env.ok(&["report", "actors", "--format", "csv"]);
    assert!(actors.contains("\ncompany,business,1,0,1,100.00,"), "{actors}");
}

/// `parent: ""`, `partners: ""` named no value though the row had one, and a file not
/// in UTF-8 repeated the same hint once per row.
#[test]
fn messages_name_the_value_and_hints_come_once() {
    let env = Env::new();
    let file =
        env.write("p.csv", "ref,title,owner,areas,eu,kind,parent,partners\nA,T,O,skog,1,top-up,A,\nB,T,O,skog,1,,,O\n");
    let f = file.display();
    assert_eq!(
        env.fails(1, &["import", file.to_str().unwrap()]),
        format!(
            "{f}:2: parent: \"A\": a project cannot be its own parent\n\
             {f}:3: partners: \"O\": the owner is not also a partner\n\
             error: {f}: 2 problems; nothing was imported\n"
        )
    );
    let latin = env.write("l.csv", b"ref,title,owner,areas,eu\nA,Sk\xf6g,O,skog,1\nB,Sk\xf6g,O,skog,1\n");
    let f = latin.display();
    assert_eq!(
        env.fails(1, &["import", latin.to_str().unwrap()]),
        format!(
            "{f}:2: not valid UTF-8 text (and 1 more line like it)\nerror: {f}: 1 problem; nothing was imported\n  \
             hint: a file saved by Excel in Sweden is often Windows-1252: try --encoding windows-1252\n"
        )
    );
}
