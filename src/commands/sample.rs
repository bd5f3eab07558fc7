//! The bundled sample portfolio: `--sample` runs a command against an in-memory
//! database loaded from `fixtures/`, embedded in the binary. [`build`] loads each file
//! through the same import as a user's, stamped with a fixed moment so every run of a
//! report on the sample prints the same bytes. What `--sample` opens is the image of
//! that database, `fixtures/sample.db` (`cargo run --example sample-image` writes it;
//! a test checks it is byte for byte what [`build`] makes now), so that a command on
//! the sample does not import the files again each time.

use super::import::{self, Options};
use crate::domain::area::parse_share;
use crate::domain::project::Programme;
use crate::error::{Error, Result};
use crate::formats::reader::Encoding;
use crate::store::{RegionSetup, Store, programmes};

pub const ORGS: &str = include_str!("../../fixtures/orgs.csv");
pub const PROJECTS: &str = include_str!("../../fixtures/projects.csv");
pub const FUNDING: &str = include_str!("../../fixtures/funding.csv");
pub const PAYMENTS: &str = include_str!("../../fixtures/payments.csv");
pub const INDICATORS: &str = include_str!("../../fixtures/indicators.csv");

/// The programmes of the sample and their caps (percent of a project's total).
const PROGRAMMES: [(&str, Option<&str>, Option<&str>); 4] = [
    ("ERUF Norra Mellansverige 2014–2020", Some("50"), Some("50")),
    ("ERUF Norra Mellansverige 2021–2027", Some("40"), Some("50")),
    ("Interreg Sverige-Norge 2021–2027", Some("65"), None),
    ("ESF+ 2021–2027", Some("50"), None),
];

const USER: &str = "sample";

/// The image of the sample's database, as [`build`] makes it.
pub const IMAGE: &[u8] = include_bytes!("../../fixtures/sample.db");

/// An in-memory copy of the sample portfolio.
pub fn load() -> Result<Store> {
    Store::from_image(IMAGE)
}

/// The sample portfolio built from its files, in memory.
pub fn build() -> Result<Store> {
    let mut store = Store::open_memory()?;
    store.initialise(&RegionSetup::varmland(), USER, "init --region varmland", Some("2026-11-01T08:00:00.000000Z"))?;
    let opts = Options {
        table: None,
        encoding: Encoding::Utf8,
        dry_run: false,
        allow_overrun: false,
        progress: false,
        lang: crate::domain::lang::Lang::En,
    };
    let files = [
        ("orgs.csv", ORGS, "2026-11-01T08:01:00.000000Z"),
        ("projects.csv", PROJECTS, "2026-11-01T08:02:00.000000Z"),
        ("funding.csv", FUNDING, "2026-11-01T08:03:00.000000Z"),
        ("payments.csv", PAYMENTS, "2026-11-01T08:04:00.000000Z"),
        ("indicators.csv", INDICATORS, "2026-11-01T08:04:30.000000Z"),
    ];
    for (name, text, at) in files {
        let command = format!("import fixtures/{name}");
        import::Source::open(name, Box::new(text.as_bytes()), None, &opts)
            .and_then(|source| source.load(&mut store, &opts, USER, &command, Some(at)))
            .map_err(|e| {
                Error::failed(crate::tr!(
                    "the bundled sample does not load: {}",
                    "exempelportföljen läses inte in: {}",
                    e.message
                ))
                .details(e.details)
            })?;
    }
    let change = store.begin_at(USER, "programme set (sample caps)", Some("2026-11-01T08:05:00.000000Z"))?;
    for (name, eu, region) in PROGRAMMES {
        let cap = |v: Option<&str>| v.and_then(|v| parse_share(v).ok());
        programmes::set(&change, &Programme { name: name.into(), eu_cap: cap(eu), region_cap: cap(region) })?;
    }
    change.commit()?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_is_byte_for_byte_what_the_files_make() {
        let made = build().unwrap().image().unwrap();
        assert!(
            made == IMAGE,
            "fixtures/sample.db is not what the sample's files and this schema make: run `cargo run --example sample-image`"
        );
    }
}
