//! Reports as Excel workbooks (`--format xlsx -o FILE`): one sheet per report, its tables
//! with a bold frozen header and a filter, amounts as numbers with two decimals and a
//! thousands format (never text), dates as dates, shares as percentages, the totals row,
//! and below them the filters, the notes and the moment with the full head hash. Like
//! every renderer it formats figures the report value already holds.

use std::io::Write;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::domain::lang::Lang;
use crate::report::{Cell, ColumnKind, Report, Table};

/// The number formats: Excel shows them in the reader's own locale (`1 234 567,50` in
/// Swedish Excel).
pub struct Formats {
    pub header: Format,
    pub money: Format,
    pub money_total: Format,
    pub percent: Format,
    pub date: Format,
    pub total: Format,
    pub title: Format,
}

impl Formats {
    pub fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format("#,##0.00"),
            money_total: Format::new().set_num_format("#,##0.00").set_bold(),
            percent: Format::new().set_num_format("0.00%"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            total: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
        }
    }
}

impl Default for Formats {
    fn default() -> Self {
        Formats::new()
    }
}

/// An xlsx error as an I/O error, so a closed pipe stays what it is.
pub fn io_error(e: XlsxError) -> std::io::Error {
    match e {
        XlsxError::IoError(io) => io,
        other => std::io::Error::other(other.to_string()),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in
/// the workbook (`taken` holds the names already used).
pub fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = wanted.chars().map(|c| if "[]:*?/\\".contains(c) { '-' } else { c }).collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = clean.chars().take(31).collect();
    let base = if base.is_empty() { "Sheet".to_string() } else { base };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", base.chars().take(31 - suffix.chars().count()).collect::<String>());
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// Writes the report as a workbook of one sheet.
pub fn render(report: &Report, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    let mut book = Workbook::new();
    let mut taken = Vec::new();
    add_report(&mut book, report, lang, &sheet_name(&report.title, &mut taken)).map_err(io_error)?;
    let bytes = book.save_to_buffer().map_err(io_error)?;
    out.write_all(&bytes)
}

/// Adds the report as a sheet called `name`.
pub fn add_report(book: &mut Workbook, report: &Report, lang: Lang, name: &str) -> Result<(), XlsxError> {
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let main = write_table(sheet, &report.main, &f, 0)?;
    // The header of the main table stays in view; its rows (not the totals) get a filter.
    sheet.set_freeze_panes(1, 0)?;
    if let Some(last) = report.main.columns.len().checked_sub(1) {
        sheet.autofilter(0, 0, (report.main.rows.len() as u32).max(1), last as u16)?;
    }
    let mut row = main + 1;
    for section in &report.sections {
        if !section.title.is_empty() {
            sheet.write_string_with_format(row, 0, &section.title, &f.title)?;
            row += 1;
        }
        row = write_table(sheet, section, &f, row)? + 1;
    }
    // Widths fit the tables; the lines below may run on.
    sheet.set_autofit_max_width(400).autofit();
    for line in footer(report, lang) {
        sheet.write_string(row, 0, &line)?;
        row += 1;
    }
    Ok(())
}

/// The lines below the tables: the title, filters, headline, notes, and the moment with
/// the whole head hash.
pub fn footer(report: &Report, lang: Lang) -> Vec<String> {
    let mut lines = vec![report.title.clone()];
    if !report.filters.is_empty() {
        lines.push(format!("{}: {}", lang.pick("Filters", "Urval"), super::filters_line(&report.filters, lang)));
    }
    lines.extend(report.headline.iter().cloned());
    lines.extend(report.notes.iter().cloned());
    lines.push(super::table::as_of_line(report, lang));
    if let Some(head) = report.as_of.as_ref().and_then(|c| c.head.as_ref()) {
        lines.push(format!("{}: {head}", lang.pick("Head of the history", "Historikens huvud")));
    }
    lines
}

/// Writes a table's header at `row`, its rows and totals under it; returns the row
/// after it.
fn write_table(sheet: &mut Worksheet, table: &Table, f: &Formats, row: u32) -> Result<u32, XlsxError> {
    for (c, column) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, &column.label, &f.header)?;
    }
    let mut r = row + 1;
    for cells in &table.rows {
        for (c, (cell, column)) in cells.iter().zip(&table.columns).enumerate() {
            write_cell(sheet, r, c as u16, cell, column.kind, &column.key, f, false)?;
        }
        r += 1;
    }
    if let Some(totals) = &table.totals {
        for (c, (cell, column)) in totals.iter().zip(&table.columns).enumerate() {
            write_cell(sheet, r, c as u16, cell, column.kind, &column.key, f, true)?;
        }
        r += 1;
    }
    Ok(r)
}

/// An amount as the number Excel stores (a double), when that is exact: up to 15
/// significant digits (below 10^13 kr) the double nearest the kronor reads back as the
/// same decimal, to the öre. A larger amount is `None`, to be written as its exact text.
pub fn kronor(m: crate::domain::money::Money) -> Option<f64> {
    // Below 2^53 the öre are an exact double; one correctly rounded division gives the
    // double nearest the kronor.
    (m.0.unsigned_abs() < 1_000_000_000_000_000).then(|| m.0 as f64 / 100.0)
}

/// Columns whose text cells hold ISO dates.
const DATE_KEYS: [&str; 6] = ["decided", "start", "end", "date", "rate_date", "at"];

/// An ISO date as Excel's, when the text is one.
pub fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).ok()
}

#[allow(clippy::too_many_arguments)]
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    kind: ColumnKind,
    key: &str,
    f: &Formats,
    total: bool,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty | Cell::Percent(None) => {}
        Cell::Money(m) => match kronor(*m) {
            Some(kr) => {
                sheet.write_number_with_format(r, c, kr, if total { &f.money_total } else { &f.money })?;
            }
            None => {
                sheet.write_string(r, c, m.plain())?;
            }
        },
        // The doubles below are counts, shares and indicator values, never money: a
        // workbook stores every number as a double, and only `kronor` writes amounts.
        Cell::Count(n) if total => {
            sheet.write_number_with_format(r, c, *n as f64, &f.total)?;
        }
        Cell::Count(n) => {
            sheet.write_number(r, c, *n as f64)?;
        }
        Cell::Percent(Some(ratio)) => {
            sheet.write_number_with_format(r, c, ratio.scaled(1_000_000) as f64 / 1_000_000.0, &f.percent)?;
        }
        Cell::Number(n) => match n.parse::<f64>() {
            Ok(v) => sheet.write_number(r, c, v).map(|_| ())?,
            Err(_) => sheet.write_string(r, c, n).map(|_| ())?,
        },
        Cell::Json(v) => {
            sheet.write_string(r, c, v.to_string())?;
        }
        Cell::Amounts(list) => {
            let text: Vec<String> = list.iter().map(|(cur, m)| format!("{cur} {}", m.plain())).collect();
            sheet.write_string(r, c, text.join(" | "))?;
        }
        Cell::Text(t) => match (kind, DATE_KEYS.contains(&key), excel_date(t)) {
            (ColumnKind::Text, true, Some(d)) => sheet.write_datetime_with_format(r, c, d, &f.date).map(|_| ())?,
            _ if total => sheet.write_string_with_format(r, c, t, &f.total).map(|_| ())?,
            _ => sheet.write_string(r, c, t).map(|_| ())?,
        },
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_become_numbers_only_where_a_double_is_exact() {
        use crate::domain::money::Money;
        for ore in [0, 1, 99, 123_456_789_012, 999_999_999_999_999] {
            let kr = kronor(Money(ore)).unwrap();
            assert_eq!(Money::parse(&format!("{kr}")).unwrap(), Money(ore), "{ore}");
        }
        assert_eq!(kronor(Money(1_000_000_000_000_000)), None);
        assert_eq!(kronor(Money(100_000_000_000_000_000)), None);
    }

    #[test]
    fn sheet_names_are_what_excel_accepts_and_unique() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("Turned over by specialisation area", &mut taken), "Turned over by specialisation a");
        assert_eq!(sheet_name("Turned over by specialisation area", &mut taken), "Turned over by specialisati (2)");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a-b-c");
        assert_eq!(sheet_name("''", &mut taken), "Sheet");
    }
}
