//! `spets project add|edit|show|list|remove`.

use std::io::Write;

use super::{Context, build_filter, date_arg};
use crate::cli::{ProjectCommand, ProjectFields};
use crate::domain::area::{self, check_in_force};
use crate::domain::filter::DateField;
use crate::domain::money::{Money, Unit};
use crate::domain::municipality;
use crate::domain::project::{
    Currency, FunderKind, FundingLine, Project, ProjectKind, Rate, Status, overrun_message, validate_ref,
};
use crate::domain::strategy;
use crate::domain::text::fold;
use crate::error::{Error, Result};
use crate::render::visible;
use crate::report::projects::{self as project_report, Names};
use crate::store::projects::{Outcome, PutMode};
use crate::store::{self, Access, View};

/// Parses `FUNDER:KIND:AMOUNT[:CURRENCY:RATE[:RATE_DATE]][:in-kind]`. The funder may
/// itself hold colons: the kind is the first part after it that names one.
pub fn parse_funding(spec: &str) -> Result<FundingLine> {
    let form = crate::tr!(
        "FUNDER:KIND:AMOUNT[:CURRENCY:RATE[:RATE_DATE]], e.g. ERUF:eu:4 000 000 or Interreg:eu:350 000:EUR:11.25",
        "FINANSIÄR:SLAG:BELOPP[:VALUTA:KURS[:KURSDATUM]], t.ex. ERUF:eu:4 000 000 eller Interreg:eu:350 000:EUR:11.25"
    );
    let bad = |why: String| Error::value("--funding", spec, why);
    let mut parts: Vec<&str> = spec.split(':').collect();
    let in_kind = parts.last().is_some_and(|p| matches!(fold(p).as_str(), "in-kind" | "in kind" | "inkind"));
    if in_kind {
        parts.pop();
    }
    let Some(k) = (1..parts.len()).find(|&i| parts[i].parse::<FunderKind>().is_ok()) else {
        let kinds: Vec<&str> = FunderKind::ALL.iter().map(|k| k.label(crate::domain::lang::messages())).collect();
        return Err(bad(crate::tr!(
            "no funder kind in it ({}; expected {form})",
            "inget finansiärsslag i det ({}; väntade {form})",
            kinds.join(", ")
        )));
    };
    let funder = parts[..k].join(":").trim().to_string();
    if funder.is_empty() {
        return Err(bad(crate::tr!("the funder is missing (expected {form})", "finansiären saknas (väntade {form})")));
    }
    let kind: FunderKind = parts[k].parse().map_err(bad)?;
    let Some(amount) = parts.get(k + 1) else {
        return Err(bad(crate::tr!("the amount is missing (expected {form})", "beloppet saknas (väntade {form})")));
    };
    let amount = Money::parse(amount).map_err(|e| bad(e.to_string()))?;
    let (currency, rate, rate_date) = match &parts[k + 2..] {
        [] => (Currency::sek(), None, None),
        [currency, rest @ ..] if rest.len() <= 2 => {
            let currency = Currency::parse(currency).map_err(|e| bad(format!("{currency:?}: {e}")))?;
            let rate = match rest.first() {
                Some(r) => Some(Rate::parse(r).map_err(|e| bad(format!("{r:?}: {e}")))?),
                None if currency.is_sek() => None,
                None => {
                    return Err(bad(crate::tr!(
                        "an amount in {0} needs its rate, SEK per {0} (expected {form})",
                        "ett belopp i {0} behöver sin kurs, SEK per {0} (väntade {form})",
                        currency.as_str()
                    )));
                }
            };
            let rate_date = rest
                .get(1)
                .map(|d| {
                    crate::domain::date::parse_date(d)
                        .map_err(|e| bad(crate::tr!("rate date {d:?}: {e}", "kursdatum {d:?}: {e}")))
                })
                .transpose()?;
            (currency, rate, rate_date)
        }
        _ => return Err(bad(crate::tr!("too many parts (expected {form})", "för många delar (väntade {form})"))),
    };
    FundingLine::new(funder, kind, amount, currency, rate, rate_date, in_kind).map_err(bad)
}

/// The flag a project field is given with, for messages.
fn flag(field: &str) -> String {
    match field {
        "ref" => "REF".into(),
        "areas" => "--area".into(),
        "partners" => "--partner".into(),
        other => format!("--{other}"),
    }
}

fn text_field(value: Option<&String>) -> Option<Option<String>> {
    value.map(|v| Some(v.trim().to_string()).filter(|v| !v.is_empty()))
}

/// Applies the flags to `base` (an existing project, or an empty one for `add`).
fn build(
    v: View<'_>,
    reference: &str,
    f: &ProjectFields,
    base: Option<Project>,
    clear: &[String],
    lang: crate::domain::lang::Lang,
) -> Result<Project> {
    let adding = base.is_none();
    let mut p = base.unwrap_or_else(|| Project {
        reference: reference.to_string(),
        title: String::new(),
        owner: 0,
        kind: ProjectKind::Project,
        parent: None,
        programme: None,
        fund: None,
        status: Status::Granted,
        decided: None,
        start: None,
        end: None,
        municipalities: 0,
        areas: Vec::new(),
        partners: Vec::new(),
        funding: Vec::new(),
        notes: None,
        overrun_allowed: false,
        provenance: Default::default(),
    });
    for field in clear {
        match fold(field).as_str() {
            "parent" => p.parent = None,
            "programme" => p.programme = None,
            "fund" => p.fund = None,
            "decided" => p.decided = None,
            "start" => p.start = None,
            "end" => p.end = None,
            "notes" => p.notes = None,
            "municipalities" => p.municipalities = 0,
            "partners" => p.partners.clear(),
            "funding" => p.funding.clear(),
            _ => {
                return Err(Error::value(
                    "--clear",
                    field,
                    crate::tr!(
                        "not a field that can be cleared (parent, programme, fund, decided, start, end, notes, municipalities, partners, funding)",
                        "inte ett fält som kan tömmas (parent, programme, fund, decided, start, end, notes, municipalities, partners, funding)"
                    ),
                ));
            }
        }
    }
    if let Some(t) = &f.title {
        if t.trim().is_empty() {
            return Err(Error::value("--title", t, crate::tr!("a title is required", "en titel krävs")));
        }
        p.title = t.trim().to_string();
    } else if adding {
        return Err(Error::usage(crate::tr!("--title is required", "--title krävs")));
    }
    if let Some(o) = &f.owner {
        p.owner = v.require_org("--owner", o)?.id;
    } else if adding {
        return Err(Error::usage(crate::tr!("--owner is required", "--owner krävs")).hint(crate::tr!(
            "name a recorded organisation; `spets org add` records one",
            "ange en registrerad organisation; `spets org add` registrerar en"
        )));
    }
    if !f.areas.is_empty() {
        let areas = v.areas()?;
        for spec in &f.areas {
            let (name, share) = area::split_spec(spec);
            area::resolve(name, &areas).map_err(|e| Error::value("--area", spec, e))?;
            if let Some(share) = share {
                area::parse_share(share).map_err(|e| Error::value("--area", spec, e))?;
            }
        }
        let specs: Vec<&str> = f.areas.iter().map(String::as_str).collect();
        p.areas = area::resolve_shares(&specs, &area::AreaIndex::new(&areas))
            .map_err(|e| Error::usage(format!("--area: {e}")))?;
    } else if adding {
        return Err(Error::usage(crate::tr!(
            "--area is required (e.g. --area skog, or --area skog:60 --area halsa:40)",
            "--area krävs (t.ex. --area skog, eller --area skog:60 --area halsa:40)"
        )));
    }
    if let Some(k) = &f.kind {
        p.kind = k.parse().map_err(|e| Error::value("--kind", k, e))?;
    }
    if let Some(s) = &f.status {
        p.status = s.parse().map_err(|e| Error::value("--status", s, e))?;
    } else if adding {
        // Nothing counts by accident: without a decision date a new project is only
        // applied for, and so not in the headline until someone says otherwise.
        p.status = if f.decided.is_some() { Status::Granted } else { Status::Applied };
    }
    if let Some(v) = text_field(f.parent.as_ref()) {
        p.parent = v;
    }
    if let Some(v) = text_field(f.programme.as_ref()) {
        p.programme = v;
    }
    if let Some(v) = text_field(f.fund.as_ref()) {
        p.fund = v;
    }
    if let Some(v) = text_field(f.notes.as_ref()) {
        p.notes = v;
    }
    if let Some(d) = date_arg("--decided", f.decided.as_ref())? {
        p.decided = Some(d);
    }
    if let Some(d) = date_arg("--start", f.start.as_ref())? {
        p.start = Some(d);
    }
    if let Some(d) = date_arg("--end", f.end.as_ref())? {
        p.end = Some(d);
    }
    if !f.municipalities.is_empty() {
        let known = v.municipalities()?;
        p.municipalities = 0;
        for name in &f.municipalities {
            let bit = municipality::resolve(name, &known).map_err(|e| Error::value("--municipality", name, e))?;
            p.municipalities |= 1 << bit;
        }
    }
    if !f.partners.is_empty() {
        p.partners.clear();
        for name in &f.partners {
            let id = v.require_org("--partner", name)?.id;
            if !p.partners.contains(&id) {
                p.partners.push(id);
            }
        }
    }
    if !f.funding.is_empty() {
        p.funding = f.funding.iter().map(|s| parse_funding(s)).collect::<Result<_>>()?;
    }
    p.validate().map_err(|(field, why)| Error::usage(format!("{}: {why}", flag(field))))?;
    if let Some(parent) = &p.parent
        && !v.project_exists(parent)?
    {
        return Err(Error::value("--parent", parent, crate::tr!("no such project", "inget sådant projekt")));
    }
    if let Some(problem) = v.top_up_problem(&p)? {
        return Err(Error::failed(problem));
    }
    if let Some((paid, granted)) = v.plan_overrun(&mut p, f.allow_overrun)? {
        return Err(Error::failed(overrun_message(&p.reference, paid, granted, lang)));
    }
    if let Some(on) = p.decided.or(p.start) {
        let areas = v.areas()?;
        let strategies = v.strategies()?;
        for share in &p.areas {
            if let Some(a) = areas.iter().find(|a| a.id == share.area_id) {
                check_in_force(a, on).map_err(|e| Error::usage(format!("--area: {e}")))?;
                strategy::check_in_force(a, on, &strategies).map_err(|e| Error::usage(format!("--area: {e}")))?;
            }
        }
    }
    Ok(p)
}

pub fn run(ctx: &Context, command: ProjectCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        ProjectCommand::Add { reference, fields } => {
            validate_ref(&reference).map_err(|e| Error::value("REF", &reference, e))?;
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let project = build(change.now(), &reference, &fields, None, &[], lang)?;
            store::projects::put(&change, &project, PutMode::Add)?;
            change.commit()?;
            let total = project.components().map(|c| c.total()).unwrap_or(0);
            let counted = Status::TURNED_OVER.contains(&project.status);
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {}: {} ({} kr), {} {}: {}.",
                lang.pick("Added project", "Lade till projektet"),
                visible(&project.reference),
                visible(&project.title),
                Money(total).display(Unit::Kr, lang),
                lang.pick("status", "status"),
                project.status.label(lang),
                if counted {
                    lang.pick("counted as turned over", "räknas som omsatt")
                } else {
                    lang.pick("not counted as turned over", "räknas inte som omsatt")
                }
            )?;
            out.finish()
        }
        ProjectCommand::Edit { reference, fields, clear, force } => {
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let existing = change.now().project(&reference)?.ok_or_else(|| change.now().no_project(&reference))?;
            let was = existing.project.status;
            let project = build(change.now(), &reference, &fields, Some(existing.project), &clear, lang)?;
            if project.status.rank() < was.rank() && !force {
                return Err(Error::failed(crate::tr!(
                    "project {reference}: from {} to {} moves the status backwards",
                    "projekt {reference}: från {} till {} flyttar statusen bakåt",
                    was.label(lang),
                    project.status.label(lang)
                ))
                .hint(crate::tr!(
                    "--force records it (and `spets check` lists it)",
                    "--force registrerar det (och `spets check` listar det)"
                )));
            }
            let outcome = store::projects::put(&change, &project, PutMode::Edit)?;
            change.commit()?;
            let mut out = ctx.output()?;
            match outcome {
                Outcome::Unchanged => writeln!(
                    out.writer,
                    "{} {}.",
                    lang.pick("Nothing to change for project", "Inget att ändra för projektet"),
                    visible(&reference)
                )?,
                _ => writeln!(
                    out.writer,
                    "{} {}.",
                    lang.pick("Updated project", "Ändrade projektet"),
                    visible(&reference)
                )?,
            }
            out.finish()
        }
        ProjectCommand::Show { reference, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let v = store.at(snapshot);
            let stored = v.project(&reference)?.ok_or_else(|| {
                let err = v.no_project(&reference);
                if as_of.as_of.is_some() && err.hints.is_empty() {
                    err.hint(crate::tr!(
                        "it may not have existed at that moment",
                        "det kanske inte fanns vid den tidpunkten"
                    ))
                } else {
                    err
                }
            })?;
            let orgs = v.orgs_by_id()?;
            let areas = v.areas()?;
            let municipalities = store.municipalities()?;
            let payments = v.payments(Some(&reference))?;
            let indicators = v.indicators(Some(&reference))?;
            let paid = payments.iter().map(|p| p.signed()).sum();
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let report = project_report::show(
                &frame,
                &project_report::Show {
                    stored: &stored,
                    names: Names { orgs: &orgs, areas: &areas, municipalities: &municipalities },
                    payments: &payments,
                    indicators: &indicators,
                    paid,
                },
            );
            ctx.render(&report, None, false)
        }
        ProjectCommand::List { filters } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &filters.as_of)?;
            let (mut filter, mut shown) = build_filter(ctx.lang, &store, snapshot, &filters, DateField::Decided)?;
            // A list of projects is of every project unless asked otherwise, and says so.
            if filters.statuses.is_empty() {
                filter.statuses = crate::domain::project::Status::ALL.to_vec();
                shown.push(("status".into(), ctx.lang.pick("all", "alla").into()));
            }
            let v = store.at(snapshot);
            let mut projects = Vec::new();
            v.each_project(&filter, |sp| {
                projects.push(sp.clone());
                Ok(())
            })?;
            // In the order people count: X3 before X10.
            projects.sort_by(|a, b| crate::domain::text::natural_cmp(&a.project.reference, &b.project.reference));
            let orgs = v.orgs_by_id()?;
            let areas = v.areas()?;
            let municipalities = store.municipalities()?;
            let frame = ctx.frame(&store, snapshot, shown)?;
            let report = project_report::list(
                &frame,
                &projects,
                &Names { orgs: &orgs, areas: &areas, municipalities: &municipalities },
            );
            ctx.render(&report, None, false)
        }
        ProjectCommand::Remove { reference, force } => {
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let v = change.now();
            if !v.project_exists(&reference)? {
                return Err(v.no_project(&reference));
            }
            let children = v.children(&reference)?;
            if !children.is_empty() {
                return Err(Error::failed(crate::tr!(
                    "project {reference} is the parent of {}",
                    "projektet {reference} är huvudprojekt för {}",
                    children.join(", ")
                ))
                .hint(crate::tr!(
                    "remove those first, or give them another --parent",
                    "ta bort dem först, eller ge dem ett annat --parent"
                )));
            }
            let payments = v.payments(Some(&reference))?;
            if !payments.is_empty() && !force {
                return Err(Error::failed(crate::tr!(
                    "project {reference} has {} payment(s)",
                    "projektet {reference} har {} utbetalning(ar)",
                    payments.len()
                ))
                .hint(crate::tr!(
                    "--force removes it with its payments (the history keeps both)",
                    "--force tar bort det med dess utbetalningar (historiken behåller båda)"
                )));
            }
            store::projects::remove(&change, &reference)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(out.writer, "{} {}.", lang.pick("Removed project", "Tog bort projektet"), visible(&reference))?;
            out.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funding_specs() {
        let l = parse_funding("ERUF:eu:4 000 000").unwrap();
        assert_eq!((l.funder.as_str(), l.amount), ("ERUF", Money(400_000_000)));
        let l = parse_funding("Interreg Sverige-Norge:eu:100000:EUR:11.5").unwrap();
        assert_eq!(l.amount, Money(115_000_000));
        assert_eq!(l.foreign.unwrap().original, Money(10_000_000));
        let l = parse_funding("Own time:private:50000:in-kind").unwrap();
        assert!(l.in_kind);
        assert!(parse_funding("ERUF:eu").unwrap_err().message.contains("expected FUNDER:KIND:AMOUNT"));
        assert!(parse_funding("ERUF:bank:5").unwrap_err().message.contains("no funder kind in it"));
        assert!(parse_funding("ERUF:eu:-5").unwrap_err().message.contains("negative"));
        // A missing or zero rate said "not a funder kind", and a rate date could not be
        // given at all.
        assert_eq!(
            parse_funding("X:eu:1:EUR").unwrap_err().message,
            "--funding: \"X:eu:1:EUR\": an amount in EUR needs its rate, SEK per EUR (expected FUNDER:KIND:AMOUNT[:CURRENCY:RATE[:RATE_DATE]], e.g. ERUF:eu:4 000 000 or Interreg:eu:350 000:EUR:11.25)"
        );
        assert_eq!(
            parse_funding("X:eu:1:EUR:0").unwrap_err().message,
            "--funding: \"X:eu:1:EUR:0\": \"0\": an exchange rate must be above zero"
        );
        let l = parse_funding("Interreg:eu:350 000:EUR:11.25:2024-01-31").unwrap();
        assert_eq!(l.foreign.unwrap().rate_date, crate::domain::date::parse_date("2024-01-31").ok());
        let l = parse_funding("Region: Värmland:region:5").unwrap();
        assert_eq!(l.funder, "Region: Värmland");
    }
}
