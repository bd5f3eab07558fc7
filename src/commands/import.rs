//! `spets import FILE`: the command line of the import engine ([`crate::import`]): the
//! file, its rules and encoding from the flags, and the summary it prints.

use std::io::Write;
use std::path::Path;

use super::{Context, Database};
use crate::cli::{self, ImportArgs};
use crate::domain::lang::Lang;
use crate::error::{Error, Result};
use crate::formats::reader::Encoding;
use crate::formats::rules::{GivenRate, Rules};
use crate::import::open_input;
pub use crate::import::{Options, Source, Summary, Table};
use crate::store::{Access, RegionSetup, Store};

pub fn run(ctx: &Context, args: &ImportArgs) -> Result<()> {
    let name = args.file.display().to_string();
    let opts = Options {
        lang: ctx.lang,
        table: args.table.map(|t| match t {
            cli::TableName::Projects => Table::Projects,
            cli::TableName::Funding => Table::Funding,
            cli::TableName::Payments => Table::Payments,
            cli::TableName::Orgs => Table::Orgs,
            cli::TableName::Indicators => Table::Indicators,
        }),
        encoding: encoding(args.encoding).unwrap_or_default(),
        dry_run: args.dry_run,
        allow_overrun: args.allow_overrun,
        progress: ctx.stderr_terminal,
    };
    if args.rules.rules.is_some() && opts.table.is_some_and(|t| t != Table::Projects) {
        return Err(Error::usage(crate::tr!(
            "import rules read projects: --table other than projects does not go with --rules",
            "importregler läser projekt: --table annat än projects går inte ihop med --rules"
        )));
    }
    // The header is checked before the database is opened: a file that is not one of
    // spets's formats does not even create a database.
    let source = open_source(&args.file, &name, &args.rules, args.encoding, &opts)?;
    // A dry run against a database that does not exist yet must not create it (a
    // database on a server exists: it is opened like a file that does).
    let mut store = match &ctx.database {
        Database::File(path) if args.dry_run && !crate::store::is_server(path) && !path.exists() => {
            let mut s = Store::open_memory()?;
            s.initialise(&RegionSetup::varmland(), &ctx.user, "init (dry run)", None)?;
            s
        }
        _ => ctx.open(Access::Write)?,
    };
    let table = source.table;
    let from_rules = source.rules.as_ref().map(|r| r.name.clone());
    let summary = source.load(&mut store, &opts, &ctx.user, &ctx.command_line, None)?;
    let mut out = ctx.output()?;
    write_summary(&mut out.writer, &name, table, from_rules.as_deref(), &summary, &opts)?;
    out.finish()
}

fn encoding(flag: Option<cli::Encoding>) -> Option<Encoding> {
    flag.map(|e| match e {
        cli::Encoding::Utf8 => Encoding::Utf8,
        cli::Encoding::Windows1252 => Encoding::Windows1252,
    })
}

/// Opens the file the command line names, with the rules, rates, sheet and encoding it
/// gives, and checks its header.
pub fn open_source(
    path: &Path,
    name: &str,
    args: &cli::RulesArgs,
    encoding_flag: Option<cli::Encoding>,
    opts: &Options,
) -> Result<Source> {
    let rules = args.rules.as_deref().map(Rules::load).transpose().map_err(Error::failed)?;
    let rates = args
        .rates
        .iter()
        .map(|r| GivenRate::parse(r).map_err(|e| Error::value("--rate", r, e)))
        .collect::<Result<Vec<_>>>()?;
    if rules.is_none() && !rates.is_empty() {
        return Err(Error::usage(crate::tr!(
            "--rate applies to files read through --rules (a projects CSV gives its rate in the rate column)",
            "--rate gäller filer som läses genom --rules (en projekt-CSV anger sin kurs i kolumnen rate)"
        )));
    }
    let (input, len) = open_input(path, name, rules.as_ref(), encoding(encoding_flag), args.sheet.as_deref())?;
    Ok(Source::from_input(name, input, len, opts, rules)?.with_rates(rates))
}

/// Prints what an import did: one line of counts, then what a person checks.
fn write_summary(
    w: &mut dyn Write,
    name: &str,
    table: Table,
    rules: Option<&str>,
    summary: &Summary,
    opts: &Options,
) -> Result<()> {
    let lang = opts.lang;
    let mut line = format!(
        "{name}: {} {} {}: {} {}, {} {}, {} {}",
        summary.rows,
        match (summary.rows, lang) {
            (1, Lang::En) => "row of",
            (_, Lang::En) => "rows of",
            (1, Lang::Sv) => "rad med",
            (_, Lang::Sv) => "rader med",
        },
        table.label(lang),
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
    if rules.is_some() {
        line.push_str(&format!(
            "; {} {}, {} {}",
            summary.left_out,
            lang.pick("left out by [[keep]]", "utelämnade av [[keep]]"),
            summary.unmatched,
            lang.pick("without an area rule (skipped)", "utan områdesregel (hoppades över)"),
        ));
    }
    if summary.gone > 0 {
        line.push_str(&format!(
            "; {} {}",
            summary.gone,
            lang.pick("of its source no longer in the file (kept)", "från källan finns inte längre i filen (behålls)")
        ));
    }
    if opts.dry_run {
        line.push_str(lang.pick(" (dry run: nothing was written)", " (provkörning: inget skrevs)"));
    }
    writeln!(w, "{line}")?;
    if !summary.organisations.is_empty() {
        // Which organisations the import created, and as what: one whose kind the file
        // did not give is "kind not recorded", never silently civil society.
        let named: Vec<String> = summary
            .organisations
            .iter()
            .map(|(name, kind)| format!("{} ({})", crate::render::visible(name), kind.label(lang)))
            .collect();
        let more = summary.organisations_added - summary.organisations.len() as u64;
        writeln!(
            w,
            "{}: {}{}",
            lang.pick("New organisations", "Nya organisationer"),
            named.join(", "),
            and_more(more, lang)
        )?;
    }
    let v = crate::render::visible;
    if !summary.unmatched_listed.is_empty() {
        writeln!(w, "{}:", lang.pick("Rows without an area rule", "Rader utan områdesregel"))?;
        for (line, title) in &summary.unmatched_listed {
            writeln!(w, "  {name}:{line}: {}", v(title))?;
        }
        more_line(w, summary.unmatched - summary.unmatched_listed.len() as u64, lang)?;
    }
    if opts.dry_run {
        if !summary.new.is_empty() {
            writeln!(w, "{}:", lang.pick("New projects", "Nya projekt"))?;
            for (r, title) in &summary.new {
                writeln!(w, "  {}  {}", v(r), v(title))?;
            }
            more_line(w, summary.added - summary.new.len() as u64, lang)?;
        }
        if !summary.changed.is_empty() {
            writeln!(w, "{}:", lang.pick("Changed projects", "Ändrade projekt"))?;
            for (r, changes) in &summary.changed {
                writeln!(w, "  {}", v(r))?;
                for d in changes {
                    writeln!(w, "    {}: {} → {}", d.field, v(&d.old), v(&d.new))?;
                }
            }
            more_line(w, summary.updated - summary.changed.len() as u64, lang)?;
        }
    }
    if !summary.gone_listed.is_empty() {
        writeln!(
            w,
            "{}:",
            lang.pick(
                "No longer in the file (kept, not removed)",
                "Finns inte längre i filen (behålls, tas inte bort)"
            )
        )?;
        for (r, title) in &summary.gone_listed {
            writeln!(w, "  {}  {}", v(r), v(title))?;
        }
        more_line(w, summary.gone - summary.gone_listed.len() as u64, lang)?;
    }
    Ok(())
}

/// `  … and 12 more` under a list that was cut, nothing under a whole one.
fn more_line(w: &mut dyn Write, more: u64, lang: Lang) -> Result<()> {
    if more > 0 {
        writeln!(w, "  …{}", and_more(more, lang))?;
    }
    Ok(())
}

/// ` and 12 more`, or nothing.
fn and_more(more: u64, lang: Lang) -> String {
    if more > 0 { format!(" {} {more} {}", lang.pick("and", "och"), lang.pick("more", "till")) } else { String::new() }
}
