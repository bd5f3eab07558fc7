//! `spets export projects|funding|payments|orgs`: exactly the import formats, as CSV (or
//! JSON objects with the same keys). Export, import into an empty database, export
//! again: the files are byte-identical.

use std::collections::HashMap;
use std::io::Write;

use super::import::Table;
use super::{Context, Format};
use crate::cli::{ExportArgs, TableName};
use crate::domain::filter::Filter;
use crate::domain::lang::Lang;
use crate::domain::project::Status;
use crate::error::{Error, Result};
use crate::formats::dialect::CsvDialect;
use crate::formats::{self, Cell};
use crate::store::{Access, Snapshot, Store};

/// Writes records as CSV, as a JSON array of objects, or as a workbook's sheet.
enum Sink<'a> {
    Csv(Box<csv::Writer<&'a mut dyn Write>>),
    Json { out: &'a mut dyn Write, columns: &'static [&'static str], first: bool },
    Xlsx(Box<XlsxSheet<'a>>),
}

/// An export as a workbook: the records on the first sheet, typed (amounts as numbers,
/// dates as dates) so that it imports back exactly, and on a second sheet what it holds
/// and the moment it was taken (below the table it would be read back as records).
struct XlsxSheet<'a> {
    out: &'a mut dyn Write,
    book: rust_xlsxwriter::Workbook,
    columns: &'static [&'static str],
    row: u32,
    about: Vec<String>,
}

/// The columns of the import formats that hold amounts, and dates.
const AMOUNTS: [&str; 8] = ["eu", "state", "region", "municipality", "university", "private", "other", "amount"];
const DATES: [&str; 5] = ["decided", "start", "end", "date", "rate_date"];

impl XlsxSheet<'_> {
    fn record(&mut self, cells: &[Cell]) -> Result<()> {
        use crate::render::xlsx::{excel_date, io_error, kronor};
        // A sheet holds 1 048 576 rows, the header one of them.
        if self.row >= 1_048_575 {
            return Err(Error::failed(crate::tr!(
                "more records than an Excel sheet holds (1 048 575): export as CSV",
                "fler poster än ett Excel-blad rymmer (1 048 575): exportera som CSV"
            )));
        }
        let f = crate::render::xlsx::Formats::new();
        let sheet = self.book.worksheet_from_index(0).map_err(io_error)?;
        self.row += 1;
        for (c, (cell, column)) in cells.iter().zip(self.columns).enumerate() {
            let (Cell::Text(t) | Cell::Plain(t)) = cell;
            let c = c as u16;
            if t.is_empty() {
                continue;
            }
            let written = if AMOUNTS.contains(column) && matches!(cell, Cell::Plain(_)) {
                // A number where a double holds it exactly, else the exact text: either
                // imports back as the same amount.
                crate::domain::money::Money::parse(t)
                    .ok()
                    .and_then(kronor)
                    .map(|v| sheet.write_number_with_format(self.row, c, v, &f.money))
            } else if DATES.contains(column) {
                excel_date(t).map(|d| sheet.write_datetime_with_format(self.row, c, d, &f.date))
            } else {
                None
            };
            match written {
                Some(result) => result.map_err(io_error)?,
                None => sheet.write_string(self.row, c, t.as_str()).map_err(io_error)?,
            };
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        use crate::render::xlsx::io_error;
        let f = crate::render::xlsx::Formats::new();
        let last = self.row.max(1);
        let width = self.columns.len() as u16;
        let sheet = self.book.worksheet_from_index(0).map_err(io_error)?;
        sheet.autofilter(0, 0, last, width.saturating_sub(1)).map_err(io_error)?;
        let about = self.book.add_worksheet();
        about.set_name("about").map_err(io_error)?;
        for (i, line) in self.about.iter().enumerate() {
            if i == 0 {
                about.write_string_with_format(0, 0, line, &f.title).map_err(io_error)?;
            } else {
                about.write_string(i as u32, 0, line).map_err(io_error)?;
            }
        }
        let bytes = self.book.save_to_buffer().map_err(io_error)?;
        self.out.write_all(&bytes)?;
        Ok(())
    }
}

impl Sink<'_> {
    fn record(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            Sink::Csv(w) => formats::write_record(w.as_mut(), cells)?,
            Sink::Xlsx(x) => x.record(cells)?,
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
            Sink::Xlsx(x) => x.finish()?,
        }
        Ok(())
    }
}

pub fn run(ctx: &Context, args: &ExportArgs) -> Result<()> {
    let store = ctx.open(Access::Read)?;
    let format = ctx.format.unwrap_or(Format::Csv);
    if format == Format::Table {
        return Err(Error::usage(crate::tr!(
            "export writes csv, json or xlsx (--format csv|json|xlsx)",
            "export skriver csv, json eller xlsx (--format csv|json|xlsx)"
        )));
    }
    let table = match args.table {
        TableName::Projects => Table::Projects,
        TableName::Funding => Table::Funding,
        TableName::Payments => Table::Payments,
        TableName::Orgs => Table::Orgs,
        TableName::Indicators => Table::Indicators,
    };
    let mut output = ctx.output()?;
    let how = match format {
        Format::Json => How::Json,
        Format::Xlsx => How::Xlsx,
        _ => How::Csv(ctx.dialect),
    };
    write(&store, table, how, &mut output.writer, ctx.lang)?;
    output.finish()
}

/// How an export is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    Csv(CsvDialect),
    Json,
    Xlsx,
}

/// Writes one table of `store` in its import format: CSV in a dialect, JSON, or a
/// workbook.
pub fn write(store: &Store, table: Table, how: How, out: &mut dyn Write, lang: Lang) -> Result<()> {
    // JSON and workbooks hold plain numbers, whatever the CSV dialect.
    let dialect = match how {
        How::Csv(d) => d,
        _ => CsvDialect::Plain,
    };
    let columns: &'static [&'static str] = match table {
        Table::Projects => formats::projects::COLUMNS,
        Table::Funding => formats::funding::COLUMNS,
        Table::Payments => formats::payments::COLUMNS,
        Table::Orgs => formats::orgs::COLUMNS,
        Table::Indicators => formats::indicators::COLUMNS,
    };
    let mut sink = match how {
        How::Json => Sink::Json { out, columns, first: true },
        How::Csv(_) => {
            let mut w = crate::formats::dialect::writer(out, dialect)?;
            w.write_record(columns.iter()).map_err(crate::formats::dialect::io_error)?;
            Sink::Csv(Box::new(w))
        }
        How::Xlsx => {
            use crate::render::xlsx::io_error;
            let mut book = rust_xlsxwriter::Workbook::new();
            let f = crate::render::xlsx::Formats::new();
            let sheet = book.add_worksheet_with_constant_memory().map_err(io_error)?;
            sheet.set_name(table.name()).map_err(io_error)?;
            for (c, name) in columns.iter().enumerate() {
                sheet.write_string_with_format(0, c as u16, *name, &f.header).map_err(io_error)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(io_error)?;
            let as_of = store.change_as_of(Snapshot::CURRENT)?;
            let mut about = vec![
                format!("spets export {}", table.name()),
                lang.pick(
                    "The first sheet is in spets's import format: `spets import` reads it back.",
                    "Första bladet är i spets importformat: `spets import` läser in det igen.",
                )
                .to_string(),
            ];
            if let Some(c) = as_of {
                about.push(format!("{} {} ({} UTC)", lang.pick("As of change", "Per ändring"), c.rev, c.at));
                if let Some(head) = c.head {
                    about.push(format!("{}: {head}", lang.pick("Head of the history", "Historikens huvud")));
                }
            }
            Sink::Xlsx(Box::new(XlsxSheet { out, book, columns, row: 0, about }))
        }
    };
    let all = Filter { statuses: Status::ALL.to_vec(), ..Filter::default() };
    match table {
        Table::Projects => {
            let orgs = store.at(Snapshot::CURRENT).orgs_by_id()?;
            let areas: HashMap<i64, _> = store.at(Snapshot::CURRENT).areas()?.into_iter().map(|a| (a.id, a)).collect();
            let municipalities = store.municipalities()?;
            let names = formats::projects::Names { orgs: &orgs, areas: &areas, municipalities: &municipalities };
            store
                .at(Snapshot::CURRENT)
                .each_project(&all, |sp| sink.record(&formats::projects::export_row(sp, &names, dialect)))?;
        }
        Table::Funding => {
            store.at(Snapshot::CURRENT).each_project(&all, |sp| {
                for line in &sp.project.funding {
                    sink.record(&formats::funding::export_row(&sp.project.reference, line, dialect))?;
                }
                Ok(())
            })?;
        }
        Table::Payments => {
            store.at(Snapshot::CURRENT).each_payment(|p| sink.record(&formats::payments::export_row(p, dialect)))?
        }
        Table::Orgs => {
            for o in store.at(Snapshot::CURRENT).orgs()? {
                sink.record(&formats::orgs::export_row(&o))?;
            }
        }
        Table::Indicators => {
            for i in store.at(Snapshot::CURRENT).indicators(None)? {
                sink.record(&formats::indicators::export_row(&i, dialect))?;
            }
        }
    }
    sink.finish()
}
