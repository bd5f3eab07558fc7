//! What commands read: the database at one snapshot, behind methods. A command asks
//! `store.at(snapshot).areas()` or, inside a change, `change.now().project(r)`; it never
//! holds the engine's connection, so the engine can change under it.

use std::collections::HashMap;

use super::db::Connection;

use super::{Snapshot, checks, indicators, orgs, payments, programmes, projects, reports, settings};
use crate::domain::area::Area;
use crate::domain::checks::Facts;
use crate::domain::figures::{
    ActorRow, AreaSums, AreaYear, ForeignSum, FunderRow, MunicipalityRow, StatusSums, Sums, YearRow, YearSpread,
};
use crate::domain::filter::{Filter, YearOf};
use crate::domain::indicator::Definition;
use crate::domain::org::Org;
use crate::domain::project::{DefaultFunders, Indicator, Payment, Programme, Project, StoredProject};
use crate::domain::strategy::{Strategy, Successor};
use crate::error::{Error, Result};

/// The database as one snapshot shows it.
#[derive(Clone, Copy)]
pub struct View<'c> {
    conn: &'c Connection,
    snapshot: Snapshot,
}

impl<'c> View<'c> {
    pub(super) fn new(conn: &'c Connection, snapshot: Snapshot) -> View<'c> {
        View { conn, snapshot }
    }

    pub fn snapshot(&self) -> Snapshot {
        self.snapshot
    }

    // Reference data.

    pub fn areas(&self) -> Result<Vec<Area>> {
        super::areas::list(self.conn, self.snapshot)
    }

    /// The strategies, oldest first.
    pub fn strategies(&self) -> Result<Vec<Strategy>> {
        super::strategies::list(self.conn, self.snapshot)
    }

    /// The crosswalk between the strategies' areas.
    pub fn successors(&self) -> Result<Vec<Successor>> {
        super::strategies::successors(self.conn, self.snapshot)
    }

    /// Every indicator code known: the built-in catalogue and the region's own.
    pub fn indicator_catalogue(&self) -> Result<Vec<Definition>> {
        indicators::catalogue(self.conn, self.snapshot)
    }

    pub fn orgs(&self) -> Result<Vec<Org>> {
        orgs::list(self.conn, self.snapshot)
    }

    pub fn orgs_by_id(&self) -> Result<HashMap<i64, Org>> {
        orgs::by_id(self.conn, self.snapshot)
    }

    pub fn org(&self, name: &str) -> Result<Option<Org>> {
        orgs::find(self.conn, name, self.snapshot)
    }

    /// The organisation `name`, or an error for `flag` that suggests the nearest name.
    pub fn require_org(&self, flag: &str, name: &str) -> Result<Org> {
        orgs::require(self.conn, flag, name, self.snapshot)
    }

    /// The region's municipalities, by bit.
    pub fn municipalities(&self) -> Result<Vec<String>> {
        super::municipalities(self.conn)
    }

    /// The name of organisation `id`, in whichever version has it.
    pub fn org_name(&self, id: i64) -> Result<Option<String>> {
        orgs::name_of(self.conn, id)
    }

    pub fn programmes(&self) -> Result<Vec<Programme>> {
        programmes::list(self.conn, self.snapshot)
    }

    /// Recorded programme names that differ from `name` only by dash, case or spacing.
    pub fn programme_spellings_like(&self, name: &str) -> Result<Vec<String>> {
        programmes::spellings_like(self.conn, name)
    }

    pub fn default_funders(&self) -> Result<DefaultFunders> {
        settings::default_funders(self.conn, self.snapshot)
    }

    // Projects.

    pub fn project(&self, reference: &str) -> Result<Option<StoredProject>> {
        projects::load(self.conn, reference, self.snapshot)
    }

    /// The project, or the error for a reference no project has (with "did you mean").
    pub fn require_project(&self, reference: &str) -> Result<StoredProject> {
        self.project(reference)?.ok_or_else(|| self.no_project(reference))
    }

    pub fn project_exists(&self, reference: &str) -> Result<bool> {
        projects::exists(self.conn, reference, self.snapshot)
    }

    /// The error for a reference no project has, suggesting the nearest one.
    pub fn no_project(&self, reference: &str) -> Error {
        projects::missing(self.conn, reference, self.snapshot)
    }

    /// Every project the filter selects, one at a time, in reference order.
    pub fn each_project(&self, filter: &Filter, each: impl FnMut(&StoredProject) -> Result<()>) -> Result<()> {
        projects::each(self.conn, filter, self.snapshot, each)
    }

    /// The current top-ups of project `reference`.
    pub fn children(&self, reference: &str) -> Result<Vec<String>> {
        projects::children(self.conn, reference)
    }

    /// Why top-up `p` cannot be recorded (its parent is missing or a top-up), if so.
    pub fn top_up_problem(&self, p: &Project) -> Result<Option<String>> {
        projects::top_up_problem(self.conn, p)
    }

    /// The overrun rule: `Some((paid, granted))` when `extra` more paid would exceed
    /// what `p` grants without an allowed overrun.
    pub fn overrun(&self, p: &Project, extra: i64) -> Result<Option<(i64, i64)>> {
        projects::overrun(self.conn, p, extra)
    }

    /// The overrun rule for a new financing plan; `allow` records the overrun on `p`.
    pub fn plan_overrun(&self, p: &mut Project, allow: bool) -> Result<Option<(i64, i64)>> {
        projects::plan_overrun(self.conn, p, allow)
    }

    /// Whether any project was ever recorded.
    pub fn any_project(&self) -> Result<bool> {
        projects::any(self.conn)
    }

    /// Whether any current project was read from `source`.
    pub fn any_project_of_source(&self, source: &str) -> Result<bool> {
        projects::any_of_source(self.conn, source)
    }

    // Payments and indicators.

    pub fn payments(&self, reference: Option<&str>) -> Result<Vec<Payment>> {
        payments::list(self.conn, reference, self.snapshot)
    }

    /// Every current payment, one at a time.
    pub fn each_payment(&self, each: impl FnMut(&Payment) -> Result<()>) -> Result<()> {
        payments::each(self.conn, each)
    }

    pub fn paid(&self, reference: &str) -> Result<i64> {
        payments::paid(self.conn, reference, self.snapshot)
    }

    pub fn indicators(&self, reference: Option<&str>) -> Result<Vec<Indicator>> {
        indicators::list(self.conn, reference, self.snapshot)
    }

    pub fn indicator(&self, reference: &str, code: &str) -> Result<Option<Indicator>> {
        indicators::get(self.conn, reference, code)
    }

    // Report figures.

    pub fn facts(&self) -> Result<Facts> {
        checks::facts(self.conn, self.snapshot)
    }

    /// Totals with the years of the first and last decisions.
    pub fn totals(&self, filter: &Filter) -> Result<(Sums, Option<i64>, Option<i64>)> {
        reports::totals(self.conn, filter, self.snapshot)
    }

    pub fn paid_on(&self, filter: &Filter) -> Result<i64> {
        reports::paid(self.conn, filter, self.snapshot)
    }

    pub fn by_status(&self, filter: &Filter) -> Result<Vec<StatusSums>> {
        reports::by_status(self.conn, filter, self.snapshot)
    }

    pub fn by_area(&self, filter: &Filter) -> Result<Vec<AreaSums>> {
        reports::by_area(self.conn, filter, self.snapshot)
    }

    pub fn paid_by_area_and_year(&self, filter: &Filter) -> Result<Vec<AreaYear>> {
        reports::paid_by_area_and_year(self.conn, filter, self.snapshot)
    }

    pub fn by_date_year(&self, filter: &Filter, of: YearOf) -> Result<Vec<YearRow>> {
        reports::by_date_year(self.conn, filter, self.snapshot, of)
    }

    pub fn paid_by_date_year(&self, filter: &Filter, of: YearOf) -> Result<Vec<(Option<i64>, i64)>> {
        reports::paid_by_date_year(self.conn, filter, self.snapshot, of)
    }

    pub fn area_by_date_year(&self, filter: &Filter, of: YearOf) -> Result<Vec<AreaYear>> {
        reports::area_by_date_year(self.conn, filter, self.snapshot, of)
    }

    pub fn paid_by_year(&self, filter: &Filter) -> Result<Vec<(i64, i64, i64)>> {
        reports::paid_by_year(self.conn, filter, self.snapshot)
    }

    pub fn prorata(&self, filter: &Filter) -> Result<(Vec<YearSpread>, Sums)> {
        reports::prorata(self.conn, filter, self.snapshot)
    }

    pub fn prorata_by_area(&self, filter: &Filter) -> Result<Vec<AreaYear>> {
        reports::prorata_by_area(self.conn, filter, self.snapshot)
    }

    pub fn by_municipality(&self, filter: &Filter) -> Result<(Vec<MunicipalityRow>, Sums)> {
        reports::by_municipality(self.conn, filter, self.snapshot)
    }

    pub fn by_funder(&self, filter: &Filter) -> Result<(Vec<FunderRow>, Vec<ForeignSum>)> {
        reports::by_funder(self.conn, filter, self.snapshot)
    }

    pub fn by_owner(&self, filter: &Filter) -> Result<Vec<(i64, Sums)>> {
        reports::by_owner(self.conn, filter, self.snapshot)
    }

    pub fn by_actor(&self, filter: &Filter, by_helix: bool) -> Result<Vec<ActorRow>> {
        reports::by_actor(self.conn, filter, self.snapshot, by_helix)
    }

    pub fn by_helix_mask(&self, filter: &Filter) -> Result<Vec<(i64, Sums)>> {
        reports::by_helix_mask(self.conn, filter, self.snapshot)
    }
}
