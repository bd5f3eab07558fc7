//! `spets compare FILE [--rules NAME]`: a file — the programme's published list, the
//! region's register — against the database, writing nothing. Lists the projects only
//! in the file, those only in the database (of the ones the filters select), and those
//! whose amounts, dates, status or areas differ; exit 1 when anything differs.

use std::collections::{HashMap, HashSet};

use super::import::{Options, open_source};
use super::{Context, build_filter};
use crate::cli::CompareArgs;
use crate::domain::difference::{Fields, Namer, differences};
use crate::domain::filter::DateField;
use crate::domain::project::Status;
use crate::error::{Error, Result};
use crate::formats::reader::Encoding;
use crate::report::compare::{self, Comparison};
use crate::store::Access;

/// The fields compared, and the flag that says the file gives each.
const COMPARED: [&str; 7] = ["status", "decided", "start", "end", "areas", "total", "eu"];

pub fn run(ctx: &Context, args: &CompareArgs) -> Result<()> {
    let name = args.file.display().to_string();
    let opts = Options {
        table: None,
        encoding: Encoding::Utf8,
        dry_run: true,
        allow_overrun: false,
        progress: false,
        lang: ctx.lang,
    };
    let source = open_source(&args.file, &name, &args.rules, args.encoding, &opts)?;
    let gives: Vec<&str> = COMPARED.into_iter().filter(|f| *f == "areas" || source.gives(f)).collect();
    let store = ctx.open(Access::Read)?;
    let snapshot = ctx.snapshot(&store, &args.filters.as_of)?;
    let (mut filter, shown) = build_filter(ctx.lang, &store, snapshot, &args.filters, DateField::Decided)?;
    if args.filters.statuses.is_empty() {
        filter.statuses = Status::ALL.to_vec();
    }
    let defaults = store.at(snapshot).default_funders()?;
    let rows = source.rows(&store)?;

    let orgs = store.at(snapshot).orgs_by_id()?;
    let areas: HashMap<i64, String> = store.at(snapshot).areas()?.into_iter().map(|a| (a.id, a.code)).collect();
    let municipalities = store.at(snapshot).municipalities()?;
    let org = |id: i64| orgs.get(&id).map_or_else(|| format!("#{id}"), |o| o.name.clone());
    let area = |id: i64| areas.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let namer = Namer { org: &org, area: &area, municipalities: &municipalities };

    let mut comparisons = Vec::new();
    let mut seen = HashSet::new();
    let mut same = 0;
    for (row, areas_known) in rows {
        if !seen.insert(row.reference.clone()) {
            return Err(Error::failed(crate::tr!(
                "{name}:{}: ref {:?} appears more than once",
                "{name}:{}: dnr {:?} förekommer mer än en gång",
                row.line,
                row.reference
            )));
        }
        let Some(recorded) = store.at(snapshot).project(&row.reference)? else {
            comparisons.push(Comparison::OnlyInFile { reference: row.reference.clone(), title: row.title.clone() });
            continue;
        };
        // The project as the file alone describes it, compared on what the file gives.
        let from_file = row
            .to_project(recorded.project.owner, Vec::new(), None, &defaults, None)
            .map_err(|e| Error::failed(e.render(&name)))?;
        let given = |field: &str| match field {
            "status" => row.status.from_file().is_some(),
            "decided" => row.decided.from_file().is_some(),
            "start" => row.start.from_file().is_some(),
            "end" => row.end.from_file().is_some(),
            "areas" => areas_known,
            other => gives.contains(&other),
        };
        let found: Vec<_> = differences(&recorded.project, &from_file, Fields::Compared, &namer)
            .into_iter()
            .filter(|d| given(d.field))
            .collect();
        if found.is_empty() {
            same += 1;
        } else {
            comparisons.push(Comparison::Differs {
                reference: row.reference.clone(),
                title: recorded.project.title.clone(),
                differences: found,
            });
        }
    }
    store.at(snapshot).each_project(&filter, |sp| {
        if !seen.contains(&sp.project.reference) {
            comparisons.push(Comparison::OnlyInDatabase {
                reference: sp.project.reference.clone(),
                title: sp.project.title.clone(),
            });
        }
        Ok(())
    })?;
    let frame = ctx.frame(&store, snapshot, shown)?;
    let any = !comparisons.is_empty();
    ctx.render(&compare::build(&frame, &name, comparisons, same), None, false)?;
    if any { Err(Error::silent()) } else { Ok(()) }
}
