//! Tallies: the sums the headline reports read instead of every project (issue 15).
//!
//! Each change that touches projects or payments appends, in its own transaction, what
//! it changed in the sums: one row per area (0 for the projects themselves), status,
//! kind and year of decision, with the number of project versions, of first areas,
//! the four amounts, the total and what was paid. The rows up to a change add up to the
//! sums as of that change, so a report of the past costs what one of the present does.
//!
//! Nothing here is trusted without a check. A change's rows are digested into its
//! `changes` row, which its seal covers; the rows a database had when it was migrated
//! (the opening, at the change it had then) are pinned by `audit verify` adding every
//! row up and comparing with the projects and payments themselves.

use std::collections::BTreeMap;

use super::Snapshot;
use super::audit::{Canon, Digest, Entity};
use super::db::{Connection, OptionalExtension};
use super::reports::{area_sums, status_sums, sums_at};
use crate::domain::date::to_int;
use crate::domain::figures::{AreaSums, StatusSums, Sums};
use crate::domain::filter::Filter;
use crate::domain::project::{Allocation, Components, Project, Status, StoredProject};
use crate::error::Result;

/// The measures of a tally row, in the table's order after its key.
const MEASURES: &str = "n, firsts, total, eu, public, private, other, paid";

/// What one project version contributes (`v`: `vid`, `sign`, and `old` when its
/// payments are those before the change `rev`), per area and for the project itself.
fn contributions(versions: &str, rev: i64) -> String {
    let paid = format!(
        "coalesce((SELECT sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END) FROM payments pay
           WHERE pay.project_ref = p.ref AND ((v.old = 0 AND pay.end_rev IS NULL)
             OR (v.old = 1 AND pay.rev < {rev} AND (pay.end_rev IS NULL OR pay.end_rev >= {rev})))), 0)"
    );
    format!(
        "WITH v AS ({versions})
         SELECT 0 AS area_id, p.status AS status, p.kind AS kind, p.decided / 10000 AS year, v.sign AS n, 0 AS firsts,
                v.sign * p.total AS total, v.sign * p.eu AS eu, v.sign * p.public AS public,
                v.sign * p.private AS private, v.sign * p.other AS other, v.sign * {paid} AS paid
           FROM v CROSS JOIN projects p ON p.vid = v.vid
         UNION ALL
         SELECT a.area_id, a.status, a.kind, a.year, v.sign, CASE WHEN a.position = 0 THEN v.sign ELSE 0 END,
                v.sign * a.total, v.sign * a.eu, v.sign * a.public, v.sign * a.private, v.sign * a.other, 0
           FROM v CROSS JOIN allocations a ON a.project_vid = v.vid"
    )
}

/// What the payments of the current projects contribute (the columns of
/// [`contributions`]), for `audit verify`, which adds up the current versions
/// themselves as it reads them ([`Current`]).
const CURRENT_PAID: &str = "SELECT 0 AS area_id, p.status, p.kind, p.decided / 10000 AS year, 0 AS n, 0 AS firsts, 0 AS total,
           0 AS eu, 0 AS public, 0 AS private, 0 AS other, CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END AS paid
      FROM payments pay JOIN projects p ON p.ref = pay.project_ref AND p.end_rev IS NULL WHERE pay.end_rev IS NULL";

/// What the current project versions contribute, per key, added up one version at a
/// time by `audit verify`'s walk, which reads every version whole anyway: what
/// [`contributions`] gives for the current versions, without reading them again. It
/// takes a version's status, kind and year of decision for its allocations too, which
/// verify has checked are the copies those rows carry before it compares the sums.
#[derive(Default)]
pub(crate) struct Current {
    sums: BTreeMap<Key, [i64; 8]>,
    /// A sum went beyond 64 bits: [`problem`] refuses it, once the walk has had its
    /// say about the rows (whose hashes name a hand edit better).
    beyond: bool,
}

impl Current {
    /// Adds a current version: the project itself (area 0) and each of its areas.
    pub(crate) fn add(&mut self, sp: &StoredProject) {
        self.add_version(&sp.project, sp.components, &sp.allocations);
    }

    fn add_version(&mut self, project: &Project, components: Components, allocations: &[Allocation]) {
        for (key, m) in contributed(project, components, allocations) {
            self.beyond |= m.and_then(|m| add(&mut self.sums, key, m)).is_none();
        }
    }
}

/// What a version of `project`, with its report columns and their split by area,
/// adds to the sums of each key: the project itself (area 0) and each of its areas
/// (`None` for a total beyond 64 bits).
fn contributed(
    project: &Project,
    components: Components,
    allocations: &[Allocation],
) -> impl Iterator<Item = (Key, Option<[i64; 8]>)> {
    let (status, kind) = (project.status.code(), project.kind.code());
    let year = project.decided.map(|d| to_int(d) / 10000);
    std::iter::once((0, 0, components))
        .chain(allocations.iter().enumerate().map(|(i, a)| (a.area_id, i64::from(i == 0), a.parts)))
        .map(move |(area, firsts, c)| {
            // The total as the tables compute it.
            let total = c.as_array().into_iter().try_fold(0i64, i64::checked_add);
            ((area, status, kind, year), total.map(|t| [1, firsts, t, c.eu, c.public, c.private, c.other, 0]))
        })
}

/// The sums of the versions a change adds, as it writes them (by hashing: a million
/// projects add to a few thousand keys).
#[derive(Default)]
pub(crate) struct Added {
    sums: std::collections::HashMap<Key, [i64; 8]>,
    beyond: bool,
}

impl Added {
    /// Adds a version of `project` with its report columns and their split by area.
    pub(crate) fn add_version(&mut self, project: &Project, components: Components, allocations: &[Allocation]) {
        for (key, m) in contributed(project, components, allocations) {
            self.beyond |= m.and_then(|m| add_to(self.sums.entry(key).or_default(), m)).is_none();
        }
    }
}

fn beyond() -> crate::error::Error {
    beyond_64_bits("tallies")
}

/// Adds `m` to the sums of `key`; `None` beyond 64 bits. As SQL's sum(), that is an
/// error, never wrapped around (a hand-made row could otherwise wrap a sum back to the
/// right one).
fn add(sums: &mut BTreeMap<Key, [i64; 8]>, key: Key, m: [i64; 8]) -> Option<()> {
    add_to(sums.entry(key).or_default(), m)
}

fn add_to(sum: &mut [i64; 8], m: [i64; 8]) -> Option<()> {
    for (s, v) in sum.iter_mut().zip(m) {
        *s = s.checked_add(v)?;
    }
    Some(())
}

/// Sums `rows` (the columns of [`contributions`]) by their key, leaving out keys that
/// sum to nothing.
fn grouped(rows: &str) -> String {
    format!(
        "SELECT area_id, status, kind, year, sum(n) AS n, sum(firsts) AS firsts, sum(total) AS total, sum(eu) AS eu,
                sum(public) AS public, sum(private) AS private, sum(other) AS other, sum(paid) AS paid
         FROM ({rows}) c GROUP BY area_id, status, kind, year
         HAVING sum(n) <> 0 OR sum(firsts) <> 0 OR sum(total) <> 0 OR sum(eu) <> 0 OR sum(public) <> 0
             OR sum(private) <> 0 OR sum(other) <> 0 OR sum(paid) <> 0"
    )
}

/// Appends what change `rev` (its entries from `first_seq` on, in the open transaction)
/// changed in the sums, and returns the digest of its rows.
pub(crate) fn record(conn: &Connection, rev: i64, first_seq: i64) -> Result<Digest> {
    let (project, payment) = (Entity::Project.code(), Entity::Payment.code());
    let versions = format!(
        "SELECT after_vid AS vid, 1 AS sign, 0 AS old FROM audit WHERE seq >= {first_seq} AND entity = {project} AND after_vid IS NOT NULL
         UNION ALL
         SELECT before_vid, -1, 1 FROM audit WHERE seq >= {first_seq} AND entity = {project} AND before_vid IS NOT NULL
         UNION ALL
         SELECT p.vid, s.sign, s.old FROM projects p, (SELECT 1 AS sign, 0 AS old UNION ALL SELECT -1, 1) s
          WHERE p.end_rev IS NULL AND p.rev < {rev} AND p.ref IN (
            SELECT pay.project_ref FROM audit e JOIN payments pay ON pay.id = e.before_vid OR pay.id = e.after_vid
             WHERE e.seq >= {first_seq} AND e.entity = {payment})"
    );
    write(conn, rev, sums(conn, &contributions(&versions, rev))?)?;
    digest_of(conn, rev)
}

/// As [`record`], for a change whose every entry added a project that had no current
/// version, whose tallies are the sums of the versions it wrote (`added`, as they were
/// written): such a project has no payments yet (a removed project's end with it, and
/// a payment of this change would be an entry of another kind). An import of a million
/// projects need not read them back.
pub(crate) fn record_added(conn: &Connection, rev: i64, added: Added) -> Result<Digest> {
    if added.beyond {
        return Err(beyond());
    }
    let sums = added.sums.into_iter().filter(|(_, m)| m.iter().any(|v| *v != 0)).collect();
    write(conn, rev, sums)?;
    digest_of(conn, rev)
}

/// The opening tallies of a database migrated from before schema 8: the sums as they
/// are, at its last change (none when it has no projects), read once every table has
/// its newest shape.
pub(crate) fn open(conn: &Connection) -> Result<()> {
    let rev: i64 = conn.query_row("SELECT coalesce(max(rev), 0) FROM changes", [], |r| r.get(0))?;
    let versions = "SELECT vid, 1 AS sign, 0 AS old FROM projects WHERE end_rev IS NULL";
    write(conn, rev, sums(conn, &contributions(versions, rev + 1))?)
}

/// A tally's key: area (0 for the projects themselves), status, kind, year of decision.
type Key = (i64, i64, i64, Option<i64>);

/// The sums of `rows` (the columns of [`contributions`]) by key, added to `sums`,
/// leaving out keys that sum to nothing. PostgreSQL groups them itself (by hashing);
/// SQLite would sort every row to group them, so they are summed here as they stream
/// past: at 1 000 000 projects, 0.7 s instead of 3 s.
fn sums_into(conn: &Connection, rows: &str, mut sums: BTreeMap<Key, [i64; 8]>) -> Result<BTreeMap<Key, [i64; 8]>> {
    let sql = if conn.kind() == super::db::Kind::Postgres { grouped(rows) } else { rows.to_string() };
    let mut stmt = conn.prepare(&sql)?;
    let mut found = stmt.query([])?;
    while let Some(r) = found.next()? {
        let mut m = [0; 8];
        for (i, v) in m.iter_mut().enumerate() {
            *v = r.get(4 + i)?;
        }
        add(&mut sums, (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), m).ok_or_else(beyond)?;
    }
    sums.retain(|_, m| m.iter().any(|v| *v != 0));
    Ok(sums)
}

fn sums(conn: &Connection, rows: &str) -> Result<BTreeMap<Key, [i64; 8]>> {
    sums_into(conn, rows, BTreeMap::new())
}

/// A sum of `table`'s rows that SQL's sum() would refuse: no row spets writes is near
/// 2^63 öre, so the rows were changed by hand.
pub(crate) fn beyond_64_bits(table: &str) -> crate::error::Error {
    crate::error::Error::failed(crate::tr!(
        "a sum of the {table} is beyond 64 bits: {table} rows were changed outside spets",
        "en summa av {table} är större än 64 bitar: {table}-rader har ändrats utanför spets"
    ))
    .hint(crate::tr!("restore the database from a backup", "återställ databasen från en säkerhetskopia"))
}

/// Appends `sums` by key as change `rev`'s tallies.
fn write(conn: &Connection, rev: i64, sums: BTreeMap<Key, [i64; 8]>) -> Result<()> {
    let mut write = conn.prepare(&format!(
        "INSERT INTO tallies(rev, area_id, status, kind, year, {MEASURES}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?;
    for ((area, status, kind, year), m) in sums {
        write.execute(super::db::params![
            rev, area, status, kind, year, m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]
        ])?;
    }
    Ok(())
}

/// One stored row, in the order digests take them.
type Row = (i64, i64, i64, Option<i64>, [i64; 8]);

const ORDER: &str =
    "ORDER BY rev, area_id, status, kind, coalesce(year, -1), n, firsts, total, eu, public, private, other, paid";

fn read(r: &super::db::Row<'_>) -> super::db::Result<(i64, Row)> {
    let mut m = [0; 8];
    for (i, v) in m.iter_mut().enumerate() {
        *v = r.get(5 + i)?;
    }
    Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, m)))
}

fn digest(rows: &[Row]) -> Digest {
    let mut c = Canon::new("tally");
    c.len(rows.len());
    for (area, status, kind, year, m) in rows {
        c.int(*area).int(*status).int(*kind).opt_int(*year);
        for v in m {
            c.int(*v);
        }
    }
    c.digest()
}

fn digest_of(conn: &Connection, rev: i64) -> Result<Digest> {
    let mut stmt = conn
        .prepare(&format!("SELECT rev, area_id, status, kind, year, {MEASURES} FROM tallies WHERE rev = ?1 {ORDER}"))?;
    let rows = stmt.query_map([rev], read)?.map(|r| r.map(|r| r.1)).collect::<super::db::Result<Vec<Row>>>()?;
    Ok(digest(&rows))
}

/// Every change's tally digest as the rows are now, by change.
pub(crate) fn digests(conn: &Connection) -> Result<BTreeMap<i64, Digest>> {
    let mut stmt =
        conn.prepare(&format!("SELECT rev, area_id, status, kind, year, {MEASURES} FROM tallies {ORDER}"))?;
    let mut by_rev: BTreeMap<i64, Vec<Row>> = BTreeMap::new();
    for row in stmt.query_map([], read)? {
        let (rev, row) = row?;
        by_rev.entry(rev).or_default().push(row);
    }
    Ok(by_rev.into_iter().map(|(rev, rows)| (rev, digest(&rows))).collect())
}

/// The digest of a change that changed no sums.
pub(crate) fn empty() -> Digest {
    digest(&[])
}

/// The change whose tallies open the table: the last change without a tally digest (a
/// database migrated to schema 8 then), 0 for one that had tallies from its start.
pub(crate) fn opening(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(rev), 0) FROM changes WHERE tally IS NULL", [], |r| r.get(0))?)
}

/// What is wrong with the tallies as a whole: rows of no change that has them, or sums
/// that are not those of the projects (`current`, as verify read them) and payments as
/// they are. Each change's own rows are checked against its digest by the caller.
pub(crate) fn problem(conn: &Connection, current: Current) -> Result<Option<String>> {
    let opening = opening(conn)?;
    let stray: Option<i64> = conn
        .query_row(
            &format!(
                "SELECT rev FROM tallies WHERE rev <> {opening} AND rev NOT IN (SELECT rev FROM changes WHERE tally IS NOT NULL) LIMIT 1"
            ),
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(rev) = stray {
        return Ok(Some(crate::tr!(
            "tallies rows of change {rev}, which recorded none: they were added outside spets",
            "tallies-rader för ändring {rev}, som inte registrerade några: de har lagts till utanför spets"
        )));
    }
    let recorded = sums(conn, &format!("SELECT area_id, status, kind, year, {MEASURES} FROM tallies"))?;
    if current.beyond {
        return Err(beyond());
    }
    let now = sums_into(conn, CURRENT_PAID, current.sums)?;
    let off = recorded.keys().chain(now.keys()).find(|k| recorded.get(k) != now.get(k)).map(|k| k.0);
    Ok(off.map(|area| {
        let what = if area == 0 { crate::tr!("the projects", "projekten") } else { crate::tr!("area {area}", "område {area}") };
        crate::tr!(
            "the tallies rows do not add up to {what} and their payments as they are: tallies rows were changed outside spets",
            "tallies-raderna summerar inte till {what} och deras utbetalningar som de är: tallies-rader har ändrats utanför spets"
        )
    }))
}

/// Whether the tallies can answer for `filter` in `snapshot`: it asks only about
/// statuses, kinds and whole years of decision, of a change at or after the opening.
pub(crate) fn answers(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<bool> {
    if !filter.areas.is_empty() || !filter.only_status_kind_areas_decided() || !filter.whole_years() {
        return Ok(false);
    }
    Ok(match snapshot.0 {
        None => true,
        Some(rev) => rev >= opening(conn)?,
    })
}

/// The tallies' sums up to `snapshot` per key, as a query with the filter's conditions
/// (statuses, kinds, years) on its columns, for projects (`area_id = 0`) or areas.
fn summed(filter: &Filter, snapshot: Snapshot, areas: bool) -> String {
    use chrono::Datelike;
    let mut conditions = vec![if areas { "area_id <> 0".to_string() } else { "area_id = 0".to_string() }];
    if let Some(rev) = snapshot.0 {
        conditions.push(format!("rev <= {rev}"));
    }
    let mut outer = vec!["n <> 0".to_string()];
    if filter.statuses.len() < Status::ALL.len() {
        let codes: Vec<String> = filter.statuses.iter().map(|s| s.code().to_string()).collect();
        outer.push(format!("status IN ({})", if codes.is_empty() { "NULL".into() } else { codes.join(", ") }));
    }
    if !filter.kinds.is_empty() {
        let codes: Vec<String> = filter.kinds.iter().map(|k| k.code().to_string()).collect();
        outer.push(format!("kind IN ({})", codes.join(", ")));
    }
    if let Some(from) = filter.from {
        outer.push(format!("year >= {}", from.year()));
    }
    if let Some(to) = filter.to {
        outer.push(format!("year <= {}", to.year()));
    }
    format!(
        "SELECT * FROM (SELECT area_id, status, kind, year, sum(n) AS n, sum(firsts) AS firsts, sum(total) AS total,
                sum(eu) AS eu, sum(public) AS public, sum(private) AS private, sum(other) AS other, sum(paid) AS paid
           FROM tallies WHERE {} GROUP BY area_id, status, kind, year) t WHERE {}",
        conditions.join(" AND "),
        outer.join(" AND ")
    )
}

const SUMS: &str = "coalesce(sum(CASE WHEN kind <> 2 THEN n ELSE 0 END), 0), coalesce(sum(total), 0), coalesce(sum(eu), 0), \
    coalesce(sum(public), 0), coalesce(sum(private), 0), coalesce(sum(other), 0)";

/// As `reports::totals`, from the tallies.
pub(crate) fn totals(
    conn: &Connection,
    filter: &Filter,
    snapshot: Snapshot,
) -> Result<(Sums, Option<i64>, Option<i64>)> {
    let sql = format!("SELECT {SUMS}, min(year), max(year) FROM ({}) s", summed(filter, snapshot, false));
    Ok(conn.query_row(&sql, [], |r| Ok((sums_at(r, 0)?, r.get(6)?, r.get(7)?)))?)
}

/// As `reports::paid`, from the tallies (a filter on payment dates is not theirs).
pub(crate) fn paid(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<i64> {
    let sql = format!("SELECT coalesce(sum(paid), 0) FROM ({}) s", summed(filter, snapshot, false));
    Ok(conn.query_row(&sql, [], |r| r.get(0))?)
}

/// As `reports::by_status`, from the tallies.
pub(crate) fn by_status(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<StatusSums>> {
    let sql = format!(
        "SELECT status, {SUMS}, min(year), max(year) FROM ({}) s GROUP BY status ORDER BY status",
        summed(filter, snapshot, false)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| status_sums(r, "tallies"))?;
    Ok(rows.collect::<super::db::Result<_>>()?)
}

/// As `reports::by_area`, from the tallies.
pub(crate) fn by_area(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<AreaSums>> {
    let sql = format!(
        "SELECT area_id, {SUMS}, coalesce(sum(CASE WHEN kind <> 2 THEN firsts ELSE 0 END), 0), min(year), max(year)
         FROM ({}) s GROUP BY area_id ORDER BY area_id",
        summed(filter, snapshot, true)
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], area_sums)?;
    Ok(rows.collect::<super::db::Result<_>>()?)
}
