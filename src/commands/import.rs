//! `spets import FILE`: projects, funding lines, payments or organisations from CSV, in
//! one transaction: a file with any bad row changes nothing, and every bad row is
//! reported. Importing the same file again changes nothing.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Write};

use super::{Context, Database};
use crate::cli::{self, ImportArgs};
use crate::domain::area::{Area, AreaIndex, check_in_force};
use crate::domain::lang::Lang;
use crate::domain::municipality::MunicipalityIndex;
use crate::domain::org::{Org, OrgKind, OrgNo};
use crate::domain::project::overrun_message;
use crate::error::{Error, Result};
use crate::formats::reader::{CsvInput, Encoding};
use crate::formats::{self, Layout, RowError};
use crate::store::{self, Access, Change, RegionSetup, Snapshot, Store, projects::PutMode};

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Projects,
    Funding,
    Payments,
    Orgs,
}

impl Table {
    fn as_str(self) -> &'static str {
        match self {
            Table::Projects => "projects",
            Table::Funding => "funding lines",
            Table::Payments => "payments",
            Table::Orgs => "organisations",
        }
    }

    /// Recognises a file by its header.
    fn detect(header: &[String]) -> Option<Table> {
        let has = |c: &str| header.iter().any(|h| h == c);
        if has("title") || has("areas") {
            Some(Table::Projects)
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
}

/// How many of the organisations an import created it names.
const ORGS_NAMED: usize = 10;

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

/// A parsed projects record, or what is wrong with it.
type Parsed = std::result::Result<formats::projects::ProjectRow, Vec<RowError>>;

/// The most bad rows listed; the rest are counted.
const MAX_LISTED: usize = 100;

struct Problems {
    listed: Vec<RowError>,
    more: u64,
}

impl Problems {
    fn add(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if self.listed.len() < MAX_LISTED {
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

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let name = args.file.display().to_string();
    let file = File::open(&args.file).map_err(|e| Error::failed(format!("{name}: cannot read: {e}")))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::failed(format!("{name}: is a folder, not a CSV file")));
    }
    let len = file.metadata().map(|m| m.len()).ok();
    let opts = Options {
        lang: ctx.lang,
        table: args.table.map(|t| match t {
            cli::TableName::Projects => Table::Projects,
            cli::TableName::Funding => Table::Funding,
            cli::TableName::Payments => Table::Payments,
            cli::TableName::Orgs => Table::Orgs,
        }),
        encoding: match args.encoding {
            cli::Encoding::Utf8 => Encoding::Utf8,
            cli::Encoding::Windows1252 => Encoding::Windows1252,
        },
        dry_run: args.dry_run,
        allow_overrun: args.allow_overrun,
        progress: ctx.stderr_terminal,
    };
    // The header is checked before the database is opened: a file that is not one of
    // spets's formats does not even create a database.
    let source = Source::open(&name, Box::new(file), len, &opts)?;
    // A dry run against a database that does not exist yet must not create it.
    let mut store = match &ctx.database {
        Database::File(path) if args.dry_run && !path.exists() => {
            let mut s = Store::open_memory()?;
            s.initialise(&RegionSetup::varmland(), &ctx.user, "init (dry run)", None)?;
            s
        }
        _ => ctx.open(Access::Write)?,
    };
    let table = source.table;
    let summary = source.load(&mut store, &opts, &ctx.user, &ctx.command_line, None)?;
    let lang = ctx.lang;
    let mut line = format!(
        "{name}: {} {} {}: {} {}, {} {}, {} {}",
        summary.rows,
        match (summary.rows, lang) {
            (1, Lang::En) => "row of",
            (_, Lang::En) => "rows of",
            (1, Lang::Sv) => "rad",
            (_, Lang::Sv) => "rader",
        },
        table.as_str(),
        if opts.dry_run { lang.pick("would add", "skulle lägga till") } else { lang.pick("added", "tillagda") },
        summary.added,
        if opts.dry_run { lang.pick("would update", "skulle ändra") } else { lang.pick("updated", "ändrade") },
        summary.updated,
        lang.pick("unchanged", "oförändrade"),
        summary.unchanged,
    );
    if summary.organisations_added > 0 {
        line.push_str(&format!(
            "; {} {}",
            summary.organisations_added,
            match (summary.organisations_added, lang) {
                (1, Lang::En) => "new organisation",
                (_, Lang::En) => "new organisations",
                (1, Lang::Sv) => "ny organisation",
                (_, Lang::Sv) => "nya organisationer",
            }
        ));
    }
    if opts.dry_run {
        line.push_str(lang.pick(" (dry run: nothing was written)", " (provkörning: inget skrevs)"));
    }
    let mut out = ctx.output()?;
    writeln!(out.writer, "{line}")?;
    if !summary.organisations.is_empty() {
        // Which organisations the import created, and as what: one whose kind the file
        // did not give is "kind not recorded", never silently civil society.
        let named: Vec<String> = summary
            .organisations
            .iter()
            .map(|(name, kind)| format!("{} ({})", crate::render::visible(name), kind.label(lang)))
            .collect();
        let more = summary.organisations_added - summary.organisations.len() as u64;
        let rest = if more > 0 {
            format!(" {} {more} {}", lang.pick("and", "och"), lang.pick("more", "till"))
        } else {
            String::new()
        };
        writeln!(out.writer, "{}: {}{rest}", lang.pick("New organisations", "Nya organisationer"), named.join(", "))?;
    }
    out.finish()
}

/// An input whose header has been read and checked.
pub struct Source {
    name: String,
    input: CsvInput,
    pub table: Table,
    layout: Layout,
    len: Option<u64>,
}

impl Source {
    /// Reads and checks the header of `source`.
    pub fn open(name: &str, source: Box<dyn Read + Send>, len: Option<u64>, opts: &Options) -> Result<Source> {
        let mut input = CsvInput::new(source, opts.encoding).map_err(|e| {
            let error = Error::failed(e.render(name));
            if e.why == formats::reader::NOT_UTF8 { error.hint(TRY_WINDOWS_1252) } else { error }
        })?;
        let table = match opts.table.or_else(|| Table::detect(&input.header)) {
            Some(t) => t,
            None => {
                return Err(Error::failed(format!("{name}: cannot tell from its header what the file holds"))
                    .hint("give --table projects, funding, payments or orgs"));
            }
        };
        let layout = match table {
            Table::Projects => formats::projects::layout(&input.header),
            Table::Funding => formats::funding::layout(&input.header),
            Table::Payments => formats::payments::layout(&input.header),
            Table::Orgs => formats::orgs::layout(&input.header),
        };
        let layout = layout.map_err(|errors| {
            let mut problems = Problems { listed: Vec::new(), more: 0 };
            problems.add(errors);
            bad_rows(name, &problems)
        })?;
        if input.is_empty() {
            return Err(Error::failed(format!("{name}: a header but no rows; nothing was imported")));
        }
        Ok(Source { name: name.to_string(), input, table, layout, len })
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
        let progress = progress_bar(opts.progress, self.len);
        let change = store.begin_at(user, command, at)?;
        let mut problems = Problems { listed: Vec::new(), more: 0 };
        let mut summary = Summary::default();
        let mut importer = Importer {
            change: &change,
            orgs: HashMap::new(),
            summary: &mut summary,
            problems: &mut problems,
            opts,
            writer: None,
            fresh: false,
            defaults: store::settings::default_funders(change.conn(), Snapshot::CURRENT)?,
        };
        let input = &mut self.input;
        match self.table {
            Table::Projects => importer.projects(input, &self.layout, &progress)?,
            Table::Funding => importer.funding(input, &self.layout, &progress)?,
            Table::Payments => importer.payments(input, &self.layout, &progress)?,
            Table::Orgs => importer.orgs(input, &self.layout, &progress)?,
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
const TRY_WINDOWS_1252: &str = "a file saved by Excel in Sweden is often Windows-1252: try --encoding windows-1252";

fn bad_rows(name: &str, problems: &Problems) -> Error {
    // In line order: problems found after the whole file (parents, overruns) came last.
    let mut listed: Vec<&RowError> = problems.listed.iter().collect();
    listed.sort_by_key(|e| e.line);
    let mut details: Vec<String> = listed.iter().map(|e| e.render(name)).collect();
    if problems.more > 0 {
        details.push(format!("… and {} more", problems.more));
    }
    let n = problems.listed.len() as u64 + problems.more;
    let error = Error::failed(format!("{name}: {n} problem{}; nothing was imported", if n == 1 { "" } else { "s" }))
        .details(details);
    if problems.listed.iter().any(|e| e.why == formats::reader::NOT_UTF8) {
        error.hint(TRY_WINDOWS_1252)
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
}

impl<'c, 'a> Importer<'c, 'a> {
    fn tick(&self, input: &CsvInput, progress: &indicatif::ProgressBar) {
        if self.summary.rows.is_multiple_of(1024) {
            progress.set_position(input.bytes_read());
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
            None => store::orgs::find(self.change.conn(), name, Snapshot::CURRENT)?,
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
                                format!("{} is recorded with organisationsnummer {known}", o.name),
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
                            format!("{} is recorded as {} (spets org edit changes it)", o.name, o.kind),
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
    fn projects(&mut self, input: &mut CsvInput, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        let areas = store::areas::list(self.change.conn(), Snapshot::CURRENT)?;
        let area_index = AreaIndex::new(&areas);
        let municipalities = store::municipalities(self.change.conn())?;
        let municipality_index = MunicipalityIndex::new(&municipalities);
        let mut with_parent: Vec<(u64, String, String)> = Vec::new();
        let bytes = input.progress_counter();
        // Into a database without projects, nothing needs looking up: a reference given
        // twice is caught by the unique index when its second version is written.
        self.fresh = !store::projects::any(self.change.conn())?;
        std::thread::scope(|scope| -> Result<()> {
            let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(BATCHES_IN_FLIGHT);
            let (area_index, municipality_index) = (&area_index, &municipality_index);
            let input = &mut *input;
            scope.spawn(move || {
                let mut batch = Vec::with_capacity(BATCH);
                while let Some(record) = input.next_record() {
                    batch.push(record.map_err(|e| vec![e]).and_then(|r| {
                        formats::projects::parse(layout, r.line, &r.cells, area_index, municipality_index)
                    }));
                    if batch.len() == BATCH
                        && sender.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err()
                    {
                        return;
                    }
                }
                let _ = sender.send(batch);
            });
            for batch in batches {
                for parsed in batch {
                    self.summary.rows += 1;
                    if self.summary.rows.is_multiple_of(1024) {
                        progress.set_position(bytes.load(std::sync::atomic::Ordering::Relaxed));
                    }
                    match parsed {
                        Ok(row) => {
                            if let Err(e) = self.project(&row, &areas, &mut with_parent)? {
                                self.problems.add([e]);
                            }
                        }
                        Err(errors) => self.problems.add(errors),
                    }
                }
            }
            Ok(())
        })?;
        // After the whole file, so that a parent may come later in it.
        let conn = self.change.conn();
        for (line, reference, parent) in &with_parent {
            let Some(project) = store::projects::load(conn, reference, Snapshot::CURRENT)? else { continue };
            if let Some(problem) = store::projects::parent_problem(conn, &project.project)? {
                self.problems.add([RowError::cell(*line, "parent", parent, problem)]);
            }
        }
        for (reference, problem) in store::projects::top_ups_with_top_ups(self.change)? {
            if let Some((line, _, parent)) = with_parent.iter().find(|(_, r, _)| *r == reference) {
                self.problems.add([RowError::cell(*line, "parent", parent, problem)]);
            }
        }
        Ok(())
    }

    /// Records one parsed project row; a problem with it is returned, not raised.
    fn project(
        &mut self,
        row: &formats::projects::ProjectRow,
        areas: &[Area],
        with_parent: &mut Vec<(u64, String, String)>,
    ) -> Result<std::result::Result<(), RowError>> {
        let Some(owner) = self.org(row.line, "owner", &row.owner, row.owner_org_no.as_ref(), row.owner_kind)? else {
            return Ok(Ok(()));
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
        let existing = if self.fresh {
            None
        } else {
            store::projects::load(self.change.conn(), &row.reference, Snapshot::CURRENT)?
        };
        if existing.as_ref().is_some_and(|e| e.rev == self.change.rev) {
            return Ok(Err(RowError::cell(row.line, "ref", &row.reference, "appears more than once in this file")));
        }
        let mut project = match row.to_project(owner, partners, existing.as_ref().map(|e| &e.project), &self.defaults) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
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
            && let Some((paid, granted)) =
                store::projects::plan_overrun(self.change.conn(), &mut project, self.opts.allow_overrun)?
        {
            let why = overrun_message(&row.reference, paid, granted, self.opts.lang);
            return Ok(Err(RowError::cell(row.line, "ref", &row.reference, why)));
        }
        if let Some(on) = project.decided.or(project.start) {
            for share in &project.areas {
                if let Some(area) = areas.iter().find(|a| a.id == share.area_id)
                    && let Err(why) = check_in_force(area, on)
                {
                    return Ok(Err(RowError::cell(row.line, "areas", &area.code, why)));
                }
            }
        }
        if let Some(parent) = &project.parent {
            with_parent.push((row.line, project.reference.clone(), parent.clone()));
        }
        let writer = match &mut self.writer {
            Some(w) => w,
            None => self.writer.insert(store::projects::Writer::new(self.change)?),
        };
        match writer.put(&project, existing.as_ref(), PutMode::Upsert)? {
            store::projects::Outcome::Added => self.summary.added += 1,
            store::projects::Outcome::Updated => self.summary.updated += 1,
            store::projects::Outcome::Unchanged => self.summary.unchanged += 1,
            store::projects::Outcome::Duplicate => {
                return Ok(Err(RowError::cell(row.line, "ref", &row.reference, "appears more than once in this file")));
            }
        }
        Ok(Ok(()))
    }

    fn funding(&mut self, input: &mut CsvInput, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        store::staging::create(self.change.conn())?;
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            match record.map_err(|e| vec![e]).and_then(|r| formats::funding::parse(layout, r.line, &r.cells)) {
                Ok(row) => store::staging::push_funding(self.change.conn(), row.line, &row.reference, &row.funding)?,
                Err(errors) => self.problems.add(errors),
            }
        }
        let change = self.change;
        let summary = &mut *self.summary;
        let problems = &mut *self.problems;
        let (allow_overrun, lang) = (self.opts.allow_overrun, self.opts.lang);
        store::staging::each_funding_group(change.conn(), |reference, lines| {
            let first_line = lines.first().map_or(0, |l| l.0);
            let Some(existing) = store::projects::load(change.conn(), reference, Snapshot::CURRENT)? else {
                problems.add([RowError::cell(
                    first_line,
                    "ref",
                    reference,
                    "no such project (import the projects file first)",
                )]);
                return Ok(());
            };
            let mut project = existing.project;
            project.funding = lines.into_iter().map(|(_, l)| l).collect();
            if let Err((_, why)) = project.validate() {
                let total: i64 = project.funding.iter().map(|l| l.amount.0).sum();
                let value = crate::domain::money::Money(total).plain();
                problems.add([RowError::cell(first_line, "amount", &value, format!("project {reference}: {why}"))]);
                return Ok(());
            }
            if let Some((paid, granted)) = store::projects::plan_overrun(change.conn(), &mut project, allow_overrun)? {
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

    fn payments(&mut self, input: &mut CsvInput, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
        store::staging::create(self.change.conn())?;
        while let Some(record) = input.next_record() {
            self.summary.rows += 1;
            self.tick(input, progress);
            match record
                .map_err(|e| vec![e])
                .and_then(|r| formats::payments::parse(layout, r.line, &r.cells).map(|p| (r.line, p)))
            {
                Ok((line, p)) => store::staging::push_payment(self.change.conn(), line, &p)?,
                Err(errors) => self.problems.add(errors),
            }
        }
        let staged = store::staging::staged_payments(self.change.conn())? as u64;
        let change = self.change;
        let problems = &mut *self.problems;
        let mut added = 0u64;
        store::staging::each_new_payment(change.conn(), |line, payment| {
            if store::projects::exists(change.conn(), &payment.reference, Snapshot::CURRENT)? {
                store::payments::add(change, &payment)?;
                added += 1;
            } else {
                problems.add([RowError::cell(line, "ref", &payment.reference, "no such project")]);
            }
            Ok(())
        })?;
        // A file's payments count together: a recovery dated before the payments it
        // reduces is fine, so what is checked is each project's total after the file.
        let allow_overrun = self.opts.allow_overrun;
        let lang = self.opts.lang;
        let mut overrunning = Vec::new();
        store::staging::each_paid_after(change.conn(), |line, reference, amount, paid, granted| {
            let kr = |ore: i64| crate::domain::money::Money(ore).with_kr(lang);
            // The value quoted is the amount on the project's last line in the file.
            let amount = crate::domain::money::Money(amount).plain();
            if paid < 0 {
                problems.add([RowError::cell(
                    line,
                    "amount",
                    &amount,
                    format!("with this file, project {reference}'s paid total would be negative ({})", kr(paid)),
                )]);
            } else if paid > granted {
                overrunning.push((line, reference.to_string(), amount, paid, granted));
            }
            Ok(())
        })?;
        for (line, reference, amount, paid, granted) in overrunning {
            let allowed = store::projects::load(change.conn(), &reference, Snapshot::CURRENT)?
                .is_some_and(|p| p.project.overrun_allowed);
            if allowed {
                continue;
            }
            if allow_overrun {
                // Records the overrun on the project, since it now is one.
                store::projects::allow_overrun(change, &reference)?;
            } else {
                let why = format!("with this file, {}", overrun_message(&reference, paid, granted, lang));
                problems.add([RowError::cell(line, "amount", &amount, why)]);
            }
        }
        let summary = &mut *self.summary;
        summary.added = added;
        summary.unchanged = staged - added;
        Ok(())
    }

    fn orgs(&mut self, input: &mut CsvInput, layout: &Layout, progress: &indicatif::ProgressBar) -> Result<()> {
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
            match store::orgs::find(self.change.conn(), &row.name, Snapshot::CURRENT)? {
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
}
