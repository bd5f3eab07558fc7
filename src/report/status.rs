//! `report status`: the selected projects by status, in pipeline order.

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::store::reports::{StatusSums, Sums};

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
