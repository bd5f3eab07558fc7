//! The file formats of DESIGN §5: projects, funding, payments (and organisations) as
//! CSV, in both directions. Reading turns a record into domain values or reports every
//! bad cell as `file:line: column: value: why`; writing turns domain values into exactly
//! the cells reading accepts, so export → import → export is byte-identical.

pub mod dialect;
pub mod funding;
pub mod indicators;
pub mod orgs;
pub mod payments;
pub mod projects;
pub mod reader;
pub mod rules;
pub mod sheet;

use dialect::{CsvDialect, neutralise_cell};

/// A problem with one record of an input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    /// The column, or empty when the problem is the whole record.
    pub column: String,
    pub value: String,
    pub why: String,
}

impl RowError {
    pub fn whole(line: u64, why: impl Into<String>) -> RowError {
        RowError { line, column: String::new(), value: String::new(), why: why.into() }
    }

    pub fn cell(line: u64, column: &str, value: &str, why: impl Into<String>) -> RowError {
        RowError { line, column: column.to_string(), value: value.to_string(), why: why.into() }
    }

    /// `projects.csv:17: eu: "12,5x": not an amount (expected e.g. 1 234 567,50)`.
    pub fn render(&self, file: &str) -> String {
        if self.column.is_empty() {
            return format!("{file}:{}: {}", self.line, self.why);
        }
        let mut shown: String = self.value.chars().take(60).collect();
        if self.value.chars().count() > 60 {
            shown.push('…');
        }
        format!("{file}:{}: {}: {shown:?}: {}", self.line, self.column, self.why)
    }
}

/// One data record: its line number and its cells, decoded and restored (the
/// apostrophe that neutralised a formula-like cell on export removed again).
#[derive(Debug)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<String>,
}

/// Where each known column is in a file's header.
pub struct Layout {
    known: &'static [&'static str],
    index: Vec<Option<usize>>,
}

impl Layout {
    /// Maps a header onto the known columns. Unknown and repeated columns and missing
    /// required ones are errors (all of them reported).
    pub fn new(header: &[String], known: &'static [&'static str], required: &[&str]) -> Result<Layout, Vec<RowError>> {
        let mut index = vec![None; known.len()];
        let mut errors = Vec::new();
        let mut unknown = Vec::new();
        for (i, name) in header.iter().enumerate() {
            match known.iter().position(|k| k == name) {
                Some(k) if index[k].is_some() => errors.push(RowError::whole(
                    1,
                    crate::tr!("column {name:?} appears twice", "kolumnen {name:?} finns två gånger"),
                )),
                Some(k) => index[k] = Some(i),
                None => unknown.push(name),
            }
        }
        if !unknown.is_empty() {
            // One message however many there are: a file of 10 000 columns is one problem.
            const SHOWN: usize = 5;
            let names: Vec<String> = unknown.iter().take(SHOWN).map(|n| format!("{n:?}")).collect();
            let mut names = names.join(", ");
            if unknown.len() > SHOWN {
                names.push_str(&crate::tr!(" and {} more", " och {} till", unknown.len() - SHOWN));
            }
            errors.insert(
                0,
                RowError::whole(
                    1,
                    match unknown.len() {
                        1 => crate::tr!(
                            "unknown column {} (the known columns are: {})",
                            "okänd kolumn {} (de kända kolumnerna är: {})",
                            names,
                            known.join(", ")
                        ),
                        _ => crate::tr!(
                            "unknown columns {} (the known columns are: {})",
                            "okända kolumner {} (de kända kolumnerna är: {})",
                            names,
                            known.join(", ")
                        ),
                    },
                ),
            );
        }
        for r in required {
            if known.iter().position(|k| k == r).is_some_and(|k| index[k].is_none()) {
                errors.push(RowError::whole(
                    1,
                    crate::tr!("the required column {r:?} is missing", "den obligatoriska kolumnen {r:?} saknas"),
                ));
            }
        }
        if errors.is_empty() { Ok(Layout { known, index }) } else { Err(errors) }
    }

    fn position(&self, column: &str) -> Option<usize> {
        self.known.iter().position(|k| *k == column).and_then(|k| self.index[k])
    }

    /// Whether the file has this column.
    pub fn has(&self, column: &str) -> bool {
        self.position(column).is_some()
    }

    /// The cell of `column` in `cells`, `None` when the file lacks the column.
    pub fn get<'a>(&self, cells: &'a [String], column: &str) -> Option<&'a str> {
        self.position(column).and_then(|i| cells.get(i)).map(String::as_str)
    }
}

/// A non-blank, trimmed cell.
pub fn non_blank(cell: Option<&str>) -> Option<&str> {
    cell.map(str::trim).filter(|s| !s.is_empty())
}

/// Collects cell errors of one record.
pub struct Problems {
    pub line: u64,
    pub errors: Vec<RowError>,
}

impl Problems {
    pub fn new(line: u64) -> Problems {
        Problems { line, errors: Vec::new() }
    }

    /// Keeps the value, or records why the cell is bad.
    pub fn check<T>(&mut self, column: &str, value: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(why) => {
                self.errors.push(RowError::cell(self.line, column, value, why));
                None
            }
        }
    }

    pub fn add(&mut self, column: &str, value: &str, why: impl Into<String>) {
        self.errors.push(RowError::cell(self.line, column, value, why));
    }
}

/// Parses a yes/no cell: blank is no.
pub fn parse_flag(cell: &str) -> Result<bool, String> {
    match crate::domain::text::fold(cell).as_str() {
        "" | "no" | "false" | "0" | "nej" | "n" => Ok(false),
        "yes" | "true" | "1" | "ja" | "j" | "y" | "x" => Ok(true),
        _ => Err(crate::tr!("expected yes or no", "väntade ja eller nej")),
    }
}

/// Writes one record, neutralising text cells that Excel would run as formulas.
pub fn write_record<W: std::io::Write>(w: &mut csv::Writer<W>, cells: &[Cell]) -> std::io::Result<()> {
    w.write_record(cells.iter().map(|c| match c {
        Cell::Text(t) => neutralise_cell(t).into_owned(),
        Cell::Plain(t) => t.clone(),
    }))
    .map_err(dialect::io_error)
}

/// An exported cell: text (neutralised against formulas) or a plain machine value.
pub enum Cell {
    Text(String),
    Plain(String),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Cell {
        Cell::Text(s.map(Into::into).unwrap_or_default())
    }
}

/// The decimal mark a dialect writes numbers with.
pub fn mark(dialect: CsvDialect) -> char {
    dialect.decimal_mark()
}
