//! The parsers of everything a user types or a file holds, over arbitrary input: none
//! panics, and every rejection is a clear, one-line message. Inputs mix arbitrary
//! Unicode with text shaped like the real thing, so the deep paths are reached too.

use std::io::Cursor;

use proptest::prelude::*;
use spets::domain::area::{self, AreaIndex, FULL_SHARE, varmland as areas};
use spets::domain::date::{iso, parse_date};
use spets::domain::money::Money;
use spets::domain::municipality::{self, MunicipalityIndex, VARMLAND_MUNICIPALITIES};
use spets::domain::org::OrgNo;
use spets::formats::projects;
use spets::formats::reader::{CsvInput, Encoding};

/// A message a person can read: one line, not empty, not a Rust debug dump.
fn assert_clear(message: &str) {
    assert!(!message.trim().is_empty(), "an empty message");
    assert!(!message.contains('\n'), "a message over several lines: {message:?}");
    assert!(message.len() < 600, "a message too long to read: {message:?}");
    for noise in ["Err(", "Some(", "panicked", "unwrap", "Utf8Error", "ParseIntError"] {
        assert!(!message.contains(noise), "a message with {noise:?} in it: {message:?}");
    }
}

fn municipalities() -> Vec<String> {
    VARMLAND_MUNICIPALITIES.iter().map(|m| m.to_string()).collect()
}

/// Arbitrary text, or text made of the characters the real thing is made of.
fn text_like(alphabet: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), proptest::string::string_regex(alphabet).expect("a regex")]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn amounts(input in text_like("[-+0-9 ,.\u{a0}\u{2009}krSE−]{0,24}")) {
        match Money::parse(&input) {
            Ok(m) => {
                prop_assert!(m.ore() >= 0);
                prop_assert_eq!(Money::parse(&m.plain()), Ok(m));
            }
            Err(e) => assert_clear(&e.to_string()),
        }
    }

    #[test]
    fn dates(input in text_like("[0-9 -]{0,12}")) {
        match parse_date(&input) {
            Ok(d) => prop_assert_eq!(iso(d), input.trim()),
            Err(e) => assert_clear(&e),
        }
    }

    #[test]
    fn organisation_numbers(input in text_like("[0-9 -]{0,13}")) {
        match OrgNo::parse(&input) {
            Ok(n) => {
                prop_assert_eq!(n.as_str().len(), 11);
                prop_assert_eq!(OrgNo::parse(n.as_str()), Ok(n.clone()));
            }
            Err(e) => assert_clear(&e),
        }
    }

    #[test]
    fn shares(input in text_like("[0-9 ,.%]{0,8}")) {
        match area::parse_share(&input) {
            Ok(bp) => prop_assert!(bp > 0 && bp <= FULL_SHARE),
            Err(e) => assert_clear(&e),
        }
    }

    #[test]
    fn area_lists(specs in proptest::collection::vec(
        text_like("(skog|halsa|solel|spel|plats|Skoglig bioekonomi|x|)(:[0-9,.]{0,6})?"), 0..5)
    ) {
        let areas = areas();
        let index = AreaIndex::new(&areas);
        let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
        match area::resolve_shares(&specs, &index) {
            Ok(shares) => prop_assert_eq!(shares.iter().map(|s| s.share_bp).sum::<u32>(), FULL_SHARE),
            Err(e) => assert_clear(&e),
        }
    }

    #[test]
    fn municipality_lists(names in proptest::collection::vec(
        text_like("(Karlstad|hammaro|Årjäng kommun|Oslo|)[ a-zåäö]{0,3}"), 0..5)
    ) {
        let known = municipalities();
        let index = MunicipalityIndex::new(&known);
        match index.resolve_set(names.iter().map(String::as_str)) {
            Ok(mask) => prop_assert!(mask < 1 << known.len()),
            Err(e) => assert_clear(&e),
        }
        for name in &names {
            if let Err(e) = municipality::resolve(name, &known) {
                assert_clear(&e);
            }
        }
    }

    /// Arbitrary bytes after a real header, decoded and parsed as project rows: every
    /// record is a row or errors naming a line of the file, and reading ends.
    #[test]
    fn csv_rows(
        body in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..400),
            proptest::string::string_regex("([0-9a-zå\",;|:\r\n =-]{0,12},){0,9}[0-9a-z\"\n]{0,6}")
                .expect("a regex")
                .prop_map(String::into_bytes),
        ],
        windows in any::<bool>(),
    ) {
        let mut file = b"ref,title,owner,areas,eu,region,decided,start,end,municipalities,partners,status\n".to_vec();
        file.extend_from_slice(&body);
        let lines = file.iter().filter(|b| **b == b'\n').count() as u64 + 1;
        let encoding = if windows { Encoding::Windows1252 } else { Encoding::Utf8 };
        let mut input = CsvInput::new(Box::new(Cursor::new(file)), encoding).expect("a good header");
        let layout = projects::layout(&input.header).expect("known columns");
        let areas = areas();
        let area_index = AreaIndex::new(&areas);
        let known = municipalities();
        let municipality_index = MunicipalityIndex::new(&known);
        let mut records = 0;
        while let Some(next) = input.next_record() {
            records += 1;
            prop_assert!(records <= body.len() + 1, "reading does not end");
            let errors = match next {
                Ok(record) => {
                    prop_assert!(record.line >= 2 && record.line <= lines, "line {} of {lines}", record.line);
                    match projects::parse(&layout, record.line, &record.cells, &area_index, &municipality_index) {
                        Ok(_) => Vec::new(),
                        Err(errors) => errors,
                    }
                }
                Err(e) => vec![e],
            };
            for e in errors {
                prop_assert!(e.line >= 1 && e.line <= lines, "line {} of {lines}", e.line);
                let shown = e.render("p.csv");
                let prefix = format!("p.csv:{}: ", e.line);
                prop_assert!(shown.starts_with(&prefix), "{}", shown);
                assert_clear(&e.why);
            }
        }
    }
}
