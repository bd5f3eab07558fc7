//! `report years`: the portfolio by calendar year, on one of four bases, and pivoted
//! years × areas with `--by area`. Every basis reconciles with the summary: by decision
//! or start date each project falls in one year (or "no date"); pro rata each amount is
//! spread over its days exactly; by payment the payments sum to what was paid.

use std::collections::{BTreeMap, HashMap};

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::area::Area;
use crate::domain::figures::{AreaYear, Sums, YearRow, YearSpread};
use crate::domain::lang::Lang;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    Decided,
    Start,
    Prorata,
    Paid,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Decided => "decided",
            Basis::Start => "start",
            Basis::Prorata => "prorata",
            Basis::Paid => "paid",
        }
    }

    /// The word for it in `lang` (each is accepted by `--basis` too).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Basis::Decided => lang.pick("decided", "beslutat"),
            Basis::Paid => lang.pick("paid", "utbetalt"),
            other => other.as_str(),
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Basis::Decided => lang.pick("By year of decision", "Per beslutsår"),
            Basis::Start => lang.pick("By year of start", "Per startår"),
            Basis::Prorata => {
                lang.pick("By year, pro rata over each project's days", "Per år, fördelat på projektens dagar")
            }
            Basis::Paid => lang.pick("By year of payment", "Per utbetalningsår"),
        }
    }
}

fn year_cell(year: Option<i64>, lang: Lang) -> Cell {
    match year {
        Some(y) => Cell::Text(y.to_string()),
        None => Cell::text(lang.pick("no date", "utan datum")),
    }
}

/// Years in order, undated last.
fn ordered<T>(map: BTreeMap<Option<i64>, T>) -> Vec<(Option<i64>, T)> {
    let mut v: Vec<(Option<i64>, T)> = map.into_iter().collect();
    v.sort_by_key(|(y, _)| (y.is_none(), *y));
    v
}

/// By decision or start year: each project in the year of its date.
pub fn by_date(
    frame: &Frame,
    basis: Basis,
    rows: &[YearRow],
    paid: &[(Option<i64>, i64)],
    totals: Sums,
    paid_total: i64,
) -> Report {
    let lang = frame.lang;
    let mut years: BTreeMap<Option<i64>, (i64, i64, i64, i64)> = BTreeMap::new();
    for (y, n, total, eu) in rows {
        let e = years.entry(*y).or_default();
        e.0 += n;
        e.1 += total;
        e.2 += eu;
    }
    for (y, p) in paid {
        years.entry(*y).or_default().3 += p;
    }
    let rows = ordered(years)
        .into_iter()
        .map(|(y, (n, total, eu, p))| {
            vec![
                year_cell(y, lang),
                Cell::Count(n),
                Cell::money(total),
                Cell::money(eu),
                Cell::money(p),
                Cell::Percent(share(total, totals.total)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("year", "Year", "År", ColumnKind::Text),
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("paid", "Paid", "Utbetalt", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let total_row = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Count(totals.projects),
        Cell::money(totals.total),
        Cell::money(totals.eu),
        Cell::money(paid_total),
        Cell::Percent(share(totals.total, totals.total)),
    ];
    let main = Table { key: "years".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    let mut r = frame.report("years", basis.title(lang).into(), main);
    r.notes.push(
        lang.pick(
            "Paid: what has been paid on the projects of that year.",
            "Utbetalt: vad som betalats ut till årets projekt.",
        )
        .into(),
    );
    r
}

/// Pro rata: each amount spread over the project's days; projects without a start or an
/// end date are shown as "no date".
pub fn prorata(
    frame: &Frame,
    spread: &[YearSpread],
    undated: Sums,
    paid_by_year: &[(i64, i64, i64)],
    paid_total: i64,
) -> Report {
    let lang = frame.lang;
    let mut years: BTreeMap<Option<i64>, (i64, i64, i64)> = BTreeMap::new();
    for y in spread {
        let e = years.entry(Some(y.year)).or_default();
        e.0 += y.total;
        e.1 += y.eu;
    }
    if undated.total != 0 || undated.projects != 0 {
        let e = years.entry(None).or_default();
        e.0 += undated.total;
        e.1 += undated.eu;
    }
    for (y, _, p) in paid_by_year {
        years.entry(Some(*y)).or_default().2 += p;
    }
    let grand: i64 = years.values().map(|v| v.0).sum();
    let grand_eu: i64 = years.values().map(|v| v.1).sum();
    let rows = ordered(years)
        .into_iter()
        .map(|(y, (total, eu, p))| {
            vec![
                year_cell(y, lang),
                Cell::money(total),
                Cell::money(eu),
                Cell::money(p),
                Cell::Percent(share(total, grand)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("year", "Year", "År", ColumnKind::Text),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("paid", "Paid", "Utbetalt", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let total_row = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::money(grand),
        Cell::money(grand_eu),
        Cell::money(paid_total),
        Cell::Percent(share(grand, grand)),
    ];
    let main = Table { key: "years".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    let mut r = frame.report("years", Basis::Prorata.title(lang).into(), main);
    r.notes.push(lang.pick("Paid: payments made in that year.", "Utbetalt: utbetalningar gjorda det året.").into());
    r
}

/// By year of payment: payments less recoveries.
pub fn paid(frame: &Frame, by_year: &[(i64, i64, i64)], paid_total: i64) -> Report {
    let lang = frame.lang;
    let count: i64 = by_year.iter().map(|r| r.1).sum();
    let rows = by_year
        .iter()
        .map(|(y, n, p)| {
            vec![Cell::Text(y.to_string()), Cell::Count(*n), Cell::money(*p), Cell::Percent(share(*p, paid_total))]
        })
        .collect();
    let columns = vec![
        frame.col("year", "Year", "År", ColumnKind::Text),
        frame.col("payments", "Payments", "Utbetalningar", ColumnKind::Count),
        frame.col("paid", "Paid", "Utbetalt", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let total_row = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Count(count),
        Cell::money(paid_total),
        Cell::Percent(share(paid_total, paid_total)),
    ];
    let main = Table { key: "years".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    frame.report("years", Basis::Paid.title(lang).into(), main)
}

/// Years × areas, with row and column totals.
pub fn by_area(frame: &Frame, basis: Basis, areas: &[Area], cells: &[AreaYear]) -> Report {
    let lang = frame.lang;
    let mut grid: BTreeMap<Option<i64>, HashMap<i64, i64>> = BTreeMap::new();
    for c in cells {
        *grid.entry(c.year).or_default().entry(c.area).or_default() += c.amount;
    }
    let mut columns = vec![frame.col("year", "Year", "År", ColumnKind::Text)];
    columns.extend(areas.iter().map(|a| super::Column::new(a.code.clone(), a.code.clone(), ColumnKind::Money)));
    columns.push(frame.col("total", "Total", "Totalt", ColumnKind::Money));
    let mut column_totals = vec![0i64; areas.len()];
    let rows = ordered(grid)
        .into_iter()
        .map(|(y, by)| {
            let mut row = vec![year_cell(y, lang)];
            let mut sum = 0;
            for (i, a) in areas.iter().enumerate() {
                let v = by.get(&a.id).copied().unwrap_or(0);
                column_totals[i] += v;
                sum += v;
                row.push(Cell::money(v));
            }
            row.push(Cell::money(sum));
            row
        })
        .collect();
    let mut total_row = vec![Cell::text(lang.pick("Total", "Totalt"))];
    total_row.extend(column_totals.iter().map(|v| Cell::money(*v)));
    total_row.push(Cell::money(column_totals.iter().sum()));
    let main = Table { key: "years".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    let what = if basis == Basis::Paid { lang.pick("paid", "utbetalt") } else { lang.pick("total", "totalt") };
    frame.report("years", format!("{} × {} ({what})", basis.title(lang), lang.pick("area", "område")), main)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame { lang: Lang::En, filters: vec![], as_of: None }
    }

    #[test]
    fn undated_rows_come_last_and_pivots_reconcile() {
        let areas = [
            Area {
                id: 1,
                code: "skog".into(),
                name_sv: String::new(),
                name_en: String::new(),
                valid_from: None,
                valid_to: None,
                position: 0,
                strategy: None,
                horizontal: false,
            },
            Area {
                id: 2,
                code: "spel".into(),
                name_sv: String::new(),
                name_en: String::new(),
                valid_from: None,
                valid_to: None,
                position: 1,
                strategy: None,
                horizontal: false,
            },
        ];
        let r = by_area(
            &frame(),
            Basis::Decided,
            &areas,
            &[
                AreaYear { year: None, area: 1, amount: 5 },
                AreaYear { year: Some(2020), area: 1, amount: 10 },
                AreaYear { year: Some(2020), area: 2, amount: 3 },
                AreaYear { year: Some(2019), area: 2, amount: 7 },
            ],
        );
        let years: Vec<&Cell> = r.main.rows.iter().map(|row| &row[0]).collect();
        assert_eq!(years, vec![&Cell::text("2019"), &Cell::text("2020"), &Cell::text("no date")]);
        assert_eq!(r.main.rows[1][3], Cell::money(13));
        assert_eq!(
            r.main.totals.unwrap(),
            vec![Cell::text("Total"), Cell::money(15), Cell::money(10), Cell::money(25)]
        );
    }

    #[test]
    fn by_date_joins_paid_to_the_projects_year() {
        let totals = Sums { projects: 3, total: 600, eu: 200, public: 0, private: 400, other: 0 };
        let r = by_date(
            &frame(),
            Basis::Decided,
            &[(Some(2016), 2, 400, 200), (Some(2017), 1, 200, 0)],
            &[(Some(2016), 90)],
            totals,
            90,
        );
        assert_eq!(
            r.main.rows[0],
            vec![
                Cell::text("2016"),
                Cell::Count(2),
                Cell::money(400),
                Cell::money(200),
                Cell::money(90),
                Cell::Percent(crate::report::share(2, 3))
            ]
        );
        assert_eq!(r.main.rows[1][4], Cell::money(0));
    }
}
