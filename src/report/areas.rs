//! `report areas`: the portfolio split by specialisation area. Each project's amounts
//! were split across its areas by share when it was recorded, so the rows sum exactly
//! to the summary's totals.

use std::collections::HashMap;

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::area::Area;
use crate::domain::figures::{AreaSums, AreaYear, Sums, span};
use crate::domain::project::Status;

pub struct Input<'a> {
    pub areas: &'a [Area],
    pub by_area: &'a [AreaSums],
    /// Paid split by area (and year).
    pub paid_by_area: &'a [AreaYear],
    pub paid: i64,
    /// The statuses counted (for the headline).
    pub counted: &'a [Status],
    /// Each area's strategy, when the rows are of more than one (a column of its own).
    pub strategy_of: Option<&'a HashMap<i64, String>>,
}

/// The totals of a breakdown by area: the parts sum to the whole, and each project is
/// counted once (in its first area).
pub fn totals(by_area: &[AreaSums]) -> (Sums, Option<i64>, Option<i64>) {
    let mut t = Sums::default();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for a in by_area {
        t.projects += a.first_of;
        t.total += a.sums.total;
        t.eu += a.sums.eu;
        t.public += a.sums.public;
        t.private += a.sums.private;
        t.other += a.sums.other;
        (first, last) = span((first, last), (a.first_year, a.last_year));
    }
    (t, first, last)
}

pub fn build(frame: &Frame, input: &Input<'_>) -> Report {
    let lang = frame.lang;
    let mut columns = vec![
        frame.col("area", "Code", "Kod", ColumnKind::Text).machine(),
        frame.col("name", "Area", "Område", ColumnKind::Text),
        frame.col("projects", "Proj.", "Proj.", ColumnKind::Count),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("public", "Public", "Offentl.", ColumnKind::Money),
        frame.col("private", "Private", "Privat", ColumnKind::Money),
        frame.col("other", "Other", "Övrigt", ColumnKind::Money),
        frame.col("paid", "Paid", "Utbet.", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let mut paid: HashMap<i64, i64> = HashMap::new();
    for p in input.paid_by_area {
        *paid.entry(p.area).or_default() += p.amount;
    }
    let sums: HashMap<i64, Sums> = input.by_area.iter().map(|a| (a.area, a.sums)).collect();
    let (t, first_year, _) = totals(input.by_area);
    let mut rows: Vec<Vec<Cell>> = input
        .areas
        .iter()
        .map(|a| {
            let s = sums.get(&a.id).copied().unwrap_or_default();
            vec![
                Cell::text(&a.code),
                Cell::text(a.name(lang)),
                Cell::Count(s.projects),
                Cell::money(s.total),
                Cell::money(s.eu),
                Cell::money(s.public),
                Cell::money(s.private),
                Cell::money(s.other),
                Cell::money(paid.get(&a.id).copied().unwrap_or(0)),
                Cell::Percent(share(s.total, t.total)),
            ]
        })
        .collect();
    let mut totals = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Empty,
        Cell::Count(t.projects),
        Cell::money(t.total),
        Cell::money(t.eu),
        Cell::money(t.public),
        Cell::money(t.private),
        Cell::money(t.other),
        Cell::money(input.paid),
        Cell::Percent(share(t.total, t.total)),
    ];
    if let Some(of) = input.strategy_of {
        columns.insert(1, frame.col("strategy", "Strategy", "Strategi", ColumnKind::Text));
        for (row, a) in rows.iter_mut().zip(input.areas) {
            row.insert(1, Cell::opt_text(of.get(&a.id).cloned()));
        }
        totals.insert(1, Cell::Empty);
    }
    let main = Table { key: "areas".into(), title: String::new(), columns, rows, totals: Some(totals) };
    let mut report = frame.report(
        "areas",
        lang.pick("Turned over by specialisation area", "Omsatt per specialiseringsområde").into(),
        main,
    );
    report.headline = Some(super::summary::headline(lang, &t, first_year, input.counted));
    report.notes.push(
        lang.pick(
            "Amounts are split across a project's areas by share, exactly to the öre; a project in several areas counts once in each, and once in the total.",
            "Beloppen är fördelade på projektets områden efter andel, exakt på öret; ett projekt i flera områden räknas en gång i vart och ett, och en gång i totalen.",
        )
        .into(),
    );
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;

    fn area(id: i64, code: &str) -> Area {
        Area {
            id,
            code: code.into(),
            name_sv: format!("{code} sv"),
            name_en: format!("{code} en"),
            valid_from: None,
            valid_to: None,
            position: id,
            strategy: None,
            horizontal: false,
        }
    }

    #[test]
    fn rows_follow_the_area_list_and_shares_use_the_total() {
        let areas = [area(1, "skog"), area(2, "halsa"), area(3, "spel")];
        // Two projects: one in skog alone, one split between skog and halsa.
        let by_area = [
            AreaSums {
                area: 1,
                sums: Sums { projects: 2, total: 300, eu: 100, public: 100, private: 100, other: 0 },
                first_of: 2,
                first_year: Some(2019),
                last_year: Some(2020),
            },
            AreaSums {
                area: 2,
                sums: Sums { projects: 1, total: 100, eu: 100, public: 0, private: 0, other: 0 },
                first_of: 0,
                first_year: Some(2020),
                last_year: Some(2020),
            },
        ];
        let r = build(
            &Frame { lang: Lang::En, filters: vec![], as_of: None },
            &Input {
                areas: &areas,
                by_area: &by_area,
                paid_by_area: &[
                    AreaYear { area: 1, year: Some(2020), amount: 30 },
                    AreaYear { area: 1, year: Some(2021), amount: 20 },
                    AreaYear { area: 2, year: Some(2021), amount: 10 },
                ],
                paid: 60,
                counted: &Status::TURNED_OVER,
                strategy_of: None,
            },
        );
        assert_eq!(r.main.rows.len(), 3);
        assert_eq!(r.main.rows[0][8], Cell::money(50));
        assert_eq!(r.main.rows[0][9], Cell::Percent(Some(crate::report::Ratio::bp(7500))));
        assert_eq!(r.main.rows[2][3], Cell::money(0));
        assert_eq!(r.main.totals.as_ref().unwrap()[2], Cell::Count(2));
        assert_eq!(r.main.totals.as_ref().unwrap()[3], Cell::money(400));
        assert_eq!(r.main.totals.as_ref().unwrap()[8], Cell::money(60));
        assert_eq!(r.headline.unwrap(), "Since 2019: 2 projects, 4 kr turned over, of which 2 kr from the EU.");
    }
}
