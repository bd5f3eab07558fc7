//! `spets export projects|funding|payments|orgs`: exactly the import formats, as CSV (or
//! JSON objects with the same keys). Export, import into an empty database, export
//! again: the files are byte-identical.

use std::collections::HashMap;
use std::io::Write;

use super::import::Table;
use super::{Context, Format};
use crate::cli::{ExportArgs, TableName};
use crate::domain::filter::Filter;
use crate::domain::project::Status;
use crate::error::{Error, Result};
use crate::formats::{self, Cell};
use crate::render::CsvDialect;
use crate::store::{self, Access, Snapshot, Store};

/// Writes records as CSV or as a JSON array of objects.
enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Json { out: &'a mut dyn Write, columns: &'static [&'static str], first: bool },
}

impl Sink<'_> {
    fn record(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            Sink::Csv(w) => formats::write_record(w.as_mut(), cells)?,
            Sink::Json { out, columns, first } => {
                let object: serde_json::Map<String, serde_json::Value> = columns
                    .iter()
                    .zip(cells)
                    .map(|(k, c)| {
                        let text = match c {
                            Cell::Text(t) | Cell::Plain(t) => t,
                        };
                        let v = if text.is_empty() {
                            serde_json::Value::Null
                        } else {
                            serde_json::Value::String(text.clone())
                        };
                        (k.to_string(), v)
                    })
                    .collect();
                out.write_all(if *first { b"[\n  " } else { b",\n  " })?;
                serde_json::to_writer(&mut **out, &object).map_err(std::io::Error::from)?;
                *first = false;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Csv(mut w) => w.flush()?,
            Sink::Json { out, first, .. } => out.write_all(if first { b"[]\n" } else { b"\n]\n" })?,
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<()> {
    let store = ctx.open(Access::Read)?;
    let format = ctx.format.unwrap_or(Format::Csv);
    if format == Format::Table {
        return Err(Error::usage("export writes csv or json (--format csv|json)"));
    }
    let table = match args.table {
        TableName::Projects => Table::Projects,
        TableName::Funding => Table::Funding,
        TableName::Payments => Table::Payments,
        TableName::Orgs => Table::Orgs,
    };
    let mut output = ctx.output()?;
    write(&store, table, format == Format::Json, ctx.dialect, &mut output.writer)?;
    output.finish()
}

/// Writes one table of `store` in its import format: CSV in `dialect`, or JSON.
pub fn write(store: &Store, table: Table, json: bool, dialect: CsvDialect, out: &mut dyn Write) -> Result<()> {
    let conn = store.conn();
    // JSON is for programs: plain numbers, whatever the CSV dialect.
    let dialect = if json { CsvDialect::Plain } else { dialect };
    let columns: &'static [&'static str] = match table {
        Table::Projects => formats::projects::COLUMNS,
        Table::Funding => formats::funding::COLUMNS,
        Table::Payments => formats::payments::COLUMNS,
        Table::Orgs => formats::orgs::COLUMNS,
    };
    let mut sink = if json {
        Sink::Json { out, columns, first: true }
    } else {
        let mut w = crate::render::csv::writer(out, dialect)?;
        w.write_record(columns.iter()).map_err(crate::render::csv::io_error)?;
        Sink::Csv(Box::new(w))
    };
    let all = Filter { statuses: Status::ALL.to_vec(), ..Filter::default() };
    match table {
        Table::Projects => {
            let orgs = store::orgs::by_id(conn, Snapshot::CURRENT)?;
            let areas: HashMap<i64, _> =
                store::areas::list(conn, Snapshot::CURRENT)?.into_iter().map(|a| (a.id, a)).collect();
            let municipalities = store.municipalities()?;
            let names = formats::projects::Names { orgs: &orgs, areas: &areas, municipalities: &municipalities };
            store::projects::each(conn, &all, Snapshot::CURRENT, |sp| {
                sink.record(&formats::projects::export_row(sp, &names, dialect))
            })?;
        }
        Table::Funding => {
            store::projects::each(conn, &all, Snapshot::CURRENT, |sp| {
                for line in &sp.project.funding {
                    sink.record(&formats::funding::export_row(&sp.project.reference, line, dialect))?;
                }
                Ok(())
            })?;
        }
        Table::Payments => store::payments::each(conn, |p| sink.record(&formats::payments::export_row(p, dialect)))?,
        Table::Orgs => {
            for o in store::orgs::list(conn, Snapshot::CURRENT)? {
                sink.record(&formats::orgs::export_row(&o))?;
            }
        }
    }
    sink.finish()
}
