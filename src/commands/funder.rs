//! `spets funder default|defaults`: the funder each kind's amount column of the
//! projects CSV is recorded under, so that `report funders` names Region Värmland, not
//! the word `region`.

use std::io::Write;

use super::Context;
use crate::cli::FunderCommand;
use crate::domain::project::{DefaultFunders, FunderKind, Setting};
use crate::error::{Error, Result};
use crate::render::visible;
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access, Snapshot};

pub fn run(ctx: &Context, command: FunderCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        FunderCommand::Default { kind, name } => {
            let kind_value: FunderKind = kind.parse().map_err(|e| Error::value("KIND", &kind, e))?;
            if kind_value == FunderKind::Eu {
                return Err(Error::value(
                    "KIND",
                    &kind,
                    crate::tr!(
                        "the eu column's funder is each project's fund (--fund)",
                        "eu-kolumnens finansiär är varje projekts fond (--fund)"
                    ),
                ));
            }
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(Error::usage(crate::tr!(
                    "NAME: a funder's name is required",
                    "NAMN: en finansiärs namn krävs"
                )));
            }
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let setting = Setting { key: DefaultFunders::key(kind_value), value: name.clone() };
            let changed = store::settings::set(&change, &setting)?;
            change.commit()?;
            let mut out = ctx.output()?;
            if changed {
                writeln!(
                    out.writer,
                    "{} {}: {}.",
                    lang.pick("Default funder for", "Standardfinansiär för"),
                    kind_value.label(lang),
                    visible(&name)
                )?;
            } else {
                writeln!(out.writer, "{}", lang.pick("Nothing to change.", "Inget att ändra."))?;
            }
            out.finish()
        }
        FunderCommand::Defaults(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot: Snapshot = ctx.snapshot(&store, &as_of)?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let defaults = store.at(snapshot).default_funders()?;
            let rows = FunderKind::ALL
                .iter()
                .filter(|k| **k != FunderKind::Eu)
                .map(|k| vec![Cell::text(k.label(lang)), Cell::text(defaults.funder(*k, None))])
                .collect();
            let columns = vec![
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("funder", "Default funder", "Standardfinansiär", ColumnKind::Text),
            ];
            let table = Table { key: "funders".into(), title: String::new(), columns, rows, totals: None };
            let title = lang.pick("Default funders", "Standardfinansiärer").into();
            ctx.render(&frame.report("default_funders", title, table), None, false)
        }
    }
}
