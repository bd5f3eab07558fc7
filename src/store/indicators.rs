//! Outcome indicators in the store: one current version per project and code.

use super::db::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::decode::{self, At};
use super::{Change, Snapshot};
use crate::domain::indicator::{self, Definition};
use crate::domain::project::Indicator;
use crate::error::Result;

const COLUMNS: &str = "i.vid, i.project_ref, i.code, i.name, i.unit, i.target, i.outcome";

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Indicator)> {
    let vid: i64 = r.get(0)?;
    let number = |column, s: String| -> super::db::Result<Decimal> {
        let parsed =
            s.parse::<Decimal>().map_err(|_| crate::tr!("not a number spets writes", "inte ett tal som spets skriver"));
        decode::text(At::new("indicators", column, Some(vid)), &s, parsed)
    };
    let outcome: Option<String> = r.get(6)?;
    Ok((
        r.get(0)?,
        Indicator {
            reference: r.get(1)?,
            code: r.get(2)?,
            name: r.get(3)?,
            unit: r.get(4)?,
            target: number("target", r.get(5)?)?,
            outcome: outcome.map(|o| number("outcome", o)).transpose()?,
        },
    ))
}

/// The key of an indicator's audit entries: the project reference and the code.
pub fn key(i: &Indicator) -> String {
    format!("{} {}", i.reference, i.code)
}

/// The digest of an indicator's canonical content.
pub(crate) fn digest(i: &Indicator) -> Digest {
    let mut c = Canon::new("indicator");
    c.text(&i.reference).text(&i.code).opt_text(i.name.as_deref()).opt_text(i.unit.as_deref());
    c.text(&i.target.to_string()).opt_text(i.outcome.map(|o| o.to_string()).as_deref());
    c.digest()
}

/// Indicators a snapshot sees, of one project or all.
pub fn list(conn: &Connection, reference: Option<&str>, snapshot: Snapshot) -> Result<Vec<Indicator>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM indicators i WHERE {} AND (CAST(?1 AS TEXT) IS NULL OR i.project_ref = ?1) ORDER BY i.project_ref, i.code",
        snapshot.live("i")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([reference], from_row)?;
    Ok(rows.map(|r| r.map(|(_, i)| i)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Indicator>> {
    let sql = format!("SELECT {COLUMNS} FROM indicators i WHERE i.vid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([vid], from_row).optional()?.map(|(_, i)| i))
}

/// The project's indicator `code` as it stands now.
pub fn get(conn: &Connection, reference: &str, code: &str) -> Result<Option<Indicator>> {
    Ok(current(conn, reference, code)?.map(|(_, i)| i))
}

fn current(conn: &Connection, reference: &str, code: &str) -> Result<Option<(i64, Indicator)>> {
    let sql =
        format!("SELECT {COLUMNS} FROM indicators i WHERE i.project_ref = ?1 AND i.code = ?2 AND i.end_rev IS NULL");
    Ok(conn.query_row(&sql, [reference, code], from_row).optional()?)
}

/// Sets an indicator: a new version when it is new or differs. Returns whether anything
/// changed.
pub fn set(change: &Change<'_>, i: &Indicator) -> Result<bool> {
    let existing = current(change.conn(), &i.reference, &i.code)?;
    if existing.as_ref().is_some_and(|(_, old)| old == i) {
        return Ok(false);
    }
    if let Some((vid, _)) = &existing {
        change.conn().execute("UPDATE indicators SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
    }
    let vid: i64 = change.conn().query_row(
        "INSERT INTO indicators(rev, project_ref, code, name, unit, target, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING vid",
        params![change.rev, i.reference, i.code, i.name, i.unit, i.target.to_string(), i.outcome.map(|o| o.to_string())],
        |r| r.get(0),
    )?;
    let key = key(i);
    change.record(Entry {
        entity: Entity::Indicator,
        key: &key,
        action: Action::of(existing.is_some(), true),
        before: existing.as_ref().map(|(v, old)| (*v, digest(old))),
        after: Some((vid, digest(i))),
    })?;
    Ok(true)
}

/// Removes every current indicator of a project (when the project is removed).
pub fn remove_all(change: &Change<'_>, reference: &str) -> Result<()> {
    let sql =
        format!("SELECT {COLUMNS} FROM indicators i WHERE i.project_ref = ?1 AND i.end_rev IS NULL ORDER BY i.code");
    let rows: Vec<(i64, Indicator)> = {
        let mut stmt = change.conn().prepare(&sql)?;
        stmt.query_map([reference], from_row)?.collect::<super::db::Result<_>>()?
    };
    for (vid, i) in rows {
        change.conn().execute("UPDATE indicators SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
        let key = key(&i);
        change.record(Entry {
            entity: Entity::Indicator,
            key: &key,
            action: Action::Remove,
            before: Some((vid, digest(&i))),
            after: None,
        })?;
    }
    Ok(())
}

// The region's own indicator codes.

const DEFINITION_COLUMNS: &str = "d.vid, d.code, d.name_en, d.name_sv, d.unit, d.summable";

fn definition_from_row(r: &Row<'_>) -> super::db::Result<(i64, Definition)> {
    let unit: String = r.get(4)?;
    Ok((
        r.get(0)?,
        Definition {
            code: r.get(1)?,
            name_en: r.get(2)?,
            name_sv: r.get(3)?,
            unit_sv: unit.clone(),
            unit,
            summable: r.get::<i64>(5)? != 0,
            origin: indicator::REGION.into(),
        },
    ))
}

/// The digest of a region's indicator code.
pub(crate) fn definition_digest(d: &Definition) -> Digest {
    let mut c = Canon::new("indicator-code");
    c.text(&d.code).text(&d.name_en).text(&d.name_sv).text(&d.unit).int(i64::from(d.summable));
    c.digest()
}

/// The codes the region defined, as a snapshot sees them.
pub fn definitions(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Definition>> {
    let sql =
        format!("SELECT {DEFINITION_COLUMNS} FROM indicator_codes d WHERE {} ORDER BY d.code", snapshot.live("d"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], definition_from_row)?;
    Ok(rows.map(|r| r.map(|(_, d)| d)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn definition_version(conn: &Connection, vid: i64) -> Result<Option<Definition>> {
    let sql = format!("SELECT {DEFINITION_COLUMNS} FROM indicator_codes d WHERE d.vid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([vid], definition_from_row).optional()?.map(|(_, d)| d))
}

/// Every code a snapshot knows: the built-in catalogue, then the region's own.
pub fn catalogue(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Definition>> {
    let mut all = indicator::catalogue();
    all.extend(definitions(conn, snapshot)?);
    Ok(all)
}

/// Defines (or redefines) one of the region's codes. Returns whether anything changed.
pub fn define(change: &Change<'_>, d: &Definition) -> Result<bool> {
    let sql = format!("SELECT {DEFINITION_COLUMNS} FROM indicator_codes d WHERE d.code = ?1 AND d.end_rev IS NULL");
    let existing = change.conn().query_row(&sql, [&d.code], definition_from_row).optional()?;
    if existing.as_ref().is_some_and(|(_, old)| old == d) {
        return Ok(false);
    }
    if let Some((vid, _)) = &existing {
        change.conn().execute("UPDATE indicator_codes SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
    }
    let vid: i64 = change.conn().query_row(
        "INSERT INTO indicator_codes(rev, code, name_en, name_sv, unit, summable) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING vid",
        params![change.rev, d.code, d.name_en, d.name_sv, d.unit, i64::from(d.summable)],
        |r| r.get(0),
    )?;
    change.record(Entry {
        entity: Entity::IndicatorCode,
        key: &d.code,
        action: Action::of(existing.is_some(), true),
        before: existing.as_ref().map(|(v, old)| (*v, definition_digest(old))),
        after: Some((vid, definition_digest(d))),
    })?;
    Ok(true)
}
