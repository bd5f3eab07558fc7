//! `spets init`: create a database for a region, Värmland or one given by files.

use std::io::Write;

use super::{Context, Database};
use crate::cli::InitArgs;
use crate::domain::area::validate_code;
use crate::domain::municipality::MAX_MUNICIPALITIES;
use crate::domain::text::fold;
use crate::error::{Error, Result};
use crate::formats::Layout;
use crate::formats::reader::{CsvInput, Encoding};
use crate::store::{Access, AreaSeedOwned, RegionSetup, Store};

/// The areas file's column of codes, named in its messages.
const CODE: &str = "code";

/// Reads a region's areas: a CSV with `code, name_sv, name_en`.
fn read_areas(path: &std::path::Path) -> Result<Vec<AreaSeedOwned>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| {
        Error::failed(crate::tr!(
            "{name}: cannot read: {why}",
            "{name}: kan inte läsa: {why}",
            why = crate::error::io_reason(&e)
        ))
    })?;
    let mut input = CsvInput::new(Box::new(file), Encoding::Utf8).map_err(|e| Error::failed(e.render(&name)))?;
    let layout = Layout::new(&input.header, &["code", "name_sv", "name_en"], &["code", "name_sv", "name_en"]).map_err(
        |errors| {
            Error::failed(crate::tr!("{name}: not an areas file", "{name}: inte en områdesfil"))
                .details(errors.iter().map(|e| e.render(&name)).collect())
        },
    )?;
    let mut areas = Vec::new();
    while let Some(record) = input.next_record() {
        let record = record.map_err(|e| Error::failed(e.render(&name)))?;
        let get = |c: &str| layout.get(&record.cells, c).unwrap_or_default().trim().to_string();
        let seed = AreaSeedOwned { code: get(CODE), name_sv: get("name_sv"), name_en: get("name_en") };
        validate_code(&seed.code)
            .map_err(|e| Error::failed(format!("{name}:{}: {CODE}: {:?}: {e}", record.line, seed.code)))?;
        if seed.name_sv.is_empty() || seed.name_en.is_empty() {
            return Err(Error::failed(crate::tr!(
                "{name}:{}: an area needs a Swedish and an English name",
                "{name}:{}: ett område behöver ett svenskt och ett engelskt namn",
                record.line
            )));
        }
        areas.push(seed);
    }
    if areas.is_empty() {
        return Err(Error::failed(crate::tr!("{name}: no areas in the file", "{name}: inga områden i filen")));
    }
    Ok(areas)
}

fn read_municipalities(path: &std::path::Path) -> Result<Vec<String>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::failed(crate::tr!(
            "{name}: cannot read: {why}",
            "{name}: kan inte läsa: {why}",
            why = crate::error::io_reason(&e)
        ))
    })?;
    let list: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if list.len() > MAX_MUNICIPALITIES {
        return Err(Error::failed(crate::tr!(
            "{name}: {} municipalities; at most {MAX_MUNICIPALITIES} are supported",
            "{name}: {} kommuner; högst {MAX_MUNICIPALITIES} stöds",
            list.len()
        )));
    }
    Ok(list)
}

pub fn region_setup(args: &InitArgs) -> Result<RegionSetup> {
    match &args.areas {
        Some(path) => Ok(RegionSetup {
            key: "custom".into(),
            name: args.region_name.clone().unwrap_or_default(),
            areas: read_areas(path)?,
            municipalities: match &args.municipalities {
                Some(m) => read_municipalities(m)?,
                None => Vec::new(),
            },
        }),
        None if fold(&args.region) == "varmland" => Ok(RegionSetup::varmland()),
        None => Err(Error::value(
            "--region",
            &args.region,
            crate::tr!(
                "not a region spets knows (known: varmland)",
                "inte en region som spets känner till (kända: varmland)"
            ),
        )
        .hint(crate::tr!(
            "for another region, give its areas with --areas FILE",
            "för en annan region, ange dess områden med --areas FIL"
        ))),
    }
}

pub fn run(ctx: &Context, args: &InitArgs) -> Result<()> {
    let setup = region_setup(args)?;
    let mut store = match &ctx.database {
        Database::Sample => {
            return Err(Error::usage(crate::tr!(
                "--sample is already set up; init needs --db PATH",
                "--sample är redan i ordning; init behöver --db SÖKVÄG"
            )));
        }
        Database::File(path) => Store::open(path, Access::Write)?,
    };
    store.initialise(&setup, &ctx.user, &ctx.command_line, None)?;
    let mut out = ctx.output()?;
    writeln!(
        out.writer,
        "{} {}{}: {} {}, {} {}.",
        ctx.lang.pick("Created", "Skapade"),
        store.location(),
        if setup.name.is_empty() { String::new() } else { format!(" ({})", setup.name) },
        setup.areas.len(),
        ctx.lang.pick("areas", "områden"),
        setup.municipalities.len(),
        ctx.lang.pick("municipalities", "kommuner"),
    )?;
    out.finish()
}
