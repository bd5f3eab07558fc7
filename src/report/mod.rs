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
pub mod compare;
pub mod funders;
pub mod indicators;
pub mod municipalities;
pub mod orgs;
pub mod projects;
pub mod status;
pub mod summary;
pub mod years;

use serde::Serialize;

use crate::domain::history::ChangeInfo;
use crate::domain::lang::Lang;
use crate::domain::money::Money;

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
    /// A key for programs (an area's code), in CSV and JSON but not in a table, which
    /// shows the name beside it instead.
    #[serde(skip)]
    pub machine: bool,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>, kind: ColumnKind) -> Column {
        Column { key: key.into(), label: label.into(), kind, detail: false, wrap: false, machine: false }
    }

    /// Marks the column as a key for programs only (see [`Column::machine`]).
    pub fn machine(mut self) -> Column {
        self.machine = true;
        self
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
    /// A share of the total or of a project, or a rate; `None` when undefined.
    Percent(Option<Ratio>),
    /// A decimal number as text, already exact (indicators).
    Number(String),
    /// Original-currency amounts beside a SEK figure: `(currency, amount)`.
    Amounts(Vec<(String, Money)>),
    /// A record as it was (the history's before and after): an object in JSON, its
    /// compact JSON text elsewhere.
    Json(serde_json::Value),
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

/// An exact fraction (a share, a rate), rounded only once, when it is shown: a rate of
/// 42.748 % shows as 42.7 %, never 42.75 rounded again to 42.8.
#[derive(Clone, Copy, Debug)]
pub struct Ratio {
    part: i64,
    whole: i64,
}

impl Ratio {
    /// Basis points as a ratio: `Ratio::bp(6000)` is 60 %.
    pub fn bp(bp: i64) -> Ratio {
        Ratio { part: bp, whole: 10_000 }
    }

    /// The ratio in `1/scale`ths, rounded half away from zero: `scale` 10 000 gives basis
    /// points, 1 000 tenths of a percent.
    pub fn scaled(self, scale: i64) -> i64 {
        crate::domain::money::round_div(i128::from(self.part) * i128::from(scale), i128::from(self.whole)) as i64
    }
}

impl PartialEq for Ratio {
    fn eq(&self, other: &Ratio) -> bool {
        i128::from(self.part) * i128::from(other.whole) == i128::from(other.part) * i128::from(self.whole)
    }
}

impl Eq for Ratio {}

/// `part` of `whole`; `None` when the whole is zero.
pub fn share(part: i64, whole: i64) -> Option<Ratio> {
    match whole {
        0 => None,
        w if w < 0 => Some(Ratio { part: -part, whole: -w }),
        w => Some(Ratio { part, whole: w }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_away_and_need_a_whole() {
        let bp = |part, whole| share(part, whole).map(|r| r.scaled(10_000));
        assert_eq!(bp(1, 3), Some(3333));
        assert_eq!(bp(2, 3), Some(6667));
        assert_eq!(bp(5, 0), None);
        assert_eq!(bp(1, 20000), Some(1));
        assert_eq!(bp(1, 20001), Some(0));
        assert_eq!(bp(-1, -3), Some(3333));
        assert_eq!(share(3, 4), Some(Ratio::bp(7500)));
    }

    #[test]
    fn a_ratio_is_rounded_once() {
        // 1 120 000 of 2 620 000 is 42.748 %: 42.7 % at one decimal, not 42.75 → 42.8.
        let rate = share(1_120_000, 2_620_000).unwrap();
        assert_eq!(rate.scaled(1_000), 427);
        assert_eq!(rate.scaled(10_000), 4275);
    }
}
