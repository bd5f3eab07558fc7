//! Report values: plain data computed once from store rows, then handed to a renderer.
//!
//! A report is rows, columns and totals with the filters that made it and the moment
//! it shows (`as_of`). Every figure is computed here, before rendering: shares of the
//! total, remaining balances and co-financing rates are integer arithmetic on öre, and
//! renderers only format. Nothing here does I/O.

pub mod actors;
pub mod areas;
pub mod audit;
pub mod check;
pub mod funders;
pub mod municipalities;
pub mod orgs;
pub mod projects;
pub mod status;
pub mod summary;
pub mod years;

use serde::Serialize;

use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::store::ChangeInfo;

/// What a column holds; decides alignment and formatting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Text,
    Count,
    Money,
    /// A share of the report's total, in basis points, shown with a small bar.
    Share,
    /// A percentage in basis points (a rate or a share of a project), no bar.
    Percent,
    /// A number that is not money (indicator targets and outcomes).
    Number,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub key: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: ColumnKind,
    /// A detail a narrow table may leave out (CSV and JSON always have it).
    #[serde(skip)]
    pub detail: bool,
    /// A long text a table wraps over several lines rather than cuts.
    #[serde(skip)]
    pub wrap: bool,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>, kind: ColumnKind) -> Column {
        Column { key: key.into(), label: label.into(), kind, detail: false, wrap: false }
    }

    /// Marks the column as one a narrow table may leave out.
    pub fn detail(mut self) -> Column {
        self.detail = true;
        self
    }

    /// Marks the column as one a table wraps rather than cuts (in tables with no totals).
    pub fn wrap(mut self) -> Column {
        self.wrap = true;
        self
    }
}

/// One cell of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Count(i64),
    Money(Money),
    /// Basis points (of the total, of a project, a rate); `None` when undefined.
    Percent(Option<i64>),
    /// A decimal number as text, already exact (indicators).
    Number(String),
    /// Original-currency amounts beside a SEK figure: `(currency, amount)`.
    Amounts(Vec<(String, Money)>),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn money(ore: i64) -> Cell {
        Cell::Money(Money(ore))
    }

    pub fn opt_text(s: Option<impl Into<String>>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }
}

/// Rows under one set of columns, with an optional totals row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub key: String,
    pub title: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub totals: Option<Vec<Cell>>,
}

/// How the main table reads: rows under a header, or one record as label/value lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Rows,
    Record,
}

/// A report value: what any renderer needs and nothing it would have to compute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub name: String,
    pub title: String,
    /// The filters that made it, as `(name, value)` in the user's terms.
    pub filters: Vec<(String, String)>,
    /// The last change the report includes.
    pub as_of: Option<ChangeInfo>,
    pub headline: Option<String>,
    pub main: Table,
    pub sections: Vec<Table>,
    pub notes: Vec<String>,
    pub layout: Layout,
}

/// What every report carries besides its rows: language, filters, moment.
#[derive(Clone, Debug)]
pub struct Frame {
    pub lang: Lang,
    pub filters: Vec<(String, String)>,
    pub as_of: Option<ChangeInfo>,
}

impl Frame {
    pub fn report(&self, name: &str, title: String, main: Table) -> Report {
        Report {
            name: name.to_string(),
            title,
            filters: self.filters.clone(),
            as_of: self.as_of.clone(),
            headline: None,
            main,
            sections: Vec::new(),
            notes: Vec::new(),
            layout: Layout::Rows,
        }
    }

    /// A column whose label is chosen by language.
    pub fn col(&self, key: &str, en: &str, sv: &str, kind: ColumnKind) -> Column {
        Column::new(key, self.lang.pick(en, sv), kind)
    }
}

/// `part` as basis points of `whole`, rounded half up; `None` when the whole is zero.
pub fn share_bp(part: i64, whole: i64) -> Option<i64> {
    if whole == 0 {
        return None;
    }
    let p = i128::from(part) * 10_000;
    Some(crate::domain::money::round_div(p, i128::from(whole)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_away_and_need_a_whole() {
        assert_eq!(share_bp(1, 3), Some(3333));
        assert_eq!(share_bp(2, 3), Some(6667));
        assert_eq!(share_bp(5, 0), None);
        assert_eq!(share_bp(1, 20000), Some(1));
        assert_eq!(share_bp(1, 20001), Some(0));
    }
}
