//! Organisations in the store: found by name the way people type it, added, edited,
//! each change a new version with its audit entry.

use std::collections::HashMap;

use super::db::{Connection, OptionalExtension, Row, params};

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::decode::{self, At};
use super::{Change, Snapshot};
use crate::domain::org::{Org, OrgKind, OrgNo};
use crate::domain::text::{fold, nearest};
use crate::error::{Error, Result};

const COLUMNS: &str = "o.vid, o.id, o.name, o.org_no, o.kind";

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Org)> {
    let org_no: Option<String> = r.get(3)?;
    let vid: i64 = r.get(0)?;
    let org_no =
        org_no.map(|n| decode::text(At::new("orgs", "org_no", Some(vid)), &n, OrgNo::parse(&n))).transpose()?;
    Ok((
        vid,
        Org {
            id: r.get(1)?,
            name: r.get(2)?,
            org_no,
            kind: decode::code(At::new("orgs", "kind", Some(vid)), r.get(4)?, OrgKind::from_code)?,
        },
    ))
}

/// All organisations a snapshot sees, by name.
pub fn list(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs o WHERE {} ORDER BY o.name_key, o.id", snapshot.live("o"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.map(|r| r.map(|(_, o)| o)).collect::<super::db::Result<_>>()?)
}

/// Organisations by id, for naming owners and partners in reports and exports.
pub fn by_id(conn: &Connection, snapshot: Snapshot) -> Result<HashMap<i64, Org>> {
    Ok(list(conn, snapshot)?.into_iter().map(|o| (o.id, o)).collect())
}

/// The organisation called `name` (any case, with or without diacritics).
pub fn find(conn: &Connection, name: &str, snapshot: Snapshot) -> Result<Option<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs o WHERE o.name_key = ?1 AND {}", snapshot.live("o"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query_map([fold(name)], from_row)?;
    Ok(rows.next().transpose()?.map(|(_, o)| o))
}

/// Like [`find`], but a missing organisation is an error that suggests the nearest name.
pub fn require(conn: &Connection, flag: &str, name: &str, snapshot: Snapshot) -> Result<Org> {
    if let Some(org) = find(conn, name, snapshot)? {
        return Ok(org);
    }
    let all = list(conn, snapshot)?;
    let err = Error::value(flag, name, crate::tr!("no such organisation", "ingen sådan organisation"));
    Err(match nearest(name, all.iter().map(|o| o.name.as_str())) {
        Some(n) => err.hint(crate::tr!(
            "did you mean {n:?}? (`spets org list` shows them all)",
            "menade du {n:?}? (`spets org list` visar alla)"
        )),
        None => err.hint(crate::tr!(
            "`spets org add {name:?} --kind ...` records it first",
            "`spets org add {name:?} --kind ...` registrerar den först"
        )),
    })
}

/// The digest of an organisation's canonical content.
pub(crate) fn digest(o: &Org) -> Digest {
    let mut c = Canon::new("org");
    c.int(o.id).text(&o.name).opt_text(o.org_no.as_ref().map(|n| n.as_str())).int(o.kind.code());
    c.digest()
}

/// The version `vid` of an organisation.
pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Org>> {
    let sql = format!("SELECT {COLUMNS} FROM orgs o WHERE o.vid = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query_map([vid], from_row)?;
    Ok(rows.next().transpose()?.map(|(_, o)| o))
}

fn insert(change: &Change<'_>, o: &Org) -> Result<i64> {
    let mut stmt = change.conn().prepare_cached(
        "INSERT INTO orgs(id, rev, name, name_key, org_no, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING vid",
    )?;
    let values = params![o.id, change.rev, o.name, fold(&o.name), o.org_no.as_ref().map(|n| n.as_str()), o.kind.code()];
    Ok(stmt.query_row(values, |r| r.get(0))?)
}

/// Records a new organisation. A name already taken (in any case or spelling of
/// diacritics) is refused.
pub fn add(change: &Change<'_>, name: &str, org_no: Option<OrgNo>, kind: OrgKind) -> Result<Org> {
    if let Some(existing) = find(change.conn(), name, Snapshot::CURRENT)? {
        return Err(Error::failed(crate::tr!(
            "organisation {:?} already exists",
            "organisationen {:?} finns redan",
            existing.name
        )));
    }
    // A new organisation's id is the row id its first version gets: larger than every
    // row id so far, so larger than every id (an id is its first version's row id).
    let id: i64 =
        change.conn().prepare_cached("SELECT coalesce(max(vid), 0) + 1 FROM orgs")?.query_row([], |r| r.get(0))?;
    let org = Org { id, name: name.trim().to_string(), org_no, kind };
    let vid = insert(change, &org)?;
    let key = id.to_string();
    change.record(Entry {
        entity: Entity::Org,
        key: &key,
        action: Action::Add,
        before: None,
        after: Some((vid, digest(&org))),
    })?;
    Ok(org)
}

/// Replaces the current version of an organisation (same id). Returns false when
/// nothing differs.
pub fn update(change: &Change<'_>, updated: &Org) -> Result<bool> {
    let sql = format!("SELECT {COLUMNS} FROM orgs o WHERE o.id = ?1 AND o.end_rev IS NULL");
    let (old_vid, old) = change.conn().query_row(&sql, [updated.id], from_row).map_err(|_| {
        Error::failed(crate::tr!(
            "no current organisation with id {}",
            "ingen aktuell organisation med id {}",
            updated.id
        ))
    })?;
    if old == *updated {
        return Ok(false);
    }
    if let Some(other) = find(change.conn(), &updated.name, Snapshot::CURRENT)?
        && other.id != updated.id
    {
        return Err(Error::failed(crate::tr!(
            "organisation {:?} already exists",
            "organisationen {:?} finns redan",
            other.name
        )));
    }
    change.conn().execute("UPDATE orgs SET end_rev = ?1 WHERE vid = ?2", params![change.rev, old_vid])?;
    let vid = insert(change, updated)?;
    let key = updated.id.to_string();
    change.record(Entry {
        entity: Entity::Org,
        key: &key,
        action: Action::Edit,
        before: Some((old_vid, digest(&old))),
        after: Some((vid, digest(updated))),
    })?;
    Ok(true)
}

/// The current name of the organisation with this id.
pub fn name_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM orgs WHERE id = ?1 AND end_rev IS NULL")?;
    Ok(stmt.query_row([id], |r| r.get(0)).optional()?)
}
