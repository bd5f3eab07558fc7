//! `report actors`: who takes part, as owner or partner, by organisation kind or helix,
//! and which combinations of helices collaborate. A project involving several kinds
//! counts under each; the combinations partition the projects and sum to the total.

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::figures::{Actor, ActorRow, Sums};
use crate::domain::org::Helix;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Kind,
    Helix,
    Combination,
}

/// One row per organisation kind (or helix): `(key, projects, as owner, as partner, total)`.
pub fn involvement(frame: &Frame, by: By, rows: &[ActorRow], totals: Sums) -> Report {
    let lang = frame.lang;
    let mut ordered: Vec<&ActorRow> = rows.iter().collect();
    let label = |key: Actor| -> (String, String, usize) {
        match key {
            Actor::Helix(h) => (h.as_str().into(), h.label(lang).into(), h as usize),
            Actor::Kind(k) => (k.label(lang).into(), k.helix().label(lang).into(), k as usize),
        }
    };
    ordered.sort_by_key(|r| label(r.key).2);
    let out = ordered
        .iter()
        .map(|r| {
            let (name, helix, _) = label(r.key);
            vec![
                Cell::Text(name),
                Cell::Text(helix),
                Cell::Count(r.projects),
                Cell::Count(r.as_owner),
                Cell::Count(r.as_partner),
                Cell::money(r.total),
                Cell::Percent(share(r.total, totals.total)),
            ]
        })
        .collect();
    let (key, first, second) = match by {
        By::Helix => (
            "helix",
            frame.col("helix", "Helix", "Helix", ColumnKind::Text),
            frame.col("name", "Name", "Namn", ColumnKind::Text).detail(),
        ),
        _ => (
            "kind",
            frame.col("kind", "Kind", "Slag", ColumnKind::Text),
            frame.col("helix", "Helix", "Helix", ColumnKind::Text).detail(),
        ),
    };
    let columns = vec![
        first,
        second,
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("as_owner", "As owner", "Som ägare", ColumnKind::Count),
        frame.col("as_partner", "As partner", "Som partner", ColumnKind::Count),
        frame.col("total", "Total of those", "Totalt för dem", ColumnKind::Money),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let main = Table { key: key.into(), title: String::new(), columns, rows: out, totals: None };
    let mut r = frame.report(
        "actors",
        lang.pick("Actors by kind of organisation", "Aktörer per slag av organisation").into(),
        main,
    );
    r.notes.push(
        lang.pick(
            "A project counts under every kind among its owner and partners, so rows do not add up to the total; `--by combination` partitions the projects.",
            "Ett projekt räknas under varje slag bland ägare och partner, så raderna summerar inte till totalen; `--by combination` delar upp projekten.",
        )
        .into(),
    );
    r
}

/// The helices a mask names, joined: "academia+business".
fn combination_label(mask: i64, frame: &Frame) -> String {
    let names: Vec<&str> =
        Helix::ALL.iter().filter(|h| mask & i64::from(h.bit()) != 0).map(|h| h.short(frame.lang)).collect();
    if names.is_empty() { "—".into() } else { names.join("+") }
}

/// One row per combination of helices among a project's owner and partners.
pub fn combinations(frame: &Frame, by_mask: &[(i64, Sums)], totals: Sums) -> Report {
    let lang = frame.lang;
    let mut ordered: Vec<&(i64, Sums)> = by_mask.iter().collect();
    ordered.sort_by(|a, b| b.1.total.cmp(&a.1.total).then(a.0.cmp(&b.0)));
    let rows = ordered
        .iter()
        .map(|(mask, s)| {
            vec![
                Cell::Text(combination_label(*mask, frame)),
                Cell::Count(i64::from(mask.count_ones() as u8)),
                Cell::Count(s.projects),
                Cell::money(s.total),
                Cell::money(s.eu),
                Cell::Percent(share(s.total, totals.total)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("combination", "Combination", "Kombination", ColumnKind::Text),
        frame.col("helices", "Helices", "Helixar", ColumnKind::Count),
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
    let main = Table { key: "combinations".into(), title: String::new(), columns, rows, totals: Some(total_row) };
    frame.report(
        "actors",
        lang.pick("Collaboration: helices among owners and partners", "Samverkan: helixar bland ägare och partner")
            .into(),
        main,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::domain::org::OrgKind;

    fn frame() -> Frame {
        Frame { lang: Lang::En, filters: vec![], as_of: None }
    }

    #[test]
    fn kinds_come_in_their_order_with_their_helix() {
        let rows = [
            ActorRow { key: Actor::Kind(OrgKind::Company), projects: 2, as_owner: 1, as_partner: 2, total: 300 },
            ActorRow { key: Actor::Kind(OrgKind::University), projects: 1, as_owner: 1, as_partner: 0, total: 100 },
        ];
        let totals = Sums { projects: 2, total: 300, ..Sums::default() };
        let r = involvement(&frame(), By::Kind, &rows, totals);
        assert_eq!(r.main.rows[0][..3], [Cell::text("university"), Cell::text("academia"), Cell::Count(1)]);
        assert_eq!(
            r.main.rows[1][..6],
            [
                Cell::text("company"),
                Cell::text("business"),
                Cell::Count(2),
                Cell::Count(1),
                Cell::Count(2),
                Cell::money(300)
            ]
        );
        assert_eq!(r.main.totals, None, "kinds overlap, so no totals row");
    }

    #[test]
    fn combinations_partition_the_projects_largest_first() {
        let academia_business = i64::from(Helix::Academia.bit() | Helix::Business.bit());
        let business = i64::from(Helix::Business.bit());
        let by_mask = [
            (business, Sums { projects: 1, total: 100, eu: 0, ..Sums::default() }),
            (academia_business, Sums { projects: 2, total: 500, eu: 200, ..Sums::default() }),
        ];
        let totals = Sums { projects: 3, total: 600, eu: 200, ..Sums::default() };
        let r = combinations(&frame(), &by_mask, totals);
        assert_eq!(r.main.rows[0][1], Cell::Count(2));
        assert_eq!(r.main.rows[0][3], Cell::money(500));
        assert_eq!(r.main.rows[1][1], Cell::Count(1));
        assert_eq!(r.main.totals.unwrap()[3], Cell::money(600));
    }
}
