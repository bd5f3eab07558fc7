//! `report status`: the selected projects by status, in pipeline order.

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::figures::{StatusSums, Sums};

pub fn build(frame: &Frame, by_status: &[StatusSums]) -> Report {
    let lang = frame.lang;
    let mut sorted: Vec<&StatusSums> = by_status.iter().collect();
    sorted.sort_by_key(|s| s.status);
    let mut totals = Sums::default();
    for s in &sorted {
        totals.projects += s.sums.projects;
        totals.total += s.sums.total;
        totals.eu += s.sums.eu;
    }
    let rows = sorted
        .iter()
        .map(|s| {
            vec![
                Cell::text(s.status.label(lang)),
                Cell::Count(s.sums.projects),
                Cell::money(s.sums.total),
                Cell::money(s.sums.eu),
                Cell::Percent(share(s.sums.total, totals.total)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("status", "Status", "Status", ColumnKind::Text),
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
    let main = Table { key: "status".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    frame.report("status", lang.pick("Projects by status", "Projekt per status").into(), main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::domain::project::Status;

    fn sums(projects: i64, total: i64, eu: i64) -> Sums {
        Sums { projects, total, eu, ..Sums::default() }
    }

    #[test]
    fn statuses_come_in_pipeline_order_and_sum_to_the_total() {
        let by_status = [
            StatusSums { status: Status::Closed, sums: sums(2, 300, 100), first_year: None, last_year: None },
            StatusSums { status: Status::Applied, sums: sums(1, 100, 50), first_year: None, last_year: None },
        ];
        let r = build(&Frame { lang: Lang::Sv, filters: vec![], as_of: None }, &by_status);
        assert_eq!(r.main.rows[0][0], Cell::text("ansökt"));
        assert_eq!(r.main.rows[1][0], Cell::text("avslutat"));
        assert_eq!(r.main.rows[1][4], Cell::Percent(share(3, 4)));
        assert_eq!(
            r.main.totals.unwrap(),
            vec![
                Cell::text("Totalt"),
                Cell::Count(3),
                Cell::money(400),
                Cell::money(150),
                Cell::Percent(Some(super::super::Ratio::bp(10_000)))
            ]
        );
    }
}
