//! Strategies and the crosswalk in the store: read as of a snapshot, added and mapped
//! as new versions, each with its audit entry. Also the seeding of a region's
//! strategies, at `init` and when migration 7 meets a database set up before it.

use super::db::{Connection, OptionalExtension, Row, params};
use chrono::NaiveDate;

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::decode::{self, At};
use super::{AreaSeedOwned, Change, Snapshot};
use crate::domain::area::Area;
use crate::domain::date::to_int;
use crate::domain::strategy::{self, SeedStrategy, Strategy, Successor};
use crate::error::{Error, Result};

const COLUMNS: &str = "s.vid, s.id, s.name, s.title_sv, s.title_en, s.valid_from, s.valid_to";

fn from_row(r: &Row<'_>) -> super::db::Result<(i64, Strategy)> {
    let vid: i64 = r.get(0)?;
    Ok((
        vid,
        Strategy {
            id: r.get(1)?,
            name: r.get(2)?,
            title_sv: r.get(3)?,
            title_en: r.get(4)?,
            valid_from: decode::date(At::new("strategies", "valid_from", Some(vid)), r.get(5)?)?,
            valid_to: decode::opt_date(At::new("strategies", "valid_to", Some(vid)), r.get(6)?)?,
        },
    ))
}

/// The digest of a strategy's canonical content.
pub(crate) fn digest(s: &Strategy) -> Digest {
    let mut c = Canon::new("strategy");
    c.int(s.id).text(&s.name).text(&s.title_sv).text(&s.title_en);
    c.int(to_int(s.valid_from)).opt_int(s.valid_to.map(to_int));
    c.digest()
}

/// The strategies a snapshot sees, oldest first.
pub fn list(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Strategy>> {
    let sql = format!("SELECT {COLUMNS} FROM strategies s WHERE {} ORDER BY s.valid_from, s.id", snapshot.live("s"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.map(|r| r.map(|(_, s)| s)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<Strategy>> {
    let sql = format!("SELECT {COLUMNS} FROM strategies s WHERE s.vid = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([vid], from_row).optional()?.map(|(_, s)| s))
}

/// Adds a strategy (no areas yet). Refuses a name or a first day another has.
pub fn add(
    change: &Change<'_>,
    name: &str,
    title_sv: &str,
    title_en: &str,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
) -> Result<Strategy> {
    let existing = list(change.conn(), Snapshot::CURRENT)?;
    if existing.iter().any(|s| s.name == name) {
        return Err(Error::failed(crate::tr!("strategy {name} already exists", "strategi {name} finns redan")));
    }
    if let Some(other) = existing.iter().find(|s| s.valid_from == valid_from) {
        return Err(Error::failed(crate::tr!(
            "strategy {} already starts on that day; two strategies cannot be in force from the same day",
            "strategi {} börjar redan den dagen; två strategier kan inte gälla från samma dag",
            other.name
        )));
    }
    let id: i64 = change.conn().query_row("SELECT coalesce(max(id), 0) + 1 FROM strategies", [], |r| r.get(0))?;
    let s = Strategy {
        id,
        name: name.to_string(),
        title_sv: title_sv.to_string(),
        title_en: title_en.to_string(),
        valid_from,
        valid_to,
    };
    let vid: i64 = change.conn().query_row(
        "INSERT INTO strategies(id, rev, name, title_sv, title_en, valid_from, valid_to) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING vid",
        params![s.id, change.rev, s.name, s.title_sv, s.title_en, to_int(valid_from), valid_to.map(to_int)],
        |r| r.get(0),
    )?;
    let key = s.id.to_string();
    change.record(Entry {
        entity: Entity::Strategy,
        key: &key,
        action: Action::Add,
        before: None,
        after: Some((vid, digest(&s))),
    })?;
    Ok(s)
}

// The crosswalk.

fn successor_from_row(r: &Row<'_>) -> super::db::Result<(i64, Successor)> {
    let vid: i64 = r.get(0)?;
    let share = decode::code(At::new("crosswalk", "share", Some(vid)), r.get(3)?, |v| {
        u32::try_from(v).ok().filter(|bp| (1..=crate::domain::area::FULL_SHARE).contains(bp))
    })?;
    Ok((vid, Successor { from: r.get(1)?, to: r.get(2)?, share_bp: share }))
}

/// The key of a crosswalk row's audit entries: the two areas' ids.
pub fn successor_key(s: &Successor) -> String {
    format!("{}>{}", s.from, s.to)
}

pub(crate) fn successor_digest(s: &Successor) -> Digest {
    let mut c = Canon::new("crosswalk");
    c.int(s.from).int(s.to).int(i64::from(s.share_bp));
    c.digest()
}

/// The crosswalk a snapshot sees.
pub fn successors(conn: &Connection, snapshot: Snapshot) -> Result<Vec<Successor>> {
    let sql = format!(
        "SELECT c.vid, c.from_id, c.to_id, c.share FROM crosswalk c WHERE {} ORDER BY c.from_id, c.vid",
        snapshot.live("c")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([], successor_from_row)?;
    Ok(rows.map(|r| r.map(|(_, s)| s)).collect::<super::db::Result<_>>()?)
}

pub(crate) fn successor_version(conn: &Connection, vid: i64) -> Result<Option<Successor>> {
    let sql = "SELECT c.vid, c.from_id, c.to_id, c.share FROM crosswalk c WHERE c.vid = ?1";
    Ok(conn.prepare_cached(sql)?.query_row([vid], successor_from_row).optional()?.map(|(_, s)| s))
}

/// Sets where area `from` continues: `to` (area id, share in basis points), or nowhere
/// when `to` is empty. Rows that stay the same are left as they are. Returns whether
/// anything changed.
pub fn map(change: &Change<'_>, from: i64, to: &[(i64, u32)]) -> Result<bool> {
    let current: Vec<(i64, Successor)> = {
        let sql = "SELECT c.vid, c.from_id, c.to_id, c.share FROM crosswalk c WHERE c.from_id = ?1 AND c.end_rev IS NULL ORDER BY c.vid";
        let mut stmt = change.conn().prepare(sql)?;
        stmt.query_map([from], successor_from_row)?.collect::<super::db::Result<_>>()?
    };
    let mut changed = false;
    for (vid, old) in &current {
        let kept = to.iter().find(|(t, _)| *t == old.to);
        if kept.is_some_and(|(_, share)| *share == old.share_bp) {
            continue;
        }
        change.conn().execute("UPDATE crosswalk SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
        if kept.is_none() {
            let key = successor_key(old);
            change.record(Entry {
                entity: Entity::Crosswalk,
                key: &key,
                action: Action::Remove,
                before: Some((*vid, successor_digest(old))),
                after: None,
            })?;
        }
        changed = true;
    }
    for (t, share) in to {
        let before = current.iter().find(|(_, o)| o.to == *t);
        if before.is_some_and(|(_, o)| o.share_bp == *share) {
            continue;
        }
        let s = Successor { from, to: *t, share_bp: *share };
        let vid: i64 = change.conn().query_row(
            "INSERT INTO crosswalk(rev, from_id, to_id, share) VALUES (?1, ?2, ?3, ?4) RETURNING vid",
            params![change.rev, from, t, i64::from(*share)],
            |r| r.get(0),
        )?;
        let key = successor_key(&s);
        change.record(Entry {
            entity: Entity::Crosswalk,
            key: &key,
            action: Action::of(before.is_some(), true),
            before: before.map(|(v, o)| (*v, successor_digest(o))),
            after: Some((vid, successor_digest(&s))),
        })?;
        changed = true;
    }
    Ok(changed)
}

// Seeding.

fn seed_strategy(change: &Change<'_>, seed: &SeedStrategy) -> Result<Strategy> {
    let date = |(y, m, d): (i32, u32, u32)| {
        NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
            Error::failed(crate::tr!(
                "strategy {} as spets seeds it has no day {y}-{m}-{d}",
                "strategi {} som spets lägger upp den har ingen dag {y}-{m}-{d}",
                seed.name
            ))
        })
    };
    add(change, seed.name, seed.title_sv, seed.title_en, date(seed.from)?, Some(date(seed.to)?))
}

/// The strategies a region starts with: the 2022–2028 one, which its areas form, and
/// for Värmland the 2015–2020 one before it (its areas come with [`seed_older`]).
pub fn seed(change: &Change<'_>, region: &str) -> Result<(Strategy, Option<Strategy>)> {
    if region == "varmland" {
        let older = seed_strategy(change, &strategy::VARMLAND_2015)?;
        Ok((seed_strategy(change, &strategy::VARMLAND_2022)?, Some(older)))
    } else {
        Ok((seed_strategy(change, &strategy::CURRENT)?, None))
    }
}

/// Värmland's 2015–2020 areas in strategy `older`, each mapped onto the area of
/// `current` (the areas of the 2022 strategy) that continues it. An area whose code the
/// database already uses for something else is left out, and a successor the region
/// has renamed or retired is not mapped: the crosswalk can be completed with
/// `spets strategy map`.
pub fn seed_older(change: &Change<'_>, older: &Strategy, current: &[Area]) -> Result<()> {
    let taken = super::areas::list(change.conn(), Snapshot::CURRENT)?;
    for seed in &strategy::VARMLAND_2015_AREAS {
        if taken.iter().any(|a| a.code == seed.code) {
            continue;
        }
        let owned =
            AreaSeedOwned { code: seed.code.into(), name_sv: seed.name_sv.into(), name_en: seed.name_en.into() };
        let added = super::areas::add(change, &owned, None, None, Some(older.id), seed.horizontal)?;
        if let Some(next) = seed.successor.and_then(|code| current.iter().find(|a| a.code == code)) {
            map(change, added.id, &[(next.id, crate::domain::area::FULL_SHARE)])?;
        }
    }
    Ok(())
}

/// Migration 7's data, in a database set up before it: its areas become the 2022–2028
/// strategy's (a new version of each, by user spets), and Värmland's 2015–2020 strategy
/// is added with its areas and crosswalk.
pub fn migrate(change: &Change<'_>) -> Result<()> {
    let region = super::meta(change.conn(), "region")?.unwrap_or_default();
    let (current, older) = seed(change, &region)?;
    let mut areas = super::areas::list(change.conn(), Snapshot::CURRENT)?;
    for a in &mut areas {
        a.strategy = Some(current.id);
        super::areas::update(change, a)?;
    }
    if let Some(older) = older {
        seed_older(change, &older, &areas)?;
    }
    Ok(())
}
