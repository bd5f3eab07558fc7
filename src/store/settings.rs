//! Settings in the store: versioned rows like every other record, each change an audit
//! entry. Today the default funder of each funder kind (`funder.region`).

use super::db::{Connection, OptionalExtension, Row, params};

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::{Change, Snapshot};
use crate::domain::project::{DefaultFunders, FunderKind, Setting};
use crate::error::Result;

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Setting)> {
    Ok((r.get(0)?, Setting { key: r.get(1)?, value: r.get(2)? }))
}

/// The digest of a setting's canonical content.
pub(crate) fn digest(s: &Setting) -> Digest {
    let mut c = Canon::new("setting");
    c.text(&s.key).text(&s.value);
    c.digest()
}

/// The settings a snapshot sees, by key.
pub fn list(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Setting>> {
    let sql = format!("SELECT s.vid, s.key, s.value FROM settings s WHERE {} ORDER BY s.key", snapshot.live("s"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.map(|r| r.map(|(_, s)| s)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Setting>> {
    Ok(conn
        .query_row("SELECT vid, key, value FROM settings WHERE vid = ?1", [vid], from_row)
        .optional()?
        .map(|(_, s)| s))
}

/// Sets a setting. Returns whether anything changed.
pub fn set(change: &Change<'_>, s: &Setting) -> Result<bool> {
    let existing = change
        .conn()
        .query_row("SELECT vid, key, value FROM settings WHERE key = ?1 AND end_rev IS NULL", [&s.key], from_row)
        .optional()?;
    if existing.as_ref().is_some_and(|(_, old)| old == s) {
        return Ok(false);
    }
    if let Some((vid, _)) = &existing {
        change.conn().execute("UPDATE settings SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
    }
    let vid: i64 = change.conn().query_row(
        "INSERT INTO settings(rev, key, value) VALUES (?1, ?2, ?3) RETURNING vid",
        params![change.rev, s.key, s.value],
        |r| r.get(0),
    )?;
    change.record(Entry {
        entity: Entity::Setting,
        key: &s.key,
        action: Action::of(existing.is_some(), true),
        before: existing.as_ref().map(|(v, old)| (*v, digest(old))),
        after: Some((vid, digest(s))),
    })?;
    Ok(true)
}

/// The default funder of each kind as of a snapshot (a kind without one: the word of
/// the kind, as databases before schema 4 recorded it).
pub fn default_funders(conn: &Connection, snapshot: Snapshot) -> Result<DefaultFunders> {
    let mut d = DefaultFunders::default();
    for s in list(conn, snapshot)? {
        if let Some(kind) = s.key.strip_prefix("funder.").and_then(|k| k.parse::<FunderKind>().ok()) {
            d.set(kind, s.value);
        }
    }
    Ok(d)
}

/// Records the default funders of a region set up now.
pub fn seed_default_funders(change: &Change<'_>, region: &str) -> Result<()> {
    for (kind, name) in DefaultFunders::seed(region) {
        set(change, &Setting { key: DefaultFunders::key(kind), value: name.to_string() })?;
    }
    Ok(())
}

/// Migration 4's data: the region's default funders, and the funding lines recorded
/// under the bare word of their kind (`region`, as imports before schema 4 named them)
/// renamed to that kind's default funder, each project a new version.
pub fn migrate_default_funders(change: &Change<'_>) -> Result<()> {
    let conn = change.conn();
    let region = super::meta(conn, "region")?.unwrap_or_default();
    seed_default_funders(change, &region)?;
    let defaults = default_funders(conn, Snapshot::CURRENT)?;
    for reference in super::projects::with_kind_named_funders(conn)? {
        let Some(current) = super::projects::load(conn, &reference, Snapshot::CURRENT)? else { continue };
        let mut project = current.project.clone();
        for line in &mut project.funding {
            if line.kind != FunderKind::Eu && line.funder == line.kind.as_str() {
                line.funder = defaults.funder(line.kind, None);
            }
        }
        super::projects::Writer::new(change)?.put(&project, Some(&current), super::projects::PutMode::Edit)?;
    }
    Ok(())
}
