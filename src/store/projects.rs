//! Projects in the store. A project version is one `projects` row with its areas
//! (`allocations`, holding each area's exact split of every report column), its
//! financing plan (`funding_lines`) and its partners. Writing a project computes the
//! split once; reports then only sum integers.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::audit::{self, Action, Digest, Entity, Entry};
use super::select::{self, Selection};
use super::{Change, Snapshot};
use crate::domain::allocation::allocate_table;
use crate::domain::area::AreaShare;
use crate::domain::date::iso;
use crate::domain::filter::Filter;
use crate::domain::money::Money;
use crate::domain::project::{
    Components, Currency, Foreign, FunderKind, FundingLine, Project, ProjectKind, Rate, Status,
};
use crate::error::{Error, Result};

/// One area's part of a project: its share and the split of each report column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub area_id: i64,
    pub share_bp: u32,
    pub total: i64,
    pub parts: Components,
}

/// A project version as stored, with what was derived from it when it was written.
#[derive(Clone, Debug)]
pub struct StoredProject {
    pub vid: i64,
    pub rev: i64,
    pub project: Project,
    pub components: Components,
    pub allocations: Vec<Allocation>,
}

/// How `put` treats an existing project with the same reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutMode {
    /// `project add`: the reference must be new.
    Add,
    /// `project edit`: the reference must exist.
    Edit,
    /// Import: add or replace.
    Upsert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// The exact split of a project's financing across its areas.
pub fn allocations(components: Components, areas: &[AreaShare]) -> Vec<Allocation> {
    let shares: Vec<u32> = areas.iter().map(|a| a.share_bp).collect();
    let cells = allocate_table(&components.as_array(), &shares);
    areas
        .iter()
        .zip(cells)
        .map(|(a, c)| Allocation {
            area_id: a.area_id,
            share_bp: a.share_bp,
            total: c.iter().sum(),
            parts: Components { eu: c[0], public: c[1], private: c[2], other: c[3] },
        })
        .collect()
}

#[derive(Serialize)]
struct CanonicalLine<'a> {
    funder: &'a str,
    kind: &'a str,
    amount: i64,
    currency: Option<&'a str>,
    original: Option<i64>,
    rate: Option<String>,
    rate_date: Option<String>,
    in_kind: bool,
}

#[derive(Serialize)]
struct Canonical<'a> {
    r#ref: &'a str,
    title: &'a str,
    owner: i64,
    kind: &'a str,
    parent: Option<&'a str>,
    programme: Option<&'a str>,
    fund: Option<&'a str>,
    status: &'a str,
    decided: Option<String>,
    start: Option<String>,
    end: Option<String>,
    municipalities: u64,
    areas: Vec<[i64; 2]>,
    partners: &'a [i64],
    funding: Vec<CanonicalLine<'a>>,
    notes: Option<&'a str>,
}

/// SHA-256 of a project's canonical content: everything recorded about it, organisations
/// and areas by id.
pub fn digest(p: &Project) -> Digest {
    audit::digest(&Canonical {
        r#ref: &p.reference,
        title: &p.title,
        owner: p.owner,
        kind: p.kind.as_str(),
        parent: p.parent.as_deref(),
        programme: p.programme.as_deref(),
        fund: p.fund.as_deref(),
        status: p.status.as_str(),
        decided: p.decided.map(iso),
        start: p.start.map(iso),
        end: p.end.map(iso),
        municipalities: p.municipalities,
        areas: p.areas.iter().map(|a| [a.area_id, i64::from(a.share_bp)]).collect(),
        partners: &p.partners,
        funding: p
            .funding
            .iter()
            .map(|l| CanonicalLine {
                funder: &l.funder,
                kind: l.kind.as_str(),
                amount: l.amount.0,
                currency: l.foreign.as_ref().map(|f| f.currency.as_str()),
                original: l.foreign.as_ref().map(|f| f.original.0),
                rate: l.foreign.as_ref().map(|f| f.rate.text()),
                rate_date: l.foreign.as_ref().and_then(|f| f.rate_date.map(iso)),
                in_kind: l.in_kind,
            })
            .collect(),
        notes: p.notes.as_deref(),
    })
}

/// The current version's row id and digest for a reference.
pub fn current(conn: &Connection, reference: &str) -> Result<Option<(i64, Digest)>> {
    let mut stmt = conn.prepare_cached("SELECT vid, digest FROM projects WHERE ref = ?1 AND end_rev IS NULL")?;
    let row: Option<(i64, Vec<u8>)> = stmt.query_row([reference], |r| Ok((r.get(0)?, r.get(1)?))).optional()?;
    Ok(row.map(|(vid, d)| (vid, d.try_into().unwrap_or([0; 32]))))
}

/// Whether a project with this reference exists in the snapshot.
pub fn exists(conn: &Connection, reference: &str, snapshot: Snapshot) -> Result<bool> {
    let sql = format!("SELECT 1 FROM projects p WHERE p.ref = ?1 AND {}", snapshot.live("p"));
    Ok(conn.prepare_cached(&sql)?.exists([reference])?)
}

/// Records a project: a new version when it is new or differs from the current one,
/// nothing when it is the same.
pub fn put(change: &Change<'_>, p: &Project, mode: PutMode) -> Result<Outcome> {
    let components = p.components().map_err(|e| Error::failed(format!("{}: {e}", p.reference)))?;
    let digest = digest(p);
    let existing = current(change.conn(), &p.reference)?;
    match (mode, &existing) {
        (PutMode::Add, Some(_)) => {
            return Err(Error::failed(format!("project {} already exists", p.reference))
                .hint(format!("`spets project edit {}` changes it", p.reference)));
        }
        (PutMode::Edit, None) => {
            return Err(Error::failed(format!("no project {}", p.reference)));
        }
        _ => {}
    }
    if let Some((old_vid, old_digest)) = existing {
        if old_digest == digest {
            return Ok(Outcome::Unchanged);
        }
        change
            .conn()
            .prepare_cached("UPDATE projects SET end_rev = ?1 WHERE vid = ?2")?
            .execute(params![change.rev, old_vid])?;
    }
    let vid = insert(change, p, components, &digest)?;
    change.record(Entry {
        entity: Entity::Project,
        key: &p.reference,
        action: Action::of(existing.is_some(), true),
        before: existing,
        after: Some((vid, digest)),
    })?;
    Ok(if existing.is_some() { Outcome::Updated } else { Outcome::Added })
}

fn insert(change: &Change<'_>, p: &Project, c: Components, digest: &Digest) -> Result<i64> {
    let conn = change.conn();
    conn.prepare_cached(
        "INSERT INTO projects(rev, ref, title, owner_id, kind, parent, programme, fund, status, decided, start, \"end\", municipalities, notes, total, eu, public, private, other, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?
    .execute(params![
        change.rev,
        p.reference,
        p.title,
        p.owner,
        p.kind.as_str(),
        p.parent,
        p.programme,
        p.fund,
        p.status.as_str(),
        p.decided.map(iso),
        p.start.map(iso),
        p.end.map(iso),
        p.municipalities as i64,
        p.notes,
        c.total(),
        c.eu,
        c.public,
        c.private,
        c.other,
        &digest[..],
    ])?;
    let vid = conn.last_insert_rowid();
    let mut alloc = conn.prepare_cached(
        "INSERT INTO allocations(project_vid, position, area_id, share, total, eu, public, private, other) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, a) in allocations(c, &p.areas).iter().enumerate() {
        alloc.execute(params![
            vid,
            i as i64,
            a.area_id,
            a.share_bp,
            a.total,
            a.parts.eu,
            a.parts.public,
            a.parts.private,
            a.parts.other
        ])?;
    }
    let mut line = conn.prepare_cached(
        "INSERT INTO funding_lines(project_vid, position, funder, kind, amount, currency, original, rate, rate_date, in_kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for (i, l) in p.funding.iter().enumerate() {
        let f = l.foreign.as_ref();
        line.execute(params![
            vid,
            i as i64,
            l.funder,
            l.kind.as_str(),
            l.amount.0,
            f.map(|f| f.currency.as_str()),
            f.map(|f| f.original.0),
            f.map(|f| f.rate.text()),
            f.and_then(|f| f.rate_date.map(iso)),
            l.in_kind,
        ])?;
    }
    let mut partner = conn.prepare_cached("INSERT INTO partners(project_vid, position, org_id) VALUES (?1, ?2, ?3)")?;
    for (i, org) in p.partners.iter().enumerate() {
        partner.execute(params![vid, i as i64, org])?;
    }
    Ok(vid)
}

/// Ends the current version of a project. Its payments and indicators end with it.
pub fn remove(change: &Change<'_>, reference: &str) -> Result<()> {
    let Some((vid, digest)) = current(change.conn(), reference)? else {
        return Err(Error::failed(format!("no project {reference}")));
    };
    change.conn().execute("UPDATE projects SET end_rev = ?1 WHERE vid = ?2", params![change.rev, vid])?;
    change.record(Entry {
        entity: Entity::Project,
        key: reference,
        action: Action::Remove,
        before: Some((vid, digest)),
        after: None,
    })?;
    super::payments::remove_all(change, reference)?;
    super::indicators::remove_all(change, reference)?;
    Ok(())
}

/// Current top-ups and pre-studies that name `reference` as their parent.
pub fn children(conn: &Connection, reference: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT ref FROM projects WHERE parent = ?1 AND end_rev IS NULL ORDER BY ref")?;
    let refs = stmt.query_map([reference], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(refs)
}

const COLUMNS: &str = "p.vid, p.rev, p.ref, p.title, p.owner_id, p.kind, p.parent, p.programme, p.fund, p.status, p.decided, p.start, p.\"end\", p.municipalities, p.notes, p.total, p.eu, p.public, p.private, p.other";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn head_from_row(r: &Row<'_>) -> rusqlite::Result<StoredProject> {
    let kind: String = r.get(5)?;
    let status: String = r.get(9)?;
    let mask: i64 = r.get(13)?;
    Ok(StoredProject {
        vid: r.get(0)?,
        rev: r.get(1)?,
        project: Project {
            reference: r.get(2)?,
            title: r.get(3)?,
            owner: r.get(4)?,
            kind: kind.parse().unwrap_or(ProjectKind::Project),
            parent: r.get(6)?,
            programme: r.get(7)?,
            fund: r.get(8)?,
            status: status.parse().unwrap_or(Status::Applied),
            decided: date(r.get(10)?),
            start: date(r.get(11)?),
            end: date(r.get(12)?),
            municipalities: mask as u64,
            areas: Vec::new(),
            partners: Vec::new(),
            funding: Vec::new(),
            notes: r.get(14)?,
        },
        components: Components { eu: r.get(16)?, public: r.get(17)?, private: r.get(18)?, other: r.get(19)? },
        allocations: Vec::new(),
    })
}

/// Fills in a version's areas, financing plan and partners.
fn load_children(conn: &Connection, sp: &mut StoredProject) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT area_id, share, total, eu, public, private, other FROM allocations WHERE project_vid = ?1 ORDER BY position",
    )?;
    sp.allocations = stmt
        .query_map([sp.vid], |r| {
            Ok(Allocation {
                area_id: r.get(0)?,
                share_bp: r.get(1)?,
                total: r.get(2)?,
                parts: Components { eu: r.get(3)?, public: r.get(4)?, private: r.get(5)?, other: r.get(6)? },
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    sp.project.areas = sp.allocations.iter().map(|a| AreaShare { area_id: a.area_id, share_bp: a.share_bp }).collect();
    let mut stmt = conn.prepare_cached(
        "SELECT funder, kind, amount, currency, original, rate, rate_date, in_kind FROM funding_lines WHERE project_vid = ?1 ORDER BY position",
    )?;
    sp.project.funding = stmt
        .query_map([sp.vid], |r| {
            let kind: String = r.get(1)?;
            let currency: Option<String> = r.get(3)?;
            let original: Option<i64> = r.get(4)?;
            let rate: Option<String> = r.get(5)?;
            let foreign = match (currency, original, rate) {
                (Some(c), Some(o), Some(rate)) => Some(Foreign {
                    currency: Currency::parse(&c).unwrap_or_else(|_| Currency::sek()),
                    original: Money(o),
                    rate: Rate::parse(&rate).unwrap_or_else(|_| Rate::parse("1").expect("1 is a valid rate")),
                    rate_date: date(r.get(6)?),
                }),
                _ => None,
            };
            Ok(FundingLine {
                funder: r.get(0)?,
                kind: kind.parse().unwrap_or(FunderKind::Other),
                amount: Money(r.get(2)?),
                foreign,
                in_kind: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached("SELECT org_id FROM partners WHERE project_vid = ?1 ORDER BY position")?;
    sp.project.partners = stmt.query_map([sp.vid], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(())
}

/// The project with this reference as a snapshot sees it.
pub fn load(conn: &Connection, reference: &str, snapshot: Snapshot) -> Result<Option<StoredProject>> {
    let sql = format!("SELECT {COLUMNS} FROM projects p WHERE p.ref = ?1 AND {}", snapshot.live("p"));
    let mut stmt = conn.prepare_cached(&sql)?;
    let Some(mut sp) = stmt.query_row([reference], head_from_row).optional()? else {
        return Ok(None);
    };
    load_children(conn, &mut sp)?;
    Ok(Some(sp))
}

/// The project version `vid`, whatever its snapshot.
pub(crate) fn version(conn: &Connection, vid: i64) -> Result<Option<StoredProject>> {
    let sql = format!("SELECT {COLUMNS} FROM projects p WHERE p.vid = ?1");
    let mut stmt = conn.prepare_cached(&sql)?;
    let Some(mut sp) = stmt.query_row([vid], head_from_row).optional()? else {
        return Ok(None);
    };
    load_children(conn, &mut sp)?;
    Ok(Some(sp))
}

/// Calls `each` with every project the filter selects, in reference order, one at a
/// time: memory does not grow with the number of projects.
pub fn each(
    conn: &Connection,
    filter: &Filter,
    snapshot: Snapshot,
    mut each: impl FnMut(&StoredProject) -> Result<()>,
) -> Result<()> {
    let Selection { sql, params } = select::projects(filter, snapshot);
    let query = format!("SELECT {COLUMNS} FROM projects p WHERE {sql} ORDER BY p.ref");
    let mut stmt = conn.prepare(&query)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let mut sp = head_from_row(row)?;
        load_children(conn, &mut sp)?;
        each(&sp)?;
    }
    Ok(())
}
