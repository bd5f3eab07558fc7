//! Turns a [`Filter`] into the SQL condition that selects its projects (table alias `p`)
//! and the parameters that go with it. Values are always bound, never formatted in.
//! A condition on a project's other rows (areas, partners, funders) is `vid IN` a
//! subquery of their table, which the engine reads once, never a subquery per project.

use super::db::{Connection, Value};

use super::{Snapshot, names};
use crate::domain::date::to_int;
use crate::domain::filter::{DateField, Filter};
use crate::domain::project::Status;
use crate::error::Result;

/// A SQL condition and its positional parameters.
pub struct Selection {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Selection {
    /// `?` placeholders in `sql` are numbered in the order values are pushed.
    fn push(&mut self, clause: String, values: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        self.sql.push_str(&clause);
        self.params.extend(values);
    }
}

/// `n` placeholders; none is `NULL`, which no value is `IN`.
fn placeholders(n: usize) -> String {
    if n == 0 { "NULL".into() } else { vec!["?"; n].join(", ") }
}

/// The projects (alias `p`) a filter selects in a snapshot.
pub fn projects(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Selection> {
    let mut s = Selection { sql: snapshot.live("p"), params: Vec::new() };
    if filter.statuses.len() < Status::ALL.len() {
        s.push(
            format!("p.status IN ({})", placeholders(filter.statuses.len())),
            filter.statuses.iter().map(|st| Value::Integer(st.code())),
        );
    }
    if !filter.kinds.is_empty() {
        s.push(
            format!("p.kind IN ({})", placeholders(filter.kinds.len())),
            filter.kinds.iter().map(|k| Value::Integer(k.code())),
        );
    }
    if !filter.funds.is_empty() {
        let ids = names::matching(conn, &filter.funds)?;
        s.push(format!("p.fund_id IN ({})", placeholders(ids.len())), ids);
    }
    if !filter.programmes.is_empty() {
        let ids = names::matching(conn, &filter.programmes)?;
        s.push(format!("p.programme_id IN ({})", placeholders(ids.len())), ids);
    }
    if !filter.sources.is_empty() {
        let ids = names::matching(conn, &filter.sources)?;
        s.push(format!("p.source_name_id IN ({})", placeholders(ids.len())), ids);
    }
    if filter.municipalities != 0 {
        s.push("(p.municipalities & ?) <> 0".into(), [Value::Integer(filter.municipalities as i64)]);
    }
    if !filter.areas.is_empty() {
        s.push(
            format!(
                "p.vid IN (SELECT fa.project_vid FROM allocations fa WHERE fa.area_id IN ({}))",
                placeholders(filter.areas.len())
            ),
            filter.areas.iter().map(|a| Value::Integer(*a)),
        );
    }
    if !filter.orgs.is_empty() {
        let n = placeholders(filter.orgs.len());
        s.push(
            format!(
                "(p.owner_id IN ({n}) OR p.vid IN (SELECT fp.project_vid FROM partners fp WHERE fp.org_id IN ({n})))"
            ),
            filter.orgs.iter().chain(filter.orgs.iter()).map(|o| Value::Integer(*o)),
        );
    }
    if !filter.funders.is_empty() {
        let ids = names::matching(conn, &filter.funders)?;
        s.push(
            format!(
                "p.vid IN (SELECT ff.project_vid FROM funding_lines ff WHERE ff.funder_id IN ({}))",
                placeholders(ids.len())
            ),
            ids,
        );
    }
    let from = filter.from.map(|d| Value::Integer(to_int(d)));
    let to = filter.to.map(|d| Value::Integer(to_int(d)));
    match filter.date_field {
        DateField::Decided | DateField::Start => {
            let column = if filter.date_field == DateField::Decided { "p.decided" } else { "p.start" };
            if let Some(from) = from {
                s.push(format!("{column} >= ?"), [from]);
            }
            if let Some(to) = to {
                s.push(format!("{column} <= ?"), [to]);
            }
        }
        DateField::Period => {
            if let Some(from) = from {
                s.push("coalesce(p.\"end\", p.start, p.decided) >= ?".into(), [from]);
            }
            if let Some(to) = to {
                s.push("coalesce(p.start, p.decided) <= ?".into(), [to]);
            }
        }
        DateField::Payment => {}
    }
    Ok(s)
}

/// The allocations (alias `a`) of the projects a filter selects, using only the copies
/// of status, kind and year of decision the allocations carry; `None` when the filter
/// asks about anything else (a date inside a year, or a past snapshot), which needs the
/// projects themselves.
pub fn allocations(filter: &Filter, snapshot: Snapshot) -> Option<Selection> {
    use chrono::Datelike;
    if snapshot.0.is_some() || !filter.only_status_kind_areas_decided() || !filter.whole_years() {
        return None;
    }
    let mut s = Selection { sql: "a.end_rev IS NULL".into(), params: Vec::new() };
    if filter.statuses.len() < Status::ALL.len() {
        s.push(
            format!("a.status IN ({})", placeholders(filter.statuses.len())),
            filter.statuses.iter().map(|st| Value::Integer(st.code())),
        );
    }
    if !filter.kinds.is_empty() {
        s.push(
            format!("a.kind IN ({})", placeholders(filter.kinds.len())),
            filter.kinds.iter().map(|k| Value::Integer(k.code())),
        );
    }
    if !filter.areas.is_empty() {
        s.push(
            format!(
                "a.project_vid IN (SELECT fa.project_vid FROM allocations fa WHERE fa.area_id IN ({}))",
                placeholders(filter.areas.len())
            ),
            filter.areas.iter().map(|a| Value::Integer(*a)),
        );
    }
    if let Some(from) = filter.from {
        s.push("a.year >= ?".into(), [Value::Integer(from.year().into())]);
    }
    if let Some(to) = filter.to {
        s.push("a.year <= ?".into(), [Value::Integer(to.year().into())]);
    }
    Some(s)
}

/// The payment-date condition (alias `pay`) for `years --basis paid`.
pub fn payment_dates(filter: &Filter) -> Selection {
    let mut s = Selection { sql: "TRUE".into(), params: Vec::new() };
    if filter.date_field == DateField::Payment {
        if let Some(from) = filter.from {
            s.push("pay.date >= ?".into(), [Value::Integer(to_int(from))]);
        }
        if let Some(to) = filter.to {
            s.push("pay.date <= ?".into(), [Value::Integer(to_int(to))]);
        }
    }
    s
}
