//! `spets audit verify`: recompute the hash chain from the records it describes, and
//! check that replaying the history gives exactly the data in the tables: every
//! version was created by one entry and ended by at most one, what is current is what
//! the history left current, and every derived figure (totals, splits, the copies the
//! allocations carry) is what the recorded data gives.

use std::collections::{HashMap, HashSet, VecDeque};

use super::db::{Connection, OptionalExtension};

use super::audit::{Action, Digest, Entity, EntryContent, chain};
use super::decode::{self, At};
use super::history::{Record, lifetime, record, table};
use super::projects::{StoredProject, allocations};
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
    /// Each change's seal as recomputed, in order (up to the first that does not match).
    pub seals: Vec<Digest>,
}

impl Verification {
    /// Checks a witness file's lines (`REV HASH`, one per write) against the seals:
    /// the first line that names a change the history no longer has, or a different
    /// seal for it.
    pub fn witness_problem(&self, name: &str, text: &str) -> Option<String> {
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let at = format!("{name}:{}", i + 1);
            let mut parts = line.split_whitespace();
            let (Some(rev), Some(hash), None) = (parts.next(), parts.next(), parts.next()) else {
                return Some(crate::tr!(
                    "{at}: {line:?}: not a witness line (expected a change number and its head)",
                    "{at}: {line:?}: inte en vittnesrad (väntade ett ändringsnummer och dess huvud)"
                ));
            };
            let Ok(rev) = rev.parse::<usize>() else {
                return Some(crate::tr!(
                    "{at}: {rev:?}: not a change number",
                    "{at}: {rev:?}: inte ett ändringsnummer"
                ));
            };
            match self.seals.get(rev.wrapping_sub(1)) {
                None => {
                    return Some(crate::tr!(
                        "{at}: the witness saw change {rev} (head {hash}), but the history ends at change {}: changes were removed",
                        "{at}: vittnet såg ändring {rev} (huvud {hash}), men historiken slutar vid ändring {}: ändringar har tagits bort",
                        self.seals.len()
                    ));
                }
                Some(seal) if hex::encode(seal) != hash.to_ascii_lowercase() => {
                    return Some(crate::tr!(
                        "{at}: the witness saw change {rev} with head {hash}, the history has {}: it was rewritten from there on",
                        "{at}: vittnet såg ändring {rev} med huvud {hash}, historiken har {}: den har skrivits om därifrån",
                        hex::encode(seal)
                    ));
                }
                Some(_) => {}
            }
        }
        None
    }
}

/// What a problem is about: `entry 12 (project 20201234, edit)`.
fn entry_name(seq: i64, entity: Entity, key: &str, action: Action) -> String {
    let lang = crate::domain::lang::messages();
    crate::tr!(
        "audit entry {seq} ({} {key}, {})",
        "granskningspost {seq} ({} {key}, {})",
        entity.label(lang),
        action.label(lang)
    )
}

/// Derived figures of a project version that must follow from its recorded data.
fn derived_problem(sp: &StoredProject) -> Option<String> {
    let what = crate::tr!(
        "project {} (projects row vid {})",
        "projekt {} (projects-raden vid {})",
        sp.project.reference,
        sp.vid
    );
    let Ok(components) = sp.project.components() else {
        return Some(crate::tr!(
            "{what}: its financing plan does not add up",
            "{what}: dess finansieringsplan går inte ihop"
        ));
    };
    if components != sp.components {
        let kr = |ore: i64| format!("{} kr", Money(ore).display(Unit::Kr, crate::domain::lang::messages()));
        return Some(crate::tr!(
            "{what}: its stored totals ({}) are not the sum of its funding_lines rows ({})",
            "{what}: dess lagrade totalbelopp ({}) är inte summan av dess funding_lines-rader ({})",
            kr(sp.components.total()),
            kr(components.total())
        ));
    }
    if allocations(components, &sp.project.areas) != sp.allocations {
        return Some(crate::tr!(
            "{what}: its allocations rows are not the exact split of its financing",
            "{what}: dess allocations-rader är inte den exakta fördelningen av dess finansiering"
        ));
    }
    None
}

/// A change as stored, with its seal.
struct StoredChange {
    rev: i64,
    at: String,
    user: String,
    command: String,
    entries: Option<i64>,
    reference: Option<Vec<u8>>,
    seal: Option<Vec<u8>>,
    tally: Option<Vec<u8>>,
}

/// A change's time, user and command, by its number.
type Changes = HashMap<i64, (String, String, String)>;

/// Per change: how many entries the trail holds, the last one's hash and number, and
/// the first one's number.
type Tail = (i64, Digest, i64, i64);

/// What the reading thread keeps of the walk through the trail.
struct Walk<'c> {
    conn: &'c Connection,
    tails: HashMap<i64, Tail>,
    created: HashMap<Entity, Vec<i64>>,
    ended: HashMap<Entity, HashSet<i64>>,
    ahead: Ahead,
    /// False when a block of project versions had a row spets does not write, a version
    /// without allocations or a name that is not recorded, or one was read another way.
    as_written: bool,
}

/// One entry and the versions it names, as the reading thread found them, for the
/// checking thread: the derived figures, the digests and the hash chain.
struct Job {
    seq: i64,
    rev: i64,
    entity: Entity,
    key: String,
    action: Action,
    versions: (Option<i64>, Option<i64>),
    before: Option<Record>,
    after: Option<Record>,
    /// The previous entry's hash and this one's, as stored.
    previous: Digest,
    stored: Digest,
}

/// The checking thread's part of the walk: what it adds up and the first problem it
/// finds (the entry's number, change and stored hash, and the message).
struct Checker<'a> {
    changes: &'a Changes,
    /// The sums of the current project versions.
    current: super::tally::Current,
    rows: Rows,
    problem: Option<(i64, i64, Digest, String)>,
}

impl Checker<'_> {
    fn check(&mut self, job: Job) {
        if self.problem.is_some() {
            return;
        }
        if let Some(Record::Project(sp)) = &job.after {
            if let Some(p) = derived_problem(sp) {
                self.problem = Some((job.seq, job.rev, job.stored, p));
                return;
            }
            if sp.end_rev.is_none() {
                self.current.add(sp);
            }
            self.rows.add(sp);
        }
        let Some((at, user, command)) = self.changes.get(&job.rev) else { return };
        let content = EntryContent {
            seq: job.seq,
            rev: job.rev,
            at,
            user,
            command,
            entity: job.entity.as_str(),
            key: &job.key,
            action: job.action.as_str(),
            before: job.before.as_ref().map(Record::digest),
            after: job.after.as_ref().map(Record::digest),
        };
        if chain(&job.previous, &content) == job.stored {
            return;
        }
        let what = entry_name(job.seq, job.entity, &job.key, job.action);
        let (table, pk) = table(job.entity);
        let rows: Vec<String> = [job.versions.0, job.versions.1]
            .into_iter()
            .flatten()
            .map(|vid| crate::tr!("{table} row {pk} {vid}", "{table}-raden {pk} {vid}"))
            .collect();
        let parts = if job.entity == Entity::Project {
            crate::tr!(
                " (with its allocations, funding_lines and partners rows and the names rows they use)",
                " (med dess allocations-, funding_lines- och partners-rader och de names-rader de använder)"
            )
        } else {
            String::new()
        };
        let seq = job.seq;
        let rev = job.rev;
        self.problem = Some((
            seq,
            rev,
            job.stored,
            crate::tr!(
                "{what} does not match its hash: audit row seq {seq}, its changes row rev {rev}, or {}{parts} was changed outside spets",
                "{what} stämmer inte med sin hash: granskningsraden seq {seq}, dess changes-rad rev {rev}, eller {}{parts} har ändrats utanför spets",
                rows.join(&crate::tr!(" or ", " eller "))
            ),
        ));
    }
}

/// The rows of the project versions the history created, as the walk read them: with
/// every check of [`inconsistent_copies`] on them, so that it need not read them again.
#[derive(Default)]
struct Rows {
    /// The allocations, funding_lines and partners rows of those versions.
    counts: [usize; 3],
    /// The names they use.
    names: HashSet<String>,
}

impl Rows {
    fn add(&mut self, sp: &StoredProject) {
        let p = &sp.project;
        self.counts[0] += sp.allocations.len();
        self.counts[1] += p.funding.len();
        self.counts[2] += p.partners.len();
        let used = [&p.programme, &p.fund, &p.provenance.source, &p.provenance.file];
        for name in used.into_iter().flatten().chain(p.funding.iter().map(|f| &f.funder)) {
            if !self.names.contains(name) {
                self.names.insert(name.clone());
            }
        }
    }

    /// Whether the walk saw every row of the three tables and every name, all as spets
    /// writes them.
    fn all_as_written(&self, conn: &Connection, as_written: bool) -> Result<bool> {
        if !as_written {
            return Ok(false);
        }
        for (table, seen) in ["allocations", "funding_lines", "partners"].into_iter().zip(self.counts) {
            let count: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            if usize::try_from(count).ok() != Some(seen) {
                return Ok(false);
            }
        }
        let mut stmt = conn.prepare("SELECT text FROM names")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if !self.names.contains(&r.get::<String>(0)?) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The project versions the history creates, read a block at a time in order of vid,
/// the order the history creates them in, rather than with five queries each.
struct Ahead {
    /// Every name by id.
    names: HashMap<i64, String>,
    versions: VecDeque<StoredProject>,
    /// The vids the block stands for: every version in it, and no other.
    covers: std::ops::Range<i64>,
}

impl Ahead {
    const BLOCK: usize = 1024;

    /// Version `vid` (the next one the history creates), if it is recorded.
    fn take(&mut self, conn: &Connection, vid: i64, as_written: &mut bool) -> Result<Option<StoredProject>> {
        if !self.covers.contains(&vid) {
            let Ok((block, block_as_written)) = super::projects::versions_from(conn, vid, Self::BLOCK, &self.names)
            else {
                // A row in the block that cannot be read: read this one alone, so a
                // problem is found at the entry it belongs to, not at an earlier one.
                self.covers = 0..0;
                *as_written = false;
                return super::projects::version(conn, vid);
            };
            *as_written &= block_as_written;
            let end = if block.len() < Self::BLOCK { i64::MAX } else { block.last().map_or(vid, |v| v.vid) + 1 };
            self.covers = vid..end;
            self.versions = block.into();
        }
        while self.versions.front().is_some_and(|v| v.vid < vid) {
            self.versions.pop_front();
        }
        self.covers = vid.saturating_add(1)..self.covers.end;
        Ok(self.versions.front().is_some_and(|v| v.vid == vid).then(|| self.versions.pop_front()).flatten())
    }
}

impl Walk<'_> {
    /// The digest of a version an entry names, checking the version belongs to it.
    fn version(
        &mut self,
        what: &str,
        entity: Entity,
        vid: i64,
        rev: i64,
        created: bool,
    ) -> Result<Result<Record, String>> {
        let (table, pk) = table(entity);
        let (lifetime, mut found) = if entity == Entity::Project && created {
            let version = self.ahead.take(self.conn, vid, &mut self.as_written)?;
            (version.as_ref().map(|v| (v.rev, v.end_rev)), version.map(|v| Record::Project(Box::new(v))))
        } else {
            (lifetime(self.conn, entity, vid)?, None)
        };
        let Some((from, to)) = lifetime else {
            return Ok(Err(crate::tr!(
                "{what}: the {table} row it {} ({pk} {vid}) is missing",
                "{what}: {table}-raden den {} ({pk} {vid}) saknas",
                if created { crate::tr!("created", "skapade") } else { crate::tr!("ended", "avslutade") }
            )));
        };
        if created && from != rev {
            return Ok(Err(crate::tr!(
                "{what}: the {table} row it created ({pk} {vid}) says change {from} created it",
                "{what}: {table}-raden den skapade ({pk} {vid}) säger att ändring {from} skapade den"
            )));
        }
        if !created && to != Some(rev) {
            return Ok(Err(crate::tr!(
                "{what}: the {table} row it ended ({pk} {vid}) does not say change {rev} ended it",
                "{what}: {table}-raden den avslutade ({pk} {vid}) säger inte att ändring {rev} avslutade den"
            )));
        }
        if found.is_none() {
            found = record(self.conn, entity, vid)?;
        }
        Ok(found.ok_or_else(|| {
            crate::tr!(
                "{what}: the {table} row {pk} {vid} cannot be read",
                "{what}: {table}-raden {pk} {vid} går inte att läsa"
            )
        }))
    }
}

/// Verifies the whole history. `expect` is a head hash recorded earlier.
///
/// One thread reads the trail and the versions it names, a second checks them (their
/// derived figures, digests and the hash chain) a batch of entries behind: the first
/// problem is the one of the lowest entry either finds.
pub fn verify(conn: &Connection, expect: Option<&Digest>) -> Result<Verification> {
    let stored_changes: Vec<StoredChange> = {
        let mut stmt = conn
            .prepare("SELECT rev, at, \"user\", command, entries, reference, seal, tally FROM changes ORDER BY rev")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredChange {
                rev: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                command: r.get(3)?,
                entries: r.get(4)?,
                reference: r.get(5)?,
                seal: r.get(6)?,
                tally: r.get(7)?,
            })
        })?;
        rows.collect::<super::db::Result<_>>()?
    };
    let changes: Changes =
        stored_changes.iter().map(|c| (c.rev, (c.at.clone(), c.user.clone(), c.command.clone()))).collect();
    let mut walk = Walk {
        conn,
        tails: HashMap::new(),
        created: HashMap::new(),
        ended: HashMap::new(),
        ahead: Ahead { names: super::names::all(conn)?, versions: VecDeque::new(), covers: 0..0 },
        as_written: true,
    };
    let mut v = Verification { entries: 0, head: None, problem: None, expected_at: None, seals: Vec::new() };
    let checker = Checker { changes: &changes, current: Default::default(), rows: Rows::default(), problem: None };
    let (walked, checker) = std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Job>>(4);
        let checking = scope.spawn(move || {
            let mut checker = checker;
            for jobs in receive {
                jobs.into_iter().for_each(|job| checker.check(job));
            }
            checker
        });
        let walked = walk_trail(&mut walk, &changes, &mut v, expect, &send);
        drop(send);
        (walked, checking.join())
    });
    let Ok(checker) = checker else {
        return Err(crate::error::Error::failed(crate::tr!(
            "the checking thread of verify stopped",
            "verifieringens kontrolltråd stannade"
        )));
    };
    if let Some((seq, rev, stored, problem)) = checker.problem {
        // It is before any problem the reading thread found (that thread sends no
        // entry from its first problem on): the trail as walked ends with this entry.
        v.problem = Some(problem);
        // A row the reading thread could not read later on is past it, so not reported.
        walk.tails.retain(|r, _| *r <= rev);
        if let Some(tail) = walk.tails.get_mut(&rev) {
            *tail = (seq - tail.3 + 1, stored, seq, tail.3);
        }
    } else {
        walked?;
    }
    let (seal_problem, seals) = check_changes(conn, &walk, &stored_changes)?;
    if let Some(last) = seals.last() {
        v.head = Some(*last);
    }
    if let Some(expected) = expect
        && v.expected_at.is_none()
        && let Some(i) = seals.iter().position(|s| s == expected)
    {
        // The head an auditor recorded is a change's seal: name that change's last entry.
        v.expected_at = walk.tails.get(&stored_changes[i].rev).map(|t| t.2);
    }
    if v.problem.is_none() {
        v.problem = seal_problem;
    }
    v.seals = seals;
    if v.problem.is_none() {
        let problems = super::schema_problems(conn)?;
        if !problems.is_empty() {
            v.problem = Some(crate::tr!(
                "the schema was changed outside spets: {}",
                "schemat har ändrats utanför spets: {}",
                problems.join("; ")
            ));
        }
    }
    if v.problem.is_none() {
        v.problem = unrecorded_versions(&walk)?;
    }
    if v.problem.is_none() {
        v.problem = inconsistent_copies(conn, &checker.rows, walk.as_written)?;
    }
    if v.problem.is_none() {
        v.problem = tally_problem(conn, &stored_changes, checker.current)?;
    }
    Ok(v)
}

/// The reading thread's walk through the trail: each entry's own checks, then the
/// entry and its versions sent to the checking thread in batches.
fn walk_trail(
    walk: &mut Walk<'_>,
    changes: &Changes,
    v: &mut Verification,
    expect: Option<&Digest>,
    send: &std::sync::mpsc::SyncSender<Vec<Job>>,
) -> Result<()> {
    const BATCH: usize = 256;
    let mut batch = Vec::with_capacity(BATCH);
    let mut last_rev = 0;
    let mut previous: Digest = [0; 32];
    let mut stmt = walk
        .conn
        .prepare("SELECT seq, rev, entity, key, action, before_vid, after_vid, hash FROM audit ORDER BY seq")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let rev: i64 = r.get(1)?;
        let entity = decode::code(At::new("audit", "entity", Some(seq)), r.get(2)?, Entity::from_code)?;
        let key: String = r.get(3)?;
        let action = decode::code(At::new("audit", "action", Some(seq)), r.get(4)?, Action::from_code)?;
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
        if rev < last_rev {
            let what = entry_name(seq, entity, &key, action);
            v.problem = Some(crate::tr!(
                "{what} belongs to change {rev}, but follows an entry of change {last_rev}",
                "{what} hör till ändring {rev}, men följer efter en post i ändring {last_rev}"
            ));
            continue;
        }
        last_rev = rev;
        let tail = walk.tails.entry(rev).or_insert((0, [0; 32], 0, seq));
        *tail = (tail.0 + 1, stored, seq, tail.3);
        let found = check_entry(walk, changes, seq, v.entries, rev, entity, &key, action, before_vid, after_vid)?;
        match found {
            Err(problem) => v.problem = Some(problem),
            Ok((before, after)) => {
                let versions = (before_vid, after_vid);
                batch.push(Job { seq, rev, entity, key, action, versions, before, after, previous, stored });
                // A closed channel is a checking thread that stopped: verify says so.
                if batch.len() == BATCH && send.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err()
                {
                    break;
                }
            }
        }
        previous = stored;
    }
    if !batch.is_empty() {
        // (As above.)
        let _ = send.send(batch);
    }
    Ok(())
}

/// Checks the tallies: each change's rows are the ones its digest (which its seal
/// covers) was taken over, and all of them add up to the projects and payments.
fn tally_problem(
    conn: &Connection,
    changes: &[StoredChange],
    current: super::tally::Current,
) -> Result<Option<String>> {
    let digests = super::tally::digests(conn)?;
    for c in changes {
        let Some(stored) = &c.tally else { continue };
        let now = digests.get(&c.rev).copied().unwrap_or_else(super::tally::empty);
        if super::audit::digest_from(Some(stored.clone())) != now {
            return Ok(Some(crate::tr!(
                "the tallies rows of change {} are not the ones it recorded: they were changed outside spets",
                "tallies-raderna för ändring {} är inte de som den registrerade: de har ändrats utanför spets",
                c.rev
            )));
        }
    }
    super::tally::problem(conn, current)
}

/// Checks the changes: numbered 1, 2, … without gaps, time moving forward, each with
/// all its entries and a seal that matches them and the chain of seals, the last seal
/// matching the reference tables as they are. Returns the first problem and the seals
/// as recomputed (each change's, in order, while they match).
fn check_changes(
    conn: &Connection,
    walk: &Walk<'_>,
    changes: &[StoredChange],
) -> Result<(Option<String>, Vec<Digest>)> {
    let mut seals = Vec::with_capacity(changes.len());
    let mut previous: Digest = [0; 32];
    let mut previous_at: Option<&str> = None;
    for (i, c) in changes.iter().enumerate() {
        let expected_rev = i as i64 + 1;
        let problem = if c.rev != expected_rev {
            Some(if c.rev > expected_rev {
                crate::tr!(
                    "change {expected_rev} is missing: the changes go from {} to {}",
                    "ändring {expected_rev} saknas: ändringarna går från {} till {}",
                    expected_rev - 1,
                    c.rev
                )
            } else {
                crate::tr!(
                    "changes row rev {} is not a change spets numbered",
                    "changes-raden rev {} är inte en ändring som spets numrerat",
                    c.rev
                )
            })
        } else if chrono::DateTime::parse_from_rfc3339(&c.at).is_err() || c.at.len() != 27 {
            Some(crate::tr!(
                "change {}: its time {:?} is not one spets writes",
                "ändring {}: dess tid {:?} är inte en som spets skriver",
                c.rev,
                c.at
            ))
        } else if previous_at.is_some_and(|p| c.at.as_str() <= p) {
            Some(crate::tr!(
                "change {} is dated {}, not after change {} ({}): time only moves forward in the history",
                "ändring {} är daterad {}, inte efter ändring {} ({}): tiden går bara framåt i historiken",
                c.rev,
                c.at,
                c.rev - 1,
                previous_at.unwrap_or_default()
            ))
        } else {
            let (count, last_entry, ..) = walk.tails.get(&c.rev).copied().unwrap_or((0, [0; 32], 0, 0));
            if count == 0 {
                Some(crate::tr!(
                    "change {} has no audit entries: its changes row was added outside spets, or its entries were removed",
                    "ändring {} har inga granskningsposter: dess changes-rad har lagts till utanför spets, eller dess poster har tagits bort",
                    c.rev
                ))
            } else if c.entries != Some(count) {
                Some(match c.entries {
                    Some(n) => crate::tr!(
                        "change {} (changes row rev {}) made {n} audit entries, but the trail holds {count} of them: entries were removed or added outside spets",
                        "ändring {} (changes-raden rev {}) gjorde {n} granskningsposter, men spåret har {count} av dem: poster har tagits bort eller lagts till utanför spets",
                        c.rev,
                        c.rev
                    ),
                    None => crate::tr!(
                        "change {} has no seal in the changes table: it was written outside spets",
                        "ändring {} har inget sigill i tabellen changes: den har skrivits utanför spets",
                        c.rev
                    ),
                })
            } else {
                let reference = super::audit::digest_from(c.reference.clone());
                let content = super::audit::ChangeContent {
                    rev: c.rev,
                    at: &c.at,
                    user: &c.user,
                    command: &c.command,
                    entries: count,
                    last_entry,
                    reference,
                    tally: c.tally.clone().map(|t| super::audit::digest_from(Some(t))),
                };
                let seal = super::audit::seal(&previous, &content);
                if super::audit::digest_from(c.seal.clone()) != seal {
                    Some(crate::tr!(
                        "change {} does not match its seal: its changes row, its audit entries or the change before it was changed outside spets",
                        "ändring {} stämmer inte med sitt sigill: dess changes-rad, dess granskningsposter eller ändringen före den har ändrats utanför spets",
                        c.rev
                    ))
                } else {
                    previous = seal;
                    None
                }
            }
        };
        if problem.is_some() {
            return Ok((problem, seals));
        }
        seals.push(previous);
        previous_at = Some(&c.at);
    }
    if let Some(last) = changes.last() {
        let now = super::audit::reference_digest(conn)?;
        if super::audit::digest_from(last.reference.clone()) != now {
            return Ok((
                Some(crate::tr!(
                    "the reference tables (meta, municipalities) are not as change {} left them: they were changed outside spets",
                    "referenstabellerna (meta, municipalities) är inte som ändring {} lämnade dem: de har ändrats utanför spets",
                    last.rev
                )),
                seals,
            ));
        }
    }
    let stray: Option<i64> = conn
        .query_row("SELECT rev FROM audit WHERE rev NOT IN (SELECT rev FROM changes) LIMIT 1", [], |r| r.get(0))
        .optional()?;
    if let Some(rev) = stray {
        return Ok((
            Some(crate::tr!(
                "audit entries name change {rev}, which is missing",
                "granskningsposter anger ändring {rev}, som saknas"
            )),
            seals,
        ));
    }
    Ok((None, seals))
}

/// The versions an entry ended and created.
type Versions = (Option<Record>, Option<Record>);

/// Checks one entry against its change and the versions it names (all but what the
/// checking thread does); returns those versions.
#[allow(clippy::too_many_arguments)]
fn check_entry(
    walk: &mut Walk<'_>,
    changes: &Changes,
    seq: i64,
    expected_seq: i64,
    rev: i64,
    entity: Entity,
    key: &str,
    action: Action,
    before_vid: Option<i64>,
    after_vid: Option<i64>,
) -> Result<std::result::Result<Versions, String>> {
    let what = &entry_name(seq, entity, key, action);
    if seq != expected_seq {
        return Ok(Err(crate::tr!(
            "audit entry {expected_seq} is missing: the trail goes from entry {} to entry {seq}",
            "granskningspost {expected_seq} saknas: spåret går från post {} till post {seq}",
            expected_seq - 1
        )));
    }
    if !changes.contains_key(&rev) {
        return Ok(Err(crate::tr!(
            "{what} belongs to change {rev}, which is missing from changes",
            "{what} hör till ändring {rev}, som saknas i changes"
        )));
    }
    if Action::of(before_vid.is_some(), after_vid.is_some()) != action {
        return Ok(Err(crate::tr!(
            "{what}: its action does not fit the versions it names",
            "{what}: dess åtgärd passar inte de versioner den anger"
        )));
    }
    let mut versions = (None, None);
    if let Some(vid) = before_vid {
        let record = match walk.version(what, entity, vid, rev, false)? {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        if !walk.ended.entry(entity).or_default().insert(vid) {
            return Ok(Err(crate::tr!(
                "{what} ends a version an earlier entry ended",
                "{what} avslutar en version som en tidigare post avslutade"
            )));
        }
        versions.0 = Some(record);
    }
    if let Some(vid) = after_vid {
        let record = match walk.version(what, entity, vid, rev, true)? {
            Ok(r) => r,
            Err(p) => return Ok(Err(p)),
        };
        if record.key() != key {
            let (table, pk) = table(entity);
            return Ok(Err(crate::tr!(
                "{what}: the {table} row it created ({pk} {vid}) is {} {}",
                "{what}: {table}-raden den skapade ({pk} {vid}) är {} {}",
                entity.label(crate::domain::lang::messages()),
                record.key()
            )));
        }
        let created = walk.created.entry(entity).or_default();
        if created.last().is_some_and(|last| *last >= vid) {
            return Ok(Err(crate::tr!(
                "{what} creates a version out of order",
                "{what} skapar en version i fel ordning"
            )));
        }
        created.push(vid);
        versions.1 = Some(record);
    }
    Ok(Ok(versions))
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
            let read = || -> super::db::Result<(i64, i64, Option<i64>)> { Ok((r.get(0)?, r.get(1)?, r.get(2)?)) };
            let Ok((vid, rev, end)) = read() else {
                return Ok(Some(crate::tr!(
                    "{table}: a row's {pk}, rev or end_rev is not a number: it was changed outside spets",
                    "{table}: en rads {pk}, rev eller end_rev är inte ett tal: den har ändrats utanför spets"
                )));
            };
            if expected.peek() == Some(&&vid) {
                expected.next();
            } else {
                return Ok(Some(crate::tr!(
                    "{table} row {pk} {vid} (change {rev}) has no audit entry: it was written outside spets, or its entry was deleted",
                    "{table}-raden {pk} {vid} (ändring {rev}) har ingen granskningspost: den har skrivits utanför spets, eller dess post har raderats"
                )));
            }
            if let Some(end) = end {
                ended_rows += 1;
                if !walk.ended.get(&entity).is_some_and(|s| s.contains(&vid)) {
                    return Ok(Some(crate::tr!(
                        "{table} row {pk} {vid} says change {end} ended it, but no audit entry did: it was changed outside spets",
                        "{table}-raden {pk} {vid} säger att ändring {end} avslutade den, men ingen granskningspost gjorde det: den har ändrats utanför spets"
                    )));
                }
            }
        }
        if ended_rows != ended {
            return Ok(Some(crate::tr!(
                "{table}: {ended} versions were ended by the history, {ended_rows} are marked ended",
                "{table}: {ended} versioner avslutades av historiken, {ended_rows} är markerade som avslutade"
            )));
        }
    }
    Ok(None)
}

/// A message in both languages, `{}` standing for a row's number.
type Message = (&'static str, &'static str);

/// A table of a version's rows, its messages for a row of no version and for rows out
/// of order, and its own checks (see [`version_rows_problem`]).
type Pass = (&'static str, Message, Message, &'static [(&'static str, Message)]);

/// The rows of a project version (`allocations`, `funding_lines`, `partners`), in one
/// pass in key order: each names a projects row that exists, a version's rows are
/// numbered 0, 1, …, and none meets one of `checks` (an SQL condition on the row `c`
/// and its version `p`, with its message). Returns the first problem.
fn version_rows_problem(
    conn: &Connection,
    table: &str,
    orphan: Message,
    numbering: Message,
    checks: &[(&str, Message)],
) -> Result<Option<String>> {
    // One column says which problem a row has, if any: 0 none, 1 no version, 2 + i the
    // check `i` (the first that holds), so a million rows bring three values each.
    let conditions: String = checks.iter().enumerate().map(|(i, (c, _))| format!(" WHEN {c} THEN {}", 2 + i)).collect();
    let sql = format!(
        "SELECT c.project_vid, c.position, CASE WHEN p.vid IS NULL THEN 1{conditions} ELSE 0 END
         FROM {table} c LEFT JOIN projects p ON p.vid = c.project_vid ORDER BY c.project_vid, c.position"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    let mut last: Option<(i64, i64)> = None;
    while let Some(r) = rows.next()? {
        let (vid, position, problem): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let mut found = match problem {
            0 => None,
            1 => Some(orphan),
            // The CASE gives only 0, 1 and 2 + the index of a check.
            i => checks.get((i - 2) as usize).map(|c| c.1),
        };
        let expected = match last {
            Some((v, p)) if v == vid => p + 1,
            _ => 0,
        };
        if found.is_none() && position != expected {
            found = Some(numbering);
        }
        if let Some((en, sv)) = found {
            return Ok(Some(crate::domain::lang::messages().pick(en, sv).replace("{}", &vid.to_string())));
        }
        last = Some((vid, position));
    }
    Ok(None)
}

/// Allocation rows whose copies of their project version's fields differ, rows of no
/// version or out of order, rows naming names that do not exist, names no row uses, and
/// organisations whose folded name is not their name's. When the walk saw all the
/// version rows and names as spets writes them (`seen`), only the organisations are
/// read again; otherwise every table is, to name the first problem.
fn inconsistent_copies(conn: &Connection, seen: &Rows, as_written: bool) -> Result<Option<String>> {
    if !seen.all_as_written(conn, as_written)?
        && let Some(problem) = version_rows_problems(conn)?
    {
        return Ok(Some(problem));
    }
    let mut orgs = conn.prepare("SELECT vid, name, name_key FROM orgs ORDER BY vid")?;
    let mut rows = orgs.query([])?;
    while let Some(r) = rows.next()? {
        let (vid, name, key): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if key != crate::domain::text::fold(&name) {
            return Ok(Some(crate::tr!(
                "orgs row vid {vid}: its name_key is not its name folded: it was changed outside spets",
                "orgs-raden vid {vid}: dess name_key är inte dess namn normaliserat: den har ändrats utanför spets"
            )));
        }
    }
    Ok(None)
}

/// The first problem of the rows of project versions and of names, read table by table.
fn version_rows_problems(conn: &Connection) -> Result<Option<String>> {
    let passes: [Pass; 3] = [
        (
            "allocations",
            (
                "allocations rows name projects row vid {}, which does not exist: they were added outside spets",
                "allocations-rader anger projects-raden vid {}, som inte finns: de har lagts till utanför spets",
            ),
            (
                "the allocations rows of projects row vid {} are not numbered 0, 1, …: they were changed outside spets",
                "allocations-raderna för projects-raden vid {} är inte numrerade 0, 1, …: de har ändrats utanför spets",
            ),
            &[(
                "c.status <> p.status OR c.kind <> p.kind OR c.year IS DISTINCT FROM p.decided / 10000 OR c.end_rev IS DISTINCT FROM p.end_rev",
                (
                    "the allocations of projects row vid {} do not match the project's status, kind, year of decision or end",
                    "allocations-raderna för projects-raden vid {} stämmer inte med projektets status, slag, beslutsår eller slut",
                ),
            )],
        ),
        (
            "funding_lines",
            (
                "funding_lines rows name projects row vid {}, which does not exist: they were added outside spets",
                "funding_lines-rader anger projects-raden vid {}, som inte finns: de har lagts till utanför spets",
            ),
            (
                "the funding_lines rows of projects row vid {} are not numbered 0, 1, …: they were changed outside spets",
                "funding_lines-raderna för projects-raden vid {} är inte numrerade 0, 1, …: de har ändrats utanför spets",
            ),
            &[
                (
                    "NOT EXISTS (SELECT 1 FROM names n WHERE n.id = c.funder_id)",
                    (
                        "a funding line of projects row vid {} names a funder that is not recorded",
                        "en finansieringsrad för projects-raden vid {} anger en finansiär som inte är registrerad",
                    ),
                ),
                (
                    "c.currency IS NULL AND c.rate_date IS NOT NULL",
                    (
                        "a funding_lines row of projects row vid {} has a rate date but no currency: it was changed outside spets",
                        "en funding_lines-rad för projects-raden vid {} har ett kursdatum men ingen valuta: den har ändrats utanför spets",
                    ),
                ),
            ],
        ),
        (
            "partners",
            (
                "partners rows name projects row vid {}, which does not exist: they were added outside spets",
                "partners-rader anger projects-raden vid {}, som inte finns: de har lagts till utanför spets",
            ),
            (
                "the partners rows of projects row vid {} are not numbered 0, 1, …: they were changed outside spets",
                "partners-raderna för projects-raden vid {} är inte numrerade 0, 1, …: de har ändrats utanför spets",
            ),
            &[],
        ),
    ];
    for (table, orphan, numbering, checks) in passes {
        if let Some(problem) = version_rows_problem(conn, table, orphan, numbering, checks)? {
            return Ok(Some(problem));
        }
    }
    let checks = [
        (
            "SELECT vid FROM projects WHERE (programme_id IS NOT NULL AND programme_id NOT IN (SELECT id FROM names))
             OR (fund_id IS NOT NULL AND fund_id NOT IN (SELECT id FROM names))
             OR (source_name_id IS NOT NULL AND source_name_id NOT IN (SELECT id FROM names))
             OR (source_file_id IS NOT NULL AND source_file_id NOT IN (SELECT id FROM names)) LIMIT 1",
            (
                "projects row vid {} names a programme, fund, source or file that is not recorded",
                "projects-raden vid {} anger ett program, en fond, en källa eller en fil som inte är registrerad",
            ),
        ),
        (
            "SELECT vid FROM projects WHERE vid NOT IN (SELECT project_vid FROM allocations) LIMIT 1",
            (
                "projects row vid {} has no allocations rows: they were removed outside spets",
                "projects-raden vid {} har inga allocations-rader: de har tagits bort utanför spets",
            ),
        ),
        (
            "SELECT id FROM names WHERE id NOT IN (SELECT programme_id FROM projects WHERE programme_id IS NOT NULL)
             AND id NOT IN (SELECT fund_id FROM projects WHERE fund_id IS NOT NULL)
             AND id NOT IN (SELECT source_name_id FROM projects WHERE source_name_id IS NOT NULL)
             AND id NOT IN (SELECT source_file_id FROM projects WHERE source_file_id IS NOT NULL)
             AND id NOT IN (SELECT funder_id FROM funding_lines) LIMIT 1",
            (
                "names row id {} is used by no recorded version: it was added outside spets",
                "names-raden id {} används inte av någon registrerad version: den har lagts till utanför spets",
            ),
        ),
    ];
    let lang = crate::domain::lang::messages();
    for (sql, (en, sv)) in checks {
        let found: Option<i64> = conn.query_row(sql, [], |r| r.get(0)).optional()?;
        if let Some(vid) = found {
            return Ok(Some(lang.pick(en, sv).replace("{}", &vid.to_string())));
        }
    }
    Ok(None)
}
