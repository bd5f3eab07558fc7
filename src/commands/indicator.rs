//! `spets indicator set|list`.

use std::io::Write;

use super::Context;
use crate::cli::IndicatorCommand;
use crate::domain::project::{Indicator, parse_quantity};
use crate::error::{Error, Result};
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access};

pub fn run(ctx: &Context, command: IndicatorCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        IndicatorCommand::Set { reference, code, target, outcome, name, unit } => {
            let code = code.trim().to_string();
            if code.is_empty() || code.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::value(
                    "--code",
                    &code,
                    crate::tr!(
                        "an indicator code has no spaces (e.g. RCO01)",
                        "en indikatorkod har inga mellanslag (t.ex. RCO01)"
                    ),
                ));
            }
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
            let existing = change.now().indicator(&reference, &code)?;
            let kept = |given: Option<String>, old: Option<&Option<String>>| match given {
                Some(g) => clean(Some(g)),
                None => old.cloned().flatten(),
            };
            let indicator = Indicator {
                reference: reference.clone(),
                name: kept(name, existing.as_ref().map(|i| &i.name)),
                unit: kept(unit, existing.as_ref().map(|i| &i.unit)),
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
        IndicatorCommand::List { reference, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let list = store.at(snapshot).indicators(reference.as_deref())?;
            let frame =
                ctx.frame(&store, snapshot, reference.iter().map(|r| ("ref".to_string(), r.clone())).collect())?;
            let rows = list
                .iter()
                .map(|i| {
                    vec![
                        Cell::text(&i.reference),
                        Cell::text(&i.code),
                        Cell::opt_text(i.name.clone()),
                        Cell::opt_text(i.unit.clone()),
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
