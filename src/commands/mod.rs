//! Commands: one file per subcommand, each the glue between the command line, the store,
//! the report values and the renderers. This module holds what they share: the
//! [`Context`] (global options, where output goes, which database), turning filter flags
//! into a [`Filter`], and rendering a report in the chosen format.

pub mod area;
pub mod audit;
pub mod backup;
pub mod check;
pub mod compare;
pub mod config;
pub mod db;
pub mod export;
pub mod funder;
pub mod import;
pub mod indicator;
pub mod info;
pub mod init;
pub mod org;
pub mod output;
pub mod payment;
pub mod programme;
pub mod project;
pub mod report;
pub mod rules;
pub mod sample;
pub mod strategy;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::cli::{self, AsOfArg, Command, Filters};
use crate::domain::area::{self as area_rules, Area};
use crate::domain::date::{iso, parse_date};
use crate::domain::filter::{DateField, Filter};
use crate::domain::lang::{self, Lang};
use crate::domain::money::Unit;
use crate::domain::municipality;
use crate::domain::project::{ProjectKind, Status};
use crate::domain::text::fold;
use crate::error::{Error, Result};
use crate::formats::dialect::CsvDialect;
use crate::render::{self, TableOptions};
use crate::report::{Frame, Report};
use crate::store::{self, Access, RegionSetup, Snapshot, Store};
pub use output::Output;

/// How output is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Csv,
    Json,
    Xlsx,
    Svg,
}

/// Which database a command runs against.
#[derive(Clone, Debug)]
pub enum Database {
    Sample,
    File(PathBuf),
}

/// Everything a command needs besides its own arguments.
pub struct Context {
    pub lang: Lang,
    pub format: Option<Format>,
    pub dialect: CsvDialect,
    pub output: Option<PathBuf>,
    pub user: String,
    /// The command line as typed (for the audit trail).
    pub command_line: String,
    pub database: Database,
    pub color: bool,
    pub width: usize,
    /// Whether standard error is a terminal (progress bars go there).
    pub stderr_terminal: bool,
    /// The table unit the config file asks for, when `--unit` does not say.
    pub unit: Option<Unit>,
    /// Whether a writing command's sentences are left out (it answers in JSON instead).
    pub quiet: bool,
}

/// The per-user data directory's database: `$XDG_DATA_HOME/spets/spets.db`, else
/// `~/.local/share/spets/spets.db` (`%APPDATA%\spets\spets.db` on Windows).
fn default_db_path() -> Result<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = if cfg!(windows) {
        env("APPDATA")
    } else if cfg!(target_os = "macos") {
        env("HOME").map(|h| h.join("Library/Application Support"))
    } else {
        env("XDG_DATA_HOME").or_else(|| env("HOME").map(|h| h.join(".local/share")))
    };
    base.map(|b| b.join("spets").join("spets.db")).ok_or_else(|| {
        Error::usage(crate::tr!("no home directory to keep the database in", "ingen hemmapp att ha databasen i"))
            .hint(crate::tr!("give one with --db PATH or SPETS_DB", "ange en med --db SÖKVÄG eller SPETS_DB"))
    })
}

/// The login name: `USER` or `LOGNAME` when set, else the operating system's name for
/// the user running spets.
fn login_name() -> Option<String> {
    let from_env =
        ["USER", "LOGNAME", "USERNAME"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()));
    from_env.or_else(system_user)
}

#[cfg(unix)]
fn system_user() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut found: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, which outlive the call and whose
    // sizes are passed; `pw_name` points into `buf` and is read before `buf` is freed.
    let rc = unsafe { libc::getpwuid_r(libc::geteuid(), &mut pwd, buf.as_mut_ptr(), buf.len(), &mut found) };
    if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: on success pw_name is a NUL-terminated string inside `buf`.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    name.to_str().ok().filter(|n| !n.is_empty()).map(String::from)
}

#[cfg(not(unix))]
fn system_user() -> Option<String> {
    None
}

/// Quotes an argument for the recorded command line when it needs it.
pub(crate) fn quote(arg: &str) -> String {
    if !arg.is_empty() && arg.chars().all(|c| c.is_alphanumeric() || "-_./:=,@+%".contains(c)) {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', "'\\''"))
    }
}

/// The output language: `--lang`, then SPETS_LANG, then the config file, then LANG.
fn language(global: &cli::Global, config_lang: Option<&str>) -> Lang {
    match global.lang {
        Some(cli::Lang::En) => Lang::En,
        Some(cli::Lang::Sv) => Lang::Sv,
        None => untyped_language(config_lang),
    }
}

/// The language when `--lang` is not given: SPETS_LANG, the config file, LANG.
fn untyped_language(config_lang: Option<&str>) -> Lang {
    let spets_lang = std::env::var("SPETS_LANG").ok().filter(|l| !l.is_empty());
    Lang::from_env(spets_lang.as_deref().or(config_lang), std::env::var("LANG").ok().as_deref())
}

/// The language of messages while the command line is parsed, for its own errors:
/// `--lang` as typed, else SPETS_LANG, the config file and LANG.
pub fn language_before_parsing(args: &[String]) -> Lang {
    let typed = args.iter().enumerate().rev().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).cloned(),
        Some(rest) => rest.strip_prefix('=').map(String::from),
        None => None,
    });
    match typed.as_deref() {
        Some("sv") => Lang::Sv,
        Some("en") => Lang::En,
        _ => untyped_language(config::Config::load().ok().and_then(|c| c.lang).as_deref()),
    }
}

impl Context {
    /// The context of a command: flags first, then the environment, then the config
    /// file, then the defaults.
    pub fn new(global: &cli::Global, args: &[String], config: &config::Config) -> Result<Context> {
        let lang = language(global, config.lang.as_deref());
        let database = match (&global.db, global.sample) {
            (_, true) => Database::Sample,
            (Some(p), false) => Database::File(p.clone()),
            (None, false) => Database::File(match &config.db {
                Some(p) => p.clone(),
                None => default_db_path()?,
            }),
        };
        let user = match global.user.as_ref().or(config.user.as_ref()) {
            Some(u) if u.trim().is_empty() => {
                return Err(Error::value(
                    "--user",
                    u,
                    crate::tr!(
                        "a name is needed: it is recorded with every change",
                        "ett namn behövs: det registreras med varje ändring"
                    ),
                )
                .hint(crate::tr!(
                    "leave --user and SPETS_USER out to use your login name",
                    "utelämna --user och SPETS_USER för att använda ditt inloggningsnamn"
                )));
            }
            Some(u) => u.trim().to_string(),
            None => login_name().ok_or_else(|| {
                Error::usage(crate::tr!(
                    "who is making this change is not known: the system has no name for this user",
                    "det är inte känt vem som gör ändringen: systemet har inget namn för denna användare"
                ))
                .hint(crate::tr!(
                    "give one with --user NAME or SPETS_USER",
                    "ange ett med --user NAMN eller SPETS_USER"
                ))
            })?,
        };
        let stdout_terminal = global.output.is_none() && std::io::stdout().is_terminal();
        if stdout_terminal && global.format == Some(cli::Format::Xlsx) {
            return Err(Error::usage(crate::tr!(
                "--format xlsx writes a workbook, not text for a terminal",
                "--format xlsx skriver en arbetsbok, inte text för en terminal"
            ))
            .hint(crate::tr!(
                "give the file to write: -o portfolio.xlsx",
                "ange filen som ska skrivas: -o portfolj.xlsx"
            )));
        }
        let color = stdout_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let width = if stdout_terminal {
            terminal_size::terminal_size().map_or(80, |(w, _)| usize::from(w.0))
        } else {
            std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| *w >= 20).unwrap_or(80)
        };
        Ok(Context {
            lang,
            format: global.format.map(|f| match f {
                cli::Format::Table => Format::Table,
                cli::Format::Csv => Format::Csv,
                cli::Format::Json => Format::Json,
                cli::Format::Xlsx => Format::Xlsx,
                cli::Format::Svg => Format::Svg,
            }),
            dialect: match (global.csv_dialect, config.csv_dialect.as_deref()) {
                (Some(cli::CsvDialect::ExcelSv), _) | (None, Some("excel-sv")) => CsvDialect::ExcelSv,
                _ => CsvDialect::Plain,
            },
            unit: unit(config.unit.as_deref().and_then(|u| cli::unit(u).ok())),
            quiet: false,
            output: global.output.clone(),
            user,
            // A password given in a database address is never recorded in the history.
            command_line: args.iter().skip(1).map(|a| quote(&store::without_password(a))).collect::<Vec<_>>().join(" "),
            database,
            color,
            width,
            stderr_terminal: std::io::stderr().is_terminal(),
        })
    }

    /// Opens the database. A command that writes creates the file and sets it up for
    /// Värmland when it does not exist yet; one that reads needs it to exist.
    pub fn open(&self, access: Access) -> Result<Store> {
        match &self.database {
            Database::Sample => sample::load(),
            Database::File(path) => {
                let mut store = Store::open(path, access)?;
                if store.region()?.is_none() {
                    if access == Access::Read {
                        return Err(Error::failed(crate::tr!(
                            "{}: the database is not set up yet",
                            "{}: databasen är inte i ordning än",
                            store.location()
                        ))
                        .hint(crate::tr!("`spets init` sets it up", "`spets init` gör i ordning den")));
                    }
                    // Another process may have set it up meanwhile: that is as good.
                    let setup = store.initialise(&RegionSetup::varmland(), &self.user, "init (first write)", None);
                    if let Err(e) = setup
                        && store.region()?.is_none()
                    {
                        return Err(e);
                    }
                }
                Ok(store)
            }
        }
    }

    /// Starts a change on `store` in this context's name.
    pub fn begin<'a>(&self, store: &'a mut Store) -> Result<store::Change<'a>> {
        store.begin(&self.user, &self.command_line)
    }

    /// Where output goes: standard output, or the `--output` file (see [`output`]).
    pub fn output(&self) -> Result<Output> {
        match &self.output {
            _ if self.quiet => Ok(Output::sink()),
            None => Ok(Output::stdout()),
            Some(path) => Output::file(path),
        }
    }

    /// The snapshot `--as-of` asks for, or the current one.
    pub fn snapshot(&self, store: &Store, as_of: &AsOfArg) -> Result<Snapshot> {
        match &as_of.as_of {
            None => Ok(Snapshot::CURRENT),
            Some(text) => store.snapshot_at(&parse_timestamp(text)?),
        }
    }

    /// The frame of a report: language, the filters shown, the moment.
    pub fn frame(&self, store: &Store, snapshot: Snapshot, filters: Vec<(String, String)>) -> Result<Frame> {
        Ok(Frame { lang: self.lang, filters, as_of: store.change_as_of(snapshot)? })
    }

    /// Renders a report in the chosen format to the output.
    pub fn render(&self, report: &Report, unit: Option<Unit>, totals: bool) -> Result<()> {
        let mut out = self.output()?;
        match self.format.unwrap_or(Format::Table) {
            Format::Table => {
                let opts = TableOptions { lang: self.lang, unit, width: self.width, color: self.color };
                render::table::render(report, &opts, &mut out.writer)?;
            }
            Format::Csv => render::csv::render(report, self.dialect, totals, &mut out.writer)?,
            Format::Json => render::json::render(report, &mut out.writer)?,
            Format::Xlsx => render::xlsx::render(report, self.lang, &mut out.writer)?,
            Format::Svg => match render::html::chart(report, self.lang) {
                Some(svg) => writeln!(
                    out.writer,
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
                    svg.replacen("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 1)
                )?,
                None => {
                    return Err(Error::usage(crate::tr!(
                        "--format svg draws the chart of report areas, years, funders or municipalities, not {}",
                        "--format svg ritar diagrammet för report areas, years, funders eller municipalities, inte {}",
                        report.name
                    )));
                }
            },
        }
        out.finish()
    }

    /// A line for people on standard error (not part of the output).
    pub fn say(&self, line: &str) {
        eprintln!("{line}");
    }
}

/// Parses `--as-of`: a date (the end of that day, UTC) or an RFC 3339 timestamp, into
/// the stored form.
pub fn parse_timestamp(text: &str) -> Result<String> {
    let t = text.trim();
    if let Ok(date) = parse_date(t) {
        return Ok(format!("{}T23:59:59.999999Z", iso(date)));
    }
    let parsed = chrono::DateTime::parse_from_rfc3339(t)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(&format!("{t}Z")))
        .map_err(|_| {
            Error::value(
                "--as-of",
                text,
                crate::tr!(
                    "not a moment (expected YYYY-MM-DD or e.g. 2026-11-27T18:11:16Z)",
                    "inte en tidpunkt (väntade ÅÅÅÅ-MM-DD eller t.ex. 2026-11-27T18:11:16Z)"
                ),
            )
        })?;
    Ok(store::format_timestamp(parsed.with_timezone(&chrono::Utc)))
}

/// Parses a date flag.
pub fn date_arg(flag: &str, value: Option<&String>) -> Result<Option<chrono::NaiveDate>> {
    value.map(|v| parse_date(v).map_err(|e| Error::value(flag, v, e))).transpose()
}

/// Resolves `--area` names for a filter.
pub fn area_ids(flag: &str, names: &[String], areas: &[Area]) -> Result<Vec<i64>> {
    names.iter().map(|n| area_rules::resolve(n, areas).map(|a| a.id).map_err(|e| Error::value(flag, n, e))).collect()
}

/// Turns filter flags into a [`Filter`] and the `(name, value)` list reports show.
pub fn build_filter(
    lang: Lang,
    store: &Store,
    snapshot: Snapshot,
    f: &Filters,
    date_field: DateField,
) -> Result<(Filter, Vec<(String, String)>)> {
    let mut filter = Filter { date_field, ..Filter::default() };
    let mut shown: Vec<(String, String)> = Vec::new();
    if !f.areas.is_empty() {
        let areas = store.at(snapshot).areas()?;
        filter.areas = area_ids("--area", &f.areas, &areas)?;
        let codes: Vec<String> =
            filter.areas.iter().filter_map(|id| areas.iter().find(|a| a.id == *id)).map(|a| a.code.clone()).collect();
        shown.push(("area".into(), codes.join(", ")));
    }
    if f.statuses.iter().any(|s| matches!(fold(s).as_str(), "all" | "alla")) {
        filter.statuses = Status::ALL.to_vec();
        shown.push(("status".into(), lang.pick("all", "alla").into()));
    } else if !f.statuses.is_empty() {
        filter.statuses = f
            .statuses
            .iter()
            .map(|s| {
                s.parse::<Status>()
                    .map_err(|e| Error::value("--status", s, crate::tr!("{e}, or all", "{e}, eller alla")))
            })
            .collect::<Result<_>>()?;
        shown.push(("status".into(), filter.statuses.iter().map(|s| s.label(lang)).collect::<Vec<_>>().join(", ")));
    }
    filter.kinds = f
        .kinds
        .iter()
        .map(|k| k.parse::<ProjectKind>().map_err(|e| Error::value("--kind", k, e)))
        .collect::<Result<_>>()?;
    if !filter.kinds.is_empty() {
        shown.push(("kind".into(), filter.kinds.iter().map(|k| k.label(lang)).collect::<Vec<_>>().join(", ")));
    }
    for (values, target, name) in [
        (&f.funds, &mut filter.funds, "fund"),
        (&f.funders, &mut filter.funders, "funder"),
        (&f.programmes, &mut filter.programmes, "programme"),
        (&f.sources, &mut filter.sources, "source"),
    ] {
        *target = values.iter().map(|v| fold(v)).collect();
        if !values.is_empty() {
            shown.push((name.into(), values.join(", ")));
        }
    }
    if !f.municipalities.is_empty() {
        let known = store.municipalities()?;
        for name in &f.municipalities {
            let bit = municipality::resolve(name, &known).map_err(|e| Error::value("--municipality", name, e))?;
            filter.municipalities |= 1 << bit;
        }
        shown.push(("municipality".into(), municipality::names(filter.municipalities, &known).join(", ")));
    }
    for name in &f.orgs {
        let org = store.at(snapshot).require_org("--org", name)?;
        filter.orgs.push(org.id);
    }
    if !f.orgs.is_empty() {
        shown.push(("org".into(), f.orgs.join(", ")));
    }
    filter.from = date_arg("--from", f.from.as_ref())?;
    filter.to = date_arg("--to", f.to.as_ref())?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(Error::usage(crate::tr!(
            "--to {} is before --from {}",
            "--to {} är före --from {}",
            iso(to),
            iso(from)
        )));
    }
    if let Some(from) = filter.from {
        shown.push(("from".into(), iso(from)));
    }
    if let Some(to) = filter.to {
        shown.push(("to".into(), iso(to)));
    }
    Ok((filter, shown))
}

/// Maps the unit flag.
pub fn unit(u: Option<cli::Unit>) -> Option<Unit> {
    u.map(|u| match u {
        cli::Unit::Kr => Unit::Kr,
        cli::Unit::Tkr => Unit::Tkr,
        cli::Unit::Mnkr => Unit::Mnkr,
        cli::Unit::Mdkr => Unit::Mdkr,
    })
}

/// Runs a parsed command line.
pub fn run(cli: cli::Cli, args: &[String], user_typed: bool) -> Result<()> {
    // Until the config file is read, messages follow the flag and the environment.
    lang::set_messages(language(&cli.global, None));
    // A broken config file must not stop `spets config` from repairing it.
    let settings = match (config::Config::load(), &cli.command) {
        (Ok(c), _) => c,
        (Err(_), Command::Config(_)) => config::Config::default(),
        (Err(e), _) => return Err(e),
    };
    lang::set_messages(language(&cli.global, settings.lang.as_deref()));
    let mut ctx = Context::new(&cli.global, args, &settings)?;
    // A writing command asked for JSON says what it did as JSON, not as a sentence.
    let as_json = ctx.format == Some(Format::Json) && writes(&cli.command);
    ctx.quiet = as_json;
    if matches!(ctx.database, Database::Sample)
        && !matches!(cli.command, Command::Completions { .. } | Command::Man { .. })
        && writes(&cli.command)
    {
        ctx.say(ctx.lang.pick(
            "note: --sample: working on an in-memory copy of the sample portfolio; nothing is saved",
            "obs: --sample: arbetar i en kopia av exempelportföljen i minnet; inget sparas",
        ));
    }
    let done = dispatch(&ctx, cli.command, user_typed);
    if as_json && done.is_ok() {
        ctx.quiet = false;
        return what_was_done(&ctx);
    }
    done
}

/// Writes the change the command made as JSON: its number, moment, user, head, and
/// its entries (the first 10 000 of them, with how many there are); `null` for none.
fn what_was_done(ctx: &Context) -> Result<()> {
    let value = match store::last_committed() {
        None => serde_json::json!({"change": null, "entries": [], "entries_total": 0}),
        Some((info, committed)) => serde_json::json!({
            "change": info.rev,
            "at": info.at,
            "user": info.user,
            "head": info.head,
            "entries": committed.entries.iter().map(|(entity, key, action)| {
                serde_json::json!({"entity": entity, "key": key, "action": action})
            }).collect::<Vec<_>>(),
            "entries_total": committed.total,
        }),
    };
    let mut out = ctx.output()?;
    serde_json::to_writer_pretty(&mut out.writer, &value).map_err(std::io::Error::from)?;
    writeln!(out.writer)?;
    out.finish()
}

fn dispatch(ctx: &Context, command: Command, user_typed: bool) -> Result<()> {
    match command {
        Command::Init(args) => init::run(ctx, &args),
        Command::Info => info::run(ctx),
        Command::Area(c) => area::run(ctx, c),
        Command::Org(c) => org::run(ctx, c),
        Command::Project(c) => project::run(ctx, c),
        Command::Payment(c) => payment::run(ctx, c),
        Command::Indicator(c) => indicator::run(ctx, c),
        Command::Strategy(c) => strategy::run(ctx, c),
        Command::Import(args) => import::run(ctx, &args),
        Command::Export(args) => export::run(ctx, &args),
        Command::Report(c) => report::run(ctx, c),
        Command::Programme(c) => programme::run(ctx, c),
        Command::Funder(c) => funder::run(ctx, c),
        Command::Check(args) => check::run(ctx, &args),
        Command::Compare(args) => compare::run(ctx, &args),
        Command::Config(c) => config::run(ctx, &c),
        Command::Rules(c) => rules::run(ctx, &c),
        Command::Audit(c) => audit::run(ctx, c, user_typed.then(|| ctx.user.clone())),
        Command::Backup { file } => backup::run(ctx, &file),
        Command::Db(c) => db::run(ctx, c),
        Command::Man { command, dir } => {
            let mut cmd = cli::command().disable_help_subcommand(true);
            cmd.build();
            if let Some(dir) = dir {
                clap_mangen::generate_to(cmd, &dir).map_err(|e| {
                    Error::failed(crate::tr!(
                        "{}: cannot write the manual pages: {why}",
                        "{}: kan inte skriva manualsidorna: {why}",
                        dir.display(),
                        why = crate::error::io_reason(&e)
                    ))
                })?;
                return Ok(());
            }
            let mut page = &cmd;
            for (i, name) in command.iter().enumerate() {
                page = page.find_subcommand(name).ok_or_else(|| {
                    Error::value(
                        "man",
                        &command[..=i].join(" "),
                        crate::tr!(
                            "no such command (spets --help lists them)",
                            "inget sådant kommando (spets --help listar dem)"
                        ),
                    )
                })?;
            }
            let mut text = Vec::new();
            clap_mangen::Man::new(page.clone()).render(&mut text)?;
            let mut out = ctx.output()?;
            out.writer.write_all(&text)?;
            out.finish()
        }
        Command::Completions { shell } => {
            let mut cmd = cli::command();
            // clap_complete panics when its writer fails (a closed pipe): let it write
            // to memory, and write that out ourselves.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut cmd, "spets", &mut script);
            let mut out = ctx.output()?;
            out.writer.write_all(&script)?;
            out.finish()
        }
    }
}

/// Whether a command records something.
fn writes(command: &Command) -> bool {
    use cli::{
        AreaCommand as A, IndicatorCommand as I, OrgCommand as O, PaymentCommand as P, ProgrammeCommand as G,
        ProjectCommand as R,
    };
    match command {
        Command::Init(_) | Command::Import(_) => true,
        Command::Area(c) => !matches!(c, A::List(_)),
        Command::Org(c) => matches!(c, O::Add { .. } | O::Edit { .. }),
        Command::Project(c) => matches!(c, R::Add { .. } | R::Edit { .. } | R::Remove { .. }),
        Command::Payment(c) => matches!(c, P::Add { .. } | P::Remove { .. }),
        Command::Indicator(c) => matches!(c, I::Set { .. } | I::Define { .. }),
        Command::Strategy(c) => matches!(c, cli::StrategyCommand::Add { .. } | cli::StrategyCommand::Map { .. }),
        Command::Programme(c) => matches!(c, G::Set { .. }),
        Command::Funder(c) => matches!(c, cli::FunderCommand::Default { .. }),
        _ => false,
    }
}
