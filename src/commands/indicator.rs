//! `spets indicator set|list`.

use std::io::Write;

use super::Context;
use crate::cli::IndicatorCommand;
use crate::domain::indicator::{Definition, REGION, builtin, check_unit, normal_code, validate_code};
use crate::domain::project::{Indicator, parse_quantity};
use crate::domain::text::nearest;
use crate::error::{Error, Result};
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access};

/// The definition of `code`, or an error that names the nearest known code.
fn known(catalogue: &[Definition], code: &str) -> Result<Definition> {
    if let Some(d) = catalogue.iter().find(|d| d.code == code) {
        return Ok(d.clone());
    }
    let why = match nearest(code, catalogue.iter().map(|d| d.code.as_str())) {
        Some(n) => crate::tr!("unknown indicator code (did you mean {n}?)", "okänd indikatorkod (menade du {n}?)"),
        None => crate::tr!("unknown indicator code", "okänd indikatorkod"),
    };
    Err(Error::value("--code", code, why).hint(crate::tr!(
        "`spets indicator catalogue` lists the codes; `spets indicator define` adds the region's own",
        "`spets indicator catalogue` listar koderna; `spets indicator define` lägger till regionens egna"
    )))
}

fn text_arg(flag: &str, value: &str) -> Result<String> {
    let v = value.trim();
    if v.is_empty() || v.chars().any(char::is_control) {
        return Err(Error::value(
            flag,
            value,
            crate::tr!("is blank or has control characters", "är tomt eller har styrtecken"),
        ));
    }
    Ok(v.to_string())
}

pub fn run(ctx: &Context, command: IndicatorCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        IndicatorCommand::Set { reference, code, target, outcome, name, unit } => {
            let code = normal_code(&code);
            validate_code(&code).map_err(|e| Error::value("--code", &code, e))?;
            let target = parse_quantity(&target).map_err(|e| Error::value("--target", &target, e))?;
            let outcome =
                outcome.map(|o| parse_quantity(&o).map_err(|e| Error::value("--outcome", &o, e))).transpose()?;
            let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            if !change.now().project_exists(&reference)? {
                return Err(change.now().no_project(&reference));
            }
            // What is not given stays as it was; an empty --name or --unit clears it.
            let def = known(&change.now().indicator_catalogue()?, &code)?;
            check_unit(&def, unit.as_deref()).map_err(|e| Error::value("--unit", unit.as_deref().unwrap_or(""), e))?;
            let existing = change.now().indicator(&reference, &code)?;
            let kept = |given: Option<String>, old: Option<&Option<String>>| match given {
                Some(g) => clean(Some(g)),
                None => old.cloned().flatten(),
            };
            let indicator = Indicator {
                reference: reference.clone(),
                name: kept(name, existing.as_ref().map(|i| &i.name)),
                // Recorded in the catalogue's own word, whichever language it was given in.
                unit: Some(def.unit.clone()),
                outcome: outcome.or(existing.as_ref().and_then(|i| i.outcome)),
                code,
                target,
            };
            let changed = store::indicators::set(&change, &indicator)?;
            change.commit()?;
            let mut out = ctx.output()?;
            if changed {
                writeln!(
                    out.writer,
                    "{} {} {} {}.",
                    lang.pick("Set indicator", "Satte indikatorn"),
                    indicator.code,
                    lang.pick("of", "för"),
                    reference
                )?;
            } else {
                writeln!(
                    out.writer,
                    "{} {}.",
                    lang.pick("Nothing to change for indicator", "Inget att ändra för indikatorn"),
                    indicator.code
                )?;
            }
            out.finish()
        }
        IndicatorCommand::Define { code, en, sv, unit, summable } => {
            let code = normal_code(&code);
            validate_code(&code).map_err(|e| Error::value("CODE", &code, e))?;
            if let Some(b) = builtin(&code) {
                return Err(Error::value(
                    "CODE",
                    &code,
                    crate::tr!(
                        "is a common indicator of the EU's catalogue ({}); its name, unit and summability are the regulation's",
                        "är en gemensam indikator i EU:s katalog ({}); dess namn, enhet och summerbarhet är förordningens",
                        b.origin
                    ),
                ));
            }
            let unit = text_arg("--unit", &unit)?;
            let def = Definition {
                code: code.clone(),
                name_en: text_arg("--en", &en)?,
                name_sv: text_arg("--sv", &sv)?,
                unit_sv: unit.clone(),
                unit,
                summable,
                origin: REGION.into(),
            };
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let changed = store::indicators::define(&change, &def)?;
            change.commit()?;
            let mut out = ctx.output()?;
            if changed {
                writeln!(
                    out.writer,
                    "{} {code} ({}).",
                    lang.pick("Defined indicator", "Definierade indikatorn"),
                    def.name(lang)
                )?;
            } else {
                writeln!(
                    out.writer,
                    "{} {code}.",
                    lang.pick("Nothing to change for indicator", "Inget att ändra för indikatorn")
                )?;
            }
            out.finish()
        }
        IndicatorCommand::Catalogue(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let catalogue = store.at(snapshot).indicator_catalogue()?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let yes_no = |b: bool| Cell::text(if b { lang.pick("yes", "ja") } else { lang.pick("no", "nej") });
            let rows = catalogue
                .iter()
                .map(|d| {
                    vec![
                        Cell::text(&d.code),
                        Cell::text(d.name(lang)),
                        Cell::text(d.unit_in(lang)),
                        yes_no(d.summable),
                        Cell::text(&d.origin),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("code", "Code", "Kod", ColumnKind::Text),
                frame.col("name", "Name", "Namn", ColumnKind::Text),
                frame.col("unit", "Unit", "Enhet", ColumnKind::Text),
                frame.col("summable", "Summable", "Summerbar", ColumnKind::Text),
                frame.col("origin", "Origin", "Ursprung", ColumnKind::Text),
            ];
            let table = Table { key: "catalogue".into(), title: String::new(), columns, rows, totals: None };
            let mut report = frame.report("catalogue", lang.pick("Indicator codes", "Indikatorkoder").into(), table);
            report.notes.push(
                lang.pick(
                    "ERDF: the common output and result indicators of Regulation (EU) 2021/1058, Annex I; ESF+: those of Regulation (EU) 2021/1057, Annex I. Not summable: counts of distinct things, which several projects may share.",
                    "ERUF: de gemensamma output- och resultatindikatorerna i förordning (EU) 2021/1058, bilaga I; ESF+: de i förordning (EU) 2021/1057, bilaga I. Inte summerbar: antal unika saker, som flera projekt kan dela.",
                )
                .into(),
            );
            ctx.render(&report, None, false)
        }
        IndicatorCommand::List { reference, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let list = store.at(snapshot).indicators(reference.as_deref())?;
            let catalogue = store.at(snapshot).indicator_catalogue()?;
            // A code's unit in the reader's language; a unit the code does not have as it
            // was recorded (`spets check` names those).
            let unit = |i: &Indicator| match catalogue.iter().find(|d| d.code == i.code) {
                Some(d) if i.unit.as_deref().is_none_or(|u| d.unit_matches(u)) => Some(d.unit_in(lang).to_string()),
                _ => i.unit.clone(),
            };
            let frame =
                ctx.frame(&store, snapshot, reference.iter().map(|r| ("ref".to_string(), r.clone())).collect())?;
            let rows = list
                .iter()
                .map(|i| {
                    vec![
                        Cell::text(&i.reference),
                        Cell::text(&i.code),
                        Cell::opt_text(i.name.clone()),
                        Cell::opt_text(unit(i)),
                        Cell::Number(i.target.to_string()),
                        i.outcome.map_or(Cell::Empty, |o| Cell::Number(o.to_string())),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("ref", "Ref", "Dnr", ColumnKind::Text),
                frame.col("code", "Code", "Kod", ColumnKind::Text),
                frame.col("name", "Name", "Namn", ColumnKind::Text).detail(),
                frame.col("unit", "Unit", "Enhet", ColumnKind::Text).detail(),
                frame.col("target", "Target", "Mål", ColumnKind::Number),
                frame.col("outcome", "Outcome", "Utfall", ColumnKind::Number),
            ];
            let table = Table { key: "indicators".into(), title: String::new(), columns, rows, totals: None };
            let mut report = frame.report("indicators", lang.pick("Indicators", "Indikatorer").into(), table);
            report.notes.push(
                lang.pick(
                    "No totals: counts of distinct things (enterprises supported, say) cannot be summed across projects, since one enterprise may be in several.",
                    "Inga summor: antal unika saker (t.ex. stödda företag) kan inte summeras över projekt, eftersom ett företag kan finnas i flera.",
                )
                .into(),
            );
            ctx.render(&report, None, false)
        }
    }
}
