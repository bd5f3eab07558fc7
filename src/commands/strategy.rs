//! `spets strategy list|show|add|map`.

use std::io::Write;

use super::{Context, date_arg};
use crate::cli::StrategyCommand;
use crate::domain::area::{self, AreaIndex, FULL_SHARE, format_share};
use crate::domain::date::iso;
use crate::domain::strategy::{self, describe, validate_name};
use crate::error::{Error, Result};
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access};

fn title_arg(flag: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().any(char::is_control) {
        return Err(Error::value(
            flag,
            value,
            crate::tr!(
                "a title is not blank and has no control characters",
                "en titel är inte tom och har inga styrtecken"
            ),
        ));
    }
    Ok(v.to_string())
}

pub fn run(ctx: &Context, command: StrategyCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        StrategyCommand::List(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let v = store.at(snapshot);
            let areas = v.areas()?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let strategies = v.strategies()?;
            let rows = strategies
                .iter()
                .map(|s| {
                    let of = areas.iter().filter(|a| a.strategy == Some(s.id));
                    let (themes, areas): (Vec<_>, Vec<_>) = of.partition(|a| a.horizontal);
                    vec![
                        Cell::text(&s.name),
                        Cell::text(s.title(lang)),
                        Cell::text(iso(s.valid_from)),
                        Cell::opt_text(s.valid_to.map(iso)),
                        Cell::Count(areas.len() as i64),
                        Cell::Count(themes.len() as i64),
                        Cell::opt_text(strategy::successor_of(s, &strategies).map(|n| n.name.clone())),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("strategy", "Strategy", "Strategi", ColumnKind::Text),
                frame.col("title", "Title", "Titel", ColumnKind::Text),
                frame.col("valid_from", "From", "Från", ColumnKind::Text),
                frame.col("valid_to", "To", "Till", ColumnKind::Text),
                frame.col("areas", "Areas", "Områden", ColumnKind::Count),
                frame.col("horizontal", "Themes", "Teman", ColumnKind::Count),
                frame.col("replaced_by", "Replaced by", "Ersatt av", ColumnKind::Text),
            ];
            let table = Table { key: "strategies".into(), title: String::new(), columns, rows, totals: None };
            let report = frame.report("strategies", lang.pick("Strategies", "Strategier").into(), table);
            ctx.render(&report, None, false)
        }
        StrategyCommand::Show { name, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let v = store.at(snapshot);
            let strategies = v.strategies()?;
            let s = strategy::find(&name, &strategies).map_err(|e| Error::value("NAME", &name, e))?;
            let areas = v.areas()?;
            let successors = v.successors()?;
            let frame = ctx.frame(&store, snapshot, vec![("strategy".into(), s.name.clone())])?;
            let rows = areas
                .iter()
                .filter(|a| a.strategy == Some(s.id))
                .map(|a| {
                    let next: Vec<_> = successors.iter().filter(|c| c.from == a.id).collect();
                    vec![
                        Cell::text(&a.code),
                        Cell::text(a.name(lang)),
                        Cell::text(if a.horizontal {
                            lang.pick("horizontal theme", "horisontellt tema")
                        } else {
                            lang.pick("area", "område")
                        }),
                        if next.is_empty() { Cell::Empty } else { Cell::text(describe(&next, &areas)) },
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("area", "Code", "Kod", ColumnKind::Text),
                frame.col("name", "Area", "Område", ColumnKind::Text),
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("continues_in", "Continues in", "Fortsätter i", ColumnKind::Text),
            ];
            let table = Table { key: "areas".into(), title: String::new(), columns, rows, totals: None };
            let mut report = frame.report(
                "strategy",
                format!("{} {} ({})", lang.pick("Strategy", "Strategi"), s.name, s.title(lang)),
                table,
            );
            let period = match s.valid_to {
                Some(to) => format!("{} – {}", iso(s.valid_from), iso(to)),
                None => format!("{} –", iso(s.valid_from)),
            };
            report.notes.push(format!("{}: {period}.", lang.pick("Period", "Period")));
            if let Some(next) = strategy::successor_of(s, &strategies) {
                report.notes.push(crate::tr!(
                    "Replaced by strategy {} on {}: its areas cannot be given to projects decided from then on.",
                    "Ersatt av strategi {} den {}: dess områden kan inte ges till projekt som beslutas från och med då.",
                    next.name,
                    iso(next.valid_from)
                ));
            }
            ctx.render(&report, None, false)
        }
        StrategyCommand::Add { name, sv, en, from, to } => {
            validate_name(&name).map_err(|e| Error::value("NAME", &name, e))?;
            let (sv, en) = (title_arg("--sv", &sv)?, title_arg("--en", &en)?);
            let first = match date_arg("--from", from.as_ref())? {
                Some(d) => d,
                None => name
                    .parse::<i32>()
                    .ok()
                    .and_then(|y| chrono::NaiveDate::from_ymd_opt(y, 1, 1))
                    .ok_or_else(|| Error::value("NAME", &name, crate::tr!("not a year", "inte ett år")))?,
            };
            let last = date_arg("--to", to.as_ref())?;
            if last.is_some_and(|l| l < first) {
                return Err(Error::usage(crate::tr!(
                    "--to is before the strategy's first day {}",
                    "--to är före strategins första dag {}",
                    iso(first)
                )));
            }
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let added = store::strategies::add(&change, &name, &sv, &en, first, last)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} ({}).",
                lang.pick("Added strategy", "Lade till strategi"),
                added.name,
                added.title(lang)
            )?;
            out.finish()
        }
        StrategyCommand::Map { area: from_name, to } => {
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let v = change.now();
            let areas = v.areas()?;
            let strategies = v.strategies()?;
            let from = area::resolve(&from_name, &areas).map_err(|e| Error::value("AREA", &from_name, e))?.clone();
            let own = strategies.iter().find(|s| Some(s.id) == from.strategy);
            let specs: Vec<&str> = to.iter().map(String::as_str).filter(|s| !s.trim().is_empty()).collect();
            let targets = if specs.is_empty() {
                Vec::new()
            } else {
                let shares = area::resolve_shares(&specs, &AreaIndex::new(&areas))
                    .map_err(|e| Error::value("AREA[:SHARE]", &specs.join(" "), e))?;
                for share in &shares {
                    let target = areas.iter().find(|a| a.id == share.area_id);
                    let later = target
                        .and_then(|t| strategies.iter().find(|s| Some(s.id) == t.strategy))
                        .is_some_and(|t| own.is_none_or(|o| t.valid_from > o.valid_from));
                    if !later {
                        let code = target.map_or("", |t| t.code.as_str());
                        return Err(Error::value(
                            "AREA[:SHARE]",
                            code,
                            crate::tr!(
                                "an area continues only in areas of a later strategy than its own ({})",
                                "ett område fortsätter bara i områden ur en senare strategi än sin egen ({})",
                                own.map_or("-", |o| o.name.as_str())
                            ),
                        ));
                    }
                }
                shares.into_iter().map(|s| (s.area_id, s.share_bp)).collect()
            };
            let changed = store::strategies::map(&change, from.id, &targets)?;
            change.commit()?;
            let mut out = ctx.output()?;
            let said = if targets.is_empty() {
                crate::tr!("{} has no successor.", "{} har ingen efterföljare.", from.code)
            } else {
                let list: Vec<String> = targets
                    .iter()
                    .map(|(id, bp)| {
                        let code = areas.iter().find(|a| a.id == *id).map_or("", |a| a.code.as_str());
                        if *bp == FULL_SHARE {
                            code.to_string()
                        } else {
                            format!("{code} {} %", format_share(*bp, lang.decimal_mark()))
                        }
                    })
                    .collect();
                crate::tr!("{} continues in {}.", "{} fortsätter i {}.", from.code, list.join(", "))
            };
            if changed {
                writeln!(out.writer, "{said}")?;
            } else {
                writeln!(out.writer, "{} {said}", lang.pick("Unchanged:", "Oförändrat:"))?;
            }
            out.finish()
        }
    }
}
