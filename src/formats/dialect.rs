//! The CSV every file of spets is written in: the two dialects (plain for programs,
//! Swedish Excel's), the writer that starts Excel's with its byte order mark, and the
//! rule that keeps a text cell from being run as a formula when Excel opens it.

use std::io::Write;

/// The CSV flavour: plain for programs, or Swedish Excel's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CsvDialect {
    /// `,` separated, `.` decimal mark, no BOM.
    #[default]
    Plain,
    /// `;` separated, decimal comma, UTF-8 BOM: what Excel in Sweden opens as numbers.
    ExcelSv,
}

impl CsvDialect {
    pub fn delimiter(self) -> u8 {
        match self {
            CsvDialect::Plain => b',',
            CsvDialect::ExcelSv => b';',
        }
    }

    pub fn decimal_mark(self) -> char {
        match self {
            CsvDialect::Plain => '.',
            CsvDialect::ExcelSv => ',',
        }
    }
}

/// Text that Excel would run as a formula, made inert by a leading apostrophe; text
/// that already starts with apostrophes before such a character gets one more, so
/// [`restore_cell`] can undo exactly this and nothing else.
pub fn neutralise_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let rest = text.trim_start_matches('\'');
    if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Undoes [`neutralise_cell`].
pub fn restore_cell(text: &str) -> &str {
    let rest = text.trim_start_matches('\'');
    if text.starts_with('\'') && rest.starts_with(['=', '+', '-', '@', '\t', '\r']) { &text[1..] } else { text }
}

/// A CSV error as the I/O error under it when there is one (so a closed pipe stays a
/// closed pipe), else as an I/O error carrying it.
pub fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// A CSV writer for the dialect, writing the BOM Excel needs first.
pub fn writer<W: Write>(mut out: W, dialect: CsvDialect) -> std::io::Result<csv::Writer<W>> {
    if dialect == CsvDialect::ExcelSv {
        out.write_all("\u{feff}".as_bytes())?;
    }
    Ok(csv::WriterBuilder::new().delimiter(dialect.delimiter()).terminator(csv::Terminator::CRLF).from_writer(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_neutralised_and_restored() {
        assert_eq!(neutralise_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise_cell("+46 54 123"), "'+46 54 123");
        assert_eq!(neutralise_cell("'=already"), "''=already");
        assert_eq!(neutralise_cell("'quoted"), "'quoted");
        assert_eq!(neutralise_cell("Karlstad"), "Karlstad");
        assert_eq!(restore_cell("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(restore_cell("'quoted"), "'quoted");
    }

    proptest! {
        #[test]
        fn restore_undoes_neutralise(s in "['=+@\\-\t\rA-Za-zåäö ]{0,12}") {
            let neutral = neutralise_cell(&s);
            prop_assert_eq!(restore_cell(&neutral), s.as_str());
        }
    }
}
