//! Projects in the store. A project version is one `projects` row with its areas
//! (`allocations`, holding each area's exact split of every report column), its
//! financing plan (`funding_lines`) and its partners. Writing a project computes the
//! split once; reports then only sum integers.

use std::collections::HashMap;

use super::db::{Append, Connection, OptionalExtension, Row, params};

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::decode::{self, At};
use super::select::{self, Selection};
use super::{Change, Snapshot, names};
use crate::domain::allocation::allocate_table;
use crate::domain::area::AreaShare;
use crate::domain::date::to_int;
use crate::domain::filter::Filter;
use crate::domain::money::Money;
pub use crate::domain::project::{Allocation, StoredProject};
use crate::domain::project::{
    Components, Currency, Foreign, FunderKind, FundingLine, Project, ProjectKind, Provenance, Rate, Status,
};
use crate::error::{Error, Result};

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
    /// A current version with this reference exists though none was given (a reference
    /// twice in one import that skipped looking up existing projects); nothing written.
    Duplicate,
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

/// SHA-256 of a project's canonical content: everything recorded about it, organisations
/// and areas by id.
pub fn digest(p: &Project) -> Digest {
    let mut c = Canon::new("project");
    c.text(&p.reference).text(&p.title).int(p.owner).int(p.kind.code()).opt_text(p.parent.as_deref());
    c.opt_text(p.programme.as_deref()).opt_text(p.fund.as_deref()).int(p.status.code());
    c.opt_int(p.decided.map(to_int)).opt_int(p.start.map(to_int)).opt_int(p.end.map(to_int));
    c.int(p.municipalities as i64).opt_text(p.notes.as_deref());
    c.len(p.areas.len());
    for a in &p.areas {
        c.int(a.area_id).int(i64::from(a.share_bp));
    }
    c.len(p.partners.len());
    for org in &p.partners {
        c.int(*org);
    }
    c.len(p.funding.len());
    for l in &p.funding {
        let f = l.foreign.as_ref();
        c.text(&l.funder).int(l.kind.code()).int(l.amount.0).int(i64::from(l.in_kind));
        c.opt_text(f.map(|f| f.currency.as_str())).opt_int(f.map(|f| f.original.0));
        c.opt_text(f.map(|f| f.rate.text()).as_deref()).opt_int(f.and_then(|f| f.rate_date.map(to_int)));
    }
    // Appended only when set, so versions recorded before schema 3 keep their digests.
    if p.overrun_allowed {
        c.text("overrun allowed");
    }
    // Likewise appended only when there is one (schema 6).
    let from = &p.provenance;
    if !from.is_empty() {
        c.text("provenance").opt_text(from.source.as_deref()).opt_text(from.source_id.as_deref());
        c.opt_text(from.file.as_deref()).opt_int(from.line.map(|l| l as i64));
    }
    c.digest()
}

/// Whether any project was ever recorded (an import into an empty database need not
/// look each reference up).
pub fn any(conn: &Connection) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM projects)")?.query_row([], |r| r.get(0))?)
}

/// The current version's row id for a reference.
pub fn current(conn: &Connection, reference: &str) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT vid FROM projects WHERE ref = ?1 AND end_rev IS NULL")?;
    Ok(stmt.query_row([reference], |r| r.get(0)).optional()?)
}

/// Whether a project with this reference exists in the snapshot.
pub fn exists(conn: &Connection, reference: &str, snapshot: Snapshot) -> Result<bool> {
    let sql = format!("SELECT 1 FROM projects p WHERE p.ref = ?1 AND {}", snapshot.live("p"));
    Ok(conn.prepare_cached(&sql)?.exists([reference])?)
}

/// Records a project: a new version when it is new or differs from the current one,
/// nothing when it is the same.
pub fn put(change: &Change<'_>, p: &Project, mode: PutMode) -> Result<Outcome> {
    let existing = load(change.conn(), &p.reference, Snapshot::CURRENT)?;
    Writer::new(change)?.put(p, existing.as_ref(), mode)
}

/// Writes project versions with its statements prepared once: an import writes a
/// million through one `Writer`.
pub struct Writer<'c, 'a> {
    change: &'c Change<'a>,
    /// SQLite: the INSERT that numbers the version and skips a second current one, and
    /// the connection that tells the number.
    project: Option<(super::db::Statement<'c>, &'c rusqlite::Connection)>,
    /// PostgreSQL: the number of the next version (this change holds the write lock, so
    /// it numbers them itself and sends them in bulk), and a hash of each reference it
    /// has written a current version of. A second one is a duplicate, as SQLite's
    /// unique index answers at once; a hash seen before is confirmed by the index
    /// itself, so a hash that two references share refuses neither (and a million
    /// references take 8 bytes each, not a copy of each).
    next_vid: i64,
    written: std::collections::HashSet<u64>,
    /// SQLite: the INSERTs of a version's allocations, funding lines and partners,
    /// prepared once (a cached statement is looked up by its text for every row, which
    /// cost an import of a million projects a tenth of its time). By [`Append::rank`].
    rows: Vec<super::db::Statement<'c>>,
}

static PROJECTS: Append = Append {
    rank: 0,
    table: "projects",
    columns: "vid, rev, ref, title, owner_id, kind, parent, programme_id, fund_id, status, decided, start, \"end\", municipalities, notes, eu, public, private, other, overrun, source_name_id, source_ref, source_file_id, source_line",
    insert: "",
};
static ALLOCATIONS: Append = Append {
    rank: 1,
    table: "allocations",
    columns: "project_vid, position, area_id, share, eu, public, private, other, status, kind, year",
    insert:
        "INSERT INTO allocations(project_vid, position, area_id, share, eu, public, private, other, status, kind, year)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
};
static LINES: Append = Append {
    rank: 2,
    table: "funding_lines",
    columns: "project_vid, position, funder_id, kind, amount, currency, original, rate, rate_date, in_kind",
    insert: "INSERT INTO funding_lines(project_vid, position, funder_id, kind, amount, currency, original, rate, rate_date, in_kind)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
};
static PARTNERS: Append = Append {
    rank: 3,
    table: "partners",
    columns: "project_vid, position, org_id",
    insert: "INSERT INTO partners(project_vid, position, org_id) VALUES (?1, ?2, ?3)",
};

fn reference_hash(reference: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    reference.hash(&mut h);
    h.finish()
}

impl<'c, 'a> Writer<'c, 'a> {
    pub fn new(change: &'c Change<'a>) -> Result<Writer<'c, 'a>> {
        let conn = change.conn();
        let Some(lite) = conn.lite() else {
            let next_vid = conn.query_row("SELECT coalesce(max(vid), 0) + 1 FROM projects", [], |r| r.get(0))?;
            return Ok(Writer { change, project: None, next_vid, written: Default::default(), rows: Vec::new() });
        };
        let rows =
            [&ALLOCATIONS, &LINES, &PARTNERS].iter().map(|a| conn.prepare(a.insert)).collect::<Result<_, _>>()?;
        Ok(Writer {
            change,
            project: Some((conn.prepare(
                "INSERT INTO projects(rev, ref, title, owner_id, kind, parent, programme_id, fund_id, status, decided, start, \"end\", municipalities, notes, eu, public, private, other, overrun, source_name_id, source_ref, source_file_id, source_line)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
                 ON CONFLICT DO NOTHING",
            )?, lite)),
            next_vid: 0,
            written: Default::default(),
            rows,
        })
    }

    /// Appends a row to a version's table `to`.
    fn append(&mut self, to: &'static Append, values: impl super::db::Params) -> Result<()> {
        match self.rows.get_mut(usize::from(to.rank) - 1) {
            Some(insert) => insert.execute(values).map(drop)?,
            None => self.change.conn().append(to, values)?,
        }
        Ok(())
    }

    /// Records `p` over `existing`, the current version with its reference (loaded by
    /// the caller, or known not to exist).
    pub fn put(&mut self, p: &Project, existing: Option<&StoredProject>, mode: PutMode) -> Result<Outcome> {
        self.put_split(p, existing, mode, None)
    }

    /// As [`Writer::put`], with `p`'s split by area when the caller has made it
    /// already ([`allocations`] of its report columns and areas).
    pub fn put_split(
        &mut self,
        p: &Project,
        existing: Option<&StoredProject>,
        mode: PutMode,
        split: Option<&[Allocation]>,
    ) -> Result<Outcome> {
        let components = p.components().map_err(|e| Error::failed(format!("{}: {e}", p.reference)))?;
        match (mode, existing) {
            (PutMode::Add, Some(_)) => {
                let r = &p.reference;
                return Err(Error::failed(crate::tr!("project {r} already exists", "projektet {r} finns redan"))
                    .hint(crate::tr!("`spets project edit {r}` changes it", "`spets project edit {r}` ändrar det")));
            }
            (PutMode::Edit, None) => {
                return Err(Error::failed(crate::tr!("no project {}", "inget projekt {}", p.reference)));
            }
            _ => {}
        }
        let digest = digest(p);
        let before = match existing {
            Some(old) => {
                let old_digest = digest_of(old);
                if old_digest == digest {
                    return Ok(Outcome::Unchanged);
                }
                end_version(self.change, old)?;
                Some((old.vid, old_digest))
            }
            None => None,
        };
        let Some(vid) = self.insert(p, components, split)? else {
            return Ok(Outcome::Duplicate);
        };
        self.change.record(Entry {
            entity: Entity::Project,
            key: &p.reference,
            action: Action::of(before.is_some(), true),
            before,
            after: Some((vid, digest)),
        })?;
        Ok(if before.is_some() { Outcome::Updated } else { Outcome::Added })
    }

    /// Inserts a version; `None` when its reference is already current.
    fn insert(&mut self, p: &Project, c: Components, split: Option<&[Allocation]>) -> Result<Option<i64>> {
        let change = self.change;
        let programme = names::opt_id(change, p.programme.as_deref())?;
        let fund = names::opt_id(change, p.fund.as_deref())?;
        let decided = p.decided.map(to_int);
        let from = &p.provenance;
        let source = names::opt_id(change, from.source.as_deref())?;
        let file = names::opt_id(change, from.file.as_deref())?;
        let values = params![
            change.rev,
            p.reference,
            p.title,
            p.owner,
            p.kind.code(),
            p.parent,
            programme,
            fund,
            p.status.code(),
            decided,
            p.start.map(to_int),
            p.end.map(to_int),
            p.municipalities as i64,
            p.notes,
            c.eu,
            c.public,
            c.private,
            c.other,
            i64::from(p.overrun_allowed),
            source,
            from.source_id,
            file,
            from.line.map(|l| l as i64),
        ];
        let vid = match &mut self.project {
            Some((insert, lite)) => {
                // Another current version of the reference (the unique index skipped it).
                if insert.execute(values)? == 0 {
                    return Ok(None);
                }
                // The row just inserted: asked for after it, not with RETURNING, which
                // SQLite answers through a temporary table of its own.
                lite.last_insert_rowid()
            }
            None => {
                if !self.written.insert(reference_hash(&p.reference))
                    && change.conn().query_row(
                        "SELECT EXISTS (SELECT 1 FROM projects WHERE ref = ?1 AND end_rev IS NULL)",
                        [&p.reference],
                        |r| r.get::<bool>(0),
                    )?
                {
                    return Ok(None);
                }
                let vid = self.next_vid;
                self.next_vid += 1;
                let numbered: Vec<&dyn super::db::ToParam> =
                    std::iter::once(&vid as &dyn super::db::ToParam).chain(values.iter().copied()).collect();
                change.conn().append(&PROJECTS, numbered.as_slice())?;
                vid
            }
        };
        let made;
        let allocations = match split {
            Some(split) => split,
            None => {
                made = allocations(c, &p.areas);
                &made
            }
        };
        change.tally_version(p, c, allocations);
        for (i, a) in allocations.iter().enumerate() {
            self.append(
                &ALLOCATIONS,
                params![
                    vid,
                    i as i64,
                    a.area_id,
                    a.share_bp,
                    a.parts.eu,
                    a.parts.public,
                    a.parts.private,
                    a.parts.other,
                    p.status.code(),
                    p.kind.code(),
                    decided.map(|d| d / 10000),
                ],
            )?;
        }
        for (i, l) in p.funding.iter().enumerate() {
            let f = l.foreign.as_ref();
            self.append(
                &LINES,
                params![
                    vid,
                    i as i64,
                    names::id(change, &l.funder)?,
                    l.kind.code(),
                    l.amount.0,
                    f.map(|f| f.currency.as_str()),
                    f.map(|f| f.original.0),
                    f.map(|f| f.rate.text()),
                    f.and_then(|f| f.rate_date.map(to_int)),
                    l.in_kind,
                ],
            )?;
        }
        for (i, org) in p.partners.iter().enumerate() {
            self.append(&PARTNERS, params![vid, i as i64, org])?;
        }
        Ok(Some(vid))
    }
}

/// Ends a version: its row, and the copies of its end on its allocations.
fn end_version(change: &Change<'_>, old: &StoredProject) -> Result<()> {
    let conn = change.conn();
    conn.prepare_cached("UPDATE projects SET end_rev = ?1 WHERE vid = ?2")?.execute(params![change.rev, old.vid])?;
    conn.prepare_cached("UPDATE allocations SET end_rev = ?1 WHERE project_vid = ?2")?
        .execute(params![change.rev, old.vid])?;
    Ok(())
}

/// The digest of a stored version.
pub fn digest_of(sp: &StoredProject) -> Digest {
    digest(&sp.project)
}

/// Ends the current version of a project. Its payments and indicators end with it.
pub fn remove(change: &Change<'_>, reference: &str) -> Result<()> {
    let Some(old) = load(change.conn(), reference, Snapshot::CURRENT)? else {
        return Err(Error::failed(crate::tr!("no project {reference}", "inget projekt {reference}")));
    };
    end_version(change, &old)?;
    change.record(Entry {
        entity: Entity::Project,
        key: reference,
        action: Action::Remove,
        before: Some((old.vid, digest_of(&old))),
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
    let refs = stmt.query_map([reference], |r| r.get(0))?.collect::<super::db::Result<Vec<String>>>()?;
    Ok(refs)
}

/// What is wrong with a project's place among top-ups, as recorded now: its parent
/// does not exist or is itself a top-up, or it is a top-up with top-ups of its own.
/// With these rules top-ups cannot form a cycle (`A` a top-up of `B` and `B` of `A` was
/// accepted: the summary said "0 projects, 200 kr" and neither could be removed).
pub fn top_up_problem(conn: &Connection, p: &Project) -> Result<Option<String>> {
    if let Some(problem) = parent_problem(conn, p)? {
        return Ok(Some(problem));
    }
    if p.kind == ProjectKind::TopUp {
        let children = children(conn, &p.reference)?;
        if !children.is_empty() {
            return Ok(Some(own_top_ups(&p.reference, &children)));
        }
    }
    Ok(None)
}

fn own_top_ups(reference: &str, children: &[String]) -> String {
    format!("project {reference} has top-ups of its own ({}), so it cannot be a top-up", children.join(", "))
}

/// The half of [`top_up_problem`] that looks only at the parent (by its indexed ref).
fn parent_problem(conn: &Connection, p: &Project) -> Result<Option<String>> {
    let Some(parent) = &p.parent else { return Ok(None) };
    let found = load(conn, parent, Snapshot::CURRENT)?;
    let found = found.as_ref().map(|f| (f.project.kind == ProjectKind::TopUp, f.project.parent.as_deref()));
    Ok(parent_rule(&p.reference, parent, found))
}

/// [`parent_problem`] for every current project at once, in one query: `(ref, problem)`
/// for each whose parent does not exist or is itself a top-up, by ref. An import asks
/// this once after the whole file rather than loading each child and its parent. The
/// children are read in table order (`NOT INDEXED`), not by the index on references:
/// references interleave years, so walking them would read every page once per year.
pub(super) const PARENT_PROBLEMS: &str =
    "SELECT c.ref, c.parent, p.ref IS NOT NULL, COALESCE(p.kind = 2, FALSE), p.parent
     FROM projects c NOT INDEXED LEFT JOIN projects p ON p.ref = c.parent AND p.end_rev IS NULL
     WHERE c.end_rev IS NULL AND c.parent IS NOT NULL AND (p.ref IS NULL OR p.kind = 2) ORDER BY c.ref";

pub fn parent_problems(change: &Change<'_>) -> Result<Vec<(String, String)>> {
    let mut stmt = change.conn().prepare(PARENT_PROBLEMS)?;
    let rows = stmt.query_map([], |r| {
        let found = (r.get::<bool>(2)?, r.get::<bool>(3)?, r.get::<Option<String>>(4)?);
        Ok((r.get::<String>(0)?, r.get::<String>(1)?, found))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (reference, parent, (exists, top_up, grand)) = row?;
        let found = exists.then_some((top_up, grand.as_deref()));
        if let Some(problem) = parent_rule(&reference, &parent, found) {
            out.push((reference, problem));
        }
    }
    Ok(out)
}

/// The parent rule itself: `found` is the current parent, if any, as (whether it is a
/// top-up, its own parent).
fn parent_rule(reference: &str, parent: &str, found: Option<(bool, Option<&str>)>) -> Option<String> {
    match found {
        None => Some(format!("project {reference} names a parent, {parent}, that does not exist")),
        Some((true, grand)) => {
            let grand = grand.unwrap_or_default();
            Some(if grand == reference {
                format!("{reference} and {parent} would be top-ups of each other")
            } else {
                format!("its parent {parent} is itself a top-up (of {grand}): a top-up tops up a project")
            })
        }
        Some((false, _)) => None,
    }
}

/// Projects this change made top-ups although current projects it did not write top
/// them up: `(ref, problem)`. One query for a whole import (what [`top_up_problem`]
/// asks per project), since a top-up's own top-ups are found by their parent column,
/// which has no index. Read in table order, as [`parent_problems`].
pub(super) const TOP_UPS_WITH_TOP_UPS: &str =
    "SELECT p.ref, c.ref FROM projects c NOT INDEXED JOIN projects p ON p.ref = c.parent AND p.end_rev IS NULL
     WHERE c.end_rev IS NULL AND c.kind = 2 AND p.kind = 2 AND p.rev = ?1 AND c.rev <> ?1 ORDER BY p.ref, c.ref";

pub fn top_ups_with_top_ups(change: &Change<'_>) -> Result<Vec<(String, String)>> {
    let mut stmt = change.conn().prepare(TOP_UPS_WITH_TOP_UPS)?;
    let pairs = stmt.query_map([change.rev], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for pair in pairs {
        let (parent, child) = pair?;
        match out.last_mut() {
            Some((p, children)) if *p == parent => children.push(child),
            _ => out.push((parent, vec![child])),
        }
    }
    Ok(out.into_iter().map(|(p, children)| (p.clone(), own_top_ups(&p, &children))).collect())
}

/// The one overrun rule, for payments and financing plans alike: what the project has
/// been paid, with `extra` more (a payment about to be recorded, signed), against what
/// version `p` grants — `Some((paid, granted))` when paid would exceed granted and `p`
/// does not allow an overrun.
pub fn overrun(conn: &Connection, p: &Project, extra: i64) -> Result<Option<(i64, i64)>> {
    if p.overrun_allowed {
        return Ok(None);
    }
    let granted = p.components().map_err(|e| Error::failed(format!("{}: {e}", p.reference)))?.total();
    let paid = super::payments::paid(conn, &p.reference, Snapshot::CURRENT)? + extra;
    Ok(crate::domain::project::overrun(paid, granted, p.overrun_allowed))
}

/// The overrun rule for a new financing plan `p`: when it would leave the project paid
/// above its granted total, `allow` records the overrun on `p`, else the refusal is
/// returned as `Some((paid, granted))`.
pub fn plan_overrun(conn: &Connection, p: &mut Project, allow: bool) -> Result<Option<(i64, i64)>> {
    match overrun(conn, p, 0)? {
        Some(_) if allow => {
            p.overrun_allowed = true;
            Ok(None)
        }
        refused => Ok(refused),
    }
}

/// Records that project `reference`'s payments may exceed its granted total, when they
/// now do (a new version, unless its current one says so already).
pub fn allow_overrun(change: &Change<'_>, reference: &str) -> Result<()> {
    if let Some(current) = load(change.conn(), reference, Snapshot::CURRENT)?
        && overrun(change.conn(), &current.project, 0)?.is_some()
    {
        let project = Project { overrun_allowed: true, ..current.project.clone() };
        Writer::new(change)?.put(&project, Some(&current), PutMode::Edit)?;
    }
    Ok(())
}

/// The query of [`overruns_in`].
pub(super) fn overruns_sql() -> String {
    // What the change touched, from its own audit entries (a range of the primary key),
    // and of those only the projects with payments are looked up: walking the projects
    // to find them read every page of a large import again, in the order of references.
    format!(
        "WITH touched(ref) AS (
           SELECT a.key FROM audit a WHERE a.seq >= ?1 AND a.entity = {project}
           UNION SELECT pay.project_ref FROM audit a JOIN payments pay ON pay.id = a.after_vid WHERE a.seq >= ?1 AND a.entity = {payment}),
         paid(ref, paid) AS (
           SELECT pay.project_ref, sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END)
           FROM payments pay WHERE pay.end_rev IS NULL AND pay.project_ref IN (SELECT ref FROM touched) GROUP BY pay.project_ref)
         SELECT p.ref, x.paid, p.total, p.overrun FROM paid x
         JOIN projects p ON p.ref = x.ref AND p.end_rev IS NULL
         ORDER BY p.ref",
        project = Entity::Project.code(),
        payment = Entity::Payment.code(),
    )
}

/// The current projects of this change whose payments exceed their granted total
/// without an allowed overrun: `(ref, paid, granted)`. Every write that touches projects
/// or payments is checked by it before it commits.
pub fn overruns_in(change: &Change<'_>) -> Result<Vec<(String, i64, i64)>> {
    let sql = overruns_sql();
    let mut stmt = change.conn().prepare_cached(&sql)?;
    let mut rows = stmt.query([change.first_seq])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        if let Some((paid, granted)) = crate::domain::project::overrun(r.get(1)?, r.get(2)?, r.get(3)?) {
            out.push((r.get(0)?, paid, granted));
        }
    }
    Ok(out)
}

/// Current projects with a funding line recorded under the bare word of its kind
/// (`region`), as imports named them before default funders (schema 4).
pub fn with_kind_named_funders(conn: &Connection) -> Result<Vec<String>> {
    let words: Vec<String> = FunderKind::ALL
        .iter()
        .filter(|k| **k != FunderKind::Eu)
        .map(|k| format!("WHEN {} THEN '{}'", k.code(), k.as_str()))
        .collect();
    let sql = format!(
        "SELECT DISTINCT p.ref FROM projects p JOIN funding_lines f ON f.project_vid = p.vid JOIN names n ON n.id = f.funder_id
         WHERE p.end_rev IS NULL AND n.text = CASE f.kind {} END ORDER BY p.ref",
        words.join(" ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let refs = stmt.query_map([], |r| r.get(0))?.collect::<super::db::Result<Vec<String>>>()?;
    Ok(refs)
}

const COLUMNS: &str = "p.vid, p.rev, p.ref, p.title, p.owner_id, p.kind, p.parent, \
    (SELECT text FROM names WHERE id = p.programme_id), (SELECT text FROM names WHERE id = p.fund_id), \
    p.status, p.decided, p.start, p.\"end\", p.municipalities, p.notes, p.total, p.eu, p.public, p.private, p.other, p.end_rev, p.overrun, \
    (SELECT text FROM names WHERE id = p.source_name_id), p.source_ref, (SELECT text FROM names WHERE id = p.source_file_id), p.source_line";

fn head_from_row(r: &Row<'_>) -> super::db::Result<StoredProject> {
    let mask: i64 = r.get(13)?;
    let vid: i64 = r.get(0)?;
    let at = |column| At::new("projects", column, Some(vid));
    Ok(StoredProject {
        vid,
        rev: r.get(1)?,
        end_rev: r.get(20)?,
        project: Project {
            reference: r.get(2)?,
            title: r.get(3)?,
            owner: r.get(4)?,
            kind: decode::code(at("kind"), r.get(5)?, ProjectKind::from_code)?,
            parent: r.get(6)?,
            programme: r.get(7)?,
            fund: r.get(8)?,
            status: decode::code(at("status"), r.get(9)?, Status::from_code)?,
            decided: decode::opt_date(at("decided"), r.get(10)?)?,
            start: decode::opt_date(at("start"), r.get(11)?)?,
            end: decode::opt_date(at("end"), r.get(12)?)?,
            municipalities: mask as u64,
            areas: Vec::new(),
            partners: Vec::new(),
            funding: Vec::new(),
            notes: r.get(14)?,
            overrun_allowed: r.get::<i64>(21)? == 1,
            provenance: Provenance {
                source: r.get(22)?,
                source_id: r.get(23)?,
                file: r.get(24)?,
                line: r.get::<Option<i64>>(25)?.map(|l| l as u64),
            },
        },
        components: Components { eu: r.get(16)?, public: r.get(17)?, private: r.get(18)?, other: r.get(19)? },
        allocations: Vec::new(),
    })
}

/// Fills in a version's areas, financing plan and partners.
fn load_children(conn: &Connection, sp: &mut StoredProject) -> Result<()> {
    load_children_of(conn, std::slice::from_mut(sp), None).map(drop)
}

/// Fills in the areas, financing plans and partners of versions in order of vid, with
/// one query per table over their range of vids (rows of a vid not among them are
/// passed over). Returns whether every row read is as spets writes it, which `audit
/// verify` checks of every row: a version's rows numbered 0, 1, …, an allocation's
/// copies of its version's status, kind, year of decision and end equal to the
/// version's, and no rate date without a currency. With `names` (every name by id),
/// funders' names are looked up there, and one that is not there fails the read.
fn load_children_of(
    conn: &Connection,
    versions: &mut [StoredProject],
    names: Option<&HashMap<i64, String>>,
) -> Result<bool> {
    let (Some(first), Some(last)) = (versions.first().map(|v| v.vid), versions.last().map(|v| v.vid)) else {
        return Ok(true);
    };
    let mut as_written = true;
    let mut stmt = conn.prepare_cached(
        "SELECT project_vid, area_id, share, total, eu, public, private, other, position, status, kind, year, end_rev
         FROM allocations WHERE project_vid BETWEEN ?1 AND ?2 ORDER BY project_vid, position",
    )?;
    let (mut rows, mut at) = (stmt.query(params![first, last])?, 0);
    while let Some(r) = rows.next()? {
        let Some(v) = seek(versions, &mut at, r.get(0)?) else { continue };
        let a = Allocation {
            area_id: r.get(1)?,
            share_bp: r.get(2)?,
            total: r.get(3)?,
            parts: Components { eu: r.get(4)?, public: r.get(5)?, private: r.get(6)?, other: r.get(7)? },
        };
        let copies: (i64, i64, i64, Option<i64>, Option<i64>) =
            (r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?);
        let p = &v.project;
        as_written &= copies
            == (
                v.allocations.len() as i64,
                p.status.code(),
                p.kind.code(),
                p.decided.map(|d| to_int(d) / 10000),
                v.end_rev,
            );
        v.project.areas.push(AreaShare { area_id: a.area_id, share_bp: a.share_bp });
        v.allocations.push(a);
    }
    drop(rows);
    let funder = if names.is_some() { "f.funder_id" } else { "(SELECT text FROM names WHERE id = f.funder_id)" };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT f.project_vid, {funder}, f.kind, f.amount, f.currency, f.original, f.rate, f.rate_date, f.in_kind,
                f.position
         FROM funding_lines f WHERE f.project_vid BETWEEN ?1 AND ?2 ORDER BY f.project_vid, f.position"
    ))?;
    let (mut rows, mut at) = (stmt.query(params![first, last])?, 0);
    while let Some(r) = rows.next()? {
        let vid: i64 = r.get(0)?;
        let Some(v) = seek(versions, &mut at, vid) else { continue };
        let kind: i64 = r.get(2)?;
        let position: i64 = r.get(9)?;
        let column = |name| At::of_version("funding_lines", name, vid, position);
        let currency: Option<String> = r.get(4)?;
        let original: Option<i64> = r.get(5)?;
        let rate: Option<String> = r.get(6)?;
        let rate_date = decode::opt_date(column("rate_date"), r.get(7)?)?;
        as_written &= position == v.project.funding.len() as i64 && (currency.is_some() || rate_date.is_none());
        let foreign = match (currency, original, rate) {
            (Some(c), Some(o), Some(rate)) => Some(Foreign {
                currency: decode::text(column("currency"), &c, Currency::parse(&c))?,
                original: Money(o),
                rate: decode::text(column("rate"), &rate, Rate::parse(&rate))?,
                rate_date,
            }),
            _ => None,
        };
        let funder = match names {
            None => r.get(1)?,
            Some(names) => names.get(&r.get(1)?).cloned().ok_or_else(|| {
                Error::failed(crate::tr!(
                    "projects row vid {vid}: a funder is not recorded",
                    "projects-raden vid {vid}: en finansiär är inte registrerad"
                ))
            })?,
        };
        v.project.funding.push(FundingLine {
            funder,
            kind: decode::code(column("kind"), kind, FunderKind::from_code)?,
            amount: Money(r.get(3)?),
            foreign,
            in_kind: r.get(8)?,
        });
    }
    drop(rows);
    let mut stmt = conn.prepare_cached(
        "SELECT project_vid, org_id, position FROM partners WHERE project_vid BETWEEN ?1 AND ?2
         ORDER BY project_vid, position",
    )?;
    let (mut rows, mut at) = (stmt.query(params![first, last])?, 0);
    while let Some(r) = rows.next()? {
        if let Some(v) = seek(versions, &mut at, r.get(0)?) {
            as_written &= r.get::<i64>(2)? == v.project.partners.len() as i64;
            v.project.partners.push(r.get(1)?);
        }
    }
    Ok(as_written)
}

/// The version of `vid` among versions in order of vid, looked for from `at` on (rows
/// come in the same order, so each table is one pass).
fn seek<'v>(versions: &'v mut [StoredProject], at: &mut usize, vid: i64) -> Option<&'v mut StoredProject> {
    while versions.get(*at).is_some_and(|v| v.vid < vid) {
        *at += 1;
    }
    versions.get_mut(*at).filter(|v| v.vid == vid)
}

/// The project versions from `vid` on, in order of vid, at most `limit` of them: what
/// `version` reads one at a time, a block at a time (for `audit verify`, which reads
/// every version the history created, in that order). Also says whether every row read
/// is as spets writes it (see [`load_children_of`]), every version has allocations, and
/// every name a version refers to by id is recorded. `names` is every name by id.
pub(crate) fn versions_from(
    conn: &Connection,
    vid: i64,
    limit: usize,
    names: &HashMap<i64, String>,
) -> Result<(Vec<StoredProject>, bool)> {
    // How many names the version refers to by id (both engines' SQL).
    let ids = ["programme_id", "fund_id", "source_name_id", "source_file_id"]
        .map(|c| format!("CASE WHEN p.{c} IS NULL THEN 0 ELSE 1 END"))
        .join(" + ");
    let sql = format!("SELECT {COLUMNS}, {ids} FROM projects p WHERE p.vid >= ?1 ORDER BY p.vid LIMIT ?2");
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params![vid, limit as i64])?;
    let (mut versions, mut named) = (Vec::with_capacity(limit), true);
    while let Some(r) = rows.next()? {
        let sp = head_from_row(&r)?;
        let p = &sp.project;
        let names = [&p.programme, &p.fund, &p.provenance.source, &p.provenance.file];
        named &= r.get::<i64>(26)? == names.iter().filter(|n| n.is_some()).count() as i64;
        versions.push(sp);
    }
    drop(rows);
    let as_written =
        load_children_of(conn, &mut versions, Some(names))? && versions.iter().all(|v| !v.allocations.is_empty());
    Ok((versions, named && as_written))
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
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!("SELECT {COLUMNS} FROM projects p WHERE {sql} ORDER BY p.ref");
    let mut stmt = conn.prepare(&query)?;
    let mut rows = stmt.query(super::db::params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        let mut sp = head_from_row(&row)?;
        load_children(conn, &mut sp)?;
        each(&sp)?;
    }
    Ok(())
}

/// Whether any current project was read from `source`.
pub fn any_of_source(conn: &Connection, source: &str) -> Result<bool> {
    let sql = "SELECT EXISTS (SELECT 1 FROM projects WHERE end_rev IS NULL
               AND source_name_id = (SELECT id FROM names WHERE text = ?1))";
    Ok(conn.prepare_cached(sql)?.query_row([source], |r| r.get(0))?)
}

/// The error for a reference no project has in the snapshot, suggesting the nearest
/// reference there is (a mistyped digit), as an unknown organisation suggests a name.
pub fn missing(conn: &Connection, reference: &str, snapshot: Snapshot) -> Error {
    let error = Error::failed(crate::tr!("no project {reference}", "inget projekt {reference}"));
    let sql = format!("SELECT p.ref FROM projects p WHERE {}", snapshot.live("p"));
    let refs: Vec<String> = match conn.prepare(&sql).and_then(|mut s| s.query_map([], |r| r.get(0))?.collect()) {
        Ok(refs) => refs,
        Err(_) => return error,
    };
    match crate::domain::text::nearest(reference, refs.iter().map(String::as_str)) {
        Some(near) => error.hint(crate::tr!("did you mean {near}?", "menade du {near}?")),
        None => error,
    }
}
