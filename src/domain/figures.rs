//! The figures reports are made of, as the store sums them: plain integers of öre and
//! counts, keyed by codes and years.

use super::org::{Helix, OrgKind};
use super::project::{FunderKind, Status};

/// An amount of one area in one year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AreaYear {
    pub area: i64,
    /// `None` for amounts without a date to place them by.
    pub year: Option<i64>,
    pub amount: i64,
}

/// A year's total and EU amount, spread pro rata.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearSpread {
    pub year: i64,
    pub total: i64,
    pub eu: i64,
}

/// A municipality's even split of its projects' amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MunicipalityRow {
    pub bit: i64,
    pub projects: i64,
    pub total: i64,
    pub eu: i64,
}

/// A funder's lines: `(funder kind, funder)`, projects, SEK amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunderRow {
    pub kind: FunderKind,
    pub funder: String,
    pub projects: i64,
    pub amount: i64,
}

/// A funder's lines in one foreign currency, summed in that currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignSum {
    pub kind: FunderKind,
    pub funder: String,
    pub currency: String,
    pub original: i64,
}

/// Who an [`ActorRow`] is about: an organisation kind, or a helix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Kind(OrgKind),
    Helix(Helix),
}

/// Involvement of an organisation kind (or helix): projects with one as owner or
/// partner, as owner, as partner, and those projects' total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorRow {
    pub key: Actor,
    pub projects: i64,
    pub as_owner: i64,
    pub as_partner: i64,
    pub total: i64,
}

/// Sums over a set of projects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sums {
    /// Projects, not counting top-ups.
    pub projects: i64,
    pub total: i64,
    pub eu: i64,
    pub public: i64,
    pub private: i64,
    pub other: i64,
}

impl Sums {
    /// The sums of both sets of projects; `None` beyond 64 bits, as SQL's sum().
    pub fn checked_add(&self, o: &Sums) -> Option<Sums> {
        Some(Sums {
            projects: self.projects.checked_add(o.projects)?,
            total: self.total.checked_add(o.total)?,
            eu: self.eu.checked_add(o.eu)?,
            public: self.public.checked_add(o.public)?,
            private: self.private.checked_add(o.private)?,
            other: self.other.checked_add(o.other)?,
        })
    }
}

/// The earlier and the later of two first and last years, either of which may be
/// missing: `(first, last)`.
pub fn span(a: (Option<i64>, Option<i64>), b: (Option<i64>, Option<i64>)) -> (Option<i64>, Option<i64>) {
    let first = match (a.0, b.0) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    (first, a.1.max(b.1))
}

/// One status's sums, with the years of its first and last decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusSums {
    pub status: Status,
    pub sums: Sums,
    pub first_year: Option<i64>,
    pub last_year: Option<i64>,
}

/// One area's row of the breakdown, and what the totals and headline need besides.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AreaSums {
    pub area: i64,
    /// Projects touching the area (not counting top-ups), and the split amounts.
    pub sums: Sums,
    /// Projects whose first area this is: summed over the areas, each project once.
    pub first_of: i64,
    /// The years of the first and last decisions among them.
    pub first_year: Option<i64>,
    pub last_year: Option<i64>,
}

/// A year's figures: `(year or None for undated, projects, total, EU)`.
pub type YearRow = (Option<i64>, i64, i64, i64);
