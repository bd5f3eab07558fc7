//! Programmes and their co-financing caps: data set with `spets programme set`, read by
//! `spets check`.

use super::db::{Connection, OptionalExtension, Row, params};

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::{Change, Snapshot};
use crate::domain::project::Programme;
use crate::error::Result;

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Programme)> {
    Ok((r.get(0)?, Programme { name: r.get(1)?, eu_cap: r.get(2)?, region_cap: r.get(3)? }))
}

/// The digest of a programme's canonical content.
pub(crate) fn digest(p: &Programme) -> Digest {
    let mut c = Canon::new("programme");
    c.text(&p.name).opt_int(p.eu_cap.map(i64::from)).opt_int(p.region_cap.map(i64::from));
    c.digest()
}

pub fn list(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Programme>> {
    let sql = format!(
        "SELECT g.vid, g.name, g.eu_cap, g.region_cap FROM programmes g WHERE {} ORDER BY g.name",
        snapshot.live("g")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.map(|r| r.map(|(_, p)| p)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Programme>> {
    Ok(conn
        .query_row("SELECT vid, name, eu_cap, region_cap FROM programmes WHERE vid = ?1", [vid], from_row)
        .optional()?
        .map(|(_, p)| p))
}

/// Sets a programme's caps. Returns whether anything changed.
pub fn set(change: &Change<'_>, p: &Programme) -> Result<bool> {
    let existing = change
        .conn()
        .query_row(
            "SELECT vid, name, eu_cap, region_cap FROM programmes WHERE name = ?1 AND end_rev IS NULL",
            [&p.name],
            from_row,
        )
        .optional()?;
    if existing.as_ref().is_some_and(|(_, old)| old == p) {
        return Ok(false);
    }
    if let Some((vid, _)) = &existing {
        change.conn().execute("UPDATE programmes SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
    }
    let vid: i64 = change.conn().query_row(
        "INSERT INTO programmes(rev, name, eu_cap, region_cap) VALUES (?1, ?2, ?3, ?4) RETURNING vid",
        params![change.rev, p.name, p.eu_cap, p.region_cap],
        |r| r.get(0),
    )?;
    change.record(Entry {
        entity: Entity::Programme,
        key: &p.name,
        action: Action::of(existing.is_some(), true),
        before: existing.as_ref().map(|(v, old)| (*v, digest(old))),
        after: Some((vid, digest(p))),
    })?;
    Ok(true)
}

/// Programme names recorded now (with caps, or on projects) that fold to the same as
/// `name` without being it: the same programme spelt with another dash, case or spacing.
pub fn spellings_like(conn: &Connection, name: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT name FROM programmes WHERE end_rev IS NULL
         UNION SELECT n.text FROM projects p JOIN names n ON n.id = p.programme_id WHERE p.end_rev IS NULL
         ORDER BY 1",
    )?;
    let key = crate::domain::project::programme_key(name);
    let names = stmt.query_map([], |r| r.get::<String>(0))?.collect::<super::db::Result<Vec<_>>>()?;
    Ok(names.into_iter().filter(|n| n != name && crate::domain::project::programme_key(n) == key).collect())
}
