//! The command line, as clap types only. Doc comments here are the `--help` text.
//! Nothing below `commands` sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Track a region's smart-specialisation portfolio: EU-funded and co-funded projects
/// against its specialisation areas, with the money granted, co-financed and paid, and
/// the reports behind "smart specialisation has turned over more than a billion kronor".
#[derive(Debug, Parser)]
#[command(name = "spets", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The database file [default: the config file's db, else the per-user data
    /// directory, e.g. ~/.local/share/spets/spets.db]
    #[arg(help_heading = "Global options", long, global = true, env = "SPETS_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Use an in-memory database loaded with the bundled sample portfolio; nothing is saved
    #[arg(help_heading = "Global options", long, global = true)]
    pub sample: bool,

    /// Output format [default: table; csv for export]
    #[arg(help_heading = "Global options", long, global = true, value_enum)]
    pub format: Option<Format>,

    /// CSV flavour: plain, or excel-sv (`;`, decimal comma, BOM) for Excel in Sweden
    /// [default: the config file's csv_dialect, else plain]
    #[arg(help_heading = "Global options", long, global = true, value_enum)]
    pub csv_dialect: Option<CsvDialect>,

    /// Write the output to FILE instead of standard output
    #[arg(help_heading = "Global options", long, short, global = true, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Who is making the change, for the audit trail [default: the config file's user, else
    /// the login name]; with
    /// `audit log`, show only this user's changes
    #[arg(help_heading = "Global options", long, global = true, env = "SPETS_USER", value_name = "NAME")]
    pub user: Option<String>,

    /// Output language [default: SPETS_LANG, else the config file's lang, else sv when LANG
    /// starts with sv, else en]
    #[arg(help_heading = "Global options", long, global = true, value_enum)]
    pub lang: Option<Lang>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
    /// An Excel workbook (needs -o FILE.xlsx on a terminal)
    Xlsx,
    /// The chart of report areas, years, funders or municipalities, as SVG
    Svg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CsvDialect {
    Plain,
    ExcelSv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    En,
    Sv,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    Kr,
    Tkr,
    Mnkr,
    Mdkr,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a database for a region (also done by the first command that records something)
    #[command(
        after_help = "Examples:\n  spets init                                # Värmland's seven areas and sixteen municipalities\n  spets --db skane.db init --areas areas.csv --municipalities kommuner.txt --region-name Skåne"
    )]
    Init(InitArgs),
    /// Show the database path, schema version, counts and last change
    #[command(after_help = "Examples:\n  spets info\n  spets --sample info")]
    Info,
    /// Specialisation areas
    #[command(subcommand)]
    Area(AreaCommand),
    /// Organisations: owners and partners of projects
    #[command(
        after_help = "Examples:\n  spets org add \"Karlstads universitet\" --org-no 202100-3153 --kind university\n  spets org show \"Karlstads universitet\""
    )]
    #[command(subcommand)]
    Org(OrgCommand),
    /// Projects: log, edit, show, list, remove
    #[command(
        after_help = "Examples:\n  spets project add 20201234 --title \"Digital vård\" --owner \"Karlstads universitet\" --area halsa:60 --area spel:40 --decided 2020-05-04 --funding ERUF:eu:4000000\n  spets project edit 20201234 --status ongoing\n  spets project list --area skog --from 2021-01-01"
    )]
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Payments to projects
    #[command(
        after_help = "Examples:\n  spets payment add 20201234 --date 2021-03-01 --amount \"1 500 000\" --kind advance\n  spets payment list 20201234"
    )]
    #[command(subcommand)]
    Payment(PaymentCommand),
    /// Outcome indicators of projects, and the catalogue of codes
    #[command(
        after_help = "Examples:\n  spets indicator set 20201234 --code RCR01 --target 4 --outcome 5\n  spets indicator catalogue\n  spets indicator define VLD01 --en \"Testbeds opened\" --sv \"Öppnade testbäddar\" --unit testbäddar --summable"
    )]
    #[command(subcommand)]
    Indicator(IndicatorCommand),
    /// Strategies: the sets of areas over time, and the crosswalk between them
    #[command(
        after_help = "Examples:\n  spets strategy list\n  spets strategy show 2015\n  spets strategy map skog-2015 skog:70 livsmedel:30"
    )]
    #[command(subcommand)]
    Strategy(StrategyCommand),
    /// Import projects, funding lines, payments or organisations from CSV or a spreadsheet,
    /// or a foreign list of projects through import rules
    #[command(
        after_help = "Examples:\n  spets import beslut.csv --dry-run           # what would change, project by project\n  spets import register.xlsx --sheet Projekt\n  spets import lista.csv --rules kohesio --rate EUR=11.4765@2024-01-31"
    )]
    Import(ImportArgs),
    /// Compare a file with the database: projects only in one, and those that differ
    /// (exit 1 when anything differs); writes nothing
    #[command(
        after_help = "Examples:\n  spets compare lista.csv --rules kohesio --rate EUR=11.4765 --fund ERUF\n  spets compare register.xlsx --format csv -o skillnader.csv"
    )]
    Compare(CompareArgs),
    /// The import rules built into spets: list them, print one as a start for your own
    #[command(after_help = "Examples:\n  spets rules list\n  spets rules show kohesio > mina-regler.toml")]
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Export projects, funding lines, payments or organisations as CSV or JSON
    #[command(
        after_help = "Examples:\n  spets export projects --csv-dialect excel-sv -o projekt.csv\n  spets export funding --format xlsx -o finansiering.xlsx\n  spets export payments --format json"
    )]
    Export(ExportArgs),
    /// Reports: the headline summary and every breakdown behind it
    #[command(
        after_help = "Examples:\n  spets report summary --from 2015-01-01\n  spets report areas --lang sv --unit mnkr\n  spets report workbook -o portfolj.xlsx\n  spets report html --lang sv -o rapport.html"
    )]
    #[command(subcommand)]
    Report(ReportCommand),
    /// Programmes and their co-financing caps
    #[command(subcommand)]
    Programme(ProgrammeCommand),
    /// The funders the projects CSV's amount columns are recorded under
    #[command(subcommand)]
    Funder(FunderCommand),
    /// Run the reconciliation and rule checks (exit 1 when there are findings)
    #[command(after_help = "Examples:\n  spets check\n  spets check --format csv -o fynd.csv")]
    Check(CheckArgs),
    /// The change history: read it, verify it
    #[command(
        after_help = "Examples:\n  spets audit log --ref 20201234 --detail\n  spets audit verify --expect-head 5d81e6c9642f64142f357634aae05d1faf963b32cbb48158b8dc1ee037ce811c\n  spets audit verify --witness huvuden.txt"
    )]
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The database itself: copy it between a file and a PostgreSQL server, grant roles
    #[command(
        subcommand,
        after_help = "Examples:\n  spets db copy portfolj.db postgres://anna@db.region.se/portfolj\n  spets db copy postgres://anna@db.region.se/portfolj kopia.db\n  spets --db postgres://anna@db.region.se/portfolj db grant revisor --role reader"
    )]
    Db(DbCommand),
    /// Write a consistent copy of the database to FILE
    Backup {
        /// The copy to write (must not exist)
        file: PathBuf,
    },
    /// Print a shell completion script
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell
        shell: clap_complete::Shell,
    },
    /// Settings you set once, in ~/.config/spets/config.toml: db, lang, csv_dialect, unit, user
    #[command(
        subcommand,
        after_help = "Examples:\n  spets config set lang sv\n  spets config set csv_dialect excel-sv\n  spets config show"
    )]
    Config(ConfigCommand),
    /// Print the manual page of spets or of one command (roff, for `man -l -`), or
    /// write every command's page into a folder
    #[command(
        after_help = "Examples:\n  spets man | man -l -\n  spets man project add | man -l -\n  spets man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// The command whose page to print, e.g. `project add`
        command: Vec<String>,
        /// Write every command's page into this folder instead
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// A region spets knows: varmland
    #[arg(long, default_value = "varmland", conflicts_with = "areas")]
    pub region: String,
    /// A CSV of the region's own areas: code, name_sv, name_en
    #[arg(long, value_name = "FILE")]
    pub areas: Option<PathBuf>,
    /// With --areas: a file of the region's municipalities, one per line
    #[arg(long, value_name = "FILE", requires = "areas")]
    pub municipalities: Option<PathBuf>,
    /// With --areas: the region's name, as reports say it
    #[arg(long, value_name = "NAME", requires = "areas")]
    pub region_name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy a whole portfolio, its history included, into an empty database: a file
    /// to a PostgreSQL server, a server to a file, or either to another of its kind
    #[command(
        after_help = "Examples:\n  spets db copy portfolj.db postgres://anna@db.region.se/portfolj\n  spets db copy postgres://anna@db.region.se/portfolj kopia.db"
    )]
    Copy {
        /// The database to copy: a file, or postgres://USER@HOST/DATABASE
        from: PathBuf,
        /// The empty database to copy it into: a new file, or an empty database on a server
        to: PathBuf,
    },
    /// Give an existing login of the PostgreSQL server a role in this database: a
    /// reader runs every report and `audit verify`, a writer also records changes; no
    /// role may change or remove the history
    #[command(
        after_help = "Examples:\n  spets --db postgres://anna@db.region.se/portfolj db grant revisor --role reader\n  spets --db postgres://anna@db.region.se/portfolj db grant handlaggare --role writer"
    )]
    Grant {
        /// The server's login (create it first: CREATE ROLE NAME LOGIN PASSWORD '…')
        name: String,
        /// reader or writer
        #[arg(long, value_enum)]
        role: DbRole,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DbRole {
    Reader,
    Writer,
}

#[derive(Debug, Subcommand)]
pub enum AreaCommand {
    /// List the areas
    List(AsOfArg),
    /// Add an area
    Add {
        /// Short lower-case code, e.g. skog
        code: String,
        /// Swedish name
        #[arg(long)]
        sv: String,
        /// English name
        #[arg(long)]
        en: String,
        /// First day the area applies
        #[arg(long, value_name = "DATE")]
        valid_from: Option<String>,
        /// Last day the area applies
        #[arg(long, value_name = "DATE")]
        valid_to: Option<String>,
        /// The strategy the area belongs to (its first year) [default: the newest]
        #[arg(long, value_name = "NAME")]
        strategy: Option<String>,
        /// A horizontal theme of its strategy, cutting across the other areas
        #[arg(long)]
        horizontal: bool,
    },
    /// Rename an area (its code, Swedish or English name)
    Rename {
        /// The area: code, Swedish or English name
        area: String,
        /// The new code
        #[arg(long)]
        code: Option<String>,
        /// The new Swedish name
        #[arg(long)]
        sv: Option<String>,
        /// The new English name
        #[arg(long)]
        en: Option<String>,
    },
    /// Retire an area from a date: later projects cannot use it; past ones keep it
    Retire {
        /// The area: code, Swedish or English name
        area: String,
        /// Last day the area applies [default: today]
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Record an organisation
    Add {
        /// The organisation's name
        name: String,
        /// Swedish organisationsnummer, NNNNNN-NNNN
        #[arg(long, value_name = "N")]
        org_no: Option<String>,
        /// university, research-institute, cluster, science-park, incubator, testbed,
        /// financing, company, municipality, region, agency or other
        #[arg(long, default_value = "other")]
        kind: String,
    },
    /// List organisations
    List(AsOfArg),
    /// Show an organisation and its projects
    Show {
        /// The organisation: its name, in any case
        name: String,
        #[command(flatten)]
        as_of: AsOfArg,
    },
    /// Change an organisation's name, number or kind
    Edit {
        /// The organisation: its name, in any case
        name: String,
        /// The new name
        #[arg(long = "name", value_name = "NEW")]
        new_name: Option<String>,
        /// Swedish organisationsnummer; an empty value removes it
        #[arg(long, value_name = "N")]
        org_no: Option<String>,
        /// The new kind (see `org add --help`)
        #[arg(long)]
        kind: Option<String>,
    },
}

#[derive(Debug, Default, Args)]
pub struct ProjectFields {
    /// Title
    #[arg(long)]
    pub title: Option<String>,
    /// Owner organisation (must be recorded; `spets org add`)
    #[arg(long, value_name = "ORG")]
    pub owner: Option<String>,
    /// An area with its share, e.g. skog:60 (repeat for several; one alone is 100 %)
    #[arg(long = "area", value_name = "AREA[:SHARE]")]
    pub areas: Vec<String>,
    /// Fund: ERUF, ESF+, JTF, Interreg, Horizon, national, regional, ...
    #[arg(long)]
    pub fund: Option<String>,
    /// Programme, e.g. "ERUF Norra Mellansverige 2021–2027"
    #[arg(long)]
    pub programme: Option<String>,
    /// project, pre-study or top-up
    #[arg(long)]
    pub kind: Option<String>,
    /// The project a top-up tops up
    #[arg(long, value_name = "REF", value_parser = reference)]
    pub parent: Option<String>,
    /// Accept a financing plan below what the project has been paid, recording an
    /// allowed overrun
    #[arg(long)]
    pub allow_overrun: bool,
    /// applied, prioritised, granted, ongoing, closed, rejected or withdrawn. A new
    /// project without --status is `granted` when --decided is given, else `applied`
    /// (only granted, ongoing and closed projects count as turned over)
    #[arg(long)]
    pub status: Option<String>,
    /// Decision date, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub decided: Option<String>,
    /// Start date, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// End date, YYYY-MM-DD
    #[arg(long, value_name = "DATE")]
    pub end: Option<String>,
    /// A municipality of the county (repeat for several)
    #[arg(long = "municipality", value_name = "NAME")]
    pub municipalities: Vec<String>,
    /// A partner organisation (repeat for several)
    #[arg(long = "partner", value_name = "ORG")]
    pub partners: Vec<String>,
    /// A funding line: FUNDER:KIND:AMOUNT[:CURRENCY:RATE[:RATE_DATE]][:in-kind] (repeat
    /// for several), e.g. Interreg:eu:350 000:EUR:11.25:2024-01-31
    #[arg(long = "funding", value_name = "LINE", allow_hyphen_values = true)]
    pub funding: Vec<String>,
    /// Free-text notes
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Log a project
    #[command(
        after_help = "Examples:\n  spets project add 20201234 --title \"Digital vård\" --owner \"Karlstads universitet\" --area halsa:60 --area spel:40 --decided 2020-05-04 --funding ERUF:eu:4000000 --funding \"Region Värmland:region:3 000 000\"\n  spets project add 20211111 --title \"Solel, fas 2\" --owner \"Paper Province\" --area solel --funding Interreg:eu:350000:EUR:11.25:2024-01-31"
    )]
    Add {
        /// Reference number (diarienummer): kept as given, without spaces around it
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        #[command(flatten)]
        fields: ProjectFields,
    },
    /// Change a project; a list flag (--area, --funding, --partner, --municipality) replaces the list
    #[command(
        after_help = "Examples:\n  spets project edit 20201234 --status ongoing --start 2020-06-01\n  spets project edit 20201234 --clear municipalities --notes \"Förlängd till 2023\""
    )]
    Edit {
        /// The project's reference number
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        #[command(flatten)]
        fields: ProjectFields,
        /// Clear a field: parent, programme, fund, decided, start, end, notes, municipalities,
        /// partners or funding (repeat for several)
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
        /// Move the status backwards (e.g. closed to applied), which `check` then lists
        #[arg(long)]
        force: bool,
    },
    /// Show a project: areas with their split, financing plan, payments, indicators
    #[command(
        after_help = "Examples:\n  spets project show 20201234\n  spets project show 20201234 --as-of 2023-12-31 --format json"
    )]
    Show {
        /// The project's reference number
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        #[command(flatten)]
        as_of: AsOfArg,
    },
    /// List projects
    #[command(
        after_help = "Examples:\n  spets project list --area skog --status granted,ongoing\n  spets project list --source kohesio --format xlsx -o projekt.xlsx"
    )]
    List {
        #[command(flatten)]
        filters: Filters,
    },
    /// Remove a project (its history stays; --as-of still shows it)
    Remove {
        /// The project's reference number
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        /// Remove it even though it has payments (they are removed with it)
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PaymentCommand {
    /// Record a payment
    #[command(
        after_help = "Examples:\n  spets payment add 20201234 --date 2021-03-01 --amount \"1 500 000\" --kind advance\n  spets payment add 20201234 --date 2022-06-30 --amount 250000 --kind recovery --note \"Återkrav\""
    )]
    Add {
        /// The project's reference number
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        /// Payment date, YYYY-MM-DD
        #[arg(long, value_name = "DATE")]
        date: String,
        /// Amount in SEK
        #[arg(long, allow_negative_numbers = true)]
        amount: String,
        /// advance, claim, final or recovery (a recovery reduces what was paid)
        #[arg(long, default_value = "claim")]
        kind: String,
        /// Who paid
        #[arg(long)]
        funder: Option<String>,
        /// Free-text note
        #[arg(long)]
        note: Option<String>,
        /// Record it even if the paid total then exceeds the granted total
        #[arg(long)]
        allow_overrun: bool,
    },
    /// List payments, of one project or all
    List {
        /// Only this project's
        #[arg(value_name = "REF", value_parser = reference)]
        reference: Option<String>,
        #[command(flatten)]
        as_of: AsOfArg,
    },
    /// Remove a payment recorded by mistake (a repayment is a recovery instead)
    Remove {
        /// The payment's number, as `payment list` shows it
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum IndicatorCommand {
    /// Set a project's indicator: its target and, once known, its outcome
    Set {
        /// The project's reference number
        #[arg(value_name = "REF", value_parser = reference)]
        reference: String,
        /// Indicator code, e.g. RCO01
        #[arg(long)]
        code: String,
        /// Target value (a decimal number)
        #[arg(long, allow_negative_numbers = true)]
        target: String,
        /// Outcome value, once known
        #[arg(long, allow_negative_numbers = true)]
        outcome: Option<String>,
        /// What the indicator measures (kept when not given; an empty value clears it)
        #[arg(long)]
        name: Option<String>,
        /// Unit of the values, e.g. companies, FTE (kept when not given)
        #[arg(long)]
        unit: Option<String>,
    },
    /// List indicators, of one project or all
    List {
        /// Only this project's
        #[arg(value_name = "REF", value_parser = reference)]
        reference: Option<String>,
        #[command(flatten)]
        as_of: AsOfArg,
    },
    /// The codes spets knows: the EU's common indicators and the region's own
    Catalogue(AsOfArg),
    /// Define one of the region's own codes (or change its names, unit or summability)
    Define {
        /// The code, e.g. VLD01
        code: String,
        /// English name
        #[arg(long)]
        en: String,
        /// Swedish name
        #[arg(long)]
        sv: String,
        /// Unit of the values, e.g. testbeds
        #[arg(long)]
        unit: String,
        /// Values may be added across projects (not for counts of distinct things,
        /// such as enterprises, that two projects may share)
        #[arg(long)]
        summable: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum StrategyCommand {
    /// List the strategies
    List(AsOfArg),
    /// A strategy's areas, and where each continues
    Show {
        /// The strategy: its first year, e.g. 2015
        name: String,
        #[command(flatten)]
        as_of: AsOfArg,
    },
    /// Add a strategy (then its areas with `spets area add --strategy NAME`)
    Add {
        /// Its first year, e.g. 2029
        name: String,
        /// Swedish title
        #[arg(long)]
        sv: String,
        /// English title
        #[arg(long)]
        en: String,
        /// First day it is in force [default: 1 January of NAME]
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day of its period
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
    },
    /// Map an area onto the areas of a later strategy that continue it, with shares
    /// (`skog:70 livsmedel:30`; one area alone takes 100); no areas: it has no successor
    Map {
        /// The earlier strategy's area
        area: String,
        /// The later strategy's areas, AREA[:SHARE]
        #[arg(value_name = "AREA[:SHARE]")]
        to: Vec<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableName {
    Projects,
    Funding,
    Payments,
    Orgs,
    Indicators,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "windows-1252", alias = "cp1252")]
    Windows1252,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: CSV, or a spreadsheet (.xlsx, .xls, .ods)
    pub file: PathBuf,
    /// What the file holds [default: from the file's header]
    #[arg(long, value_enum)]
    pub table: Option<TableName>,
    /// Check everything and report what would change, project by project; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// The file's text encoding: utf-8, or windows-1252 for files saved by Excel in Sweden
    /// [default: utf-8, or what the rules say]
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// Accept payments, or financing plans, that leave a project paid above its granted
    /// total, recording an allowed overrun on that project
    #[arg(long)]
    pub allow_overrun: bool,
}

/// How a foreign file is read.
#[derive(Debug, Default, Args)]
pub struct RulesArgs {
    /// Read the file through import rules: a built-in name (spets rules list) or a TOML file
    #[arg(long, value_name = "NAME|FILE.toml")]
    pub rules: Option<String>,
    /// The sheet of a spreadsheet to read [default: the rules' sheet, else the first]
    #[arg(long, value_name = "SHEET")]
    pub sheet: Option<String>,
    /// The rate of a currency, in SEK, for amounts the file gives in it, with the rate's
    /// date: EUR=11.4765@2024-01-31 (repeat for several currencies)
    #[arg(long = "rate", value_name = "CUR=RATE[@DATE]")]
    pub rates: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The file: CSV, or a spreadsheet (.xlsx, .xls, .ods)
    pub file: PathBuf,
    /// The file's text encoding [default: utf-8, or what the rules say]
    #[arg(long, value_enum)]
    pub encoding: Option<Encoding>,
    #[command(flatten)]
    pub rules: RulesArgs,
    #[command(flatten)]
    pub filters: Filters,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The config file's path and settings
    Show,
    /// Set one setting (a flag or the environment still overrides it)
    Set {
        /// db, lang (en|sv), csv_dialect (plain|excel-sv), unit (kr|tkr|mnkr|mdkr) or user
        key: String,
        value: String,
    },
    /// Remove a setting
    Unset { key: String },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// The built-in import rules
    List,
    /// Print built-in rules, commented: a starting point for your own
    Show {
        /// Their name: kohesio, kohesio-portal, projektbanken
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(value_enum, default_value = "projects")]
    pub table: TableName,
}

#[derive(Debug, Default, Args)]
pub struct AsOfArg {
    /// Show it as it was at this moment: YYYY-MM-DD or an RFC 3339 timestamp (UTC)
    #[arg(long, value_name = "TIMESTAMP")]
    pub as_of: Option<String>,
}

/// The filters every report takes. Repeating one widens it; different ones narrow.
#[derive(Debug, Default, Args)]
pub struct Filters {
    /// Projects touching this area (code or name)
    #[arg(long = "area", value_name = "AREA")]
    pub areas: Vec<String>,
    /// Projects of this fund
    #[arg(long = "fund", value_name = "FUND")]
    pub funds: Vec<String>,
    /// Projects with a funding line from this funder
    #[arg(long = "funder", value_name = "FUNDER")]
    pub funders: Vec<String>,
    /// Projects in this status, or `all` [default: granted, ongoing, closed]
    #[arg(long = "status", value_name = "STATUS", value_delimiter = ',')]
    pub statuses: Vec<String>,
    /// Projects of this kind: project, pre-study, top-up
    #[arg(long = "kind", value_name = "KIND", value_delimiter = ',')]
    pub kinds: Vec<String>,
    /// Projects in this programme
    #[arg(long = "programme", value_name = "PROGRAMME")]
    pub programmes: Vec<String>,
    /// Projects in this municipality
    #[arg(long = "municipality", value_name = "NAME")]
    pub municipalities: Vec<String>,
    /// Projects this organisation owns or takes part in
    #[arg(long = "org", value_name = "ORG")]
    pub orgs: Vec<String>,
    /// Projects read from this source (the import rules' name, e.g. kohesio)
    #[arg(long = "source", value_name = "SOURCE")]
    pub sources: Vec<String>,
    /// Decided on or after this date
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Decided on or before this date
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub filters: Filters,
    /// Table amounts in kr, tkr, mnkr or mdkr [default: the most precise that fits]
    #[arg(long, value_parser = unit, value_name = "UNIT")]
    pub unit: Option<Unit>,
    /// CSV: end with the totals row
    #[arg(long)]
    pub totals: bool,
    /// Show every project on this strategy's areas (e.g. 2022), splitting the areas of
    /// earlier strategies by the crosswalk
    #[arg(long, value_name = "NAME")]
    pub strategy: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IndicatorsBy {
    #[value(alias = "område", alias = "omrade")]
    Area,
    #[value(alias = "år", alias = "ar")]
    Year,
    /// The areas of one strategy (`--strategy`, else the newest), through the crosswalk
    #[value(name = "strategy-area", alias = "strategiområde", alias = "strategiomrade")]
    StrategyArea,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Basis {
    #[value(alias = "beslutat")]
    Decided,
    Start,
    Prorata,
    #[value(alias = "utbetalt")]
    Paid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum YearsBy {
    #[value(alias = "område", alias = "omrade")]
    Area,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ActorsBy {
    Kind,
    Helix,
    Combination,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The headline: projects, turned over, EU, co-financing, paid
    Summary(ReportArgs),
    /// By specialisation area, split by share
    Areas(ReportArgs),
    /// By calendar year
    Years {
        #[command(flatten)]
        args: ReportArgs,
        /// decided, start, prorata (spread over each project's days) or paid
        #[arg(long, value_enum, default_value = "decided")]
        basis: Basis,
        /// Pivot years × areas
        #[arg(long, value_enum)]
        by: Option<YearsBy>,
    },
    /// By funder, grouped by kind of funder
    Funders(ReportArgs),
    /// By owner organisation
    Orgs {
        #[command(flatten)]
        args: ReportArgs,
        /// Show the N largest and the rest in one row
        #[arg(long, value_name = "N")]
        top: Option<usize>,
    },
    /// By kind of organisation or helix among owners and partners, or their combinations
    Actors {
        #[command(flatten)]
        args: ReportArgs,
        /// Group the owners and partners by organisation kind, by helix, or show which
        /// helix combinations work together in projects
        #[arg(long, value_enum, default_value = "kind")]
        by: ActorsBy,
    },
    /// By municipality, split evenly over each project's municipalities
    Municipalities(ReportArgs),
    /// By status
    Status(ReportArgs),
    /// Indicators: target, outcome and achievement per code; values that may not be
    /// summed across projects are shown as a count and a range, never a sum
    Indicators {
        #[command(flatten)]
        args: ReportArgs,
        /// Split by area (by the projects' shares), by year of decision, or by the areas
        /// of one strategy
        #[arg(long, value_enum)]
        by: Option<IndicatorsBy>,
    },
    /// Every report as a sheet of one Excel workbook (-o FILE.xlsx), with the same filters
    Workbook(ReportArgs),
    /// The published report: one self-contained web page (-o FILE.html) with the
    /// headline, charts and tables, printable on A4
    Html(ReportArgs),
}

#[derive(Debug, Subcommand)]
pub enum ProgrammeCommand {
    /// Set a programme's co-financing caps
    Set {
        /// The programme's name, e.g. "ERUF Norra Mellansverige 2021–2027"
        name: String,
        /// Highest EU share of a project's total, in percent
        #[arg(long, value_name = "PCT")]
        eu_cap: Option<String>,
        /// Highest share of a project's total from the region, in percent
        #[arg(long, value_name = "PCT")]
        region_cap: Option<String>,
    },
    /// List programmes and their caps
    List(AsOfArg),
}

#[derive(Debug, Subcommand)]
pub enum FunderCommand {
    /// Set the funder a kind's amount column is recorded under (recorded in the history)
    Default {
        /// state, region, municipality, university, private or other (the eu column's
        /// funder is each project's fund)
        kind: String,
        /// The funder's name, e.g. "Region Värmland"
        name: String,
    },
    /// List the default funder of each kind
    Defaults(AsOfArg),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub as_of: AsOfArg,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// The change history
    Log {
        /// Only entries about this project (and its payments and indicators)
        #[arg(long = "ref", value_name = "REF", value_parser = reference)]
        reference: Option<String>,
        /// Only entries on or after this date or moment
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// One row per field: what each entry changed, before and after
        #[arg(long)]
        detail: bool,
    },
    /// Recompute the hash chain and check the data against the history
    Verify {
        /// Also check that the chain's head is this hash (recorded earlier)
        #[arg(long, value_name = "HASH")]
        expect_head: Option<String>,
        /// Also check the heads a witness file recorded (each write appends its head to
        /// the file SPETS_WITNESS names): removing the newest changes is found too
        #[arg(long, value_name = "FILE", env = "SPETS_WITNESS")]
        witness: Option<std::path::PathBuf>,
    },
}

/// A project reference as typed: the one normal form every input uses (the parser is
/// the domain's; this only hands it to clap).
fn reference(text: &str) -> Result<String, String> {
    Ok(crate::domain::project::normal_ref(text))
}

/// `--unit`, in any case; a unit as people write it elsewhere (`Mkr`, `MSEK`) is told
/// which of spets's it is.
pub(crate) fn unit(text: &str) -> Result<Unit, String> {
    let t = text.trim().to_lowercase();
    match t.as_str() {
        "kr" => return Ok(Unit::Kr),
        "tkr" => return Ok(Unit::Tkr),
        "mnkr" => return Ok(Unit::Mnkr),
        "mdkr" => return Ok(Unit::Mdkr),
        _ => {}
    }
    let meant = match t.as_str() {
        "sek" | "kronor" => Some("kr"),
        "ksek" | "tsek" | "tkr." => Some("tkr"),
        "mkr" | "msek" | "mnsek" | "milj" | "miljoner" => Some("mnkr"),
        "mdr" | "mdsek" | "mdkr." | "miljarder" | "gsek" => Some("mdkr"),
        _ => None,
    };
    let hint = meant.map_or(String::new(), |m| crate::tr!("; did you mean {m}?", "; menade du {m}?"));
    Err(crate::tr!(
        "not a unit: expected kr, tkr, mnkr or mdkr{hint}",
        "inte en enhet: väntade kr, tkr, mnkr eller mdkr{hint}"
    ))
}

/// Examples for the commands whose `--help` does not end with its own (the rest have
/// them in their `after_help`): a path of subcommand names, and command lines.
const EXAMPLES: &[(&str, &[&str])] = &[
    ("area list", &["spets area list", "spets area list --as-of 2020-01-01 --format csv"]),
    (
        "area add",
        &[
            "spets area add rymd --sv Rymdteknik --en \"Space technology\"",
            "spets area add hav --sv Havet --en \"The sea\" --valid-from 2025-01-01",
        ],
    ),
    (
        "area rename",
        &["spets area rename spel --en \"Games and gamification\"", "spets area rename halsa --sv \"Digital hälsa\""],
    ),
    ("area retire", &["spets area retire plats --date 2028-12-31", "spets area retire solel --date 2027-06-30"]),
    (
        "org add",
        &[
            "spets org add \"Paper Province\" --kind cluster",
            "spets org add \"Karlstads universitet\" --org-no 202100-3153 --kind university",
        ],
    ),
    ("org list", &["spets org list", "spets org list --format xlsx -o organisationer.xlsx"]),
    ("org show", &["spets org show \"Karlstads universitet\"", "spets org show \"Paper Province\" --format json"]),
    (
        "org edit",
        &["spets org edit \"Paper Province\" --kind cluster", "spets org edit Compare --name \"Compare Karlstad\""],
    ),
    ("project remove", &["spets project remove 20201234", "spets project remove 20201234 --format json"]),
    ("payment list", &["spets payment list 20201234", "spets payment list --format csv"]),
    ("payment remove", &["spets payment remove 17", "spets payment remove 18 --format json"]),
    (
        "indicator set",
        &[
            "spets indicator set 20201234 --code RCO01 --target 5 --outcome 3",
            "spets indicator set 20201234 --code RCR01 --target 2,5 --unit årsarbetskrafter",
        ],
    ),
    ("indicator list", &["spets indicator list 20201234", "spets indicator list --format csv"]),
    ("indicator catalogue", &["spets indicator catalogue", "spets indicator catalogue --lang sv --format csv"]),
    (
        "indicator define",
        &[
            "spets indicator define VLD01 --en \"Testbeds opened\" --sv \"Öppnade testbäddar\" --unit testbäddar --summable",
            "spets indicator define VLD02 --en \"Firms in the cluster\" --sv \"Företag i klustret\" --unit företag",
        ],
    ),
    ("strategy list", &["spets strategy list", "spets strategy list --as-of 2024-12-31 --format csv"]),
    ("strategy show", &["spets strategy show 2015", "spets strategy show 2022 --lang sv"]),
    (
        "strategy add",
        &[
            "spets strategy add 2029 --sv \"Strategi för smart specialisering 2029–2035\" --en \"Smart specialisation strategy 2029–2035\" --to 2035-12-31",
            "spets strategy add 2029 --sv \"S3 2029\" --en \"S3 2029\" --from 2029-07-01",
        ],
    ),
    (
        "strategy map",
        &["spets strategy map skog-2015 skog:70 livsmedel:30", "spets strategy map tjanster-2015   # no successor"],
    ),
    (
        "programme set",
        &[
            "spets programme set \"ERUF Norra Mellansverige 2021–2027\" --eu-cap 40",
            "spets programme set \"ESF+ 2021–2027\" --eu-cap 50 --region-cap 25",
        ],
    ),
    ("programme list", &["spets programme list", "spets programme list --format json"]),
    (
        "funder default",
        &[
            "spets funder default region \"Region Värmland\"",
            "spets funder default municipality \"Kommunal medfinansiering\"",
        ],
    ),
    ("funder defaults", &["spets funder defaults", "spets funder defaults --format csv"]),
    ("report summary", &["spets report summary", "spets report summary --from 2015-01-01 --lang sv"]),
    ("report areas", &["spets report areas --unit mnkr", "spets report areas --format xlsx -o omraden.xlsx"]),
    ("report years", &["spets report years --basis prorata", "spets report years --by area --format csv"]),
    ("report funders", &["spets report funders", "spets report funders --format svg -o finansiarer.svg"]),
    ("report orgs", &["spets report orgs --top 10", "spets report orgs --area skog --format csv"]),
    ("report actors", &["spets report actors --by helix", "spets report actors --by combination"]),
    (
        "report municipalities",
        &["spets report municipalities", "spets report municipalities --from 2021-01-01 --format csv"],
    ),
    ("report status", &["spets report status", "spets report status --as-of 2024-12-31"]),
    (
        "report indicators",
        &["spets report indicators", "spets report indicators --by area --strategy 2022 --format csv"],
    ),
    (
        "report workbook",
        &["spets report workbook -o portfolj.xlsx", "spets report workbook --area skog --lang sv -o skog.xlsx"],
    ),
    (
        "report html",
        &["spets report html --lang sv -o rapport.html", "spets report html --from 2021-01-01 -o sedan-2021.html"],
    ),
    ("backup", &["spets backup kopia.db", "spets --db spets.db backup /mnt/backup/spets-2026-12-01.db"]),
    (
        "completions",
        &[
            "spets completions bash > ~/.local/share/bash-completion/completions/spets",
            "spets completions zsh > _spets",
        ],
    ),
    ("rules list", &["spets rules list", "spets rules list -o regler.txt"]),
    ("rules show", &["spets rules show kohesio", "spets rules show projektbanken > mina-regler.toml"]),
    (
        "audit log",
        &["spets audit log --ref 20201234 --detail", "spets audit log --since 2026-01-01 --user \"Anna Ek\""],
    ),
    ("audit verify", &["spets audit verify", "spets audit verify --witness huvuden.txt"]),
    ("config show", &["spets config show", "spets config show -o installningar.txt"]),
    ("config set", &["spets config set lang sv", "spets config set unit mnkr"]),
    ("config unset", &["spets config unset db", "spets config unset lang"]),
];

/// The command line as spets parses it and documents it (`--help`, `spets man`):
/// the derived one, with [`EXAMPLES`] at the end of each command's help.
pub fn command() -> clap::Command {
    fn add(cmd: clap::Command, path: &[&str], text: &str) -> clap::Command {
        match path.split_first() {
            None => cmd.after_help(text.to_string()),
            Some((first, rest)) => cmd.mut_subcommand(*first, |sub| add(sub, rest, text)),
        }
    }
    let mut cmd = <Cli as clap::CommandFactory>::command();
    for (path, lines) in EXAMPLES {
        let text = format!("Examples:\n{}", lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n"));
        let path: Vec<&str> = path.split(' ').collect();
        cmd = add(cmd, &path, &text);
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    /// Words of a shell line: double quotes group, `\"` is a quote, `#` starts a comment,
    /// and what follows a pipe or a redirection is the shell's, not spets's.
    fn words(line: &str) -> Vec<String> {
        let end = [" # ", " | ", " > "].iter().filter_map(|s| line.find(s)).min().unwrap_or(line.len());
        let line = line[..end].trim();
        let (mut out, mut word, mut quoted, mut chars) = (Vec::new(), String::new(), false, line.chars().peekable());
        while let Some(c) = chars.next() {
            match c {
                '"' => quoted = !quoted,
                '\\' if chars.peek() == Some(&'"') => word.push(chars.next().unwrap_or('"')),
                ' ' if !quoted => {
                    if !word.is_empty() {
                        out.push(std::mem::take(&mut word));
                    }
                }
                c => word.push(c),
            }
        }
        if !word.is_empty() {
            out.push(word);
        }
        out
    }

    /// Every command that does something (not a group of them) ends its help with two
    /// or more examples.
    #[test]
    fn every_command_has_examples() {
        fn leaves(cmd: &clap::Command, path: String, missing: &mut Vec<String>) {
            let subs: Vec<&clap::Command> = cmd.get_subcommands().filter(|s| s.get_name() != "help").collect();
            if subs.is_empty() {
                let n = cmd
                    .get_after_help()
                    .map_or(0, |h| h.to_string().lines().filter(|l| l.trim().starts_with("spets ")).count());
                if n < 2 {
                    missing.push(path.clone());
                }
            }
            for sub in subs {
                leaves(sub, format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        leaves(&command(), "spets".into(), &mut missing);
        assert!(missing.is_empty(), "without two examples: {missing:?}");
    }

    /// Every example at the end of a command's help is a command line spets accepts.
    #[test]
    fn the_examples_in_the_help_are_real_command_lines() {
        fn visit(cmd: &clap::Command, found: &mut Vec<String>) {
            if let Some(help) = cmd.get_after_help() {
                let text = help.to_string();
                found.extend(text.lines().filter_map(|l| l.trim().strip_prefix("spets ")).map(str::to_string));
            }
            for sub in cmd.get_subcommands() {
                visit(sub, found);
            }
        }
        let mut found = Vec::new();
        visit(&command(), &mut found);
        assert!(found.len() >= 25, "{found:?}");
        for line in found {
            let mut argv = vec!["spets".to_string()];
            argv.extend(words(&line));
            if let Err(e) = Cli::try_parse_from(&argv) {
                panic!("{line}: {e}");
            }
        }
    }
}
