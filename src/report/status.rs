//! `report status`: the selected projects by status, in pipeline order.

use super::{Cell, ColumnKind, Frame, Report, Table, share_bp};
use crate::domain::project::Status;
use crate::store::reports::Sums;

pub fn build(frame: &Frame, by_status: &[(Status, Sums)], totals: Sums) -> Report {
    let lang = frame.lang;
    let mut sorted: Vec<&(Status, Sums)> = by_status.iter().collect();
    sorted.sort_by_key(|(s, _)| *s);
    let rows = sorted
        .iter()
        .map(|(st, s)| {
            vec![
                Cell::text(st.label(lang)),
                Cell::Count(s.projects),
                Cell::money(s.total),
                Cell::money(s.eu),
                Cell::Percent(share_bp(s.total, totals.total)),
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
        Cell::Percent(share_bp(totals.total, totals.total)),
    ];
    let main = Table { key: "status".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    frame.report("status", lang.pick("Projects by status", "Projekt per status").into(), main)
}
