//! Spreadsheets (`.xlsx`, `.xls`, `.ods`) read as records, like a CSV file: the first
//! non-blank row (after any rows to skip) is the header, blank rows and rows that are one
//! merged cell (a section title) are skipped, and every cell becomes the text a CSV cell
//! would hold: a date as ISO `YYYY-MM-DD`, a number in its shortest exact decimal form
//! (so a float that is not a whole number of öre shows its extra decimals and is refused
//! as an amount, never rounded), text as it is.

use std::path::Path;

use calamine::{Data, Range, Reader};

use super::Record;
use super::RowError;

/// Whether a file name is a spreadsheet's.
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["xlsx", "xlsm", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str()))
}

/// A sheet read into memory, handed out record by record.
pub struct SheetInput {
    pub header: Vec<String>,
    rows: std::vec::IntoIter<Result<Record, RowError>>,
}

impl SheetInput {
    /// Opens `path` and reads `sheet` (the first when `None`), skipping `skip` rows
    /// above the header.
    pub fn open(path: &Path, sheet: Option<&str>, skip: usize) -> Result<SheetInput, String> {
        let mut book = calamine::open_workbook_auto(path)
            .map_err(|e| crate::tr!("not readable as a spreadsheet: {e}", "går inte att läsa som kalkylblad: {e}"))?;
        let names = book.sheet_names();
        let name = match sheet {
            Some(s) => names.iter().find(|n| n.eq_ignore_ascii_case(s)).cloned().ok_or_else(|| {
                let names = names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
                crate::tr!("no sheet {s:?} (the sheets are: {names})", "inget blad {s:?} (bladen är: {names})")
            })?,
            None => names
                .first()
                .cloned()
                .ok_or_else(|| crate::tr!("the workbook has no sheets", "arbetsboken har inga blad"))?,
        };
        let range = book
            .worksheet_range(&name)
            .map_err(|e| crate::tr!("sheet {name:?}: not readable: {e}", "bladet {name:?}: går inte att läsa: {e}"))?;
        // Merged regions within one row (titles); a reader that does not say has none.
        let regions = match &mut book {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let merged: Vec<(u32, u32, u32)> =
            regions.iter().filter(|d| d.start.0 == d.end.0).map(|d| (d.start.0, d.start.1, d.end.1)).collect();
        Ok(SheetInput::from_range(&range, &merged, skip))
    }

    fn from_range(range: &Range<Data>, merged: &[(u32, u32, u32)], skip: usize) -> SheetInput {
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let width = range.width();
        let mut header: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let r = first_row + i as u32;
            let line = u64::from(r) + 1;
            if (r as usize) < skip || row.iter().all(is_blank) {
                continue;
            }
            // A row whose only cells lie in one merged region is a title, not a record.
            let filled: Vec<u32> =
                row.iter().enumerate().filter(|(_, c)| !is_blank(c)).map(|(j, _)| first_col + j as u32).collect();
            if merged
                .iter()
                .any(|(mr, from, to)| *mr == r && to > from && filled.iter().all(|c| (*from..=*to).contains(c)))
            {
                continue;
            }
            let mut cells = Vec::with_capacity(width);
            // Columns left of the used range are blank.
            cells.resize(first_col as usize, String::new());
            let mut bad = None;
            for c in row {
                match cell_text(c) {
                    Ok(t) => cells.push(t),
                    Err(why) => {
                        let column = header.as_ref().and_then(|h| h.get(cells.len())).cloned().unwrap_or_default();
                        bad.get_or_insert(RowError::cell(line, &column, &format!("{c}"), why));
                        cells.push(String::new());
                    }
                }
            }
            match (&header, bad) {
                (None, _) => header = Some(cells.iter().map(|h| h.trim().to_string()).collect()),
                (Some(_), Some(e)) => rows.push(Err(e)),
                (Some(_), None) => rows.push(Ok(Record { line, cells })),
            }
        }
        let mut header = header.unwrap_or_default();
        // Trailing unnamed columns (formatting that reaches further) are not columns.
        while header.last().is_some_and(|h| h.is_empty()) {
            header.pop();
        }
        let n = header.len();
        for r in rows.iter_mut().flatten() {
            if r.cells[n.min(r.cells.len())..].iter().all(|c| c.trim().is_empty()) {
                r.cells.truncate(n);
            }
            r.cells.resize(n.max(r.cells.len()), String::new());
        }
        SheetInput { header, rows: rows.into_iter() }
    }

    /// Whether no record follows the header.
    pub fn is_empty(&self) -> bool {
        self.rows.len() == 0
    }

    pub fn next_record(&mut self) -> Option<Result<Record, RowError>> {
        self.rows.next()
    }
}

fn is_blank(c: &Data) -> bool {
    match c {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// The text of one cell, as a CSV file would hold it.
fn cell_text(c: &Data) -> Result<String, String> {
    Ok(match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Rust writes a float in the shortest form that reads back as the same float,
        // never in exponent form: 1234567.5 stays 1234567.5, and 0.1 + 0.2 shows as
        // 0.30000000000000004, which no amount accepts.
        Data::Float(f) if f.is_finite() => {
            let t = format!("{f}");
            if t == "-0" { "0".into() } else { t }
        }
        Data::Float(_) => return Err(crate::tr!("not a number", "inte ett tal")),
        Data::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, h, min, s, ms) = d.to_ymd_hms_milli();
            if (h, min, s, ms) != (0, 0, 0, 0) {
                return Err(crate::tr!(
                    "a date with a time of day: expected a date",
                    "ett datum med klockslag: väntade ett datum"
                ));
            }
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(_) | Data::DurationIso(_) => {
            return Err(crate::tr!(
                "a duration: expected a date or a number",
                "en tidslängd: väntade ett datum eller ett tal"
            ));
        }
        Data::DateTimeIso(s) => match s.split_once('T') {
            Some((date, time)) if time.trim_start_matches(['0', ':', '.']).is_empty() => date.to_string(),
            Some(_) => {
                return Err(crate::tr!(
                    "a date with a time of day: expected a date",
                    "ett datum med klockslag: väntade ett datum"
                ));
            }
            None => s.clone(),
        },
        Data::Error(e) => {
            return Err(crate::tr!(
                "the cell holds the spreadsheet error {e}",
                "cellen innehåller kalkylbladsfelet {e}"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_every_decimal_they_have() {
        assert_eq!(cell_text(&Data::Float(1234567.5)).unwrap(), "1234567.5");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)).unwrap(), "0.30000000000000004");
        assert_eq!(cell_text(&Data::Float(1e15)).unwrap(), "1000000000000000");
        assert_eq!(cell_text(&Data::Float(-0.0)).unwrap(), "0");
        assert!(cell_text(&Data::Float(f64::NAN)).is_err());
    }

    #[test]
    fn blank_and_merged_rows_are_skipped() {
        let mut range = Range::new((0, 0), (4, 2));
        range.set_value((0, 0), Data::String("Projektregister".into()));
        range.set_value((1, 0), Data::String("ref".into()));
        range.set_value((1, 1), Data::String("title".into()));
        range.set_value((2, 0), Data::Int(1));
        range.set_value((2, 1), Data::String("A".into()));
        range.set_value((3, 0), Data::String("2019".into()));
        range.set_value((4, 0), Data::Int(2));
        range.set_value((4, 1), Data::String("B".into()));
        let mut s = SheetInput::from_range(&range, &[(0, 0, 2), (3, 0, 2)], 0);
        assert_eq!(s.header, vec!["ref", "title"]);
        let mut lines = Vec::new();
        while let Some(Ok(r)) = s.next_record() {
            lines.push((r.line, r.cells));
        }
        assert_eq!(lines, vec![(3, vec!["1".to_string(), "A".into()]), (5, vec!["2".to_string(), "B".into()])]);
    }
}
