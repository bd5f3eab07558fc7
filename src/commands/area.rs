//! `spets area list|add|rename|retire`.

use std::io::Write;

use super::{Context, date_arg};
use crate::cli::AreaCommand;
use crate::domain::area::{self, validate_code};
use crate::domain::date::iso;
use crate::error::{Error, Result};
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access, AreaSeedOwned};

fn name_arg(flag: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.contains(':') || v.chars().any(char::is_control) {
        return Err(Error::value(
            flag,
            value,
            crate::tr!(
                "an area name is not blank and has no `:` or control characters",
                "ett områdesnamn är inte tomt och har inget `:` eller styrtecken"
            ),
        ));
    }
    Ok(v.to_string())
}

pub fn run(ctx: &Context, command: AreaCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        AreaCommand::List(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let v = store.at(snapshot);
            let strategies = v.strategies()?;
            let strategy_of = |id: Option<i64>| strategies.iter().find(|s| Some(s.id) == id).map(|s| s.name.clone());
            let rows = v
                .areas()?
                .into_iter()
                .map(|a| {
                    vec![
                        Cell::text(&a.code),
                        Cell::opt_text(strategy_of(a.strategy)),
                        Cell::text(&a.name_sv),
                        Cell::text(&a.name_en),
                        Cell::opt_text(a.valid_from.map(iso)),
                        Cell::opt_text(a.valid_to.map(iso)),
                        Cell::opt_text(a.horizontal.then(|| lang.pick("horizontal theme", "horisontellt tema"))),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("code", "Code", "Kod", ColumnKind::Text),
                frame.col("strategy", "Strategy", "Strategi", ColumnKind::Text),
                frame.col("name_sv", "Swedish name", "Svenskt namn", ColumnKind::Text),
                frame.col("name_en", "English name", "Engelskt namn", ColumnKind::Text).detail(),
                frame.col("valid_from", "From", "Från", ColumnKind::Text).detail(),
                frame.col("valid_to", "To", "Till", ColumnKind::Text).detail(),
                frame.col("theme", "Theme", "Tema", ColumnKind::Text).detail(),
            ];
            let table = Table { key: "areas".into(), title: String::new(), columns, rows, totals: None };
            let report =
                frame.report("areas", lang.pick("Specialisation areas", "Specialiseringsområden").into(), table);
            ctx.render(&report, None, false)
        }
        AreaCommand::Add { code, sv, en, valid_from, valid_to, strategy, horizontal } => {
            validate_code(&code).map_err(|e| Error::value("CODE", &code, e))?;
            let seed =
                AreaSeedOwned { code: code.clone(), name_sv: name_arg("--sv", &sv)?, name_en: name_arg("--en", &en)? };
            let from = date_arg("--valid-from", valid_from.as_ref())?;
            let to = date_arg("--valid-to", valid_to.as_ref())?;
            if let (Some(f), Some(t)) = (from, to)
                && t < f
            {
                return Err(Error::usage(crate::tr!(
                    "--valid-to {} is before --valid-from {}",
                    "--valid-to {} är före --valid-from {}",
                    iso(t),
                    iso(f)
                )));
            }
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let strategies = change.now().strategies()?;
            let strategy = match &strategy {
                Some(name) => Some(
                    crate::domain::strategy::find(name, &strategies)
                        .map_err(|e| Error::value("--strategy", name, e))?
                        .id,
                ),
                None => strategies.last().map(|s| s.id),
            };
            let added = store::areas::add(&change, &seed, from, to, strategy, horizontal)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} ({}).",
                lang.pick("Added area", "Lade till området"),
                added.code,
                added.name(lang)
            )?;
            out.finish()
        }
        AreaCommand::Rename { area: name, code, sv, en } => {
            if code.is_none() && sv.is_none() && en.is_none() {
                return Err(Error::usage(crate::tr!(
                    "nothing to rename: give --code, --sv or --en",
                    "inget att byta namn på: ange --code, --sv eller --en"
                )));
            }
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let areas = change.now().areas()?;
            let mut a = area::resolve(&name, &areas).map_err(|e| Error::value("AREA", &name, e))?.clone();
            if let Some(c) = code {
                validate_code(&c).map_err(|e| Error::value("--code", &c, e))?;
                a.code = c;
            }
            if let Some(s) = sv {
                a.name_sv = name_arg("--sv", &s)?;
            }
            if let Some(e) = en {
                a.name_en = name_arg("--en", &e)?;
            }
            store::areas::update(&change, &a)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(out.writer, "{} {}: {} / {}.", lang.pick("Area", "Område"), a.code, a.name_sv, a.name_en)?;
            out.finish()
        }
        AreaCommand::Retire { area: name, date } => {
            let last = date_arg("--date", date.as_ref())?.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let areas = change.now().areas()?;
            let mut a = area::resolve(&name, &areas).map_err(|e| Error::value("AREA", &name, e))?.clone();
            if a.valid_from.is_some_and(|f| last < f) {
                return Err(Error::value(
                    "--date",
                    &iso(last),
                    crate::tr!("is before the area's first day", "är före områdets första dag"),
                ));
            }
            a.valid_to = Some(last);
            store::areas::update(&change, &a)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} {} {}.",
                lang.pick("Area", "Området"),
                a.code,
                lang.pick("is retired after", "avvecklas efter"),
                iso(last)
            )?;
            out.finish()
        }
    }
}
