//! `report areas`: the portfolio split by specialisation area. Each project's amounts
//! were split across its areas by share when it was recorded, so the rows sum exactly
//! to the summary's totals.

use std::collections::HashMap;

use super::{Cell, ColumnKind, Frame, Report, Table, share_bp};
use crate::domain::area::Area;
use crate::store::reports::{AreaYear, Sums};

pub struct Input<'a> {
    pub areas: &'a [Area],
    pub by_area: &'a [(i64, Sums)],
    /// Paid split by area (and year).
    pub paid_by_area: &'a [AreaYear],
    /// The summary's totals under the same filters.
    pub totals: Sums,
    pub paid: i64,
    /// The headline these figures make (the summary's sentence).
    pub headline: Option<String>,
}

pub fn build(frame: &Frame, input: &Input<'_>) -> Report {
    let lang = frame.lang;
    let columns = vec![
        frame.col("area", "Area", "Område", ColumnKind::Text),
        frame.col("name", "Name", "Namn", ColumnKind::Text).detail(),
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
    let sums: HashMap<i64, Sums> = input.by_area.iter().copied().collect();
    let t = input.totals;
    let rows = input
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
                Cell::Percent(share_bp(s.total, t.total)),
            ]
        })
        .collect();
    let totals = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Empty,
        Cell::Count(t.projects),
        Cell::money(t.total),
        Cell::money(t.eu),
        Cell::money(t.public),
        Cell::money(t.private),
        Cell::money(t.other),
        Cell::money(input.paid),
        Cell::Percent(share_bp(t.total, t.total)),
    ];
    let main = Table { key: "areas".into(), title: String::new(), columns, rows, totals: Some(totals) };
    let mut report = frame.report(
        "areas",
        lang.pick("Turned over by specialisation area", "Omsatt per specialiseringsområde").into(),
        main,
    );
    report.headline = input.headline.clone();
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
        }
    }

    #[test]
    fn rows_follow_the_area_list_and_shares_use_the_total() {
        let areas = [area(1, "skog"), area(2, "halsa"), area(3, "spel")];
        let by_area = [
            (1, Sums { projects: 2, total: 300, eu: 100, public: 100, private: 100, other: 0 }),
            (2, Sums { projects: 1, total: 100, eu: 100, public: 0, private: 0, other: 0 }),
        ];
        let totals = Sums { projects: 2, total: 400, eu: 200, public: 100, private: 100, other: 0 };
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
                totals,
                paid: 60,
                headline: None,
            },
        );
        assert_eq!(r.main.rows.len(), 3);
        assert_eq!(r.main.rows[0][8], Cell::money(50));
        assert_eq!(r.main.rows[0][9], Cell::Percent(Some(7500)));
        assert_eq!(r.main.rows[2][3], Cell::money(0));
        assert_eq!(r.main.totals.as_ref().unwrap()[2], Cell::Count(2));
        assert_eq!(r.main.totals.as_ref().unwrap()[8], Cell::money(60));
    }
}
