//! The audit trail: entries appended in the same transaction as the change they record,
//! chained by SHA-256, and the reading (`audit log`) and checking (`audit verify`) of it.
//!
//! An entry commits to the digest of the version it ended and of the version it
//! created. A digest is SHA-256 over the version's canonical JSON (each entity module
//! defines its canonical form); an entry's hash is SHA-256 over the previous entry's
//! hash followed by the entry's canonical JSON. The first entry chains to 32 zero bytes.

use super::db::{Connection, OptionalExtension};
use sha2::{Digest as _, Sha256};

pub use crate::domain::history::{Action, Digest, Entity};
use crate::error::Result;

/// An entry as a writer gives it: the versions ended and created, with their digests.
pub struct Entry<'a> {
    pub entity: Entity,
    pub key: &'a str,
    pub action: Action,
    pub before: Option<(i64, Digest)>,
    pub after: Option<(i64, Digest)>,
}

/// The content an entry's hash covers.
pub struct EntryContent<'a> {
    pub seq: i64,
    pub rev: i64,
    pub at: &'a str,
    pub user: &'a str,
    pub command: &'a str,
    pub entity: &'a str,
    pub key: &'a str,
    pub action: &'a str,
    pub before: Option<Digest>,
    pub after: Option<Digest>,
}

/// Canonical content, the bytes a digest is taken over: the fields one after another,
/// a text as its length (4 bytes, little-endian) and its UTF-8 bytes, a number as 8
/// bytes little-endian, a missing value as the byte 0 and a present one as 1 and the
/// value, a list as its length and its items. The first field names the kind of
/// record, so two kinds never share an encoding.
pub struct Canon(Vec<u8>);

impl Canon {
    pub fn new(kind: &str) -> Canon {
        let mut c = Canon(Vec::with_capacity(256));
        c.text(kind);
        c
    }

    pub fn text(&mut self, s: &str) -> &mut Canon {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    pub fn int(&mut self, v: i64) -> &mut Canon {
        self.0.extend_from_slice(&v.to_le_bytes());
        self
    }

    pub fn len(&mut self, n: usize) -> &mut Canon {
        self.0.extend_from_slice(&(n as u32).to_le_bytes());
        self
    }

    pub fn opt_text(&mut self, s: Option<&str>) -> &mut Canon {
        match s {
            Some(s) => {
                self.0.push(1);
                self.text(s)
            }
            None => {
                self.0.push(0);
                self
            }
        }
    }

    pub fn opt_int(&mut self, v: Option<i64>) -> &mut Canon {
        match v {
            Some(v) => {
                self.0.push(1);
                self.int(v)
            }
            None => {
                self.0.push(0);
                self
            }
        }
    }

    pub fn opt_digest(&mut self, d: Option<&Digest>) -> &mut Canon {
        match d {
            Some(d) => {
                self.0.push(1);
                self.0.extend_from_slice(d);
            }
            None => self.0.push(0),
        }
        self
    }

    pub fn digest(&self) -> Digest {
        Sha256::digest(&self.0).into()
    }
}

/// The hash of an entry chained to the previous hash.
pub fn chain(previous: &Digest, e: &EntryContent<'_>) -> Digest {
    let mut c = Canon::new("entry");
    c.0.extend_from_slice(previous);
    c.int(e.seq).int(e.rev).text(e.at).text(e.user).text(e.command).text(e.entity).text(e.key).text(e.action);
    c.opt_digest(e.before.as_ref()).opt_digest(e.after.as_ref());
    c.digest()
}

/// The last entry's sequence number and hash (0 and zeros for an empty trail).
pub fn head(conn: &Connection) -> Result<(i64, Digest)> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match row {
        Some((seq, hash)) => (seq, hash.try_into().unwrap_or([0; 32])),
        None => (0, [0; 32]),
    })
}

/// What a change's seal covers besides the previous seal.
pub struct ChangeContent<'a> {
    pub rev: i64,
    pub at: &'a str,
    pub user: &'a str,
    pub command: &'a str,
    /// How many entries the change made.
    pub entries: i64,
    /// The hash of the change's last entry.
    pub last_entry: Digest,
    /// The digest of the reference tables after the change.
    pub reference: Digest,
    /// The digest of the change's tallies (schema 8 on; a change from before has none).
    pub tally: Option<Digest>,
}

/// A change's seal, chained to the previous change's (32 zero bytes for the first).
/// Seals make a change's entries complete (a tail removed no longer matches the count
/// and last hash the seal commits to) and commit to the reference tables.
pub fn seal(previous: &Digest, c: &ChangeContent<'_>) -> Digest {
    let mut canon = Canon::new("change");
    canon.0.extend_from_slice(previous);
    canon.0.extend_from_slice(&c.last_entry);
    canon.int(c.rev).text(c.at).text(c.user).text(c.command).int(c.entries);
    canon.0.extend_from_slice(&c.reference);
    if let Some(tally) = &c.tally {
        canon.0.extend_from_slice(tally);
    }
    canon.digest()
}

/// The digest of the reference tables: every `meta` row by key and every municipality
/// by its bit.
pub fn reference_digest(conn: &Connection) -> Result<Digest> {
    let mut c = Canon::new("reference");
    let mut meta = conn.prepare_cached("SELECT key, value FROM meta ORDER BY key")?;
    let rows = meta.query_map([], |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)))?;
    for row in rows {
        let (key, value) = row?;
        c.text(&key).text(&value);
    }
    c.text("municipalities");
    let mut munis = conn.prepare_cached("SELECT bit, name FROM municipalities ORDER BY bit")?;
    let rows = munis.query_map([], |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)))?;
    for row in rows {
        let (bit, name) = row?;
        c.int(bit).text(&name);
    }
    Ok(c.digest())
}

/// A stored 32-byte hash; anything else (a hand edit) reads as zeros, which matches no
/// hash spets computes.
pub fn digest_from(bytes: Option<Vec<u8>>) -> Digest {
    bytes.and_then(|b| b.try_into().ok()).unwrap_or([0; 32])
}

/// The last change's seal: the database's head (zeros before the first change).
pub fn last_seal(conn: &Connection) -> Result<Digest> {
    let seal: Option<Option<Vec<u8>>> =
        conn.query_row("SELECT seal FROM changes ORDER BY rev DESC LIMIT 1", [], |r| r.get(0)).optional()?;
    Ok(digest_from(seal.flatten()))
}

/// Fills in the seals of changes recorded before schema version 2, from the entries
/// they have (migration 2).
pub fn seal_existing(conn: &Connection) -> Result<()> {
    let reference = reference_digest(conn)?;
    let changes: Vec<(i64, String, String, String)> = {
        let mut stmt = conn.prepare("SELECT rev, at, \"user\", command FROM changes ORDER BY rev")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<super::db::Result<_>>()?
    };
    let mut last_entries = conn.prepare(
        "SELECT count(*), (SELECT hash FROM audit WHERE rev = ?1 ORDER BY seq DESC LIMIT 1) FROM audit WHERE rev = ?1",
    )?;
    let mut update = conn.prepare("UPDATE changes SET entries = ?2, reference = ?3, seal = ?4 WHERE rev = ?1")?;
    let mut previous = [0; 32];
    for (rev, at, user, command) in changes {
        let (entries, last): (i64, Option<Vec<u8>>) = last_entries.query_row([rev], |r| Ok((r.get(0)?, r.get(1)?)))?;
        if entries == 0 {
            // A change without entries was not written by spets; verify names it.
            continue;
        }
        let content = ChangeContent {
            rev,
            at: &at,
            user: &user,
            command: &command,
            entries,
            last_entry: digest_from(last),
            reference,
            tally: None,
        };
        previous = seal(&previous, &content);
        update.execute(super::db::params![rev, entries, &reference[..], &previous[..]])?;
    }
    Ok(())
}
