//! Reports as CSV: a header of column keys, the rows, and the totals row only when asked
//! (`--totals`). Plain by default; `excel-sv` for Swedish Excel. Text cells are
//! neutralised against formula injection.

use std::io::Write;

use super::percent_exact;
use crate::formats::dialect::{CsvDialect, io_error, neutralise_cell, writer};
use crate::report::{Cell, Report, Table};

/// A cell as CSV text.
pub fn cell_text(cell: &Cell, dialect: CsvDialect) -> String {
    let mark = dialect.decimal_mark();
    match cell {
        Cell::Text(t) => neutralise_cell(t).into_owned(),
        Cell::Count(n) => n.to_string(),
        Cell::Money(m) => m.with_mark(mark),
        Cell::Percent(Some(r)) => percent_exact(r.scaled(10_000), mark),
        Cell::Percent(None) | Cell::Empty => String::new(),
        Cell::Number(n) => n.replace('.', &mark.to_string()),
        Cell::Json(v) => neutralise_cell(&v.to_string()).into_owned(),
        Cell::Amounts(list) => {
            list.iter().map(|(c, m)| format!("{c} {}", m.with_mark(mark))).collect::<Vec<_>>().join("|")
        }
    }
}

fn write_table<W: Write>(w: &mut csv::Writer<W>, table: &Table, dialect: CsvDialect, totals: bool) -> csv::Result<()> {
    w.write_record(table.columns.iter().map(|c| c.key.as_str()))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| cell_text(c, dialect)))?;
    }
    if totals && let Some(t) = &table.totals {
        w.write_record(t.iter().map(|c| cell_text(c, dialect)))?;
    }
    Ok(())
}

/// Writes the report's main table.
pub fn render(report: &Report, dialect: CsvDialect, totals: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = writer(out, dialect)?;
    write_table(&mut w, &report.main, dialect, totals).map_err(io_error)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Column, ColumnKind, Frame};

    fn report() -> Report {
        let frame = Frame { lang: crate::domain::lang::Lang::Sv, filters: vec![], as_of: None };
        let main = Table {
            key: "t".into(),
            title: String::new(),
            columns: vec![
                Column::new("name", "Namn", ColumnKind::Text),
                Column::new("total", "Totalt", ColumnKind::Money),
                Column::new("share", "Andel", ColumnKind::Share),
            ],
            rows: vec![vec![
                Cell::text("=HYPERLINK(\"x\")"),
                Cell::money(123_456_789),
                Cell::Percent(Some(crate::report::Ratio::bp(7525))),
            ]],
            totals: Some(vec![
                Cell::text("Totalt"),
                Cell::money(123_456_789),
                Cell::Percent(Some(crate::report::Ratio::bp(10_000))),
            ]),
        };
        frame.report("t", "T".into(), main)
    }

    #[test]
    fn plain_and_excel_sv() {
        let mut out = Vec::new();
        render(&report(), CsvDialect::Plain, false, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name,total,share\r\n\"'=HYPERLINK(\"\"x\"\")\",1234567.89,75.25\r\n"
        );
        let mut out = Vec::new();
        render(&report(), CsvDialect::ExcelSv, true, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\u{feff}name;total;share\r\n\"'=HYPERLINK(\"\"x\"\")\";1234567,89;75,25\r\nTotalt;1234567,89;100,00\r\n"
        );
    }
}
