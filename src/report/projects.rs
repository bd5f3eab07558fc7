//! Project records as report values: `project show` (one project whole) and
//! `project list` (one row per project).

use std::collections::HashMap;

use super::{Cell, ColumnKind, Frame, Layout, Ratio, Report, Table, share};
use crate::domain::area::Area;
use crate::domain::date::iso;
use crate::domain::money::Money;
use crate::domain::municipality;
use crate::domain::org::Org;
use crate::domain::project::StoredProject;
use crate::domain::project::{Indicator, Payment};

/// Names for ids: organisations, areas, municipalities.
pub struct Names<'a> {
    pub orgs: &'a HashMap<i64, Org>,
    pub areas: &'a [Area],
    pub municipalities: &'a [String],
}

impl Names<'_> {
    fn org(&self, id: i64) -> String {
        self.orgs.get(&id).map_or_else(|| format!("#{id}"), |o| o.name.clone())
    }

    fn area(&self, id: i64) -> Option<&Area> {
        self.areas.iter().find(|a| a.id == id)
    }
}

/// Everything `project show` shows.
pub struct Show<'a> {
    pub stored: &'a StoredProject,
    pub names: Names<'a>,
    pub payments: &'a [Payment],
    pub indicators: &'a [Indicator],
    pub paid: i64,
}

pub fn show(frame: &Frame, input: &Show<'_>) -> Report {
    let lang = frame.lang;
    let sp = input.stored;
    let p = &sp.project;
    let n = &input.names;
    let total = sp.components.total();
    let columns = vec![
        frame.col("ref", "Reference", "Diarienummer", ColumnKind::Text),
        frame.col("title", "Title", "Titel", ColumnKind::Text),
        frame.col("owner", "Owner", "Ägare", ColumnKind::Text),
        frame.col("kind", "Kind", "Slag", ColumnKind::Text),
        frame.col("parent", "Parent", "Huvudprojekt", ColumnKind::Text),
        frame.col("programme", "Programme", "Program", ColumnKind::Text),
        frame.col("fund", "Fund", "Fond", ColumnKind::Text),
        frame.col("status", "Status", "Status", ColumnKind::Text),
        frame.col("decided", "Decided", "Beslutat", ColumnKind::Text),
        frame.col("start", "Start", "Start", ColumnKind::Text),
        frame.col("end", "End", "Slut", ColumnKind::Text),
        frame.col("municipalities", "Municipalities", "Kommuner", ColumnKind::Text),
        frame.col("partners", "Partners", "Partner", ColumnKind::Text),
        frame.col("total", "Granted (total)", "Beviljat (totalt)", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("cofinancing_rate", "EU co-financing rate", "EU:s medfinansieringsgrad", ColumnKind::Percent),
        frame.col("paid", "Paid", "Utbetalt", ColumnKind::Money),
        frame.col("remaining", "Remaining to pay", "Kvar att betala", ColumnKind::Money),
        frame.col("notes", "Notes", "Anteckningar", ColumnKind::Text),
        frame.col("source", "Source", "Källa", ColumnKind::Text),
        frame.col("source_id", "Source id", "Källans id", ColumnKind::Text),
        frame.col("read_from", "Read from", "Inläst från", ColumnKind::Text),
    ];
    let from = &p.provenance;
    let row = vec![
        Cell::text(&p.reference),
        Cell::text(&p.title),
        Cell::text(n.org(p.owner)),
        Cell::text(p.kind.label(lang)),
        Cell::opt_text(p.parent.clone()),
        Cell::opt_text(p.programme.clone()),
        Cell::opt_text(p.fund.clone()),
        Cell::text(p.status.label(lang)),
        Cell::opt_text(p.decided.map(iso)),
        Cell::opt_text(p.start.map(iso)),
        Cell::opt_text(p.end.map(iso)),
        Cell::text(municipality::names(p.municipalities, n.municipalities).join(", ")),
        Cell::text(p.partners.iter().map(|id| n.org(*id)).collect::<Vec<_>>().join(", ")),
        Cell::money(total),
        Cell::money(sp.components.eu),
        Cell::Percent(share(sp.components.eu, total)),
        Cell::money(input.paid),
        Cell::money(total - input.paid),
        Cell::opt_text(p.notes.clone()),
        Cell::opt_text(from.source.clone()),
        Cell::opt_text(from.source_id.clone()),
        Cell::opt_text(from.file.as_ref().map(|f| match from.line {
            Some(line) => format!("{f}:{line}"),
            None => f.clone(),
        })),
    ];
    let main = Table { key: "project".into(), title: String::new(), columns, rows: vec![row], totals: None };
    let mut report = frame.report("project", format!("{} {}", p.reference, p.title), main);
    report.layout = Layout::Record;

    let area_rows = sp
        .allocations
        .iter()
        .map(|a| {
            let area = n.area(a.area_id);
            vec![
                Cell::text(area.map_or_else(|| format!("#{}", a.area_id), |x| x.code.clone())),
                Cell::text(area.map_or("", |x| x.name(lang))),
                Cell::Percent(Some(Ratio::bp(i64::from(a.share_bp)))),
                Cell::money(a.total),
                Cell::money(a.parts.eu),
                Cell::money(a.parts.public),
                Cell::money(a.parts.private),
                Cell::money(a.parts.other),
            ]
        })
        .collect();
    let c = sp.components;
    report.sections.push(Table {
        key: "areas".into(),
        title: lang.pick("Areas, split by share", "Områden, fördelat efter andel").into(),
        columns: vec![
            frame.col("area", "Area", "Område", ColumnKind::Text),
            frame.col("name", "Name", "Namn", ColumnKind::Text).detail(),
            frame.col("share", "Share", "Andel", ColumnKind::Percent),
            frame.col("total", "Total", "Totalt", ColumnKind::Money),
            frame.col("eu", "EU", "EU", ColumnKind::Money),
            frame.col("public", "Public", "Offentl.", ColumnKind::Money),
            frame.col("private", "Private", "Privat", ColumnKind::Money),
            frame.col("other", "Other", "Övrigt", ColumnKind::Money),
        ],
        rows: area_rows,
        totals: Some(vec![
            Cell::text(lang.pick("Total", "Totalt")),
            Cell::Empty,
            Cell::Percent(Some(Ratio::bp(10_000))),
            Cell::money(total),
            Cell::money(c.eu),
            Cell::money(c.public),
            Cell::money(c.private),
            Cell::money(c.other),
        ]),
    });

    let funding_rows = p
        .funding
        .iter()
        .map(|l| {
            let f = l.foreign.as_ref();
            vec![
                Cell::text(&l.funder),
                Cell::text(l.kind.label(lang)),
                Cell::money(l.amount.0),
                Cell::Amounts(f.map(|f| vec![(f.currency.as_str().to_string(), f.original)]).unwrap_or_default()),
                Cell::opt_text(f.map(|f| f.rate.text())),
                Cell::opt_text(f.and_then(|f| f.rate_date.map(iso))),
                if l.in_kind { Cell::text(lang.pick("in kind", "i natura")) } else { Cell::Empty },
            ]
        })
        .collect();
    // An in-kind line is always marked: the column stays whatever the width when a
    // line is in kind.
    let in_kind = frame.col("in_kind", "In kind", "Natura", ColumnKind::Text);
    let in_kind = if p.funding.iter().any(|l| l.in_kind) { in_kind } else { in_kind.detail() };
    report.sections.push(Table {
        key: "funding".into(),
        title: lang.pick("Financing plan", "Finansieringsplan").into(),
        columns: vec![
            frame.col("funder", "Funder", "Finansiär", ColumnKind::Text),
            frame.col("kind", "Kind", "Slag", ColumnKind::Text),
            frame.col("amount", "SEK", "SEK", ColumnKind::Money),
            frame.col("original", "Original", "Original", ColumnKind::Text),
            frame.col("rate", "Rate", "Kurs", ColumnKind::Text).detail(),
            frame.col("rate_date", "Rate date", "Kursdatum", ColumnKind::Text).detail(),
            in_kind,
        ],
        rows: funding_rows,
        totals: Some(vec![
            Cell::text(lang.pick("Total", "Totalt")),
            Cell::Empty,
            Cell::money(total),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]),
    });

    if !input.payments.is_empty() {
        let rows = input
            .payments
            .iter()
            .map(|pay| {
                vec![
                    Cell::Count(pay.id),
                    Cell::text(iso(pay.date)),
                    Cell::text(pay.kind.label(lang)),
                    Cell::money(pay.signed()),
                    Cell::opt_text(pay.funder.clone()),
                    Cell::opt_text(pay.note.clone()),
                ]
            })
            .collect();
        report.sections.push(Table {
            key: "payments".into(),
            title: lang.pick("Payments", "Utbetalningar").into(),
            columns: vec![
                frame.col("id", "No.", "Nr", ColumnKind::Count),
                frame.col("date", "Date", "Datum", ColumnKind::Text),
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("amount", "Amount", "Belopp", ColumnKind::Money),
                frame.col("funder", "Funder", "Finansiär", ColumnKind::Text).detail(),
                frame.col("note", "Note", "Notering", ColumnKind::Text),
            ],
            rows,
            totals: Some(vec![
                Cell::text(lang.pick("Paid", "Utbetalt")),
                Cell::Empty,
                Cell::Empty,
                Cell::money(input.paid),
                Cell::Empty,
                Cell::Empty,
            ]),
        });
    }
    if !input.indicators.is_empty() {
        let rows = input
            .indicators
            .iter()
            .map(|i| {
                vec![
                    Cell::text(&i.code),
                    Cell::opt_text(i.name.clone()),
                    Cell::opt_text(i.unit.clone()),
                    Cell::Number(i.target.to_string()),
                    i.outcome.map_or(Cell::Empty, |o| Cell::Number(o.to_string())),
                ]
            })
            .collect();
        report.sections.push(Table {
            key: "indicators".into(),
            title: lang.pick("Indicators", "Indikatorer").into(),
            columns: vec![
                frame.col("code", "Code", "Kod", ColumnKind::Text),
                frame.col("name", "Name", "Namn", ColumnKind::Text),
                frame.col("unit", "Unit", "Enhet", ColumnKind::Text).detail(),
                frame.col("target", "Target", "Mål", ColumnKind::Number),
                frame.col("outcome", "Outcome", "Utfall", ColumnKind::Number),
            ],
            rows,
            totals: None,
        });
    }
    if input.paid > total {
        report.notes.push(format!(
            "{} {} kr.",
            lang.pick("Overrun: paid exceeds the granted total by", "Överskridande: utbetalt överstiger beviljat med"),
            Money(input.paid - total).display(crate::domain::money::Unit::Kr, lang)
        ));
    }
    report
}

/// One row per project.
pub fn list(frame: &Frame, projects: &[StoredProject], names: &Names<'_>) -> Report {
    let lang = frame.lang;
    let rows = projects
        .iter()
        .map(|sp| {
            let p = &sp.project;
            let areas: Vec<String> = p
                .areas
                .iter()
                .map(|a| {
                    let code = names.area(a.area_id).map_or_else(|| format!("#{}", a.area_id), |x| x.code.clone());
                    if p.areas.len() == 1 {
                        code
                    } else {
                        format!("{code}:{}", crate::domain::area::format_share(a.share_bp, '.'))
                    }
                })
                .collect();
            vec![
                Cell::text(&p.reference),
                Cell::text(&p.title),
                Cell::text(names.org(p.owner)),
                Cell::text(p.kind.label(lang)),
                Cell::text(p.status.label(lang)),
                Cell::opt_text(p.decided.map(iso)),
                Cell::text(areas.join("|")),
                Cell::money(sp.components.total()),
                Cell::money(sp.components.eu),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("ref", "Ref", "Dnr", ColumnKind::Text),
        frame.col("title", "Title", "Titel", ColumnKind::Text),
        frame.col("owner", "Owner", "Ägare", ColumnKind::Text).detail(),
        frame.col("kind", "Kind", "Slag", ColumnKind::Text).detail(),
        frame.col("status", "Status", "Status", ColumnKind::Text),
        frame.col("decided", "Decided", "Beslutat", ColumnKind::Text).detail(),
        frame.col("areas", "Areas", "Områden", ColumnKind::Text).detail(),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
    ];
    let total: i64 = projects.iter().map(|sp| sp.components.total()).sum();
    let eu: i64 = projects.iter().map(|sp| sp.components.eu).sum();
    let counted = projects.iter().filter(|sp| sp.project.kind != crate::domain::project::ProjectKind::TopUp).count();
    let totals = vec![
        Cell::text(format!("{} ({counted} {})", lang.pick("Total", "Totalt"), lang.pick("projects", "projekt"))),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::money(total),
        Cell::money(eu),
    ];
    let main = Table { key: "projects".into(), title: String::new(), columns, rows, totals: Some(totals) };
    frame.report("projects", lang.pick("Projects", "Projekt").into(), main)
}
