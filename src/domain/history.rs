//! The change history as data: what kind of record an entry is about, what was done to
//! it, a recorded change, one entry of the trail and the record versions it names.
//! How they are hashed and stored is the store's business.

use serde::Serialize;

use super::area::Area;
use super::indicator::Definition;
use super::lang::Lang;
use super::org::Org;
use super::project::{Indicator, Payment, Programme, Setting, StoredProject};
use super::strategy::{Strategy, Successor};

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
    Setting,
    Strategy,
    Crosswalk,
    #[serde(rename = "indicator-code")]
    IndicatorCode,
}

impl Entity {
    pub const ALL: [Entity; 10] = [
        Entity::Area,
        Entity::Org,
        Entity::Project,
        Entity::Payment,
        Entity::Indicator,
        Entity::Programme,
        Entity::Setting,
        Entity::Strategy,
        Entity::Crosswalk,
        Entity::IndicatorCode,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Area => "area",
            Entity::Org => "org",
            Entity::Project => "project",
            Entity::Payment => "payment",
            Entity::Indicator => "indicator",
            Entity::Programme => "programme",
            Entity::Setting => "setting",
            Entity::Strategy => "strategy",
            Entity::Crosswalk => "crosswalk",
            Entity::IndicatorCode => "indicator-code",
        }
    }

    /// What the entity is called in `lang` (the stored and hashed word is [`Self::as_str`]).
    pub fn label(self, lang: Lang) -> &'static str {
        let sv = match self {
            Entity::Area => "område",
            Entity::Org => "organisation",
            Entity::Project => "projekt",
            Entity::Payment => "utbetalning",
            Entity::Indicator => "indikator",
            Entity::Programme => "program",
            Entity::Setting => "inställning",
            Entity::Strategy => "strategi",
            Entity::Crosswalk => "korsreferens",
            Entity::IndicatorCode => "indikatorkod",
        };
        lang.pick(self.as_str(), sv)
    }

    pub fn parse(s: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The code the database stores.
    pub fn code(self) -> i64 {
        Entity::ALL.iter().position(|e| *e == self).unwrap_or(0) as i64
    }

    pub fn from_code(code: i64) -> Option<Entity> {
        usize::try_from(code).ok().and_then(|i| Entity::ALL.get(i).copied())
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
    pub const ALL: [Action; 3] = [Action::Add, Action::Edit, Action::Remove];

    /// The code the database stores.
    pub fn code(self) -> i64 {
        Action::ALL.iter().position(|a| *a == self).unwrap_or(0) as i64
    }

    pub fn from_code(code: i64) -> Option<Action> {
        usize::try_from(code).ok().and_then(|i| Action::ALL.get(i).copied())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "add",
            Action::Edit => "edit",
            Action::Remove => "remove",
        }
    }

    /// What the action is called in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let sv = match self {
            Action::Add => "tillägg",
            Action::Edit => "ändring",
            Action::Remove => "borttagning",
        };
        lang.pick(self.as_str(), sv)
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

/// One recorded change: the revision, when, who and which command.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChangeInfo {
    pub rev: i64,
    pub at: String,
    pub user: String,
    pub command: String,
    /// The change's seal in hexadecimal: the head of the history at this change (none
    /// for a change that was never sealed, which `audit verify` reports).
    pub head: Option<String>,
}

impl ChangeInfo {
    /// The head as reports name it: its first 12 hexadecimal digits.
    pub fn short_head(&self) -> &str {
        self.head.as_deref().map_or("", |h| &h[..h.len().min(12)])
    }
}

/// One audit entry with its change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub seq: i64,
    pub rev: i64,
    pub at: String,
    pub user: String,
    pub command: String,
    pub entity: Entity,
    pub key: String,
    pub action: Action,
    pub before_vid: Option<i64>,
    pub after_vid: Option<i64>,
    pub hash: Digest,
}

/// A version of a record, whatever its kind.
#[derive(Clone, Debug)]
pub enum Record {
    Area(Area),
    Org(Org),
    Project(Box<StoredProject>),
    Payment(Payment),
    Indicator(Indicator),
    Programme(Programme),
    Setting(Setting),
    Strategy(Strategy),
    Crosswalk(Successor),
    IndicatorCode(Definition),
}
