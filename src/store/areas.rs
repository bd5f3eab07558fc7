//! Specialisation areas in the store: reading them as of a snapshot, adding, renaming
//! and retiring them (each a new version, with its audit entry).

use super::db::{Connection, Row, params};
use chrono::NaiveDate;

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::{AreaSeedOwned, Change, Snapshot};
use crate::domain::area::Area;
use crate::domain::date::{from_int, to_int};
use crate::domain::text::fold;
use crate::error::{Error, Result};

const COLUMNS: &str =
    "a.vid, a.id, a.code, a.name_sv, a.name_en, a.valid_from, a.valid_to, a.position, a.strategy_id, a.horizontal";

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Area)> {
    let date = |v: Option<i64>| v.and_then(from_int);
    Ok((
        r.get(0)?,
        Area {
            id: r.get(1)?,
            code: r.get(2)?,
            name_sv: r.get(3)?,
            name_en: r.get(4)?,
            valid_from: date(r.get(5)?),
            valid_to: date(r.get(6)?),
            position: r.get(7)?,
            strategy: r.get(8)?,
            horizontal: r.get::<i64>(9)? != 0,
        },
    ))
}

/// The areas a snapshot sees, in the region's order.
pub fn list(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Area>> {
    let sql = format!("SELECT {COLUMNS} FROM areas a WHERE {} ORDER BY a.position, a.id", snapshot.live("a"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.map(|r| r.map(|(_, a)| a)).collect::<super::db::Result<_>>()?)
}

/// The digest of an area's canonical content, as its audit entries commit to it.
pub(crate) fn digest(a: &Area) -> Digest {
    let mut c = Canon::new("area");
    c.int(a.id).text(&a.code).text(&a.name_sv).text(&a.name_en);
    c.opt_int(a.valid_from.map(to_int)).opt_int(a.valid_to.map(to_int)).int(a.position);
    // Since schema 7: versions from before it have neither, and keep their digests.
    if a.strategy.is_some() || a.horizontal {
        c.opt_int(a.strategy).int(i64::from(a.horizontal));
    }
    c.digest()
}

/// The version `vid` of an area, whatever its snapshot.
pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Area>> {
    let sql = format!("SELECT {COLUMNS} FROM areas a WHERE a.vid = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query_map([vid], from_row)?;
    Ok(rows.next().transpose()?.map(|(_, a)| a))
}

fn insert(change: &Change<'_>, a: &Area) -> Result<i64> {
    Ok(change.conn().query_row(
        "INSERT INTO areas(id, rev, code, name_sv, name_en, valid_from, valid_to, position, strategy_id, horizontal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING vid",
        params![
            a.id,
            change.rev,
            a.code,
            a.name_sv,
            a.name_en,
            a.valid_from.map(to_int),
            a.valid_to.map(to_int),
            a.position,
            a.strategy,
            i64::from(a.horizontal)
        ],
        |r| r.get(0),
    )?)
}

/// Refuses a code another current area has, or a name another current area of the same
/// strategy answers to, since every input that names an area must name exactly one (a
/// name two strategies share, as the official names sometimes are, names the area that
/// comes first in the region's list; its code always names it alone).
fn check_unique(conn: &Connection, a: &Area) -> Result<()> {
    for other in list(conn, Snapshot::CURRENT)?.iter().filter(|o| o.id != a.id) {
        // Another strategy's area may have the same names; never the same code.
        let answers = if other.strategy == a.strategy { 3 } else { 1 };
        let taken: Vec<String> =
            [&other.code, &other.name_sv, &other.name_en][..answers].iter().map(|s| fold(s)).collect();
        let whats = [
            crate::tr!("code", "koden"),
            crate::tr!("Swedish name", "det svenska namnet"),
            crate::tr!("English name", "det engelska namnet"),
        ];
        for (what, name) in whats.iter().zip([&a.code, &a.name_sv, &a.name_en]) {
            if taken.contains(&fold(name)) {
                let used_by = &other.code;
                return Err(Error::failed(crate::tr!(
                    "area {what} {name:?} is already used by area {used_by}",
                    "områdets {what} {name:?} används redan av området {used_by}"
                )));
            }
        }
    }
    Ok(())
}

/// Adds an area at the end of the region's list.
pub fn add(
    change: &Change<'_>,
    seed: &AreaSeedOwned,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
    strategy: Option<i64>,
    horizontal: bool,
) -> Result<Area> {
    let (id, position): (i64, i64) = change.conn().query_row(
        "SELECT coalesce(max(id), 0) + 1, coalesce(max(position), -1) + 1 FROM areas",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let area = Area {
        id,
        code: seed.code.clone(),
        name_sv: seed.name_sv.clone(),
        name_en: seed.name_en.clone(),
        valid_from,
        valid_to,
        position,
        strategy,
        horizontal,
    };
    check_unique(change.conn(), &area)?;
    let vid = insert(change, &area)?;
    let key = area.id.to_string();
    change.record(Entry {
        entity: Entity::Area,
        key: &key,
        action: Action::Add,
        before: None,
        after: Some((vid, digest(&area))),
    })?;
    Ok(area)
}

/// Replaces the current version of an area with `updated` (same id). Returns false when
/// nothing differs.
pub fn update(change: &Change<'_>, updated: &Area) -> Result<bool> {
    let sql = format!("SELECT {COLUMNS} FROM areas a WHERE a.id = ?1 AND a.end_rev IS NULL");
    let current = change.conn().query_row(&sql, [updated.id], from_row).map_err(|_| {
        Error::failed(crate::tr!("no current area with id {}", "inget aktuellt område med id {}", updated.id))
    })?;
    if current.1 == *updated {
        return Ok(false);
    }
    check_unique(change.conn(), updated)?;
    change.conn().execute("UPDATE areas SET end_rev = ?1 WHERE vid = ?2", params![change.rev, current.0])?;
    let vid = insert(change, updated)?;
    let key = updated.id.to_string();
    change.record(Entry {
        entity: Entity::Area,
        key: &key,
        action: Action::Edit,
        before: Some((current.0, digest(&current.1))),
        after: Some((vid, digest(updated))),
    })?;
    Ok(true)
}
