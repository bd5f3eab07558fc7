//! The audit trail: entries appended in the same transaction as the change they record,
//! chained by SHA-256, and the reading (`audit log`) and checking (`audit verify`) of it.
//!
//! An entry commits to the digest of the version it ended and of the version it
//! created. A digest is SHA-256 over the version's canonical JSON (each entity module
//! defines its canonical form); an entry's hash is SHA-256 over the previous entry's
//! hash followed by the entry's canonical JSON. The first entry chains to 32 zero bytes.

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::error::Result;

pub type Digest = [u8; 32];

/// What kind of thing an entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entity {
    Area,
    Org,
    Project,
    Payment,
    Indicator,
    Programme,
}

impl Entity {
    pub const ALL: [Entity; 6] =
        [Entity::Area, Entity::Org, Entity::Project, Entity::Payment, Entity::Indicator, Entity::Programme];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Area => "area",
            Entity::Org => "org",
            Entity::Project => "project",
            Entity::Payment => "payment",
            Entity::Indicator => "indicator",
            Entity::Programme => "programme",
        }
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Add,
    Edit,
    Remove,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Edit => "edit",
            Action::Remove => "remove",
        }
    }

    /// The action that takes `before` to `after`.
    pub fn of(before: bool, after: bool) -> Action {
        match (before, after) {
            (false, _) => Action::Add,
            (true, true) => Action::Edit,
            (true, false) => Action::Remove,
        }
    }
}

/// An entry as a writer gives it: the versions ended and created, with their digests.
pub struct Entry<'a> {
    pub entity: Entity,
    pub key: &'a str,
    pub action: Action,
    pub before: Option<(i64, Digest)>,
    pub after: Option<(i64, Digest)>,
}

/// The content an entry's hash covers, in its canonical JSON form.
#[derive(Serialize)]
pub struct EntryContent<'a> {
    pub seq: i64,
    pub rev: i64,
    pub at: &'a str,
    pub user: &'a str,
    pub command: &'a str,
    pub entity: &'a str,
    pub key: &'a str,
    pub action: &'a str,
    #[serde(serialize_with = "hex_opt")]
    pub before: Option<Digest>,
    #[serde(serialize_with = "hex_opt")]
    pub after: Option<Digest>,
}

fn hex_opt<S: serde::Serializer>(d: &Option<Digest>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&hex::encode(d)),
        None => s.serialize_none(),
    }
}

/// SHA-256 of a value's canonical JSON.
pub fn digest<T: Serialize>(value: &T) -> Digest {
    // Serialising plain structs of strings and numbers into a Vec cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    Sha256::digest(&bytes).into()
}

/// The hash of an entry chained to the previous hash.
pub fn chain(previous: &Digest, content: &EntryContent<'_>) -> Digest {
    let mut hasher = Sha256::new();
    hasher.update(previous);
    hasher.update(serde_json::to_vec(content).unwrap_or_default());
    hasher.finalize().into()
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
