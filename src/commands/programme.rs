//! `spets programme set|list`: programmes and their co-financing caps, which `spets
//! check` holds projects to.

use crate::report::Ratio;
use std::io::Write;

use super::Context;
use crate::cli::ProgrammeCommand;
use crate::domain::area::parse_share;
use crate::domain::project::Programme;
use crate::error::{Error, Result};
use crate::render::visible;
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access};

fn cap(flag: &str, value: Option<String>) -> Result<Option<u32>> {
    value.map(|v| parse_share(&v).map_err(|e| Error::value(flag, &v, e.replace("a share", "a cap")))).transpose()
}

pub fn run(ctx: &Context, command: ProgrammeCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        ProgrammeCommand::Set { name, eu_cap, region_cap } => {
            let name = name.trim().to_string();
            if name.is_empty() {
                return Err(Error::usage(crate::tr!(
                    "NAME: a programme name is required",
                    "NAMN: ett programnamn krävs"
                )));
            }
            let programme =
                Programme { name, eu_cap: cap("--eu-cap", eu_cap)?, region_cap: cap("--region-cap", region_cap)? };
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            for other in change.now().programme_spellings_like(&programme.name)? {
                ctx.say(&format!(
                    "{} {:?} {} {:?}",
                    lang.pick("warning: programme", "varning: programmet"),
                    visible(&programme.name),
                    lang.pick(
                        "differs only by dash, case or spacing from",
                        "skiljer sig bara i streck, versaler eller blanksteg från"
                    ),
                    visible(&other)
                ));
            }
            let changed = store::programmes::set(&change, &programme)?;
            change.commit()?;
            let mut out = ctx.output()?;
            let word = if changed {
                lang.pick("Set programme", "Satte programmet")
            } else {
                lang.pick("Nothing to change for programme", "Inget att ändra för programmet")
            };
            writeln!(out.writer, "{word} {}.", visible(&programme.name))?;
            out.finish()
        }
        ProgrammeCommand::List(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let rows = store
                .at(snapshot)
                .programmes()?
                .into_iter()
                .map(|p| {
                    vec![
                        Cell::text(&p.name),
                        Cell::Percent(p.eu_cap.map(|c| Ratio::bp(i64::from(c)))),
                        Cell::Percent(p.region_cap.map(|c| Ratio::bp(i64::from(c)))),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("programme", "Programme", "Program", ColumnKind::Text),
                frame.col("eu_cap", "EU cap", "EU-tak", ColumnKind::Percent),
                frame.col("region_cap", "Region cap", "Regiontak", ColumnKind::Percent),
            ];
            let table = Table { key: "programmes".into(), title: String::new(), columns, rows, totals: None };
            ctx.render(
                &frame.report(
                    "programmes",
                    lang.pick("Programmes and co-financing caps", "Program och medfinansieringstak").into(),
                    table,
                ),
                None,
                false,
            )
        }
    }
}
