//! `spets compare`: a file against the database, as a report value: one row per project
//! only in the file or only in the database, and one per field that differs.

use super::{Cell, ColumnKind, Frame, Report, Table};
use crate::domain::difference::Difference;

/// How a project of the file and the database compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Comparison {
    OnlyInFile { reference: String, title: String },
    OnlyInDatabase { reference: String, title: String },
    Differs { reference: String, title: String, differences: Vec<Difference> },
}

impl Comparison {
    fn reference(&self) -> &str {
        match self {
            Comparison::OnlyInFile { reference, .. }
            | Comparison::OnlyInDatabase { reference, .. }
            | Comparison::Differs { reference, .. } => reference,
        }
    }
}

/// The report of `comparisons` (in any order; shown by reference) and of the `same`
/// projects that agree.
pub fn build(frame: &Frame, file: &str, mut comparisons: Vec<Comparison>, same: u64) -> Report {
    let lang = frame.lang;
    comparisons.sort_by(|a, b| a.reference().cmp(b.reference()));
    let mut rows = Vec::new();
    let (mut in_file, mut in_db, mut differ) = (0, 0, 0);
    for c in &comparisons {
        let alone = |reference: &str, title: &str, what: &str| {
            vec![Cell::text(reference), Cell::text(title), Cell::text(what), Cell::Empty, Cell::Empty, Cell::Empty]
        };
        match c {
            Comparison::OnlyInFile { reference, title } => {
                in_file += 1;
                rows.push(alone(reference, title, lang.pick("only in the file", "bara i filen")));
            }
            Comparison::OnlyInDatabase { reference, title } => {
                in_db += 1;
                rows.push(alone(reference, title, lang.pick("only in the database", "bara i databasen")));
            }
            Comparison::Differs { reference, title, differences } => {
                differ += 1;
                for d in differences {
                    rows.push(vec![
                        Cell::text(reference),
                        Cell::text(title),
                        Cell::text(lang.pick("differs", "skiljer sig")),
                        Cell::text(d.field),
                        Cell::text(&d.old),
                        Cell::text(&d.new),
                    ]);
                }
            }
        }
    }
    let columns = vec![
        frame.col("ref", "Ref", "Ref", ColumnKind::Text),
        frame.col("title", "Title", "Titel", ColumnKind::Text).detail(),
        frame.col("comparison", "Comparison", "Jämförelse", ColumnKind::Text),
        frame.col("field", "Field", "Fält", ColumnKind::Text),
        frame.col("database", "Database", "Databasen", ColumnKind::Text).wrap(),
        frame.col("file", "File", "Filen", ColumnKind::Text).wrap(),
    ];
    let main = Table { key: "comparison".into(), title: String::new(), columns, rows, totals: None };
    let mut report = frame.report(
        "compare",
        format!("{} {file}", lang.pick("Database compared with", "Databasen jämförd med")),
        main,
    );
    report.headline = Some(if comparisons.is_empty() {
        format!(
            "{} ({same} {}).",
            lang.pick("The file and the database agree", "Filen och databasen stämmer överens"),
            lang.pick("projects", "projekt")
        )
    } else {
        format!(
            "{in_file} {}, {in_db} {}, {differ} {}, {same} {}.",
            lang.pick("only in the file", "bara i filen"),
            lang.pick("only in the database", "bara i databasen"),
            lang.pick("differ", "skiljer sig"),
            lang.pick("agree", "stämmer"),
        )
    });
    report
}
