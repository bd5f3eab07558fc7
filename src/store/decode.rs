//! The one checked decoder of stored codes and dates. spets writes only codes and dates
//! it can read back, so a value that does not decode was written outside spets: it is
//! an error naming the table, the row and the column, never read as some default (a
//! bad date as 1970-01-01, an unknown status as "applied").

use chrono::NaiveDate;

use crate::domain::date::from_int;

/// Where a stored value is read: its table and column, and the row's key when the
/// query has one (an aggregate has none). A row of a project version (a funding line)
/// is keyed by the version and its position in it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct At<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row: Option<i64>,
    pub position: Option<i64>,
}

impl<'a> At<'a> {
    pub fn new(table: &'a str, column: &'a str, row: Option<i64>) -> At<'a> {
        At { table, column, row, position: None }
    }

    /// Row `position` of project version `vid` in `table`.
    pub fn of_version(table: &'a str, column: &'a str, vid: i64, position: i64) -> At<'a> {
        At { table, column, row: Some(vid), position: Some(position) }
    }

    fn bad(self, value: i64, what: &str) -> super::db::DbError {
        self.unreadable(&crate::tr!("{value} is not {what}", "{value} är inte {what}"))
    }

    /// The error for a value here that does not decode, saying why.
    fn unreadable(self, why: &str) -> super::db::DbError {
        let At { table, column, row, position } = self;
        let message = match (row, position) {
            (Some(vid), Some(position)) => crate::tr!(
                "{table} row of projects row vid {vid} at position {position}, column {column}: {why}",
                "{table}-raden för projects-raden vid {vid} på position {position}, kolumnen {column}: {why}"
            ),
            (Some(row), None) => {
                crate::tr!("{table} row {row}, column {column}: {why}", "{table}-raden {row}, kolumnen {column}: {why}")
            }
            (None, _) => crate::tr!("{table}, column {column}: {why}", "{table}, kolumnen {column}: {why}"),
        };
        super::db::DbError::Unreadable(message)
    }
}

/// A stored code: the position of a word in its list (a status, a kind).
pub(crate) fn code<T>(at: At<'_>, value: i64, from: fn(i64) -> Option<T>) -> super::db::Result<T> {
    from(value).ok_or_else(|| at.bad(value, &crate::tr!("a code spets writes", "en kod som spets skriver")))
}

/// A stored text (a currency, a rate, an organisationsnummer, a number) read by
/// `parse`, whose error says why it is not one.
pub(crate) fn text<T, E: std::fmt::Display>(at: At<'_>, value: &str, parse: Result<T, E>) -> super::db::Result<T> {
    parse.map_err(|why| at.unreadable(&format!("{value:?}: {why}")))
}

/// A stored date, `YYYYMMDD`.
pub(crate) fn date(at: At<'_>, value: i64) -> super::db::Result<NaiveDate> {
    from_int(value).ok_or_else(|| at.bad(value, &crate::tr!("a date (YYYYMMDD)", "ett datum (ÅÅÅÅMMDD)")))
}

/// A stored date that may be absent.
pub(crate) fn opt_date(at: At<'_>, value: Option<i64>) -> super::db::Result<Option<NaiveDate>> {
    value.map(|v| date(at, v)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::project::Status;

    #[test]
    fn a_bad_code_or_date_is_an_error_naming_where_it_is() {
        let at = At::new("projects", "status", Some(7));
        assert_eq!(code(at, 2, Status::from_code).ok(), Some(Status::Granted));
        let e = code(at, 9, Status::from_code).unwrap_err().to_string();
        assert!(e.contains("projects row 7, column status: 9 is not a code spets writes"), "{e}");
        let at = At::new("payments", "date", None);
        assert_eq!(date(at, 20230228).ok(), NaiveDate::from_ymd_opt(2023, 2, 28));
        let e = date(at, 20230230).unwrap_err().to_string();
        assert!(e.contains("payments, column date: 20230230 is not a date (YYYYMMDD)"), "{e}");
        assert_eq!(opt_date(at, None).ok(), Some(None));
    }
}
