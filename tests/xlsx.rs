//! Excel workbooks (DESIGN §6.1): every report as a sheet of numbers, exports that import
//! back exactly, the workbook of every report with the commands that reproduce it. The
//! workbooks are read back with calamine and compared with the same figures as CSV.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::Env;

fn open(path: &std::path::Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    calamine::open_workbook(path).expect("a workbook")
}

fn rows(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, sheet: &str) -> Vec<Vec<Data>> {
    book.worksheet_range(sheet).expect("the sheet").rows().map(|r| r.to_vec()).collect()
}

/// A CSV report's cell as the number the sheet must hold: öre as kronor, a percentage
/// with two decimals as a fraction.
fn number(csv: &str) -> f64 {
    csv.parse().unwrap_or_else(|_| panic!("not a number: {csv}"))
}

#[test]
fn a_report_as_a_workbook_holds_numbers_not_text_and_says_when() {
    let env = Env::new();
    let path = env.path("areas.xlsx");
    env.ok(&["--sample", "report", "areas", "--format", "xlsx", "-o", path.to_str().unwrap()]);
    let csv = env.ok(&["--sample", "report", "areas", "--format", "csv", "--totals"]);
    let mut book = open(&path);
    assert_eq!(book.sheet_names(), ["Turned over by specialisation a"]);
    let sheet = rows(&mut book, "Turned over by specialisation a");
    let header: Vec<String> = sheet[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header[..4], ["Code", "Area", "Proj.", "Total"]);
    for (line, row) in csv.lines().skip(1).zip(&sheet[1..]) {
        let cells: Vec<&str> = line.split(',').collect();
        assert_eq!(row[0], Data::String(cells[0].to_string()), "{line}");
        // Projects a count, amounts in kronor, the share a fraction: numbers all.
        assert_eq!(row[2], Data::Float(number(cells[2])), "{line}");
        for i in 3..9 {
            assert_eq!(row[i], Data::Float(number(cells[i])), "{line} column {i}");
        }
        // A share is the exact fraction (to a millionth); CSV rounds it to two decimals.
        let Data::Float(share) = row[9] else { panic!("{line}: {:?}", row[9]) };
        assert!((share * 100.0 - number(cells[9])).abs() <= 0.005, "{line}: {share}");
    }
    // The totals row, then the moment and the whole head below the table.
    let totals = csv.lines().last().unwrap().split(',').collect::<Vec<_>>();
    assert_eq!(sheet[8][3], Data::Float(number(totals[3])));
    let below: Vec<String> = sheet[9..].iter().map(|r| r[0].to_string()).filter(|t| !t.is_empty()).collect();
    let head = env.ok(&["--sample", "audit", "verify"]);
    let head = head.lines().find_map(|l| l.strip_prefix("Head: ")).unwrap();
    assert!(below.iter().any(|l| l.starts_with("As of change 7 (2026-11-01 08:05:00 UTC)")), "{below:?}");
    assert!(below.contains(&format!("Head of the history: {head}")), "{below:?}");
}

#[test]
fn swedish_workbooks_have_swedish_headers_and_sheet_names() {
    let env = Env::new();
    let path = env.path("status.xlsx");
    env.ok(&["--sample", "--lang", "sv", "report", "workbook", "-o", path.to_str().unwrap()]);
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        [
            "Om arbetsboken",
            "Sammanfattning",
            "Områden",
            "År",
            "År pro rata",
            "Finansiärer",
            "Ägare",
            "Aktörer",
            "Kommuner",
            "Status",
            "Indikatorer"
        ]
    );
    let areas = rows(&mut book, "Områden");
    assert_eq!(areas[0][..2], [Data::String("Kod".into()), Data::String("Område".into())]);
}

#[test]
fn every_sheet_of_the_workbook_is_what_its_command_prints() {
    let env = Env::new();
    let path = env.path("portfolio.xlsx");
    env.ok(&["--sample", "report", "workbook", "--area", "skog", "-o", path.to_str().unwrap()]);
    let mut book = open(&path);
    let names = book.sheet_names();
    assert_eq!(names[0], "About");
    let about = rows(&mut book, "About");
    let lines: Vec<String> = about.iter().map(|r| r[0].to_string()).collect();
    assert!(lines.contains(&"Filters: area: skog".to_string()), "{lines:?}");
    // Each sheet is listed with the command that prints its figures; run it and compare.
    let mut checked = 0;
    for name in &names[1..] {
        let line = lines.iter().find(|l| l.starts_with(&format!("{name} ("))).unwrap_or_else(|| panic!("{name}"));
        let command = line.split_once("): spets ").unwrap().1;
        assert!(command.ends_with(" --area skog --as-of 2026-11-01T08:05:00.000000Z --format csv"), "{command}");
        let mut args: Vec<&str> = vec!["--sample"];
        args.extend(command.split(' '));
        let csv = env.ok(&args);
        let sheet = rows(&mut book, name);
        // Every number of the CSV's first data row is in the sheet's first data row.
        let first: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
            .records()
            .next()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .unwrap_or_default();
        for (cell, value) in first.iter().zip(&sheet[1]) {
            match value {
                // An amount in kronor, or a percentage as its fraction.
                Data::Float(f) if cell.contains('.') && !cell.contains('-') => {
                    let expected = number(cell);
                    assert!(*f == expected || (*f * 100.0 - expected).abs() <= 0.005, "{name}: {cell} against {f}");
                }
                Data::Float(f) => assert_eq!(*f, number(cell), "{name}"),
                Data::String(s) => assert!(!s.is_empty() || cell.is_empty(), "{name}"),
                _ => {}
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 10);
}

#[test]
fn exported_workbooks_import_back_to_the_same_database() {
    let sample = Env::new();
    let copy = Env::new();
    for table in ["orgs", "projects", "funding", "payments"] {
        let path = sample.path(&format!("{table}.xlsx"));
        sample.ok(&["--sample", "export", table, "--format", "xlsx", "-o", path.to_str().unwrap()]);
        // Amounts are numbers, dates are dates, on the first sheet; the moment on the second.
        let mut book = open(&path);
        assert_eq!(book.sheet_names(), [table, "about"]);
        let sheet = rows(&mut book, table);
        if table == "payments" {
            assert!(matches!(sheet[1][1], Data::DateTime(_)), "{:?}", sheet[1]);
            assert!(matches!(sheet[1][2], Data::Float(_)), "{:?}", sheet[1]);
        }
        copy.ok(&["import", path.to_str().unwrap()]);
    }
    for table in ["orgs", "projects", "funding", "payments"] {
        assert_eq!(copy.ok(&["export", table]), sample.ok(&["--sample", "export", table]), "{table}");
    }
}

/// A workbook is not text: on a terminal it is refused, into a file or a pipe it is written.
#[test]
fn xlsx_on_a_terminal_is_refused_with_a_hint() {
    let env = Env::new();
    let spets = assert_cmd::cargo::cargo_bin("spets");
    // `script` gives the command a terminal for its standard output.
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} --sample report areas --format xlsx", spets.display()), "/dev/null"])
        .current_dir(env.dir.path())
        .env("SPETS_LANG", "en")
        .output()
        .expect("script runs");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert_eq!(
        text,
        "error: --format xlsx writes a workbook, not text for a terminal\n  hint: give the file to write: -o portfolio.xlsx\n"
    );
    let piped = env.cmd().args(["--sample", "report", "areas", "--format", "xlsx"]).output().unwrap();
    assert!(piped.status.success());
    assert_eq!(&piped.stdout[..2], b"PK", "a zip file");
}

/// `--format svg` draws one chart, accessible (a title and a description), and only
/// for the reports that have one.
#[test]
fn svg_draws_the_chart_of_a_breakdown() {
    let env = Env::new();
    for report in ["areas", "years", "funders", "municipalities"] {
        let svg = env.ok(&["--sample", "report", report, "--format", "svg"]);
        assert!(
            svg.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" ")
        );
        assert!(svg.contains(&format!("<title id=\"{report}-t\">")) && svg.contains("<desc id="), "{report}");
        assert!(svg.trim_end().ends_with("</svg>"));
    }
    let areas = env.ok(&["--sample", "report", "areas", "--format", "svg"]);
    // One bar of four parts per area, each labelled with its total.
    assert_eq!(areas.matches("<rect ").count(), 7 * 4);
    assert!(areas.contains(">154.1 mnkr</text>"), "{areas}");
    assert_eq!(
        env.fails(2, &["--sample", "report", "summary", "--format", "svg"]),
        "error: --format svg draws the chart of report areas, years, funders or municipalities, not summary\n"
    );
}
