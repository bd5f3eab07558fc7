//! `report municipalities`: each project's amounts split evenly over its municipalities,
//! exactly (the first municipalities in the county's order take the leftover öre).

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::figures::{MunicipalityRow, Sums};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;

    #[test]
    fn every_municipality_has_a_row_and_projects_without_one_have_theirs() {
        let names = vec!["Arvika".to_string(), "Eda".to_string(), "Karlstad".to_string()];
        let split = [
            MunicipalityRow { bit: 0, projects: 1, total: 51, eu: 1 },
            MunicipalityRow { bit: 2, projects: 2, total: 149, eu: 9 },
        ];
        let none = Sums { projects: 1, total: 100, eu: 0, ..Sums::default() };
        let totals = Sums { projects: 3, total: 300, eu: 10, ..Sums::default() };
        let r = build(&Frame { lang: Lang::En, filters: vec![], as_of: None }, &names, &split, none, totals);
        let column = |i: usize| r.main.rows.iter().map(|row| row[i].clone()).collect::<Vec<_>>();
        assert_eq!(column(0), ["Arvika", "Eda", "Karlstad", "(none given)"].map(Cell::text).to_vec());
        assert_eq!(column(2), [51, 0, 149, 100].map(Cell::money).to_vec());
        assert_eq!(r.main.rows[1][4], Cell::Percent(share(0, 300)));
        assert_eq!(r.main.totals.unwrap()[2], Cell::money(300));
    }
}
