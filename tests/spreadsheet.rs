//! Spreadsheets in spets's own formats, as a finance officer saves them from Excel: a
//! title merged across the top, blank rows, amounts and dates as numbers and dates, a
//! float that is not a whole number of öre, a second sheet. And the CSV habits of the
//! same people: rows of empty cells, and an encoding problem told once.

mod common;

use common::Env;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

const HEADER: [&str; 6] = ["ref", "title", "owner", "areas", "eu", "decided"];

/// A workbook whose sheet "Projekt" holds a merged title, a blank row, the header, and
/// one row per `(ref, eu)`, decided 2023-02-28; a second sheet "Annat" holds nothing.
fn workbook(env: &Env, name: &str, rows: &[(&str, f64)]) -> std::path::PathBuf {
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name("Projekt").unwrap();
    sheet.merge_range(0, 0, 0, 5, "Regionens projektregister", &Format::new()).unwrap();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (i, (reference, eu)) in rows.iter().enumerate() {
        // Every other row is left blank, as people leave them.
        let r = 3 + 2 * i as u32;
        sheet.write_string(r, 0, *reference).unwrap();
        sheet.write_string(r, 1, "Solel på tak").unwrap();
        sheet.write_string(r, 2, "Värmlands Solenergi AB").unwrap();
        sheet.write_string(r, 3, "solel").unwrap();
        sheet.write_number(r, 4, *eu).unwrap();
        sheet.write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(2023, 2, 28).unwrap(), &date).unwrap();
    }
    book.add_worksheet().set_name("Annat").unwrap();
    let path = env.path(name);
    book.save(&path).unwrap();
    path
}

#[test]
fn a_workbook_in_the_projects_format_imports_numbers_as_numbers_and_dates_as_dates() {
    let env = Env::new();
    let path =
        workbook(&env, "register.xlsx", &[("R-1", 1234567.5), ("R-2", 250000.0), ("R-3", 0.1 + 0.2 - 0.3 + 99.99)]);
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.starts_with(&format!("{}: 3 rows of projects: added 3,", path.display())), "{out}");
    let export = env.ok(&["export", "projects"]);
    let eu: Vec<(&str, &str, &str)> = export
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[0], c[10], c[16])
        })
        .collect();
    // 0.1 + 0.2 - 0.3 + 99.99 is 99.99 to the öre in binary too: its shortest form.
    assert_eq!(
        eu,
        [("R-1", "2023-02-28", "1234567.50"), ("R-2", "2023-02-28", "250000.00"), ("R-3", "2023-02-28", "99.99")]
    );
    // Line numbers are the sheet's rows.
    assert!(env.ok(&["project", "show", "R-2"]).contains(&format!("Read from             {}:6\n", path.display())));
}

#[test]
fn a_float_that_is_not_a_whole_number_of_ore_is_refused_not_rounded() {
    let env = Env::new();
    env.ok(&["init"]);
    let before = env.dump();
    let path = workbook(&env, "bad.xlsx", &[("R-1", 100.0), ("R-2", 0.1 + 0.2), ("R-3", 12.345)]);
    let err = env.fails(1, &["import", path.to_str().unwrap()]);
    let f = path.display();
    assert!(err.contains(&format!("{f}:6: eu: \"0.30000000000000004\": ")), "{err}");
    assert!(err.contains(&format!("{f}:8: eu: \"12.345\": ")), "{err}");
    assert!(err.ends_with(&format!("error: {f}: 2 problems; nothing was imported\n")), "{err}");
    assert_eq!(env.dump(), before);
}

#[test]
fn sheet_picks_the_sheet_and_an_unknown_one_is_named_with_those_there_are() {
    let env = Env::new();
    let path = workbook(&env, "register.xlsx", &[("R-1", 100.0)]);
    let err = env.fails(1, &["import", path.to_str().unwrap(), "--sheet", "Blad1"]);
    assert_eq!(
        err,
        format!("error: {}: no sheet \"Blad1\" (the sheets are: \"Projekt\", \"Annat\")\n", path.display())
    );
    let err = env.fails(1, &["import", path.to_str().unwrap(), "--sheet", "annat"]);
    assert_eq!(
        err,
        format!(
            "error: {}: cannot tell from its header what the file holds\n  hint: give --table projects, funding, payments or orgs, or --rules for a foreign file\n",
            path.display()
        )
    );
    env.ok(&["import", path.to_str().unwrap(), "--sheet", "projekt"]);
    let csv = env.write("p.csv", "ref,title\n");
    let err = env.fails(2, &["import", csv.to_str().unwrap(), "--sheet", "Projekt"]);
    assert!(err.contains("is not a spreadsheet"), "{err}");
    assert!(!env.path("spets.db-journal").exists());
}

#[test]
fn a_file_that_only_pretends_to_be_a_spreadsheet_is_refused() {
    let env = Env::new();
    let path = env.write("fake.xlsx", "ref,title,owner,areas,eu\nR-1,T,O,skog,1\n");
    let err = env.fails(1, &["import", path.to_str().unwrap()]);
    assert!(err.starts_with(&format!("error: {}: not readable as a spreadsheet: ", path.display())), "{err}");
    assert!(!env.db.exists());
}

/// Excel in Sweden saves an empty row of a table as `;;;;`: skipped like a blank line.
#[test]
fn rows_of_empty_cells_are_skipped_in_csv_too() {
    let env = Env::new();
    let path = env.write(
        "excel.csv",
        "ref;title;owner;areas;eu\r\nA-1;Skog;Sågverket AB;skog;100\r\n;;;;\r\n ; ;;;\r\nA-2;Spel;Spelbolaget AB;spel;200\r\n;;;;\r\n",
    );
    let out = env.ok(&["import", path.to_str().unwrap()]);
    assert!(out.starts_with(&format!("{}: 2 rows of projects: added 2,", path.display())), "{out}");
    assert!(env.ok(&["project", "show", "A-2"]).contains(&format!("Read from             {}:5\n", path.display())));
}
