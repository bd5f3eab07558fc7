//! `report orgs`: owner organisations by total, optionally the top N and the rest in one
//! row, so the rows still sum to the total.

use std::collections::HashMap;

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::figures::Sums;
use crate::domain::org::Org;

pub fn build(
    frame: &Frame,
    orgs: &HashMap<i64, Org>,
    by_owner: &[(i64, Sums)],
    top: Option<usize>,
    totals: Sums,
) -> Report {
    let lang = frame.lang;
    let shown = top.unwrap_or(by_owner.len()).min(by_owner.len());
    let row = |name: String, kind: String, s: &Sums| {
        vec![
            Cell::Text(name),
            Cell::Text(kind),
            Cell::Count(s.projects),
            Cell::money(s.total),
            Cell::money(s.eu),
            Cell::Percent(share(s.total, totals.total)),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = by_owner[..shown]
        .iter()
        .map(|(id, s)| {
            let (name, kind) = orgs
                .get(id)
                .map_or((format!("#{id}"), String::new()), |o| (o.name.clone(), o.kind.label(lang).to_string()));
            row(name, kind, s)
        })
        .collect();
    if shown < by_owner.len() {
        let mut rest = Sums::default();
        for (_, s) in &by_owner[shown..] {
            rest.projects += s.projects;
            rest.total += s.total;
            rest.eu += s.eu;
        }
        let n = by_owner.len() - shown;
        rows.push(row(format!("{} ({n})", lang.pick("Others", "Övriga")), String::new(), &rest));
    }
    let columns = vec![
        frame.col("org", "Organisation", "Organisation", ColumnKind::Text),
        frame.col("kind", "Kind", "Slag", ColumnKind::Text).detail(),
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let total_row = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Empty,
        Cell::Count(totals.projects),
        Cell::money(totals.total),
        Cell::money(totals.eu),
        Cell::Percent(share(totals.total, totals.total)),
    ];
    let main = Table { key: "orgs".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    frame.report("orgs", lang.pick("Turned over by owner organisation", "Omsatt per ägande organisation").into(), main)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::domain::org::OrgKind;

    #[test]
    fn the_top_owners_and_the_rest_in_one_row_sum_to_the_total() {
        let org = |id: i64, name: &str| (id, Org { id, name: name.into(), org_no: None, kind: OrgKind::Cluster });
        let orgs: HashMap<i64, Org> = [org(1, "Paper Province"), org(2, "Compare"), org(3, "Solkraft")].into();
        let s = |projects, total| Sums { projects, total, eu: total / 2, ..Sums::default() };
        let by_owner = [(1, s(3, 600)), (2, s(1, 300)), (3, s(1, 100))];
        let r = build(&Frame { lang: Lang::En, filters: vec![], as_of: None }, &orgs, &by_owner, Some(1), s(5, 1000));
        assert_eq!(r.main.rows.len(), 2);
        assert_eq!(
            r.main.rows[0][..4],
            [Cell::text("Paper Province"), Cell::text("cluster"), Cell::Count(3), Cell::money(600)]
        );
        assert_eq!(r.main.rows[1][..4], [Cell::text("Others (2)"), Cell::text(""), Cell::Count(2), Cell::money(400)]);
        assert_eq!(r.main.rows[1][5], Cell::Percent(share(2, 5)));
        assert_eq!(r.main.totals.unwrap()[3], Cell::money(1000));
    }
}
