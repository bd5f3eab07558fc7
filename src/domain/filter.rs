//! Which projects a report or list covers: the filters of DESIGN §4 as plain data.
//! Repeating a filter widens it (any of the values); different filters narrow each
//! other (all must hold).

use chrono::NaiveDate;

use super::project::{ProjectKind, Status};

/// Which date `from`/`to` apply to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateField {
    /// The decision date (the default).
    #[default]
    Decided,
    /// The start date (`years --basis start`).
    Start,
    /// The project's period overlaps the range (`years --basis prorata`).
    Period,
    /// Payment dates (`years --basis paid`); projects are not narrowed by date.
    Payment,
}

/// Which of a project's dates places it in a calendar year (`years --basis decided|start`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YearOf {
    Decided,
    Start,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub areas: Vec<i64>,
    /// Folded fund names.
    pub funds: Vec<String>,
    /// Folded funder names.
    pub funders: Vec<String>,
    pub statuses: Vec<Status>,
    pub kinds: Vec<ProjectKind>,
    /// Folded programme names.
    pub programmes: Vec<String>,
    /// Municipality mask: projects in any of them.
    pub municipalities: u64,
    /// Organisation ids: projects they own or take part in.
    pub orgs: Vec<i64>,
    /// Folded source names (the import rules a project was read with).
    pub sources: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub date_field: DateField,
}

impl Default for Filter {
    /// Every turned-over project: granted, ongoing or closed.
    fn default() -> Self {
        Filter {
            areas: Vec::new(),
            funds: Vec::new(),
            funders: Vec::new(),
            statuses: Status::TURNED_OVER.to_vec(),
            kinds: Vec::new(),
            programmes: Vec::new(),
            municipalities: 0,
            orgs: Vec::new(),
            sources: Vec::new(),
            from: None,
            to: None,
            date_field: DateField::Decided,
        }
    }
}

impl Filter {
    /// The same selection without the status condition (for counts per status).
    pub fn any_status(&self) -> Filter {
        Filter { statuses: Status::ALL.to_vec(), ..self.clone() }
    }

    /// Whether its dates, if any, take in whole calendar years: from a 1 January, to a
    /// 31 December (what the allocations and the tallies carry is the year).
    pub fn whole_years(&self) -> bool {
        use chrono::Datelike;
        self.from.is_none_or(|d| d.ordinal() == 1) && self.to.is_none_or(|d| (d.month(), d.day()) == (12, 31))
    }

    /// Whether it asks only about what a project's allocations and tallies carry:
    /// status, kind, areas and the year of decision (any date when none is given; the
    /// dates must still take in [whole years](Filter::whole_years) for them to answer).
    pub fn only_status_kind_areas_decided(&self) -> bool {
        self.funds.is_empty()
            && self.funders.is_empty()
            && self.programmes.is_empty()
            && self.sources.is_empty()
            && self.municipalities == 0
            && self.orgs.is_empty()
            && (self.date_field == DateField::Decided || (self.from.is_none() && self.to.is_none()))
    }
}
