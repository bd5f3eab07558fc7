//! `audit log`: the change history as a report. Each entry shows who changed what,
//! when, with which command, and the record before and after as JSON, with
//! organisations and areas named as they were called at the time.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Cell, ColumnKind, Frame, Report, Table};
use crate::domain::area::{Area, format_share};
use crate::domain::date::iso;
use crate::domain::history::{LogEntry, Record};
use crate::domain::municipality;
use crate::domain::org::Org;

/// Names as they were at an entry's change.
pub struct Names<'a> {
    pub orgs: &'a HashMap<i64, Org>,
    pub areas: &'a [Area],
    pub municipalities: &'a [String],
}

/// An entry with the records it ended and created.
pub struct Logged<'a> {
    pub entry: LogEntry,
    pub before: Option<Record>,
    pub after: Option<Record>,
    pub names: Names<'a>,
}

fn org_name(names: &Names<'_>, id: i64) -> String {
    names.orgs.get(&id).map_or_else(|| format!("#{id}"), |o| o.name.clone())
}

/// A record as people read it: names instead of ids, ISO dates, amounts as decimal
/// strings.
pub fn record_json(record: &Record, names: &Names<'_>) -> Value {
    match record {
        Record::Area(a) => json!({
            "code": a.code, "name_sv": a.name_sv, "name_en": a.name_en,
            "valid_from": a.valid_from.map(iso), "valid_to": a.valid_to.map(iso),
        }),
        Record::Org(o) => json!({
            "name": o.name, "org_no": o.org_no.as_ref().map(|n| n.to_string()), "kind": o.kind.as_str(),
        }),
        Record::Project(sp) => {
            let p = &sp.project;
            let areas: Vec<Value> = p
                .areas
                .iter()
                .map(|a| {
                    let code = names
                        .areas
                        .iter()
                        .find(|x| x.id == a.area_id)
                        .map_or_else(|| format!("#{}", a.area_id), |x| x.code.clone());
                    json!({"area": code, "share": format_share(a.share_bp, '.')})
                })
                .collect();
            let funding: Vec<Value> = p
                .funding
                .iter()
                .map(|l| {
                    let f = l.foreign.as_ref();
                    json!({
                        "funder": l.funder, "kind": l.kind.as_str(), "amount": l.amount,
                        "currency": f.map(|f| f.currency.as_str()), "original": f.map(|f| f.original),
                        "rate": f.map(|f| f.rate.text()), "rate_date": f.and_then(|f| f.rate_date.map(iso)),
                        "in_kind": l.in_kind,
                    })
                })
                .collect();
            json!({
                "ref": p.reference, "title": p.title, "owner": org_name(names, p.owner), "kind": p.kind.as_str(),
                "parent": p.parent, "programme": p.programme, "fund": p.fund, "status": p.status.as_str(),
                "decided": p.decided.map(iso), "start": p.start.map(iso), "end": p.end.map(iso),
                "municipalities": municipality::names(p.municipalities, names.municipalities),
                "areas": areas,
                "partners": p.partners.iter().map(|id| org_name(names, *id)).collect::<Vec<_>>(),
                "funding": funding,
                "notes": p.notes,
                "overrun_allowed": p.overrun_allowed,
                "source": p.provenance.source, "source_id": p.provenance.source_id,
                "read_from": p.provenance.file, "line": p.provenance.line,
            })
        }
        Record::Payment(p) => json!({
            "id": p.id, "ref": p.reference, "date": iso(p.date), "amount": p.amount, "kind": p.kind.as_str(),
            "funder": p.funder, "note": p.note,
        }),
        Record::Indicator(i) => json!({
            "ref": i.reference, "code": i.code, "name": i.name, "unit": i.unit,
            "target": i.target.to_string(), "outcome": i.outcome.map(|o| o.to_string()),
        }),
        Record::Setting(s) => json!({"key": s.key, "value": s.value}),
        Record::Strategy(s) => json!({
            "id": s.id, "name": s.name, "title_sv": s.title_sv, "title_en": s.title_en,
            "valid_from": iso(s.valid_from), "valid_to": s.valid_to.map(iso),
        }),
        Record::Crosswalk(s) => json!({"from": s.from, "to": s.to, "share": format_share(s.share_bp, '.')}),
        Record::IndicatorCode(d) => json!({
            "code": d.code, "name_en": d.name_en, "name_sv": d.name_sv, "unit": d.unit, "summable": d.summable,
        }),
        Record::Programme(p) => json!({
            "name": p.name, "eu_cap": p.eu_cap.map(|c| format_share(c, '.')), "region_cap": p.region_cap.map(|c| format_share(c, '.')),
        }),
    }
}

/// What people call a record in a list: a code, a name, a reference, a number.
fn display_key(logged: &Logged<'_>) -> String {
    let e = &logged.entry;
    match logged.after.as_ref().or(logged.before.as_ref()) {
        Some(Record::Area(a)) => a.code.clone(),
        Some(Record::Org(o)) => o.name.clone(),
        Some(Record::Payment(p)) => format!("{} #{}", p.reference, p.id),
        _ => e.key.clone(),
    }
}

/// The top-level fields an edit changed.
fn changed_fields(before: &Value, after: &Value) -> String {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            a.iter().filter(|(k, v)| b.get(*k) != Some(*v)).map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(", ")
        }
        _ => String::new(),
    }
}

/// A field's value as a person reads it: text as it is, anything else as compact JSON.
fn shown(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `audit log --detail`: one row per field of each entry — for an edit the fields it
/// changed, before and after; for an addition or a removal every field.
pub fn details(frame: &Frame, entries: &[Logged<'_>]) -> Report {
    let lang = frame.lang;
    let mut rows = Vec::new();
    for l in entries {
        let e = &l.entry;
        let before = l.before.as_ref().map(|r| record_json(r, &l.names));
        let after = l.after.as_ref().map(|r| record_json(r, &l.names));
        let fields: Vec<String> = match (&before, &after) {
            (Some(Value::Object(b)), Some(Value::Object(a))) => {
                a.iter().filter(|(k, v)| b.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect()
            }
            (_, Some(Value::Object(o))) | (Some(Value::Object(o)), None) => o.keys().cloned().collect(),
            _ => Vec::new(),
        };
        for field in fields {
            rows.push(vec![
                Cell::Count(e.seq),
                Cell::text(e.at.split('.').next().unwrap_or(&e.at).replacen('T', " ", 1)),
                Cell::text(&e.user),
                Cell::text(display_key(l)),
                Cell::text(e.action.label(lang)),
                Cell::text(&field),
                Cell::text(shown(before.as_ref().and_then(|b| b.get(&field)))),
                Cell::text(shown(after.as_ref().and_then(|a| a.get(&field)))),
            ]);
        }
    }
    let columns = vec![
        frame.col("seq", "#", "#", ColumnKind::Count),
        frame.col("at", "When (UTC)", "När (UTC)", ColumnKind::Text).detail(),
        frame.col("user", "Who", "Vem", ColumnKind::Text).detail(),
        frame.col("key", "Which", "Vilken", ColumnKind::Text),
        frame.col("action", "Change", "Ändring", ColumnKind::Text),
        frame.col("field", "Field", "Fält", ColumnKind::Text),
        frame.col("before", "Before", "Före", ColumnKind::Text).wrap(),
        frame.col("after", "After", "Efter", ColumnKind::Text).wrap(),
    ];
    let main = Table { key: "audit".into(), title: String::new(), columns, rows, totals: None };
    let mut report = frame.report(
        "audit",
        lang.pick("Change history, field by field", "Ändringshistorik, fält för fält").into(),
        main,
    );
    // The fields are the record the hash chain covers, so they are shown as recorded.
    report.notes.push(
        lang.pick(
            "Fields and values as recorded (the history's own format, which its hashes cover).",
            "Fält och värden som de är registrerade (historikens eget format, som dess hashar täcker).",
        )
        .into(),
    );
    report
}

pub fn log(frame: &Frame, entries: &[Logged<'_>]) -> Report {
    let lang = frame.lang;
    let rows = entries
        .iter()
        .map(|l| {
            let e = &l.entry;
            let before = l.before.as_ref().map(|r| record_json(r, &l.names));
            let after = l.after.as_ref().map(|r| record_json(r, &l.names));
            let changes = match (&before, &after) {
                (Some(b), Some(a)) => changed_fields(b, a),
                _ => String::new(),
            };
            vec![
                Cell::Count(e.seq),
                Cell::text(e.at.split('.').next().unwrap_or(&e.at).replacen('T', " ", 1)),
                Cell::text(&e.user),
                Cell::text(&e.command),
                Cell::text(e.entity.label(lang)),
                Cell::text(display_key(l)),
                Cell::text(e.action.label(lang)),
                Cell::text(changes),
                before.map_or(Cell::Empty, Cell::Json),
                after.map_or(Cell::Empty, Cell::Json),
                Cell::text(hex::encode(e.hash)),
            ]
        })
        .collect();
    let columns = vec![
        frame.col("seq", "#", "#", ColumnKind::Count),
        frame.col("at", "When (UTC)", "När (UTC)", ColumnKind::Text),
        frame.col("user", "Who", "Vem", ColumnKind::Text),
        frame.col("command", "Command", "Kommando", ColumnKind::Text).detail(),
        frame.col("entity", "What", "Vad", ColumnKind::Text),
        frame.col("key", "Which", "Vilken", ColumnKind::Text),
        frame.col("action", "Change", "Ändring", ColumnKind::Text),
        frame.col("changed", "Fields", "Fält", ColumnKind::Text).detail(),
        frame.col("before", "Before", "Före", ColumnKind::Text).detail(),
        frame.col("after", "After", "Efter", ColumnKind::Text).detail(),
        frame.col("hash", "Hash", "Hash", ColumnKind::Text).detail(),
    ];
    let main = Table { key: "audit".into(), title: String::new(), columns, rows, totals: None };
    frame.report("audit", lang.pick("Change history", "Ändringshistorik").into(), main)
}
