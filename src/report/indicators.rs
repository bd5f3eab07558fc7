//! `report indicators`: what the money achieved, per indicator code. Values that may be
//! summed across projects (jobs in FTEs, km, euro) are summed, and split over areas by
//! each project's shares exactly, in the value's own smallest unit (whole units for
//! whole numbers), by largest remainder; values that may not (counts of distinct
//! enterprises, which two projects may share) are never added: they are shown as how
//! many projects report them and the range of their outcomes.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{Cell, ColumnKind, Frame, Ratio, Report, Table};
use crate::domain::allocation::allocate_by_share;
use crate::domain::indicator::Definition;

/// One project's value of one code, and the groups it falls in with their shares.
pub struct Fact {
    pub code: String,
    pub target: Decimal,
    pub outcome: Option<Decimal>,
    /// `(group key, share in basis points)`; one `("", 10 000)` when not grouped.
    pub groups: Vec<(usize, u32)>,
}

/// A group's label (an area's code and name, a year) by its key.
pub struct Group {
    pub key: String,
    pub name: String,
}

pub struct Input<'a> {
    pub catalogue: &'a [Definition],
    pub facts: &'a [Fact],
    /// The groups rows are split by, in order; `None`: one row per code.
    pub groups: Option<&'a [Group]>,
    /// What a group is (for the column heading): (English, Swedish).
    pub group_heading: (&'a str, &'a str),
}

/// Splits `value` by shares exactly in its own smallest unit.
pub fn split(value: Decimal, shares: &[u32]) -> Vec<Decimal> {
    let scale = value.scale();
    let units = value.mantissa();
    match i64::try_from(units) {
        Ok(units) => allocate_by_share(units, shares).into_iter().map(|u| Decimal::new(u, scale)).collect(),
        // Beyond 19 digits: nothing real is that large; keep the whole in the first part.
        Err(_) => {
            let mut parts = vec![Decimal::ZERO; shares.len()];
            if let Some(first) = parts.first_mut() {
                *first = value;
            }
            parts
        }
    }
}

#[derive(Default)]
struct Tally {
    projects: i64,
    reporting: i64,
    target: Decimal,
    outcome: Decimal,
    low: Option<Decimal>,
    high: Option<Decimal>,
}

fn number(d: Decimal) -> Cell {
    Cell::Number(d.normalize().to_string())
}

pub fn build(frame: &Frame, input: &Input<'_>) -> Report {
    let lang = frame.lang;
    let mut codes: Vec<&str> = Vec::new();
    for f in input.facts {
        if !codes.contains(&f.code.as_str()) {
            codes.push(&f.code);
        }
    }
    // The catalogue's order, then codes it does not know.
    let position = |c: &str| input.catalogue.iter().position(|d| d.code == c).unwrap_or(usize::MAX);
    codes.sort_by_key(|c| (position(c), c.to_string()));
    let group_count = input.groups.map_or(1, <[Group]>::len);
    let summable = |code: &str| input.catalogue.iter().any(|d| d.code == code && d.summable);
    // One pass over the values, each split once over its groups.
    let mut tallies: HashMap<(usize, &str), Tally> = HashMap::new();
    for f in input.facts {
        let shares: Vec<u32> = f.groups.iter().map(|g| g.1).collect();
        let sum = summable(&f.code);
        let targets = if sum { split(f.target, &shares) } else { Vec::new() };
        let outcomes = match f.outcome {
            Some(o) if sum => split(o, &shares),
            _ => Vec::new(),
        };
        for (i, (group, _)) in f.groups.iter().enumerate() {
            let t = tallies.entry((*group, f.code.as_str())).or_default();
            t.projects += 1;
            t.target += targets.get(i).copied().unwrap_or_default();
            if let Some(o) = f.outcome {
                t.reporting += 1;
                t.outcome += outcomes.get(i).copied().unwrap_or_default();
                t.low = Some(t.low.map_or(o, |l| l.min(o)));
                t.high = Some(t.high.map_or(o, |h| h.max(o)));
            }
        }
    }
    let mut rows = Vec::new();
    let unknown: Vec<String> =
        codes.iter().filter(|c| !input.catalogue.iter().any(|d| d.code == **c)).map(|c| c.to_string()).collect();
    for group in 0..group_count {
        for code in &codes {
            let def = input.catalogue.iter().find(|d| d.code == *code);
            let summable = def.is_some_and(|d| d.summable);
            let Some(t) = tallies.get(&(group, *code)) else { continue };
            let mut row = Vec::new();
            if let Some(groups) = input.groups {
                row.push(Cell::text(&groups[group].key));
                row.push(Cell::text(&groups[group].name));
            }
            row.push(Cell::text(*code));
            row.push(Cell::text(def.map_or("", |d| d.name(lang))));
            row.push(Cell::text(def.map_or("", |d| d.unit_in(lang))));
            row.push(Cell::Count(t.projects));
            row.push(Cell::Count(t.reporting));
            if summable {
                row.push(number(t.target));
                row.push(number(t.outcome));
                row.push(Cell::Percent(achievement(t.outcome, t.target)));
                row.push(Cell::Empty);
            } else {
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
                // The number of projects is the row's own column; the range is what
                // stands in for a sum.
                let range = match (t.low, t.high) {
                    (Some(l), Some(h)) if l == h => crate::tr!("outcome {}", "utfall {}", l.normalize()),
                    (Some(l), Some(h)) => {
                        crate::tr!("outcome range {}–{}", "utfall mellan {} och {}", l.normalize(), h.normalize())
                    }
                    _ => crate::tr!("no outcome yet", "inget utfall än"),
                };
                row.push(Cell::text(range));
            }
            rows.push(row);
        }
    }
    let mut columns = Vec::new();
    if input.groups.is_some() {
        let (en, sv) = input.group_heading;
        columns.push(frame.col("group", en, sv, ColumnKind::Text).machine());
        columns.push(frame.col("group_name", en, sv, ColumnKind::Text));
    }
    columns.extend([
        frame.col("code", "Code", "Kod", ColumnKind::Text),
        frame.col("name", "Indicator", "Indikator", ColumnKind::Text).detail(),
        frame.col("unit", "Unit", "Enhet", ColumnKind::Text),
        frame.col("projects", "Proj.", "Proj.", ColumnKind::Count),
        frame.col("reporting", "Reporting", "Rapporterar", ColumnKind::Count),
        frame.col("target", "Target", "Mål", ColumnKind::Number),
        frame.col("outcome", "Outcome", "Utfall", ColumnKind::Number),
        frame.col("achievement", "Achieved", "Uppnått", ColumnKind::Percent),
        frame.col("not_summed", "Not summable", "Summeras inte", ColumnKind::Text),
    ]);
    let table = Table { key: "indicators".into(), title: String::new(), columns, rows, totals: None };
    let mut report = frame.report("indicators", lang.pick("Indicators", "Indikatorer").into(), table);
    report.notes.push(
        lang.pick(
            "Target and outcome are summed only for codes whose values may be added across projects; achieved is the outcome as a share of the target, counting projects without an outcome yet as nothing achieved. A count of distinct things (enterprises supported, RCO01) is never summed, since one enterprise may be in several projects: it is shown as the number of projects and the range of their outcomes.",
            "Mål och utfall summeras bara för koder vars värden kan läggas ihop över projekt; uppnått är utfallet som andel av målet, där projekt utan utfall än räknas som inget uppnått. Antal unika saker (stödda företag, RCO01) summeras aldrig, eftersom ett företag kan finnas i flera projekt: de visas som antal projekt och spannet i deras utfall.",
        )
        .into(),
    );
    if input.groups.is_some() {
        report.notes.push(
            lang.pick(
                "A project's values are split over its groups by its shares, exactly in the value's smallest unit; a project counts once in each group.",
                "Ett projekts värden fördelas på dess grupper efter andel, exakt i värdets minsta enhet; ett projekt räknas en gång i varje grupp.",
            )
            .into(),
        );
    }
    if !unknown.is_empty() {
        report.notes.push(crate::tr!(
            "Not in the catalogue, so not summed: {}.",
            "Finns inte i katalogen och summeras därför inte: {}.",
            unknown.join(", ")
        ));
    }
    report
}

/// The outcome as a share of the target, to the basis point.
fn achievement(outcome: Decimal, target: Decimal) -> Option<Ratio> {
    if target.is_zero() {
        return None;
    }
    let bp = (outcome * Decimal::from(10_000) / target).round();
    i64::try_from(bp.mantissa() / 10i128.pow(bp.scale())).ok().map(Ratio::bp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::builtin;
    use crate::domain::lang::Lang;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_split_is_exact_in_the_values_own_unit() {
        assert_eq!(split(d("7"), &[5000, 5000]), vec![d("4"), d("3")]);
        assert_eq!(split(d("2.5"), &[3333, 3333, 3334]), vec![d("0.8"), d("0.8"), d("0.9")]);
        let parts = split(d("1001"), &[3333, 6667]);
        assert_eq!(parts.iter().sum::<Decimal>(), d("1001"));
    }

    #[test]
    fn summable_codes_are_summed_and_split_while_distinct_counts_are_a_range() {
        let catalogue = vec![builtin("RCO01").unwrap(), builtin("RCR01").unwrap()];
        let facts = vec![
            Fact { code: "RCR01".into(), target: d("3"), outcome: Some(d("2")), groups: vec![(0, 5000), (1, 5000)] },
            Fact { code: "RCR01".into(), target: d("2"), outcome: None, groups: vec![(1, 10_000)] },
            Fact { code: "RCO01".into(), target: d("10"), outcome: Some(d("12")), groups: vec![(0, 10_000)] },
            Fact { code: "RCO01".into(), target: d("5"), outcome: Some(d("4")), groups: vec![(0, 10_000)] },
        ];
        let frame = Frame { lang: Lang::En, filters: vec![], as_of: None };
        let whole: Vec<Fact> = facts
            .iter()
            .map(|f| Fact { code: f.code.clone(), target: f.target, outcome: f.outcome, groups: vec![(0, 10_000)] })
            .collect();
        let r = build(&frame, &Input { catalogue: &catalogue, facts: &whole, groups: None, group_heading: ("", "") });
        assert_eq!(r.main.rows.len(), 2);
        let jobs = &r.main.rows[1];
        assert_eq!(jobs[0], Cell::text("RCR01"));
        assert_eq!((jobs[3].clone(), jobs[4].clone()), (Cell::Count(2), Cell::Count(1)));
        assert_eq!((jobs[5].clone(), jobs[6].clone()), (Cell::Number("5".into()), Cell::Number("2".into())));
        assert_eq!(jobs[7], Cell::Percent(Some(Ratio::bp(4000))));
        let firms = &r.main.rows[0];
        assert_eq!(firms[0], Cell::text("RCO01"));
        assert_eq!(firms[5], Cell::Empty);
        assert_eq!(firms[8], Cell::text("outcome range 4–12"));
        let groups =
            [Group { key: "skog".into(), name: "Skog".into() }, Group { key: "halsa".into(), name: "Hälsa".into() }];
        let by = build(
            &frame,
            &Input { catalogue: &catalogue, facts: &facts, groups: Some(&groups), group_heading: ("Area", "Område") },
        );
        // skog: RCO01 (two projects), RCR01 (half of 3 → 2, half of 2 → 1); halsa: RCR01.
        let target_of = |row: &Vec<Cell>| row[7].clone();
        assert_eq!(by.main.rows.len(), 3);
        assert_eq!(target_of(&by.main.rows[1]), Cell::Number("2".into()));
        assert_eq!(target_of(&by.main.rows[2]), Cell::Number("3".into()));
        assert_eq!(by.main.rows[2][8], Cell::Number("1".into()));
    }
}
