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

/// Reads a region's areas: a CSV with `code, name_sv, name_en`.
fn read_areas(path: &std::path::Path) -> Result<Vec<AreaSeedOwned>> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::failed(format!("{name}: cannot read: {e}")))?;
    let mut input = CsvInput::new(Box::new(file), Encoding::Utf8).map_err(|e| Error::failed(e.render(&name)))?;
    let layout = Layout::new(&input.header, &["code", "name_sv", "name_en"], &["code", "name_sv", "name_en"]).map_err(
        |errors| {
            Error::failed(format!("{name}: not an areas file"))
                .details(errors.iter().map(|e| e.render(&name)).collect())
        },
    )?;
    let mut areas = Vec::new();
    while let Some(record) = input.next_record() {
        let record = record.map_err(|e| Error::failed(e.render(&name)))?;
        let get = |c: &str| layout.get(&record.cells, c).unwrap_or_default().trim().to_string();
        let seed = AreaSeedOwned { code: get("code"), name_sv: get("name_sv"), name_en: get("name_en") };
        validate_code(&seed.code)
            .map_err(|e| Error::failed(format!("{name}:{}: code: {:?}: {e}", record.line, seed.code)))?;
        if seed.name_sv.is_empty() || seed.name_en.is_empty() {
            return Err(Error::failed(format!("{name}:{}: an area needs a Swedish and an English name", record.line)));
        }
        areas.push(seed);
    }
    if areas.is_empty() {
        return Err(Error::failed(format!("{name}: no areas in the file")));
    }
    Ok(areas)
}

fn read_municipalities(path: &std::path::Path) -> Result<Vec<String>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::failed(format!("{name}: cannot read: {e}")))?;
    let list: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    if list.len() > MAX_MUNICIPALITIES {
        return Err(Error::failed(format!(
            "{name}: {} municipalities; at most {MAX_MUNICIPALITIES} are supported",
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
        None => Err(Error::value("--region", &args.region, "not a region spets knows (known: varmland)")
            .hint("for another region, give its areas with --areas FILE")),
    }
}

pub fn run(ctx: &Context, args: &InitArgs) -> Result<()> {
    let setup = region_setup(args)?;
    let mut store = match &ctx.database {
        Database::Sample => return Err(Error::usage("--sample is already set up; init needs --db PATH")),
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
