//! `spets audit verify`: recompute the hash chain from the records it describes, and
//! check that replaying the history gives exactly the data in the tables: every
//! version was created by one entry and ended by at most one, what is current is what
//! the history left current, and every derived figure (totals, splits, the copies the
//! allocations carry) is what the recorded data gives.

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use super::audit::{Action, Digest, Entity, EntryContent, chain};
use super::history::{Record, lifetime, record, table};
use super::projects::{StoredProject, allocations};
use crate::domain::lang::Lang;
use crate::domain::money::{Money, Unit};
use crate::error::Result;

/// What verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub entries: i64,
    /// The last entry's hash.
    pub head: Option<Digest>,
    /// The first thing that does not match, naming the entry or the record.
    pub problem: Option<String>,
    /// With an expected head: the entry whose hash it is.
    pub expected_at: Option<i64>,
}

/// What a problem is about: `entry 12 (project 20201234, edit)`.
fn entry_name(seq: i64, entity: Entity, key: &str, action: Action) -> String {
    format!("entry {seq} ({} {key}, {})", entity.as_str(), action.as_str())
}

/// Derived figures of a project version that must follow from its recorded data.
fn derived_problem(sp: &StoredProject) -> Option<String> {
    let what = format!("project {} (projects row vid {})", sp.project.reference, sp.vid);
    let Ok(components) = sp.project.components() else {
        return Some(format!("{what}: its financing plan does not add up"));
    };
    if components != sp.components {
        let kr = |ore: i64| format!("{} kr", Money(ore).display(Unit::Kr, Lang::Sv));
        return Some(format!(
            "{what}: its stored totals ({}) are not the sum of its funding lines ({})",
            kr(sp.components.total()),
            kr(components.total())
        ));
    }
    if allocations(components, &sp.project.areas) != sp.allocations {
        return Some(format!("{what}: its split by area is not the exact split of its financing"));
    }
    None
}

struct Walk<'c> {
    conn: &'c Connection,
    changes: HashMap<i64, (String, String, String)>,
    created: HashMap<Entity, Vec<i64>>,
    ended: HashMap<Entity, HashSet<i64>>,
}

impl Walk<'_> {
    /// The digest of a version an entry names, checking the version belongs to it.
    fn version(&self, what: &str, entity: Entity, vid: i64, rev: i64, created: bool) -> Result<Result<Record, String>> {
        let (table, pk) = table(entity);
        let Some((from, to)) = lifetime(self.conn, entity, vid)? else {
            return Ok(Err(format!(
                "{what}: the {table} row it {} ({pk} {vid}) is missing",
                if created { "created" } else { "ended" }
            )));
        };
        if created && from != rev {
            return Ok(Err(format!("{what}: the {table} row it created ({pk} {vid}) says change {from} created it")));
        }
        if !created && to != Some(rev) {
            return Ok(Err(format!(
                "{what}: the {table} row it ended ({pk} {vid}) does not say change {rev} ended it"
            )));
        }
        Ok(record(self.conn, entity, vid)?.ok_or_else(|| format!("{what}: the {table} row {pk} {vid} cannot be read")))
    }
}

/// Verifies the whole history. `expect` is a head hash recorded earlier.
pub fn verify(conn: &Connection, expect: Option<&Digest>) -> Result<Verification> {
    let mut walk = Walk { conn, changes: HashMap::new(), created: HashMap::new(), ended: HashMap::new() };
    {
        let mut stmt = conn.prepare("SELECT rev, at, user, command FROM changes")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        for row in rows {
            let (rev, change) = row?;
            walk.changes.insert(rev, change);
        }
    }
    let mut v = Verification { entries: 0, head: None, problem: None, expected_at: None };
    let mut previous: Digest = [0; 32];
    let mut stmt =
        conn.prepare("SELECT seq, rev, entity, key, action, before_vid, after_vid, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let rev: i64 = r.get(1)?;
        let entity = Entity::from_code(r.get(2)?).unwrap_or(Entity::Project);
        let key: String = r.get(3)?;
        let action = Action::from_code(r.get(4)?).unwrap_or(Action::Edit);
        let before_vid: Option<i64> = r.get(5)?;
        let after_vid: Option<i64> = r.get(6)?;
        let stored: Vec<u8> = r.get(7)?;
        let stored: Digest = stored.try_into().unwrap_or([0; 32]);
        v.entries += 1;
        v.head = Some(stored);
        if expect == Some(&stored) {
            v.expected_at = Some(seq);
        }
        if v.problem.is_some() {
            continue;
        }
        let what = entry_name(seq, entity, &key, action);
        let found = check_entry(&mut walk, &what, seq, v.entries, rev, entity, &key, action, before_vid, after_vid)?;
        match found {
            Err(problem) => v.problem = Some(problem),
            Ok((before, after)) => {
                let (at, user, command) = &walk.changes[&rev];
                let content = EntryContent {
                    seq,
                    rev,
                    at,
                    user,
                    command,
                    entity: entity.as_str(),
                    key: &key,
                    action: action.as_str(),
                    before,
                    after,
                };
                if chain(&previous, &content) != stored {
                    v.problem = Some(format!(
                        "{what} does not match its hash: the entry, or the record it describes, was changed outside spets"
                    ));
                }
            }
        }
        previous = stored;
    }
    drop(rows);
    drop(stmt);
    if v.problem.is_none() {
        v.problem = unrecorded_versions(&walk)?;
    }
    if v.problem.is_none() {
        v.problem = inconsistent_copies(conn)?;
    }
    Ok(v)
}

/// The digests of the versions an entry ended and created.
type Digests = (Option<Digest>, Option<Digest>);

/// Checks one entry against its change and the versions it names; returns the
/// digests of those versions.
#[allow(clippy::too_many_arguments)]
fn check_entry(
    walk: &mut Walk<'_>,
    what: &str,
    seq: i64,
    expected_seq: i64,
    rev: i64,
    entity: Entity,
    key: &str,
    action: Action,
    before_vid: Option<i64>,
    after_vid: Option<i64>,
) -> Result<std::result::Result<Digests, String>> {
    if seq != expected_seq {
        return Ok(Err(format!(
            "entry {expected_seq} is missing: the trail goes from entry {} to entry {seq}",
            expected_seq - 1
        )));
    }
    if !walk.changes.contains_key(&rev) {
        return Ok(Err(format!("{what} belongs to change {rev}, which is missing")));
    }
    if Action::of(before_vid.is_some(), after_vid.is_some()) != action {
        return Ok(Err(format!("{what}: its action does not fit the versions it names")));
    }
    let mut digests = (None, None);
    if let Some(vid) = before_vid {
        let record = match walk.version(what, entity, vid, rev, false)? {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        if !walk.ended.entry(entity).or_default().insert(vid) {
            return Ok(Err(format!("{what} ends a version an earlier entry ended")));
        }
        digests.0 = Some(record.digest());
    }
    if let Some(vid) = after_vid {
        let record = match walk.version(what, entity, vid, rev, true)? {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        if record.key() != key {
            return Ok(Err(format!("{what}: the record it created is {} {}", entity.as_str(), record.key())));
        }
        if let Record::Project(sp) = &record
            && let Some(p) = derived_problem(sp)
        {
            return Ok(Err(p));
        }
        let created = walk.created.entry(entity).or_default();
        if created.last().is_some_and(|last| *last >= vid) {
            return Ok(Err(format!("{what} creates a version out of order")));
        }
        created.push(vid);
        digests.1 = Some(record.digest());
    }
    Ok(Ok(digests))
}

/// A version no entry created, or one ended with no entry ending it.
fn unrecorded_versions(walk: &Walk<'_>) -> Result<Option<String>> {
    for entity in Entity::ALL {
        let (table, pk) = table(entity);
        let created = walk.created.get(&entity).map(Vec::as_slice).unwrap_or_default();
        let ended = walk.ended.get(&entity).map_or(0, HashSet::len);
        let mut stmt = walk.conn.prepare(&format!("SELECT {pk}, rev, end_rev FROM {table} ORDER BY {pk}"))?;
        let mut rows = stmt.query([])?;
        let mut expected = created.iter().peekable();
        let mut ended_rows = 0usize;
        while let Some(r) = rows.next()? {
            let vid: i64 = r.get(0)?;
            let rev: i64 = r.get(1)?;
            let end: Option<i64> = r.get(2)?;
            if expected.peek() == Some(&&vid) {
                expected.next();
            } else {
                return Ok(Some(format!(
                    "{table} row {pk} {vid} (change {rev}) has no audit entry: it was written outside spets, or its entry was deleted"
                )));
            }
            if let Some(end) = end {
                ended_rows += 1;
                if !walk.ended.get(&entity).is_some_and(|s| s.contains(&vid)) {
                    return Ok(Some(format!(
                        "{table} row {pk} {vid} says change {end} ended it, but no audit entry did: it was changed outside spets"
                    )));
                }
            }
        }
        if ended_rows != ended {
            return Ok(Some(format!(
                "{table}: {ended} versions were ended by the history, {ended_rows} are marked ended"
            )));
        }
    }
    Ok(None)
}

/// Allocation rows whose copies of their project version's fields differ, and rows
/// naming names that do not exist.
fn inconsistent_copies(conn: &Connection) -> Result<Option<String>> {
    let checks = [
        (
            "SELECT a.project_vid FROM allocations a JOIN projects p ON p.vid = a.project_vid
             WHERE a.status <> p.status OR a.kind <> p.kind OR a.decided IS NOT p.decided OR a.end_rev IS NOT p.end_rev LIMIT 1",
            "the allocations of projects row vid {} do not match the project's status, kind, decision date or end",
        ),
        (
            "SELECT vid FROM projects WHERE (programme_id IS NOT NULL AND programme_id NOT IN (SELECT id FROM names))
             OR (fund_id IS NOT NULL AND fund_id NOT IN (SELECT id FROM names)) LIMIT 1",
            "projects row vid {} names a programme or fund that is not recorded",
        ),
        (
            "SELECT project_vid FROM funding_lines WHERE funder_id NOT IN (SELECT id FROM names) LIMIT 1",
            "a funding line of projects row vid {} names a funder that is not recorded",
        ),
    ];
    for (sql, message) in checks {
        let found: Option<i64> = conn.query_row(sql, [], |r| r.get(0)).ok();
        if let Some(vid) = found {
            return Ok(Some(message.replace("{}", &vid.to_string())));
        }
    }
    Ok(None)
}
