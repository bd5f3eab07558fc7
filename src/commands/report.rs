//! `spets report summary|areas|years|funders|orgs|actors|municipalities|status`: each
//! asks the store for its sums, builds the report value, and renders it.

use super::{Context, build_filter, unit};
use crate::cli::{ActorsBy, Basis as CliBasis, ReportArgs, ReportCommand, YearsBy};
use crate::domain::filter::{DateField, Filter};
use crate::error::Result;
use crate::report::{self, Frame, Report, actors, years::Basis};
use crate::store::reports as q;
use crate::store::{self, Access, Snapshot, Store};

/// The store, snapshot, filter and frame a report is computed in.
struct Scope {
    store: Store,
    snapshot: Snapshot,
    filter: Filter,
    frame: Frame,
}

fn scope(ctx: &Context, args: &ReportArgs, date_field: DateField, extra: Vec<(String, String)>) -> Result<Scope> {
    let store = ctx.open(Access::Read)?;
    let snapshot = ctx.snapshot(&store, &args.filters.as_of)?;
    let (filter, mut shown) = build_filter(&store, snapshot, &args.filters, date_field)?;
    shown.extend(extra);
    let frame = ctx.frame(&store, snapshot, shown)?;
    Ok(Scope { store, snapshot, filter, frame })
}

pub fn run(ctx: &Context, command: ReportCommand) -> Result<()> {
    let (report, args) = match &command {
        ReportCommand::Summary(args) => (summary(ctx, args)?, args),
        ReportCommand::Areas(args) => (areas(ctx, args)?, args),
        ReportCommand::Years { args, basis, by } => (years(ctx, args, *basis, *by)?, args),
        ReportCommand::Funders(args) => (funders(ctx, args)?, args),
        ReportCommand::Orgs { args, top } => (orgs(ctx, args, *top)?, args),
        ReportCommand::Actors { args, by } => (actors(ctx, args, *by)?, args),
        ReportCommand::Municipalities(args) => (municipalities(ctx, args)?, args),
        ReportCommand::Status(args) => (status(ctx, args)?, args),
    };
    ctx.render(&report, unit(args.unit), args.totals)
}

pub fn summary(ctx: &Context, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    let paid = q::paid(conn, &s.filter, s.snapshot)?;
    let input = report::summary::Input {
        by_status: q::by_status(conn, &s.filter.any_status(), s.snapshot)?,
        counted: s.filter.statuses.clone(),
        paid,
        paid_outside: q::paid(conn, &s.filter.any_status(), s.snapshot)? - paid,
    };
    Ok(report::summary::build(&s.frame, &input))
}

pub fn areas(ctx: &Context, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    let areas = store::areas::list(conn, s.snapshot)?;
    let by_area = q::by_area(conn, &s.filter, s.snapshot)?;
    let paid_by_area = q::paid_by_area_and_year(conn, &s.filter, s.snapshot)?;
    let input = report::areas::Input {
        areas: &areas,
        by_area: &by_area,
        paid_by_area: &paid_by_area,
        paid: q::paid(conn, &s.filter, s.snapshot)?,
        counted: &s.filter.statuses,
    };
    Ok(report::areas::build(&s.frame, &input))
}

pub fn years(ctx: &Context, args: &ReportArgs, basis: CliBasis, by: Option<YearsBy>) -> Result<Report> {
    let (basis, field) = match basis {
        CliBasis::Decided => (Basis::Decided, DateField::Decided),
        CliBasis::Start => (Basis::Start, DateField::Start),
        CliBasis::Prorata => (Basis::Prorata, DateField::Period),
        CliBasis::Paid => (Basis::Paid, DateField::Payment),
    };
    let s = scope(ctx, args, field, vec![("basis".into(), basis.as_str().into())])?;
    let conn = s.store.conn();
    let column = if basis == Basis::Start { "start" } else { "decided" };
    if by == Some(YearsBy::Area) {
        let areas = store::areas::list(conn, s.snapshot)?;
        let cells = match basis {
            Basis::Decided | Basis::Start => q::area_by_date_year(conn, &s.filter, s.snapshot, column)?,
            Basis::Prorata => q::prorata_by_area(conn, &s.filter, s.snapshot)?,
            Basis::Paid => q::paid_by_area_and_year(conn, &s.filter, s.snapshot)?,
        };
        return Ok(report::years::by_area(&s.frame, basis, &areas, &cells));
    }
    let paid_total = q::paid(conn, &s.filter, s.snapshot)?;
    Ok(match basis {
        Basis::Decided | Basis::Start => {
            let rows = q::by_date_year(conn, &s.filter, s.snapshot, column)?;
            let paid = q::paid_by_date_year(conn, &s.filter, s.snapshot, column)?;
            let (totals, _, _) = q::totals(conn, &s.filter, s.snapshot)?;
            report::years::by_date(&s.frame, basis, &rows, &paid, totals, paid_total)
        }
        Basis::Prorata => {
            let (spread, undated) = q::prorata(conn, &s.filter, s.snapshot)?;
            let paid = q::paid_by_year(conn, &s.filter, s.snapshot)?;
            report::years::prorata(&s.frame, &spread, undated, &paid, paid_total)
        }
        Basis::Paid => report::years::paid(&s.frame, &q::paid_by_year(conn, &s.filter, s.snapshot)?, paid_total),
    })
}

pub fn funders(ctx: &Context, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    let (lines, foreign) = q::by_funder(conn, &s.filter, s.snapshot)?;
    let (totals, _, _) = q::totals(conn, &s.filter, s.snapshot)?;
    Ok(report::funders::build(&s.frame, &lines, &foreign, totals.total))
}

pub fn orgs(ctx: &Context, args: &ReportArgs, top: Option<usize>) -> Result<Report> {
    let extra = top.map(|n| ("top".to_string(), n.to_string())).into_iter().collect();
    let s = scope(ctx, args, DateField::Decided, extra)?;
    let conn = s.store.conn();
    let by_owner = q::by_owner(conn, &s.filter, s.snapshot)?;
    let names = store::orgs::by_id(conn, s.snapshot)?;
    let (totals, _, _) = q::totals(conn, &s.filter, s.snapshot)?;
    Ok(report::orgs::build(&s.frame, &names, &by_owner, top, totals))
}

pub fn actors(ctx: &Context, args: &ReportArgs, by: ActorsBy) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    let (totals, _, _) = q::totals(conn, &s.filter, s.snapshot)?;
    Ok(match by {
        ActorsBy::Kind => {
            actors::involvement(&s.frame, actors::By::Kind, &q::by_actor(conn, &s.filter, s.snapshot, false)?, totals)
        }
        ActorsBy::Helix => {
            actors::involvement(&s.frame, actors::By::Helix, &q::by_actor(conn, &s.filter, s.snapshot, true)?, totals)
        }
        ActorsBy::Combination => {
            actors::combinations(&s.frame, &q::by_helix_mask(conn, &s.filter, s.snapshot)?, totals)
        }
    })
}

pub fn municipalities(ctx: &Context, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    let (split, none) = q::by_municipality(conn, &s.filter, s.snapshot)?;
    let names = s.store.municipalities()?;
    let (totals, _, _) = q::totals(conn, &s.filter, s.snapshot)?;
    Ok(report::municipalities::build(&s.frame, &names, &split, none, totals))
}

pub fn status(ctx: &Context, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, args, DateField::Decided, Vec::new())?;
    let conn = s.store.conn();
    Ok(report::status::build(&s.frame, &q::by_status(conn, &s.filter, s.snapshot)?))
}
