//! Reports as JSON: one object with `report`, `title`, `filters`, `as_of`, `columns`,
//! `rows`, `totals` (and `headline`, `notes`, `sections` when the report has them).
//! Amounts are exact decimal strings; counts are numbers.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::percent_exact;
use crate::report::{Cell, Report, Table};

pub fn cell_value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(t) => Value::String(t.clone()),
        Cell::Count(n) => json!(n),
        Cell::Money(m) => Value::String(m.plain()),
        Cell::Percent(Some(r)) => Value::String(percent_exact(r.scaled(10_000), '.')),
        Cell::Percent(None) | Cell::Empty => Value::Null,
        Cell::Number(n) => Value::String(n.clone()),
        Cell::Json(v) => v.clone(),
        Cell::Amounts(list) if list.is_empty() => Value::Null,
        Cell::Amounts(list) => Value::Object(list.iter().map(|(c, m)| (c.clone(), Value::String(m.plain()))).collect()),
    }
}

fn row_object(table: &Table, row: &[Cell]) -> Value {
    Value::Object(table.columns.iter().zip(row).map(|(c, v)| (c.key.clone(), cell_value(v))).collect())
}

fn table_value(table: &Table) -> Map<String, Value> {
    let mut m = Map::new();
    if !table.title.is_empty() {
        m.insert("title".into(), Value::String(table.title.clone()));
    }
    m.insert("columns".into(), serde_json::to_value(&table.columns).unwrap_or(Value::Null));
    m.insert("rows".into(), Value::Array(table.rows.iter().map(|r| row_object(table, r)).collect()));
    m.insert("totals".into(), table.totals.as_ref().map_or(Value::Null, |t| row_object(table, t)));
    m
}

/// The report as a JSON value.
pub fn value(report: &Report) -> Value {
    let mut m = Map::new();
    m.insert("report".into(), Value::String(report.name.clone()));
    m.insert("title".into(), Value::String(report.title.clone()));
    m.insert(
        "filters".into(),
        Value::Object(report.filters.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
    );
    m.insert(
        "as_of".into(),
        report.as_of.as_ref().map_or(Value::Null, |a| json!({"rev": a.rev, "at": a.at, "head": a.short_head()})),
    );
    if let Some(h) = &report.headline {
        m.insert("headline".into(), Value::String(h.clone()));
    }
    m.extend(table_value(&report.main));
    if !report.sections.is_empty() {
        let sections: Map<String, Value> =
            report.sections.iter().map(|s| (s.key.clone(), Value::Object(table_value(s)))).collect();
        m.insert("sections".into(), Value::Object(sections));
    }
    if !report.notes.is_empty() {
        m.insert("notes".into(), json!(report.notes));
    }
    Value::Object(m)
}

pub fn render(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &value(report))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::history::ChangeInfo;
    use crate::report::{Column, ColumnKind, Frame};

    #[test]
    fn one_object_with_exact_amounts() {
        let as_of = ChangeInfo {
            rev: 3,
            at: "2026-11-01T08:00:00.000000Z".into(),
            user: "u".into(),
            command: "c".into(),
            head: Some("0123456789abcdef".repeat(4)),
        };
        let frame = Frame {
            lang: crate::domain::lang::Lang::En,
            filters: vec![("area".into(), "skog".into())],
            as_of: Some(as_of),
        };
        let main = Table {
            key: "t".into(),
            title: String::new(),
            columns: vec![Column::new("n", "N", ColumnKind::Count), Column::new("total", "Total", ColumnKind::Money)],
            rows: vec![vec![Cell::Count(2), Cell::money(5)]],
            totals: Some(vec![Cell::Count(2), Cell::money(5)]),
        };
        let v = value(&frame.report("t", "T".into(), main));
        assert_eq!(
            v.to_string(),
            r#"{"report":"t","title":"T","filters":{"area":"skog"},"as_of":{"rev":3,"at":"2026-11-01T08:00:00.000000Z","head":"0123456789ab"},"columns":[{"key":"n","label":"N","type":"count"},{"key":"total","label":"Total","type":"money"}],"rows":[{"n":2,"total":"0.05"}],"totals":{"n":2,"total":"0.05"}}"#
        );
    }
}
