//! `spets report summary|areas|years|funders|orgs|actors|municipalities|status`: each
//! asks the store for its sums, builds the report value, and renders it.

use super::{Context, build_filter, unit};
use crate::cli::{ActorsBy, Basis as CliBasis, IndicatorsBy, ReportArgs, ReportCommand, YearsBy};
use crate::domain::area::Area;
use crate::domain::figures::{AreaSums, AreaYear};
use crate::domain::filter::{DateField, Filter, YearOf};
use crate::domain::strategy;
use crate::error::{Error, Result};
use crate::report::{self, Frame, Report, actors, years::Basis};
use std::collections::HashMap;
use std::io::Write;

use crate::store::{Access, Snapshot, Store, View};

/// The store, snapshot, filter and frame a report is computed in.
struct Scope<'s> {
    store: &'s Store,
    snapshot: Snapshot,
    filter: Filter,
    frame: Frame,
}

fn scope<'s>(
    ctx: &Context,
    store: &'s Store,
    args: &ReportArgs,
    date_field: DateField,
    extra: Vec<(String, String)>,
) -> Result<Scope<'s>> {
    let snapshot = ctx.snapshot(store, &args.filters.as_of)?;
    let (filter, mut shown) = build_filter(ctx.lang, store, snapshot, &args.filters, date_field)?;
    shown.extend(extra);
    if let Some(name) = &args.strategy {
        let strategies = store.at(snapshot).strategies()?;
        let found = strategy::find(name, &strategies).map_err(|e| Error::value("--strategy", name, e))?;
        shown.push(("strategy".into(), found.name.clone()));
    }
    let frame = ctx.frame(store, snapshot, shown)?;
    Ok(Scope { store, snapshot, filter, frame })
}

pub fn run(ctx: &Context, command: ReportCommand) -> Result<()> {
    // Every report of one command reads one moment of the database.
    let store = ctx.open(Access::Read)?;
    let store = &store;
    let (report, args) = match &command {
        ReportCommand::Summary(args) => (summary(ctx, store, args)?, args),
        ReportCommand::Areas(args) => (areas(ctx, store, args)?, args),
        ReportCommand::Years { args, basis, by } => (years(ctx, store, args, *basis, *by)?, args),
        ReportCommand::Funders(args) => (funders(ctx, store, args)?, args),
        ReportCommand::Orgs { args, top } => (orgs(ctx, store, args, *top)?, args),
        ReportCommand::Actors { args, by } => (actors(ctx, store, args, *by)?, args),
        ReportCommand::Municipalities(args) => (municipalities(ctx, store, args)?, args),
        ReportCommand::Status(args) => (status(ctx, store, args)?, args),
        ReportCommand::Indicators { args, by } => (indicators(ctx, store, args, *by)?, args),
        ReportCommand::Workbook(args) => return workbook(ctx, store, args),
        ReportCommand::Html(args) => return html(ctx, store, args),
    };
    ctx.render(&report, unit(args.unit).or(ctx.unit), args.totals)
}

/// `report workbook`: every report as a sheet of one workbook, with the same filters,
/// after a first sheet saying what it holds, the moment, and the commands that print
/// each sheet's figures again.
fn workbook(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<()> {
    use crate::render::xlsx::{Formats, add_report, footer, io_error, sheet_name};
    let lang = ctx.lang;
    // (the command, the sheet's name in English and Swedish, the report)
    let reports: Vec<(&str, &str, &str, Report)> = vec![
        ("summary", "Summary", "Sammanfattning", summary(ctx, store, args)?),
        ("areas", "Areas", "Områden", areas(ctx, store, args)?),
        ("years", "Years", "År", years(ctx, store, args, CliBasis::Decided, None)?),
        ("years --basis prorata", "Years pro rata", "År pro rata", years(ctx, store, args, CliBasis::Prorata, None)?),
        ("funders", "Funders", "Finansiärer", funders(ctx, store, args)?),
        ("orgs", "Owners", "Ägare", orgs(ctx, store, args, None)?),
        ("actors", "Actors", "Aktörer", actors(ctx, store, args, ActorsBy::Kind)?),
        ("municipalities", "Municipalities", "Kommuner", municipalities(ctx, store, args)?),
        ("status", "Status", "Status", status(ctx, store, args)?),
        ("indicators", "Indicators", "Indikatorer", indicators(ctx, store, args, None)?),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let f = Formats::new();
    let mut taken = Vec::new();
    let about_name = sheet_name(lang.pick("About", "Om arbetsboken"), &mut taken);
    let names: Vec<String> = reports.iter().map(|(_, en, sv, _)| sheet_name(lang.pick(en, sv), &mut taken)).collect();
    {
        let about = book.add_worksheet();
        about.set_name(&about_name).map_err(io_error)?;
        let first = &reports[0].3;
        about
            .write_string_with_format(
                0,
                0,
                lang.pick("spets: the portfolio's reports", "spets: portföljens rapporter"),
                &f.title,
            )
            .map_err(io_error)?;
        let mut row = 2;
        let mut line = |text: &str, bold: bool| -> Result<()> {
            if bold {
                about.write_string_with_format(row, 0, text, &f.header).map_err(io_error)?;
            } else {
                about.write_string(row, 0, text).map_err(io_error)?;
            }
            row += 1;
            Ok(())
        };
        for l in footer(first, lang).into_iter().skip(1).filter(|l| first.headline.as_ref() != Some(l)) {
            line(&l, false)?;
        }
        if first.filters.is_empty() {
            line(
                lang.pick("Filters: none (every counted project).", "Urval: inget (alla projekt som räknas)."),
                false,
            )?;
        }
        line("", false)?;
        line(
            lang.pick(
                "Sheets, and the command that prints each one's figures:",
                "Blad, och kommandot som skriver ut vart och ett:",
            ),
            true,
        )?;
        let again = reproduce(args, first);
        for ((command, _, _, report), name) in reports.iter().zip(&names) {
            line(&format!("{name} ({}): spets report {command}{again} --format csv", report.title), false)?;
        }
        about.set_autofit_max_width(800).autofit();
    }
    for ((_, _, _, report), name) in reports.iter().zip(&names) {
        add_report(&mut book, report, lang, name).map_err(io_error)?;
    }
    let bytes = book.save_to_buffer().map_err(io_error)?;
    let mut out = ctx.output()?;
    out.writer.write_all(&bytes)?;
    out.finish()
}

/// `report html`: the published page of the headline and the breakdowns.
fn html(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<()> {
    let reports: Vec<(&str, Report)> = vec![
        ("summary", summary(ctx, store, args)?),
        ("areas", areas(ctx, store, args)?),
        ("years", years(ctx, store, args, CliBasis::Decided, None)?),
        ("funders", funders(ctx, store, args)?),
        ("municipalities", municipalities(ctx, store, args)?),
    ];
    let again = format!("{} --format csv", reproduce(args, &reports[0].1));
    let title = ctx.lang.pick("Smart specialisation: the portfolio", "Smart specialisering: portföljen");
    let page = crate::render::html::page(&reports, ctx.lang, title, &again);
    let mut out = ctx.output()?;
    out.writer.write_all(page.as_bytes())?;
    out.finish()
}

/// The filter flags that select the same projects again, with the moment pinned by
/// `--as-of` so the figures are the same however the database has changed since.
fn reproduce(args: &ReportArgs, report: &Report) -> String {
    let f = &args.filters;
    let mut flags = String::new();
    let lists: [(&str, &Vec<String>); 9] = [
        ("--area", &f.areas),
        ("--fund", &f.funds),
        ("--funder", &f.funders),
        ("--status", &f.statuses),
        ("--kind", &f.kinds),
        ("--programme", &f.programmes),
        ("--municipality", &f.municipalities),
        ("--org", &f.orgs),
        ("--source", &f.sources),
    ];
    for (flag, values) in lists {
        for v in values {
            flags.push_str(&format!(" {flag} {}", super::quote(v)));
        }
    }
    for (flag, value) in [("--from", &f.from), ("--to", &f.to)] {
        if let Some(v) = value {
            flags.push_str(&format!(" {flag} {}", super::quote(v)));
        }
    }
    if let Some(name) = &args.strategy {
        flags.push_str(&format!(" --strategy {}", super::quote(name)));
    }
    if let Some(c) = &report.as_of {
        flags.push_str(&format!(" --as-of {}", c.at));
    }
    flags
}

pub fn summary(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    let paid = v.paid_on(&s.filter)?;
    let input = report::summary::Input {
        by_status: v.by_status(&s.filter.any_status())?,
        counted: s.filter.statuses.clone(),
        paid,
        paid_outside: v.paid_on(&s.filter.any_status())? - paid,
    };
    Ok(report::summary::build(&s.frame, &input))
}

/// The areas a breakdown by area shows and how its rows get there: with `--strategy`,
/// that strategy's areas, every earlier area carried onto them by the crosswalk, and
/// each area without a way there as a row of its own, labelled; without it, each
/// project on its own strategy's areas (the newest strategy's always, others' when they
/// have figures), with each area's strategy shown when there is more than one.
struct AreaView {
    areas: Vec<Area>,
    strategies: Vec<strategy::Strategy>,
    /// With `--strategy`: its id, and where each area that reaches it goes.
    target: Option<(i64, strategy::Paths)>,
    strategy_of: Option<HashMap<i64, String>>,
}

impl AreaView {
    fn new(v: &View<'_>, strategy: Option<&str>) -> Result<AreaView> {
        let areas = v.areas()?;
        let strategies = v.strategies()?;
        let Some(name) = strategy else {
            return Ok(AreaView { areas, strategies, target: None, strategy_of: None });
        };
        let target = strategy::find(name, &strategies).map_err(|e| Error::value("--strategy", name, e))?.clone();
        let paths = strategy::paths(target.id, &areas, &v.successors()?);
        let name_of = |id: Option<i64>| strategies.iter().find(|s| Some(s.id) == id).map_or("-", |s| s.name.as_str());
        let areas = areas
            .iter()
            .filter(|a| a.strategy == Some(target.id) || !paths.contains_key(&a.id))
            .map(|a| {
                if a.strategy == Some(target.id) {
                    return a.clone();
                }
                let (own, to) = (name_of(a.strategy), &target.name);
                Area {
                    name_en: format!("{} (strategy {own}; no successor in {to})", a.name_en),
                    name_sv: format!("{} (strategi {own}; ingen efterföljare i {to})", a.name_sv),
                    ..a.clone()
                }
            })
            .collect();
        Ok(AreaView { areas, strategies, target: Some((target.id, paths)), strategy_of: None })
    }

    fn sums(&self, rows: Vec<AreaSums>) -> Vec<AreaSums> {
        match &self.target {
            Some((_, paths)) => strategy::carry_sums(paths, &rows),
            None => rows,
        }
    }

    fn amounts(&self, cells: Vec<AreaYear>) -> Vec<AreaYear> {
        match &self.target {
            Some((_, paths)) => strategy::carry_amounts(paths, &cells),
            None => cells,
        }
    }

    /// Keeps the areas of the strategy asked for (or of the newest) and the others that
    /// have figures (`used`); without `--strategy`, notes each one's strategy when they
    /// are of more than one.
    fn shown(mut self, used: impl Fn(i64) -> bool) -> AreaView {
        let always = match &self.target {
            Some((id, _)) => Some(*id),
            None => self.strategies.last().map(|s| s.id),
        };
        self.areas.retain(|a| a.strategy.is_none() || a.strategy == always || used(a.id));
        let name_of = |id: Option<i64>| {
            self.strategies.iter().find(|s| Some(s.id) == id).map_or(String::new(), |s| s.name.clone())
        };
        let mut seen: Vec<Option<i64>> = self.areas.iter().map(|a| a.strategy).collect();
        seen.dedup();
        if self.target.is_none() && seen.len() > 1 {
            self.strategy_of = Some(self.areas.iter().map(|a| (a.id, name_of(a.strategy))).collect());
        }
        self
    }
}

pub fn areas(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    let view = AreaView::new(&v, args.strategy.as_deref())?;
    let by_area = view.sums(v.by_area(&s.filter)?);
    let paid_by_area = view.amounts(v.paid_by_area_and_year(&s.filter)?);
    let used = |id: i64| by_area.iter().any(|a| a.area == id) || paid_by_area.iter().any(|p| p.area == id);
    let view = view.shown(used);
    let input = report::areas::Input {
        areas: &view.areas,
        by_area: &by_area,
        paid_by_area: &paid_by_area,
        paid: v.paid_on(&s.filter)?,
        counted: &s.filter.statuses,
        strategy_of: view.strategy_of.as_ref(),
    };
    Ok(report::areas::build(&s.frame, &input))
}

pub fn years(ctx: &Context, store: &Store, args: &ReportArgs, basis: CliBasis, by: Option<YearsBy>) -> Result<Report> {
    let (basis, field) = match basis {
        CliBasis::Decided => (Basis::Decided, DateField::Decided),
        CliBasis::Start => (Basis::Start, DateField::Start),
        CliBasis::Prorata => (Basis::Prorata, DateField::Period),
        CliBasis::Paid => (Basis::Paid, DateField::Payment),
    };
    let s = scope(ctx, store, args, field, vec![("basis".into(), basis.label(ctx.lang).into())])?;
    let v = s.store.at(s.snapshot);
    let of = if basis == Basis::Start { YearOf::Start } else { YearOf::Decided };
    if by == Some(YearsBy::Area) {
        let view = AreaView::new(&v, args.strategy.as_deref())?;
        let cells = view.amounts(match basis {
            Basis::Decided | Basis::Start => v.area_by_date_year(&s.filter, of)?,
            Basis::Prorata => v.prorata_by_area(&s.filter)?,
            Basis::Paid => v.paid_by_area_and_year(&s.filter)?,
        });
        let view = view.shown(|id| cells.iter().any(|c| c.area == id));
        return Ok(report::years::by_area(&s.frame, basis, &view.areas, &cells));
    }
    let paid_total = v.paid_on(&s.filter)?;
    Ok(match basis {
        Basis::Decided | Basis::Start => {
            let rows = v.by_date_year(&s.filter, of)?;
            let paid = v.paid_by_date_year(&s.filter, of)?;
            let (totals, _, _) = v.totals(&s.filter)?;
            report::years::by_date(&s.frame, basis, &rows, &paid, totals, paid_total)
        }
        Basis::Prorata => {
            let (spread, undated) = v.prorata(&s.filter)?;
            let paid = v.paid_by_year(&s.filter)?;
            report::years::prorata(&s.frame, &spread, undated, &paid, paid_total)
        }
        Basis::Paid => report::years::paid(&s.frame, &v.paid_by_year(&s.filter)?, paid_total),
    })
}

pub fn funders(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    let (lines, foreign) = v.by_funder(&s.filter)?;
    let (totals, _, _) = v.totals(&s.filter)?;
    Ok(report::funders::build(&s.frame, &lines, &foreign, totals.total))
}

pub fn orgs(ctx: &Context, store: &Store, args: &ReportArgs, top: Option<usize>) -> Result<Report> {
    let extra = top.map(|n| ("top".to_string(), n.to_string())).into_iter().collect();
    let s = scope(ctx, store, args, DateField::Decided, extra)?;
    let v = s.store.at(s.snapshot);
    let by_owner = v.by_owner(&s.filter)?;
    let names = v.orgs_by_id()?;
    let (totals, _, _) = v.totals(&s.filter)?;
    Ok(report::orgs::build(&s.frame, &names, &by_owner, top, totals))
}

pub fn actors(ctx: &Context, store: &Store, args: &ReportArgs, by: ActorsBy) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    let (totals, _, _) = v.totals(&s.filter)?;
    Ok(match by {
        ActorsBy::Kind => actors::involvement(&s.frame, actors::By::Kind, &v.by_actor(&s.filter, false)?, totals),
        ActorsBy::Helix => actors::involvement(&s.frame, actors::By::Helix, &v.by_actor(&s.filter, true)?, totals),
        ActorsBy::Combination => actors::combinations(&s.frame, &v.by_helix_mask(&s.filter)?, totals),
    })
}

pub fn municipalities(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    let (split, none) = v.by_municipality(&s.filter)?;
    let names = s.store.municipalities()?;
    let (totals, _, _) = v.totals(&s.filter)?;
    Ok(report::municipalities::build(&s.frame, &names, &split, none, totals))
}

pub fn status(ctx: &Context, store: &Store, args: &ReportArgs) -> Result<Report> {
    let s = scope(ctx, store, args, DateField::Decided, Vec::new())?;
    let v = s.store.at(s.snapshot);
    Ok(report::status::build(&s.frame, &v.by_status(&s.filter)?))
}

pub fn indicators(ctx: &Context, store: &Store, args: &ReportArgs, by: Option<IndicatorsBy>) -> Result<Report> {
    use crate::report::indicators::{Fact, Group, Input, build};
    use chrono::Datelike;
    let by_name = |b: IndicatorsBy| match b {
        IndicatorsBy::Area => ctx.lang.pick("area", "område"),
        IndicatorsBy::Year => ctx.lang.pick("year", "år"),
        IndicatorsBy::StrategyArea => ctx.lang.pick("strategy-area", "strategiområde"),
    };
    let s = scope(
        ctx,
        store,
        args,
        DateField::Decided,
        by.map(|b| ("by".to_string(), by_name(b).to_string())).into_iter().collect(),
    )?;
    let v = s.store.at(s.snapshot);
    let catalogue = v.indicator_catalogue()?;
    let mut of_project: HashMap<String, Vec<crate::domain::project::Indicator>> = HashMap::new();
    for i in v.indicators(None)? {
        of_project.entry(i.reference.clone()).or_default().push(i);
    }
    // Where the areas go (`--by strategy-area`: onto `--strategy` or the newest).
    let view = match by {
        Some(IndicatorsBy::StrategyArea) => {
            let newest = v.strategies()?.last().map(|s| s.name.clone());
            Some(AreaView::new(&v, args.strategy.as_deref().or(newest.as_deref()))?)
        }
        Some(IndicatorsBy::Area) => Some(AreaView::new(&v, None)?),
        _ => None,
    };
    // Each fact with its groups as (area id or year, weight), numbered below.
    let mut raw: Vec<(crate::domain::project::Indicator, Vec<(i64, u64)>)> = Vec::new();
    v.each_project(&s.filter, |p| {
        let Some(list) = of_project.get(&p.project.reference) else { return Ok(()) };
        let groups: Vec<(i64, u64)> = match (&by, &view) {
            (Some(IndicatorsBy::Year), _) => {
                vec![(p.project.decided.map_or(i64::MAX, |d| i64::from(d.year())), 1)]
            }
            (Some(_), Some(view)) => {
                strategy::carry_shares(view.target.as_ref().map(|(_, paths)| paths), &p.project.areas)
            }
            _ => vec![(0, 1)],
        };
        for i in list {
            raw.push((i.clone(), groups.clone()));
        }
        Ok(())
    })?;
    let groups: Option<Vec<(i64, Group)>> = match (&by, view) {
        (None, _) => None,
        (Some(IndicatorsBy::Year), _) => {
            let mut years: Vec<i64> = raw.iter().flat_map(|(_, g)| g.iter().map(|x| x.0)).collect();
            years.sort();
            years.dedup();
            let undated = ctx.lang.pick("undated", "odaterat");
            Some(
                years
                    .into_iter()
                    .map(|y| {
                        let key = if y == i64::MAX { undated.to_string() } else { y.to_string() };
                        (y, Group { key: key.clone(), name: key })
                    })
                    .collect(),
            )
        }
        (Some(_), view) => {
            let used = |id: i64| raw.iter().any(|(_, g)| g.iter().any(|x| x.0 == id));
            let areas = view.map(|vw| vw.shown(used).areas).unwrap_or_default();
            Some(
                areas
                    .iter()
                    .filter(|a| used(a.id))
                    .map(|a| (a.id, Group { key: a.code.clone(), name: a.name(ctx.lang).to_string() }))
                    .collect(),
            )
        }
    };
    let facts: Vec<Fact> = raw
        .into_iter()
        .map(|(i, g)| {
            let index = |id: i64| groups.as_ref().map_or(Some(0), |gs| gs.iter().position(|x| x.0 == id));
            let weights: Vec<u64> = g.iter().map(|x| x.1).collect();
            let bp =
                crate::domain::allocation::allocate_by_weights(i64::from(crate::domain::area::FULL_SHARE), &weights);
            let groups = g.iter().zip(bp).filter_map(|(x, b)| Some((index(x.0)?, b as u32))).collect();
            Fact { code: i.code, target: i.target, outcome: i.outcome, groups }
        })
        .collect();
    let list: Option<Vec<Group>> = groups.map(|gs| gs.into_iter().map(|(_, g)| g).collect());
    let heading = match by {
        Some(IndicatorsBy::Year) => ("Year", "År"),
        _ => ("Area", "Område"),
    };
    Ok(build(
        &s.frame,
        &Input { catalogue: &catalogue, facts: &facts, groups: list.as_deref(), group_heading: heading },
    ))
}
