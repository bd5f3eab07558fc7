//! The facts `spets check` judges, as the store finds them.

use super::project::Status;

/// A project in a programme with caps, with what the caps are compared to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Capped {
    pub reference: String,
    pub programme: String,
    pub total: i64,
    pub eu: i64,
    pub region: i64,
    pub eu_cap: Option<u32>,
    pub region_cap: Option<u32>,
}

/// Everything the rules need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Projects whose area shares do not sum to 100 %: `(ref, sum in basis points)`.
    pub shares: Vec<(String, i64)>,
    pub capped: Vec<Capped>,
    /// Projects paid more than granted: `(ref, paid, granted)`.
    pub overpaid: Vec<(String, i64, i64)>,
    /// Projects ending before they start: `(ref, start, end)`.
    pub dates: Vec<(String, chrono::NaiveDate, chrono::NaiveDate)>,
    /// Top-ups whose parent is not a current project: `(ref, parent)`.
    pub orphans: Vec<(String, String)>,
    pub no_area: Vec<String>,
    pub no_funding: Vec<String>,
    /// Organisations and their recorded numbers: `(name, org_no)`.
    pub org_numbers: Vec<(String, String)>,
    /// References not in their normal form (recorded before references were
    /// normalised): spaces around them, or not Unicode NFC.
    pub unnormal_refs: Vec<String>,
    /// Current organisations whose kind is not recorded, by name.
    pub kind_not_recorded: Vec<String>,
    /// Payments to projects whose status is not counted: `(ref, status, paid)`.
    pub paid_uncounted: Vec<(String, Status, i64)>,
    /// Organisations sharing an organisationsnummer: `(org_no, names joined by " | ")`.
    pub shared_org_numbers: Vec<(String, String)>,
    /// Projects whose status moved backwards: `(ref, from, to, change)`.
    pub status_backwards: Vec<(String, Status, Status, i64)>,
    /// Programme names (of caps and of projects) by their folded form: `(names " | ")`.
    pub programme_spellings: Vec<String>,
    /// Payments naming a funder no funding line of their project has: `(ref, id, funder)`.
    pub payment_funders: Vec<(String, i64, String)>,
    /// Counted projects without a decision date.
    pub counted_undecided: Vec<String>,
    /// Indicators whose code the catalogue does not know: `(ref, code)`.
    pub unknown_codes: Vec<(String, String)>,
    /// Indicators recorded in another unit than their code's: `(ref, code, unit, the code's unit)`.
    pub indicator_units: Vec<(String, String, String, String)>,
    /// Closed projects with targets but no outcomes: `(ref, the codes, ", "-joined)`.
    pub no_outcome: Vec<(String, String)>,
}
