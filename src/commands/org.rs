//! `spets org add|list|show|edit`.

use std::io::Write;

use super::Context;
use crate::cli::OrgCommand;
use crate::domain::filter::Filter;
use crate::domain::org::{OrgKind, OrgNo, validate_name};
use crate::domain::project::Status;
use crate::error::{Error, Result};
use crate::render::visible;
use crate::report::{Cell, ColumnKind, Layout, Table};
use crate::store::{self, Access};

fn kind_arg(value: &str) -> Result<OrgKind> {
    value.parse().map_err(|e| Error::value("--kind", value, e))
}

fn org_no_arg(value: &str) -> Result<Option<OrgNo>> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    OrgNo::parse(value).map(Some).map_err(|e| Error::value("--org-no", value, e))
}

pub fn run(ctx: &Context, command: OrgCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        OrgCommand::Add { name, org_no, kind } => {
            validate_name(&name).map_err(|e| Error::value("NAME", &name, e))?;
            let org_no = match org_no {
                Some(n) => org_no_arg(&n)?,
                None => None,
            };
            let kind = kind_arg(&kind)?;
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let org = store::orgs::add(&change, &name, org_no, kind)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} ({}).",
                lang.pick("Added organisation", "Lade till organisationen"),
                visible(&org.name),
                org.kind.label(lang)
            )?;
            out.finish()
        }
        OrgCommand::List(as_of) => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let rows = store
                .at(snapshot)
                .orgs()?
                .into_iter()
                .map(|o| {
                    vec![
                        Cell::text(&o.name),
                        Cell::opt_text(o.org_no.map(|n| n.to_string())),
                        Cell::text(o.kind.label(ctx.lang)),
                        Cell::text(o.kind.helix().label(ctx.lang)),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("name", "Name", "Namn", ColumnKind::Text),
                frame.col("org_no", "Org. no.", "Org.nr", ColumnKind::Text),
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("helix", "Helix", "Helix", ColumnKind::Text).detail(),
            ];
            let table = Table { key: "orgs".into(), title: String::new(), columns, rows, totals: None };
            ctx.render(&frame.report("orgs", lang.pick("Organisations", "Organisationer").into(), table), None, false)
        }
        OrgCommand::Show { name, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            let org = store.at(snapshot).require_org("NAME", &name)?;
            let frame = ctx.frame(&store, snapshot, Vec::new())?;
            let columns = vec![
                frame.col("name", "Name", "Namn", ColumnKind::Text),
                frame.col("org_no", "Org. no.", "Org.nr", ColumnKind::Text),
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("helix", "Helix", "Helix", ColumnKind::Text),
            ];
            let row = vec![
                Cell::text(&org.name),
                Cell::opt_text(org.org_no.as_ref().map(|n| n.to_string())),
                Cell::text(org.kind.label(lang)),
                Cell::text(org.kind.helix().label(lang)),
            ];
            let main = Table { key: "org".into(), title: String::new(), columns, rows: vec![row], totals: None };
            let mut report = frame.report("org", org.name.clone(), main);
            report.layout = Layout::Record;
            let filter = Filter { orgs: vec![org.id], statuses: Status::ALL.to_vec(), ..Filter::default() };
            let mut rows = Vec::new();
            store.at(snapshot).each_project(&filter, |sp| {
                let role = if sp.project.owner == org.id {
                    lang.pick("owner", "ägare")
                } else {
                    lang.pick("partner", "partner")
                };
                rows.push(vec![
                    Cell::text(&sp.project.reference),
                    Cell::text(&sp.project.title),
                    Cell::text(role),
                    Cell::text(sp.project.status.label(lang)),
                    Cell::money(sp.components.total()),
                ]);
                Ok(())
            })?;
            report.sections.push(Table {
                key: "projects".into(),
                title: lang.pick("Projects", "Projekt").into(),
                columns: vec![
                    frame.col("ref", "Ref", "Dnr", ColumnKind::Text),
                    frame.col("title", "Title", "Titel", ColumnKind::Text),
                    frame.col("role", "Role", "Roll", ColumnKind::Text),
                    frame.col("status", "Status", "Status", ColumnKind::Text),
                    frame.col("total", "Total", "Totalt", ColumnKind::Money),
                ],
                rows,
                totals: None,
            });
            ctx.render(&report, None, false)
        }
        OrgCommand::Edit { name, new_name, org_no, kind } => {
            if new_name.is_none() && org_no.is_none() && kind.is_none() {
                return Err(Error::usage(crate::tr!(
                    "nothing to change: give --name, --org-no or --kind",
                    "inget att ändra: ange --name, --org-no eller --kind"
                )));
            }
            if let Some(n) = &new_name {
                validate_name(n).map_err(|e| Error::value("--name", n, e))?;
            }
            let org_no = org_no.map(|n| org_no_arg(&n)).transpose()?;
            let kind = kind.map(|k| kind_arg(&k)).transpose()?;
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let mut org = change.now().require_org("NAME", &name)?;
            if let Some(n) = new_name {
                org.name = n.trim().to_string();
            }
            if let Some(n) = org_no {
                org.org_no = n;
            }
            if let Some(k) = kind {
                org.kind = k;
            }
            let changed = store::orgs::update(&change, &org)?;
            change.commit()?;
            let mut out = ctx.output()?;
            let said = if changed {
                lang.pick("Updated organisation", "Ändrade organisationen")
            } else {
                lang.pick("Nothing to change for", "Inget att ändra för")
            };
            // "Paper Province ek. för." ends its own sentence.
            let name = visible(&org.name);
            writeln!(out.writer, "{said} {name}{}", if name.ends_with('.') { "" } else { "." })?;
            out.finish()
        }
    }
}
