//! `report funders`: who finances the portfolio, funder by funder, grouped by kind, with
//! original-currency totals beside the SEK values (never added across currencies).

use std::collections::BTreeMap;

use super::{Cell, ColumnKind, Frame, Report, Table, share};
use crate::domain::figures::{ForeignSum, FunderRow};
use crate::domain::money::Money;
use crate::domain::project::FunderKind;

pub fn build(frame: &Frame, lines: &[FunderRow], foreign: &[ForeignSum], total: i64) -> Report {
    let lang = frame.lang;
    let mut rows: Vec<&FunderRow> = lines.iter().collect();
    rows.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.amount.cmp(&a.amount)).then(a.funder.cmp(&b.funder)));
    let mut originals: BTreeMap<(FunderKind, &str), Vec<(String, Money)>> = BTreeMap::new();
    for f in foreign {
        originals.entry((f.kind, &f.funder)).or_default().push((f.currency.clone(), Money(f.original)));
    }
    let mut by_kind: BTreeMap<FunderKind, (i64, i64)> = BTreeMap::new();
    let main_rows = rows
        .iter()
        .map(|line| {
            let k = line.kind;
            let e = by_kind.entry(k).or_default();
            e.0 += line.amount;
            e.1 += 1;
            vec![
                Cell::text(k.heading(lang)),
                Cell::text(&line.funder),
                Cell::Count(line.projects),
                Cell::money(line.amount),
                Cell::Amounts(originals.get(&(line.kind, line.funder.as_str())).cloned().unwrap_or_default()),
                Cell::Percent(share(line.amount, total)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("kind", "Kind", "Slag", ColumnKind::Text),
        frame.col("funder", "Funder", "Finansiär", ColumnKind::Text),
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("amount", "Amount (SEK)", "Belopp (SEK)", ColumnKind::Money),
        frame.col("original", "Original currency", "Originalvaluta", ColumnKind::Text).detail(),
        frame.col("share", "Share", "Andel", ColumnKind::Share),
    ];
    let totals = vec![
        Cell::text(lang.pick("Total", "Totalt")),
        Cell::Empty,
        Cell::Empty,
        Cell::money(total),
        Cell::Empty,
        Cell::Percent(share(total, total)),
    ];
    let main = Table { key: "funders".into(), title: String::new(), columns, rows: main_rows, totals: Some(totals) };
    let mut report =
        frame.report("funders", lang.pick("Financing by funder", "Finansiering per finansiär").into(), main);
    let kind_rows = by_kind
        .iter()
        .map(|(k, (amount, funders))| {
            vec![
                Cell::text(k.heading(lang)),
                Cell::Count(*funders),
                Cell::money(*amount),
                Cell::Percent(share(*amount, total)),
            ]
        })
        .collect();
    report.sections.push(Table {
        key: "kinds".into(),
        title: lang.pick("By kind of funder", "Per slag av finansiär").into(),
        columns: vec![
            frame.col("kind", "Kind", "Slag", ColumnKind::Text),
            frame.col("funders", "Funders", "Finansiärer", ColumnKind::Count),
            frame.col("amount", "Amount (SEK)", "Belopp (SEK)", ColumnKind::Money),
            frame.col("share", "Share", "Andel", ColumnKind::Share),
        ],
        rows: kind_rows,
        totals: Some(vec![
            Cell::text(lang.pick("Total", "Totalt")),
            Cell::Count(rows.len() as i64),
            Cell::money(total),
            Cell::Percent(share(total, total)),
        ]),
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;

    #[test]
    fn groups_by_kind_largest_first_with_currencies_apart() {
        let row = |kind: FunderKind, funder: &str, projects, amount| FunderRow {
            kind,
            funder: funder.into(),
            projects,
            amount,
        };
        let lines = vec![
            row(FunderKind::Region, "Region Värmland", 3, 300),
            row(FunderKind::Eu, "Interreg", 1, 100),
            row(FunderKind::Eu, "ERUF", 4, 500),
        ];
        let foreign =
            vec![ForeignSum { kind: FunderKind::Eu, funder: "Interreg".into(), currency: "EUR".into(), original: 9 }];
        let r = build(&Frame { lang: Lang::En, filters: vec![], as_of: None }, &lines, &foreign, 900);
        let funders: Vec<&Cell> = r.main.rows.iter().map(|row| &row[1]).collect();
        assert_eq!(funders, vec![&Cell::text("ERUF"), &Cell::text("Interreg"), &Cell::text("Region Värmland")]);
        assert_eq!(r.main.rows[1][4], Cell::Amounts(vec![("EUR".into(), Money(9))]));
        assert_eq!(r.sections[0].rows[0][2], Cell::money(600));
        assert_eq!(r.sections[0].rows[1][2], Cell::money(300));
    }
}
