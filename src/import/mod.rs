//! The import engine: a file of projects, funding lines, payments or organisations, in
//! spets's own formats or through import rules, read on a parser thread and written in
//! one change: a file with any bad row changes nothing, and every bad row is reported.
//! Importing the same file again changes nothing. `commands::import` is its command
//! line; `--sample` and `compare` use it too.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::domain::area::{Area, AreaIndex, check_in_force};
use crate::domain::difference::{self, Difference, Fields, Namer};
use crate::domain::indicator::Definition;
use crate::domain::lang::Lang;
use crate::domain::municipality::MunicipalityIndex;
use crate::domain::org::{Org, OrgKind, OrgNo};
use crate::domain::project::Indicator;
use crate::domain::project::overrun_message;
use crate::domain::strategy;
use crate::error::{Error, Result};
use crate::formats::reader::{CsvInput, Encoding, Input};
use crate::formats::rules::{self, GivenRate, Rules, Translated};
use crate::formats::sheet::{SheetInput, is_spreadsheet};
use crate::formats::{self, Layout, RowError};
use crate::store::{self, Change, Snapshot, Store, projects::PutMode};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Projects,
    Funding,
    Payments,
    Orgs,
    Indicators,
}

impl Table {
    /// The word the command line names it by: `spets export funding`.
    pub fn name(self) -> &'static str {
        match self {
            Table::Projects => "projects",
            Table::Funding => "funding",
            Table::Payments => "payments",
            Table::Orgs => "orgs",
            Table::Indicators => "indicators",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Table::Projects => lang.pick("projects", "projekt"),
            Table::Funding => lang.pick("funding lines", "finansieringsrader"),
            Table::Payments => lang.pick("payments", "utbetalningar"),
            Table::Orgs => lang.pick("organisations", "organisationer"),
            Table::Indicators => lang.pick("indicators", "indikatorer"),
        }
    }

    /// Recognises a file by its header.
    fn detect(header: &[String]) -> Option<Table> {
        let has = |c: &str| header.iter().any(|h| h == c);
        if has("title") || has("areas") {
            Some(Table::Projects)
        } else if has("code") && has("target") && has("ref") {
            Some(Table::Indicators)
        } else if has("funder") && has("ref") && !has("date") {
            Some(Table::Funding)
        } else if has("date") && has("ref") {
            Some(Table::Payments)
        } else if has("name") && !has("ref") {
            Some(Table::Orgs)
        } else {
            None
        }
    }
}

pub struct Options {
    pub table: Option<Table>,
    pub encoding: Encoding,
    pub dry_run: bool,
    pub allow_overrun: bool,
    pub progress: bool,
    /// The language of messages (amounts in them are written its way).
    pub lang: Lang,
}

/// What an import did (or would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub organisations_added: u64,
    /// The first organisations the import created, with the kind each was given.
    pub organisations: Vec<(String, OrgKind)>,
    /// Rows the rules' `[[keep]]` left out.
    pub left_out: u64,
    /// Rows no `[[area]]` rule matched (skipped), and the first of them: line, title.
    pub unmatched: u64,
    pub unmatched_listed: Vec<(u64, String)>,
    /// The first new projects: ref, title.
    pub new: Vec<(String, String)>,
    /// The first changed projects: ref and what changed.
    pub changed: Vec<(String, Vec<Difference>)>,
    /// Projects of the rules' source the file no longer holds: how many, the first.
    pub gone: u64,
    pub gone_listed: Vec<(String, String)>,
}

/// How many of the organisations an import created it names.
const ORGS_NAMED: usize = 10;
/// How many new, changed and vanished projects, and unmatched rows, are listed.
const LISTED: usize = 100;

impl Summary {
    fn created(&mut self, org: &Org) {
        self.organisations_added += 1;
        if self.organisations.len() < ORGS_NAMED {
            self.organisations.push((org.name.clone(), org.kind));
        }
    }
}

/// Records parsed per batch handed from the parsing thread to the writing one.
const BATCH: usize = 256;
/// Batches parsed ahead of the writer; bounds memory whatever the file's size.
const BATCHES_IN_FLIGHT: usize = 16;

/// A parsed projects record.
pub enum Parsed {
    Row(formats::projects::ProjectRow),
    Bad(Vec<RowError>),
    /// Left out by the rules' `[[keep]]`.
    Left,
    /// No area rule matched: line and title (and, for a comparison, the row read with
    /// a stand-in area).
    Unmatched(u64, String, Option<formats::projects::ProjectRow>),
}

/// A row's project as it is recorded when no project has its reference, but for its
/// owner and partners, with its exact split by area: made on the parsing thread, so
/// that the writing thread only records organisations and writes.
struct New {
    project: crate::domain::project::Project,
    split: Vec<crate::domain::project::Allocation>,
}

impl New {
    fn of(
        row: &formats::projects::ProjectRow,
        defaults: &crate::domain::project::DefaultFunders,
        file: &str,
    ) -> Option<New> {
        let project = row.to_project(0, Vec::new(), None, defaults, Some(file)).ok()?;
        let split = store::projects::allocations(project.components().ok()?, &project.areas);
        Some(New { project, split })
    }
}

/// The most bad rows listed; the rest are counted.
const MAX_LISTED: usize = 100;

struct Problems {
    listed: Vec<RowError>,
    more: u64,
    /// Lines that are not UTF-8 after the first: one problem however many lines.
    not_utf8: u64,
}

impl Problems {
    fn new() -> Problems {
        Problems { listed: Vec::new(), more: 0, not_utf8: 0 }
    }

    fn add(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if e.why == formats::reader::not_utf8() && self.listed.iter().any(|l| l.why == e.why) {
                self.not_utf8 += 1;
            } else if self.listed.len() < MAX_LISTED {
                self.listed.push(e);
            } else {
                self.more += 1;
            }
        }
    }

    fn any(&self) -> bool {
        !self.listed.is_empty()
    }
}

/// Opens a file as records: a spreadsheet by its extension, else CSV, in the encoding
/// the command line or the rules give (the rules' `auto`: UTF-8 unless the file is not).
pub fn open_input(
    path: &Path,
    name: &str,
    rules: Option<&Rules>,
    encoding: Option<Encoding>,
    sheet: Option<&str>,
) -> Result<(Input, Option<u64>)> {
    let file = File::open(path).map_err(|e| {
        Error::failed(crate::tr!(
            "{name}: cannot read: {why}",
            "{name}: kan inte läsa: {why}",
            why = crate::error::io_reason(&e)
        ))
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::failed(crate::tr!(
            "{name}: is a folder, not a CSV file",
            "{name}: är en mapp, inte en CSV-fil"
        )));
    }
    let skip = rules.map_or(0, |r| r.skip);
    if is_spreadsheet(path) {
        let sheet = sheet.or(rules.and_then(|r| r.sheet.as_deref()));
        let input = SheetInput::open(path, sheet, skip).map_err(|e| Error::failed(format!("{name}: {e}")))?;
        return Ok((Input::Sheet(input), None));
    }
    if sheet.is_some() {
        return Err(Error::usage(crate::tr!(
            "--sheet: {name} is not a spreadsheet (.xlsx, .xls or .ods)",
            "--sheet: {name} är inte ett kalkylblad (.xlsx, .xls eller .ods)"
        )));
    }
    let len = file.metadata().map(|m| m.len()).ok();
    let encoding = match (encoding, rules) {
        (Some(e), _) => e,
        (None, Some(r)) => match r.encoding {
            Some(e) => e,
            None if is_utf8(path).map_err(|e| {
                Error::failed(crate::tr!(
                    "{name}: cannot read: {why}",
                    "{name}: kan inte läsa: {why}",
                    why = crate::error::io_reason(&e)
                ))
            })? =>
            {
                Encoding::Utf8
            }
            None => Encoding::Windows1252,
        },
        (None, None) => Encoding::Utf8,
    };
    let delimiter = rules.and_then(|r| r.delimiter);
    let input = CsvInput::open(Box::new(file), encoding, delimiter, skip).map_err(|e| {
        let error = Error::failed(e.render(name));
        if e.why == formats::reader::not_utf8() { error.hint(try_windows_1252()) } else { error }
    })?;
    Ok((Input::Csv(Box::new(input)), len))
}

/// Whether a file is UTF-8 throughout, read in pieces (memory stays flat).
fn is_utf8(path: &Path) -> std::io::Result<bool> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; 64 << 10];
    let mut carried = 0;
    loop {
        let n = file.read(&mut buf[carried..])?;
        let filled = carried + n;
        match std::str::from_utf8(&buf[..filled]) {
            Ok(_) if n == 0 => return Ok(true),
            Ok(_) => carried = 0,
            // A character cut at the end of the piece: keep its bytes for the next.
            Err(e) if e.error_len().is_none() && n > 0 => {
                let valid = e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                carried = filled - valid;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// An input whose header has been read and checked.
pub struct Source {
    name: String,
    input: Input,
    pub table: Table,
    layout: Layout,
    len: Option<u64>,
    pub rules: Option<Rules>,
    rates: Vec<GivenRate>,
}

impl Source {
    /// Reads and checks the header of a CSV `source` in one of spets's own formats.
    pub fn open(name: &str, source: Box<dyn Read + Send>, len: Option<u64>, opts: &Options) -> Result<Source> {
        let input = CsvInput::new(source, opts.encoding).map_err(|e| {
            let error = Error::failed(e.render(name));
            if e.why == formats::reader::not_utf8() { error.hint(try_windows_1252()) } else { error }
        })?;
        Source::from_input(name, Input::Csv(Box::new(input)), len, opts, None)
    }

    /// Checks the header of `input`, against the rules when there are some.
    pub fn from_input(
        name: &str,
        mut input: Input,
        len: Option<u64>,
        opts: &Options,
        rules: Option<Rules>,
    ) -> Result<Source> {
        let (table, layout) = match &rules {
            Some(r) => {
                let bound = r.bind(input.written_header()).map_err(|e| Error::failed(format!("{name}: {e}")))?;
                (Table::Projects, bound.layout)
            }
            None => {
                let header = input.header();
                let table = match opts.table.or_else(|| Table::detect(&header)) {
                    Some(t) => t,
                    None => {
                        return Err(Error::failed(crate::tr!(
                            "{name}: cannot tell from its header what the file holds",
                            "{name}: kan inte avgöra av rubriken vad filen innehåller"
                        ))
                        .hint(crate::tr!(
                            "give --table projects, funding, payments or orgs, or --rules for a foreign file",
                            "ange --table projects, funding, payments eller orgs, eller --rules för en främmande fil"
                        )));
                    }
                };
                let layout = match table {
                    Table::Projects => formats::projects::layout(&header),
                    Table::Funding => formats::funding::layout(&header),
                    Table::Payments => formats::payments::layout(&header),
                    Table::Orgs => formats::orgs::layout(&header),
                    Table::Indicators => formats::indicators::layout(&header),
                };
                let layout = layout.map_err(|errors| {
                    let mut problems = Problems::new();
                    problems.add(errors);
                    let error = bad_rows(name, &problems);
                    if Table::detect(&header).is_none() || opts.table.is_some() {
                        error
                    } else {
                        error.hint(crate::tr!(
                            "a file in another layout is read through import rules: spets rules list",
                            "en fil i en annan uppställning läses genom importregler: spets rules list"
                        ))
                    }
                })?;
                (table, layout)
            }
        };
        if input.is_empty() {
            return Err(Error::failed(crate::tr!(
                "{name}: a header but no rows; nothing was imported",
                "{name}: en rubrik men inga rader; inget importerades"
            )));
        }
        Ok(Source { name: name.to_string(), input, table, layout, len, rules, rates: Vec::new() })
    }

    /// Whether the file gives this field of a project (an amount column, a date, the
    /// status); `total` when it gives every part of the total.
    pub fn gives(&self, field: &str) -> bool {
        match &self.rules {
            Some(r) => r.gives(field),
            None if field == "total" => formats::projects::AMOUNT_COLUMNS.iter().all(|(c, _)| self.layout.has(c)),
            None => self.layout.has(field),
        }
    }

    /// Reads every projects record without importing: for `spets compare`. A file with
    /// bad rows is an error listing them. Unmatched rows come with areas unknown.
    pub fn rows(mut self, store: &Store) -> Result<Vec<(formats::projects::ProjectRow, bool)>> {
        if self.table != Table::Projects {
            return Err(Error::failed(crate::tr!(
                "{}: holds {}; compare reads projects",
                "{}: innehåller {}; compare läser projekt",
                self.name,
                self.table.label(crate::domain::lang::messages())
            )));
        }
        let v = store.at(Snapshot::CURRENT);
        let areas = v.areas()?;
        let area_index = AreaIndex::new(&areas);
        if let Some(r) = &self.rules {
            r.check_areas(&area_index).map_err(Error::failed)?;
        }
        let municipalities = v.municipalities()?;
        let municipality_index = MunicipalityIndex::new(&municipalities);
        let bound = match &self.rules {
            Some(r) => Some(r.bind(self.input.written_header()).map_err(Error::failed)?),
            None => None,
        };
        let stand_in = areas.first().map(|a| a.code.clone()).unwrap_or_default();
        let reading = Reading {
            layout: &self.layout,
            rules: bound.as_ref(),
            rates: &self.rates,
            stand_in: Some(&stand_in),
            spreadsheet: matches!(self.input, Input::Sheet(_)),
        };
        let mut problems = Problems::new();
        let mut rows = Vec::new();
        while let Some(record) = self.input.next_record() {
            match record.map(|r| reading.parse(r, &area_index, &municipality_index)) {
                Ok(Parsed::Row(row)) => rows.push((row, true)),
                Ok(Parsed::Unmatched(_, _, Some(row))) => rows.push((row, false)),
                Ok(Parsed::Left | Parsed::Unmatched(_, _, None)) => {}
                Ok(Parsed::Bad(e)) => problems.add(e),
                Err(e) => problems.add([e]),
            }
        }
        if problems.any() {
            return Err(bad_rows(&self.name, &problems));
        }
        Ok(rows)
    }

    /// Rates the command line gives for amounts in other currencies.
    pub fn with_rates(mut self, rates: Vec<GivenRate>) -> Source {
        self.rates = rates;
        self
    }

    /// Imports the records into `store` in one change. A file with bad rows is an error
    /// listing them, and nothing is written.
    pub fn load(
        mut self,
        store: &mut Store,
        opts: &Options,
        user: &str,
        command: &str,
        at: Option<&str>,
    ) -> Result<Summary> {
        if let Some(r) = &self.rules {
            let areas = store.at(Snapshot::CURRENT).areas()?;
            r.check_areas(&AreaIndex::new(&areas)).map_err(Error::failed)?;
        }
        let progress = progress_bar(opts.progress, self.len);
        let change = store.begin_at(user, command, at)?;
        let mut problems = Problems::new();
        let mut summary = Summary::default();
        let mut importer = Importer {
            change: &change,
            orgs: HashMap::new(),
            summary: &mut summary,
            problems: &mut problems,
            opts,
            writer: None,
            fresh: false,
            defaults: change.now().default_funders()?,
            file: &self.name,
            track: None,
        };
        let spreadsheet = matches!(self.input, Input::Sheet(_));
        // An unmatched row is read with a stand-in area: a recorded project keeps its
        // areas anyway, so only a new one is skipped.
        let stand_in = change.now().areas()?.first().map(|a| a.code.clone());
        let input = &mut self.input;
        match self.table {
            Table::Projects => {
                let bound = match &self.rules {
                    Some(r) => Some(r.bind(input.written_header()).map_err(Error::failed)?),
                    None => None,
                };
                let reading = Reading {
                    layout: &self.layout,
                    rules: bound.as_ref(),
                    rates: &self.rates,
                    stand_in: stand_in.as_deref(),
                    spreadsheet,
                };
                importer.projects(input, &reading, &progress)?
            }
            Table::Funding => importer.funding(input, &self.layout, &progress)?,
            Table::Payments => importer.payments(input, &self.layout, &progress)?,
            Table::Orgs => importer.orgs(input, &self.layout, &progress)?,
            Table::Indicators => importer.indicators(input, &self.layout, &progress)?,
        }
        drop(importer);
        progress.finish_and_clear();
        if problems.any() {
            return Err(bad_rows(&self.name, &problems));
        }
        if !opts.dry_run {
            change.commit()?;
        }
        Ok(summary)
    }
}

/// How the records of a projects file are read: its layout, and the rules when the
/// file is foreign.
pub struct Reading<'a> {
    pub layout: &'a Layout,
    pub rules: Option<&'a rules::Bound<'a>>,
    pub rates: &'a [GivenRate],
    /// For a comparison: the area an unmatched row is read with, to be read at all.
    pub stand_in: Option<&'a str>,
    /// Whether the records are a spreadsheet's.
    pub spreadsheet: bool,
}

impl Reading<'_> {
    /// Parses one record into a projects row (or says why not, or that it is skipped).
    pub fn parse(
        &self,
        record: formats::Record,
        areas: &AreaIndex<'_>,
        municipalities: &MunicipalityIndex<'_>,
    ) -> Parsed {
        let Some(bound) = self.rules else {
            return match formats::projects::parse(self.layout, record.line, &record.cells, areas, municipalities) {
                Ok(row) => Parsed::Row(row),
                Err(e) => Parsed::Bad(e),
            };
        };
        let cx = rules::Context { rates: self.rates, stand_in: self.stand_in, spreadsheet: self.spreadsheet };
        match bound.translate(record.line, &record.cells, &cx) {
            Err(e) => Parsed::Bad(e),
            Ok(Translated::Left) => Parsed::Left,
            Ok(Translated::Unmatched(title, None)) => Parsed::Unmatched(record.line, title, None),
            Ok(Translated::Unmatched(title, Some(row))) => {
                match formats::projects::parse(self.layout, record.line, &row.cells, areas, municipalities) {
                    Ok(parsed) => Parsed::Unmatched(record.line, title, Some(bound.finish(parsed, &row))),
                    Err(e) => Parsed::Bad(e.into_iter().map(|e| bound.rename(e)).collect()),
                }
            }
            Ok(Translated::Row(row)) => {
                match formats::projects::parse(self.layout, record.line, &row.cells, areas, municipalities) {
                    Ok(parsed) => Parsed::Row(bound.finish(parsed, &row)),
                    Err(e) => Parsed::Bad(e.into_iter().map(|e| bound.rename(e)).collect()),
                }
            }
        }
    }
}

fn progress_bar(show: bool, len: Option<u64>) -> indicatif::ProgressBar {
    if !show {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len.unwrap_or(0));
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}") {
        bar.set_style(style);
    }
    bar
}

/// The hint for a file that is not UTF-8, given once however many lines are not.
fn try_windows_1252() -> String {
    crate::tr!(
        "a file saved by Excel in Sweden is often Windows-1252: try --encoding windows-1252",
        "en fil som sparats av Excel i Sverige är ofta Windows-1252: försök med --encoding windows-1252"
    )
}

fn bad_rows(name: &str, problems: &Problems) -> Error {
    // In line order: problems found after the whole file (parents, overruns) came last.
    let mut listed: Vec<&RowError> = problems.listed.iter().collect();
    listed.sort_by_key(|e| e.line);
    let mut details: Vec<String> = listed
        .iter()
        .map(|e| {
            let text = e.render(name);
            if e.why == formats::reader::not_utf8() && problems.not_utf8 > 0 {
                let n = problems.not_utf8;
                match n {
                    1 => crate::tr!("{text} (and 1 more line like it)", "{text} (och 1 rad till som den)"),
                    _ => crate::tr!("{text} (and {n} more lines like it)", "{text} (och {n} rader till som den)"),
                }
            } else {
                text
            }
        })
        .collect();
    if problems.more > 0 {
        details.push(crate::tr!("… and {} more", "… och {} till", problems.more));
    }
    let n = problems.listed.len() as u64 + problems.more;
    let error = match n {
        1 => Error::failed(crate::tr!(
            "{name}: 1 problem; nothing was imported",
            "{name}: 1 problem; inget importerades"
        )),
        _ => Error::failed(crate::tr!(
            "{name}: {n} problems; nothing was imported",
            "{name}: {n} problem; inget importerades"
        )),
    }
    .details(details);
    if problems.listed.iter().any(|e| e.why == formats::reader::not_utf8()) {
        error.hint(try_windows_1252())
    } else {
        error
    }
}

struct Importer<'c, 'a> {
    change: &'c Change<'a>,
    /// Organisations met so far, by name as the file spells it.
    orgs: HashMap<String, Org>,
    summary: &'c mut Summary,
    problems: &'c mut Problems,
    opts: &'c Options,
    /// Writes the projects of a projects file (made when the first is written).
    writer: Option<store::projects::Writer<'c, 'a>>,
    /// Whether the database had no projects when the import began.
    fresh: bool,
    /// The funders amount columns of kinds other than eu are recorded under.
    defaults: crate::domain::project::DefaultFunders,
    /// The file's name, recorded with each project's line.
    file: &'c str,
    /// The source whose projects the file should hold, when some are recorded: the
    /// references read are noted to find those it no longer holds.
    track: Option<String>,
}

impl<'c, 'a> Importer<'c, 'a> {
    fn tick(&self, input: &Input, progress: &indicatif::ProgressBar) {
        if self.summary.rows.is_multiple_of(1024) {
            progress.set_position(input.progress_counter().load(std::sync::atomic::Ordering::Relaxed));
        }
    }

    /// The organisation called `name`, recorded if new. An owner's number and kind from
    /// the file fill in what is unknown and must agree with what is known.
    fn org(
        &mut self,
        line: u64,
        column: &str,
        name: &str,
        org_no: Option<&OrgNo>,
        kind: Option<OrgKind>,
    ) -> Result<Option<i64>> {
        if let Some(o) = self.orgs.get(name)
            && org_no.is_none_or(|n| o.org_no.as_ref() == Some(n))
            && kind.is_none_or(|k| k == o.kind)
        {
            return Ok(Some(o.id));
        }
        let known = match self.orgs.get(name) {
            Some(o) => Some(o.clone()),
            None => self.change.now().org(name)?,
        };
        let org = match known {
            None => {
                let org = store::orgs::add(self.change, name, org_no.cloned(), kind.unwrap_or(OrgKind::NotRecorded))?;
                self.summary.created(&org);
                org
            }
            Some(mut o) => {
                let mut changed = false;
                if let Some(n) = org_no {
                    match &o.org_no {
                        Some(known) if known != n => {
                            self.problems.add([RowError::cell(
                                line,
                                &format!("{column}_org_no"),
                                n.as_str(),
                                crate::tr!(
                                    "{} is recorded with organisationsnummer {known}",
                                    "{} är registrerad med organisationsnummer {known}",
                                    o.name
                                ),
                            )]);
                            return Ok(None);
                        }
                        Some(_) => {}
                        None => {
                            o.org_no = Some(n.clone());
                            changed = true;
                        }
                    }
                }
                if let Some(k) = kind
                    && k != o.kind
                {
                    if o.kind != OrgKind::NotRecorded {
                        self.problems.add([RowError::cell(
                            line,
                            &format!("{column}_kind"),
                            k.as_str(),
                            crate::tr!(
                                "{} is recorded as {} (spets org edit changes it)",
                                "{} är registrerad som {} (spets org edit ändrar det)",
                                o.name,
                                o.kind
                            ),
                        )]);
                        return Ok(None);
                    }
                    o.kind = k;
                    changed = true;
                }
                if changed {
                    store::orgs::update(self.change, &o)?;
                    // Created earlier in this file (as a partner, say): say what it is now.
                    if let Some(created) = self.summary.organisations.iter_mut().find(|(n, _)| *n == o.name) {
                        created.1 = o.kind;
                    }
                }
                o
            }
        };
        let id = org.id;
        self.orgs.insert(name.to_string(), org);
        Ok(Some(id))
    }

    /// Projects are parsed and checked on a second thread while this one writes: the
    /// writes to SQLite are the slow part, and parsing need not wait for them.
    fn projects(&mut self, input: &mut Input, reading: &Reading<'_>, progress: &indicatif::ProgressBar) -> Result<()> {
        let areas = self.change.now().areas()?;
        let strategies = self.change.now().strategies()?;
        let catalogue = self.change.now().indicator_catalogue()?;
        let area_index = AreaIndex::new(&areas);
        let municipalities = self.change.now().municipalities()?;
        let municipality_index = MunicipalityIndex::new(&municipalities);
        // Whether a row named a parent (`staging::create_with_parent`).
        let mut with_parent = false;
        let bytes = input.progress_counter();
        // Into a database without projects, nothing needs looking up: a reference given
        // twice is caught by the unique index when its second version is written.
        self.fresh = !self.change.now().any_project()?;
        if let Some(bound) = reading.rules
            && !self.fresh
            && self.change.now().any_project_of_source(&bound.rules.name)?
        {
            store::staging::create_seen(self.change)?;
            self.track = Some(bound.rules.name.clone());
        }
        let defaults = self.defaults.clone();
        // How many batches wait for the writing thread. The parsing thread makes a row's
        // project (`New`) only while half the channel is full, when writing is the slower
        // part (spets's own CSV); when parsing is (a foreign file read through rules),
        // the writing thread makes it, as it did before.
        let waiting = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| -> Result<()> {
            let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<(Parsed, Option<New>)>>(BATCHES_IN_FLIGHT);
            // The batches written go back to the parsing thread, which frees their rows
            // and fills them again: memory is freed by the thread that allocated it
            // (glibc's allocator locks the other thread's arena for each free).
            let (written, done) = std::sync::mpsc::channel::<Vec<(Parsed, Option<New>)>>();
            let (area_index, municipality_index) = (&area_index, &municipality_index);
            let (defaults, file) = (&defaults, self.file);
            let waiting = &waiting;
            let input = &mut *input;
            scope.spawn(move || {
                let next = || match done.try_recv() {
                    Ok(mut batch) => {
                        batch.clear();
                        batch
                    }
                    Err(_) => Vec::with_capacity(BATCH),
                };
                let mut batch = next();
                let mut prepare = false;
                while let Some(record) = input.next_record() {
                    let parsed = match record {
                        Ok(r) => reading.parse(r, area_index, municipality_index),
                        Err(e) => Parsed::Bad(vec![e]),
                    };
                    let new = match &parsed {
                        Parsed::Row(row) if prepare => New::of(row, defaults, file),
                        _ => None,
                    };
                    batch.push((parsed, new));
                    if batch.len() == BATCH {
                        waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if sender.send(std::mem::replace(&mut batch, next())).is_err() {
                            return;
                        }
                        prepare = waiting.load(std::sync::atomic::Ordering::Relaxed) >= BATCHES_IN_FLIGHT / 2;
                    }
                }
                waiting.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let _ = sender.send(batch);
            });
            for mut batch in batches {
                waiting.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
                for (parsed, new) in &mut batch {
                    self.summary.rows += 1;
                    if self.summary.rows.is_multiple_of(1024) {
                        progress.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
                    }
                    match parsed {
                        Parsed::Row(row) => {
                            let tables = (&areas[..], &strategies[..], &catalogue[..]);
                            if let Err(e) = self.project(row, new.as_mut(), tables, &mut with_parent)? {
                                self.problems.add([e]);
                            }
                        }
                        Parsed::Bad(errors) => self.problems.add(std::mem::take(errors)),
                        Parsed::Left => self.summary.left_out += 1,
                        Parsed::Unmatched(_, _, Some(row))
                            if !self.fresh && self.change.now().project_exists(&row.reference)? =>
                        {
                            if let Err(e) =
                                self.project(row, None, (&areas, &strategies, &catalogue), &mut with_parent)?
                            {
                                self.problems.add([e]);
                            }
                        }
                        Parsed::Unmatched(line, title, _) => {
                            if reading.rules.is_some_and(|b| b.rules.skip_unmatched) {
                                self.summary.unmatched += 1;
                                if self.summary.unmatched_listed.len() < LISTED {
                                    self.summary.unmatched_listed.push((*line, std::mem::take(title)));
                                }
                            } else {
                                self.problems.add([RowError::whole(
                                    *line,
                                    crate::tr!("no [[area]] rule matches {title:?} (unmatched = \"skip\" skips such rows)", "ingen [[area]]-regel passar {title:?} (unmatched = \"skip\" hoppar över sådana rader)"
                                    ),
                                )]);
                            }
                        }
                    }
                }
                let _ = written.send(batch);
            }
            Ok(())
        })?;
        if let Some(source) = &self.track {
            let (gone, listed) = store::staging::not_seen(self.change, source, LISTED)?;
            self.summary.gone = gone;
            self.summary.gone_listed = listed;
        }
        // After the whole file, so that a parent may come later in it.
        if with_parent {
            let problems = store::projects::parent_problems(self.change)?;
            for (reference, problem) in problems.into_iter().chain(store::projects::top_ups_with_top_ups(self.change)?)
            {
                if let Some((line, parent)) = store::staging::with_parent(self.change, &reference)? {
                    self.problems.add([RowError::cell(line, "parent", &parent, problem)]);
                }
            }
        }
        Ok(())
    }

    /// Records one parsed project row; a problem with it is returned, not raised.
    fn project(
        &mut self,
        row: &formats::projects::ProjectRow,
        new: Option<&mut New>,
        (areas, strategies, catalogue): (&[Area], &[crate::domain::strategy::Strategy], &[Definition]),
        with_parent: &mut bool,
    ) -> Result<std::result::Result<(), RowError>> {
        if self.track.is_some() {
            store::staging::push_seen(self.change, &row.reference)?;
        }
        let existing = if self.fresh { None } else { self.change.now().project(&row.reference)? };
        if existing.as_ref().is_some_and(|e| e.rev == self.change.rev) {
            return Ok(Err(RowError::cell(
                row.line,
                "ref",
                &row.reference,
                crate::tr!("appears more than once in this file", "förekommer mer än en gång i denna fil"),
            )));
        }
        // The rules' constant owner is for a new project; a recorded one keeps its own.
        let owner = match &existing {
            Some(e) if row.owner_default => e.project.owner,
            _ => match self.org(row.line, "owner", &row.owner, row.owner_org_no.as_ref(), row.owner_kind)? {
                Some(id) => id,
                None => return Ok(Ok(())),
            },
        };
        let mut partners = Vec::new();
        if let formats::projects::Given::Set(names) = &row.partners {
            for n in names {
                if let Some(id) = self.org(row.line, "partners", n, None, None)?
                    && !partners.contains(&id)
                {
                    partners.push(id);
                }
            }
        }
        let recorded = existing.as_ref().map(|e| &e.project);
        let mut made;
        let (project, split) = match (new, recorded) {
            // What `to_project` gives a row with no recorded project, but its owner and
            // partners (whose organisations are recorded here). It stays in the batch,
            // to be freed by the thread that made it.
            (Some(new), None) => {
                new.project.owner = owner;
                new.project.partners = partners;
                (&mut new.project, Some(&new.split[..]))
            }
            _ => {
                made = match row.to_project(owner, partners, recorded, &self.defaults, Some(self.file)) {
                    Ok(p) => p,
                    Err(e) => return Ok(Err(e)),
                };
                (&mut made, None)
            }
        };
        // A project the file leaves as it is keeps the file and line it was last
        // written from: only a change records where it came from.
        if let Some(old) = recorded {
            let mut same = project.clone();
            same.provenance.file.clone_from(&old.provenance.file);
            same.provenance.line = old.provenance.line;
            if *old == same {
                *project = same;
            }
        }
        if let Err((field, why)) = project.validate() {
            // The value the rule is about, so the message names it.
            let value = match field {
                "title" => project.title.clone(),
                "parent" => project.parent.clone().unwrap_or_default(),
                "partners" => row.owner.clone(),
                _ => String::new(),
            };
            return Ok(Err(RowError::cell(row.line, field, &value, why)));
        }
        // Only a recorded project can have been paid anything.
        if existing.is_some()
            && let Some((paid, granted)) = self.change.now().plan_overrun(project, self.opts.allow_overrun)?
        {
            let why = overrun_message(&row.reference, paid, granted, self.opts.lang);
            return Ok(Err(RowError::cell(row.line, "ref", &row.reference, why)));
        }
        if let Some(on) = project.decided.or(project.start) {
            for share in &project.areas {
                if let Some(area) = areas.iter().find(|a| a.id == share.area_id)
                    && let Err(why) =
                        check_in_force(area, on).and_then(|()| strategy::check_in_force(area, on, strategies))
                {
                    return Ok(Err(RowError::cell(row.line, "areas", &area.code, why)));
                }
            }
        }
        let mut indicators = Vec::with_capacity(row.indicators.len());
        for (code, target, outcome) in &row.indicators {
            let Some(def) = catalogue.iter().find(|d| d.code == *code) else {
                return Ok(Err(RowError::whole(row.line, unknown_code(code))));
            };
            let old = if existing.is_some() { self.change.now().indicator(&row.reference, code)? } else { None };
            indicators.push(Indicator {
                reference: row.reference.clone(),
                code: code.clone(),
                name: old.and_then(|o| o.name),
                unit: Some(def.unit.clone()),
                target: *target,
                outcome: *outcome,
            });
        }
        if let Some(parent) = &project.parent {
            if !*with_parent {
                store::staging::create_with_parent(self.change)?;
                *with_parent = true;
            }
            store::staging::push_with_parent(self.change, row.line, &project.reference, parent)?;
        }
        let writer = match &mut self.writer {
            Some(w) => w,
            None => self.writer.insert(store::projects::Writer::new(self.change)?),
        };
        match writer.put_split(project, existing.as_ref(), PutMode::Upsert, split)? {
            store::projects::Outcome::Added => {
                self.summary.added += 1;
                if self.summary.new.len() < LISTED {
                    self.summary.new.push((project.reference.clone(), project.title.clone()));
                }
            }
            store::projects::Outcome::Updated => {
                self.summary.updated += 1;
                if self.summary.changed.len() < LISTED
                    && let Some(old) = &existing
                {
                    let changes = self.differences(&old.project, project, &areas_by_id(areas))?;
                    self.summary.changed.push((project.reference.clone(), changes));
                }
            }
            store::projects::Outcome::Unchanged => self.summary.unchanged += 1,
            store::projects::Outcome::Duplicate => {
                return Ok(Err(RowError::cell(
                    row.line,
                    "ref",
                    &row.reference,
                    crate::tr!("appears more than once in this file", "förekommer mer än en gång i denna fil"),
                )));
            }
        }
        for i in &indicators {
            store::indicators::set(self.change, i)?;
        }
        Ok(Ok(()))
    }

    /// What changed between two versions, organisations and areas by name.
    fn differences(
        &self,
        old: &crate::domain::project::Project,
        new: &crate::domain::project::Project,
        areas: &HashMap<i64, String>,
    ) -> Result<Vec<Difference>> {
        let v = self.change.now();
        let mut orgs: HashMap<i64, String> = HashMap::new();
        for id in [old.owner, new.owner].iter().chain(&old.partners).chain(&new.partners) {
            let name = match self.orgs.values().find(|o| o.id == *id) {
                Some(o) => o.name.clone(),
                None => v.org_name(*id)?.unwrap_or_else(|| format!("#{id}")),
            };
            orgs.insert(*id, name);
        }
        let municipalities = v.municipalities()?;
        let org = |id: i64| orgs.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
        let area = |id: i64| areas.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
        let namer = Namer { org: &org, area: &area, municipalities: &municipalities };
        Ok(difference::differences(old, new, Fields::All, &namer))
    }

    fn funding(&mut self, input: &mut Input, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        store::staging::create(self.change)?;
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            match record.map_err(|e| vec![e]).and_then(|r| formats::funding::parse(layout, r.line, &r.cells)) {
                Ok(row) => store::staging::push_funding(self.change, row.line, &row.reference, &row.funding)?,
                Err(errors) => self.problems.add(errors),
            }
        }
        let change = self.change;
        let summary = &mut *self.summary;
        let problems = &mut *self.problems;
        let (allow_overrun, lang) = (self.opts.allow_overrun, self.opts.lang);
        store::staging::each_funding_group(change, |reference, lines| {
            let first_line = lines.first().map_or(0, |l| l.0);
            let Some(existing) = change.now().project(reference)? else {
                problems.add([RowError::cell(
                    first_line,
                    "ref",
                    reference,
                    crate::tr!(
                        "no such project (import the projects file first)",
                        "inget sådant projekt (importera projektfilen först)"
                    ),
                )]);
                return Ok(());
            };
            let mut project = existing.project;
            project.funding = lines.into_iter().map(|(_, l)| l).collect();
            if let Err((_, why)) = project.validate() {
                let total: i64 = project.funding.iter().map(|l| l.amount.0).sum();
                let value = crate::domain::money::Money(total).plain();
                problems.add([RowError::cell(
                    first_line,
                    "amount",
                    &value,
                    crate::tr!("project {reference}: {why}", "projektet {reference}: {why}"),
                )]);
                return Ok(());
            }
            if let Some((paid, granted)) = change.now().plan_overrun(&mut project, allow_overrun)? {
                let why = overrun_message(reference, paid, granted, lang);
                problems.add([RowError::cell(first_line, "ref", reference, why)]);
                return Ok(());
            }
            match store::projects::put(change, &project, PutMode::Upsert)? {
                store::projects::Outcome::Unchanged => summary.unchanged += 1,
                _ => summary.updated += 1,
            }
            Ok(())
        })
    }

    fn payments(&mut self, input: &mut Input, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        store::staging::create(self.change)?;
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            match record
                .map_err(|e| vec![e])
                .and_then(|r| formats::payments::parse(layout, r.line, &r.cells).map(|p| (r.line, p)))
            {
                Ok((line, p)) => store::staging::push_payment(self.change, line, &p)?,
                Err(errors) => self.problems.add(errors),
            }
        }
        let staged = store::staging::staged_payments(self.change)? as u64;
        let change = self.change;
        let problems = &mut *self.problems;
        let mut added = 0u64;
        store::staging::each_new_payment(change, |line, payment| {
            if change.now().project_exists(&payment.reference)? {
                store::payments::add(change, &payment)?;
                added += 1;
            } else {
                problems.add([RowError::cell(
                    line,
                    "ref",
                    &payment.reference,
                    crate::tr!("no such project", "inget sådant projekt"),
                )]);
            }
            Ok(())
        })?;
        // A file's payments count together: a recovery dated before the payments it
        // reduces is fine, so what is checked is each project's total after the file.
        let allow_overrun = self.opts.allow_overrun;
        let lang = self.opts.lang;
        let mut overrunning = Vec::new();
        store::staging::each_paid_after(change, |line, reference, amount, paid, granted| {
            let kr = |ore: i64| crate::domain::money::Money(ore).with_kr(lang);
            // The value quoted is the amount on the project's last line in the file.
            let amount = crate::domain::money::Money(amount).plain();
            if paid < 0 {
                problems.add([RowError::cell(
                    line,
                    "amount",
                    &amount,
                    crate::tr!(
                        "with this file, project {reference}'s paid total would be negative ({})",
                        "med denna fil skulle projektet {reference}s utbetalda totalbelopp bli negativt ({})",
                        kr(paid)
                    ),
                )]);
            } else if let Some((paid, granted)) = crate::domain::project::overrun(paid, granted, false) {
                // Whether the project allows it is asked below, for these few only.
                overrunning.push((line, reference.to_string(), amount, paid, granted));
            }
            Ok(())
        })?;
        for (line, reference, amount, paid, granted) in overrunning {
            let allowed = change.now().project(&reference)?.is_some_and(|p| p.project.overrun_allowed);
            if allowed {
                continue;
            }
            if allow_overrun {
                // Records the overrun on the project, since it now is one.
                store::projects::allow_overrun(change, &reference)?;
            } else {
                let why = crate::tr!(
                    "with this file, {}",
                    "med denna fil, {}",
                    overrun_message(&reference, paid, granted, lang)
                );
                problems.add([RowError::cell(line, "amount", &amount, why)]);
            }
        }
        let summary = &mut *self.summary;
        summary.added = added;
        summary.unchanged = staged - added;
        Ok(())
    }

    fn orgs(&mut self, input: &mut Input, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            let row = match record.map_err(|e| vec![e]).and_then(|r| formats::orgs::parse(layout, r.line, &r.cells)) {
                Ok(r) => r,
                Err(errors) => {
                    self.problems.add(errors);
                    continue;
                }
            };
            match self.change.now().org(&row.name)? {
                None => {
                    store::orgs::add(
                        self.change,
                        &row.name,
                        row.org_no.clone().flatten(),
                        row.kind.unwrap_or(OrgKind::NotRecorded),
                    )?;
                    self.summary.added += 1;
                }
                Some(mut o) => {
                    if let Some(n) = &row.org_no {
                        o.org_no = n.clone();
                    }
                    if let Some(k) = row.kind {
                        o.kind = k;
                    }
                    if store::orgs::update(self.change, &o)? {
                        self.summary.updated += 1;
                    } else {
                        self.summary.unchanged += 1;
                    }
                }
            }
        }
        Ok(())
    }

    /// Sets each row's indicator of its project: the code must be in the catalogue and
    /// the unit, when given, the code's.
    fn indicators(&mut self, input: &mut Input, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        let catalogue = self.change.now().indicator_catalogue()?;
        let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            let (line, mut i) = match record
                .map_err(|e| vec![e])
                .and_then(|r| formats::indicators::parse(layout, r.line, &r.cells).map(|i| (r.line, i)))
            {
                Ok(r) => r,
                Err(errors) => {
                    self.problems.add(errors);
                    continue;
                }
            };
            let Some(def) = catalogue.iter().find(|d| d.code == i.code) else {
                self.problems.add([RowError::cell(line, "code", &i.code, unknown_code(&i.code))]);
                continue;
            };
            if let Err(why) = crate::domain::indicator::check_unit(def, i.unit.as_deref()) {
                self.problems.add([RowError::cell(line, "unit", i.unit.as_deref().unwrap_or(""), why)]);
                continue;
            }
            if !seen.insert((i.reference.clone(), i.code.clone())) {
                self.problems.add([RowError::cell(
                    line,
                    "code",
                    &i.code,
                    crate::tr!(
                        "project {} has this code twice in the file",
                        "projektet {} har denna kod två gånger i filen",
                        i.reference
                    ),
                )]);
                continue;
            }
            if !self.change.now().project_exists(&i.reference)? {
                self.problems.add([RowError::cell(
                    line,
                    "ref",
                    &i.reference,
                    crate::tr!("no such project", "inget sådant projekt"),
                )]);
                continue;
            }
            i.unit = Some(def.unit.clone());
            let old = self.change.now().indicator(&i.reference, &i.code)?;
            if i.name.is_none() {
                i.name = old.as_ref().and_then(|o| o.name.clone());
            }
            match (store::indicators::set(self.change, &i)?, old.is_some()) {
                (false, _) => self.summary.unchanged += 1,
                (true, true) => self.summary.updated += 1,
                (true, false) => self.summary.added += 1,
            }
        }
        Ok(())
    }
}

/// Why an indicator code is refused: it is in no catalogue.
fn unknown_code(code: &str) -> String {
    crate::tr!(
        "unknown indicator code {code} (`spets indicator catalogue` lists them; `spets indicator define` adds the region's own)",
        "okänd indikatorkod {code} (`spets indicator catalogue` listar dem; `spets indicator define` lägger till regionens egna)"
    )
}

/// Area codes by id.
fn areas_by_id(areas: &[Area]) -> HashMap<i64, String> {
    areas.iter().map(|a| (a.id, a.code.clone())).collect()
}
