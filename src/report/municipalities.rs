//! `report municipalities`: each project's amounts split evenly over its municipalities,
//! exactly (the first municipalities in the county's order take the leftover öre).

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::store::reports::{MunicipalityRow, Sums};

pub fn build(frame: &Frame, names: &[String], split: &[MunicipalityRow], none: Sums, totals: Sums) -> Report {
    let lang = frame.lang;
    let mut rows: Vec<Vec<Cell>> = names
        .iter()
        .enumerate()
        .map(|(bit, name)| {
            let (n, total, eu) =
                split.iter().find(|r| r.bit == bit as i64).map_or((0, 0, 0), |r| (r.projects, r.total, r.eu));
            vec![
                Cell::text(name),
                Cell::Count(n),
                Cell::money(total),
                Cell::money(eu),
                Cell::Percent(share(total, totals.total)),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::text(lang.pick("(none given)", "(ingen angiven)")),
        Cell::Count(none.projects),
        Cell::money(none.total),
        Cell::money(none.eu),
        Cell::Percent(share(none.total, totals.total)),
    ]);
    let columns = vec![
        frame.col("municipality", "Municipality", "Kommun", ColumnKind::Text),
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let total_row = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Count(totals.projects),
        Cell::money(totals.total),
        Cell::money(totals.eu),
        Cell::Percent(share(totals.total, totals.total)),
    ];
    let main = Table { key: "municipalities".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    let mut r =
        frame.report("municipalities", lang.pick("Turned over by municipality", "Omsatt per kommun").into(), main);
    r.notes.push(
        lang.pick(
            "A project in several municipalities is split evenly over them and counted in each.",
            "Ett projekt i flera kommuner delas lika mellan dem och räknas i var och en.",
        )
        .into(),
    );
    r
}
