//! `spets audit log|verify`.

use std::collections::HashMap;
use std::io::Write;

use super::{Context, parse_timestamp};
use crate::cli::AuditCommand;
use crate::domain::area::Area;
use crate::domain::org::Org;
use crate::error::{Error, Result};
use crate::report::audit::{self as audit_report, Logged, Names};
use crate::store::history::LogQuery;
use crate::store::{Access, Snapshot};

/// Parses a head hash given as 64 hexadecimal digits.
fn parse_hash(text: &str) -> Result<[u8; 32]> {
    let bytes = hex::decode(text.trim()).ok().filter(|b| b.len() == 32);
    bytes.and_then(|b| b.try_into().ok()).ok_or_else(|| {
        Error::value(
            "--expect-head",
            text,
            crate::tr!(
                "not a head hash (expected 64 hexadecimal digits, as `spets audit verify` prints)",
                "inte en huvudhash (väntade 64 hexadecimala siffror, som `spets audit verify` skriver)"
            ),
        )
    })
}

/// `only_user`: the user `--user` named on the command line, whose changes `log` shows.
pub fn run(ctx: &Context, command: AuditCommand, only_user: Option<String>) -> Result<()> {
    match command {
        AuditCommand::Log { reference, since, detail } => {
            let user = only_user;
            let store = ctx.open(Access::Read)?;
            let query = LogQuery {
                reference: reference.clone(),
                since: since.as_deref().map(parse_since).transpose()?,
                user: user.clone(),
            };
            let municipalities = store.municipalities()?;
            // Names as they were at each change, read once per change.
            let mut at_rev: HashMap<i64, (HashMap<i64, Org>, Vec<Area>)> = HashMap::new();
            let mut raw = Vec::new();
            store.each_entry(&query, |entry| {
                if let std::collections::hash_map::Entry::Vacant(slot) = at_rev.entry(entry.rev) {
                    let snapshot = Snapshot(Some(entry.rev));
                    slot.insert((store.at(snapshot).orgs_by_id()?, store.at(snapshot).areas()?));
                }
                let before = entry.before_vid.map(|v| store.version(entry.entity, v)).transpose()?.flatten();
                let after = entry.after_vid.map(|v| store.version(entry.entity, v)).transpose()?.flatten();
                raw.push((entry, before, after));
                Ok(())
            })?;
            let entries: Vec<Logged<'_>> = raw
                .into_iter()
                .map(|(entry, before, after)| {
                    let (orgs, areas) = &at_rev[&entry.rev];
                    Logged { entry, before, after, names: Names { orgs, areas, municipalities: &municipalities } }
                })
                .collect();
            let mut filters = Vec::new();
            for (name, value) in [("ref", reference), ("since", since), ("user", user)] {
                if let Some(v) = value {
                    filters.push((name.to_string(), v));
                }
            }
            let frame = ctx.frame(&store, Snapshot::CURRENT, filters)?;
            let report =
                if detail { audit_report::details(&frame, &entries) } else { audit_report::log(&frame, &entries) };
            ctx.render(&report, None, false)
        }
        AuditCommand::Verify { expect_head, witness } => {
            let expect = expect_head.as_deref().map(parse_hash).transpose()?;
            let store = ctx.open(Access::Read)?;
            let result = store.verify(expect.as_ref())?;
            let lang = ctx.lang;
            let head = result
                .head
                .map_or_else(|| lang.pick("(none: no entries)", "(ingen: inga poster)").to_string(), hex::encode);
            if let Some(problem) = result.problem {
                return Err(Error::failed(problem).hint(format!(
                    "{} {} {}; {}: {head}",
                    result.entries,
                    lang.pick("entries", "poster"),
                    lang.pick("read", "lästa"),
                    lang.pick("head as recorded", "huvud enligt spåret")
                )));
            }
            if let Some(path) = &witness {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::failed(crate::tr!(
                        "{}: cannot read the witness file: {why}",
                        "{}: kan inte läsa vittnesfilen: {why}",
                        path.display(),
                        why = crate::error::io_reason(&e)
                    ))
                })?;
                if let Some(problem) = result.witness_problem(&path.display().to_string(), &text) {
                    return Err(
                        Error::failed(problem).hint(format!("{}: {head}", lang.pick("the head now", "huvudet nu")))
                    );
                }
            }
            if let Some(expected) = &expect_head
                && result.expected_at.is_none()
            {
                return Err(Error::failed(crate::tr!("the expected head {} is not in the history: the history was rewritten (or belongs to another database)", "det väntade huvudet {} finns inte i historiken: historiken har skrivits om (eller hör till en annan databas)",
                    expected.trim()
                ))
                .hint(format!("{}: {head}", lang.pick("the head now", "huvudet nu"))));
            }
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} {}",
                lang.pick("Verified", "Verifierade"),
                result.entries,
                lang.pick(
                    "entries: the hash chain is intact and the data is what the history says.",
                    "poster: hashkedjan är obruten och datat är vad historiken säger."
                )
            )?;
            if let Some(at) = result.expected_at {
                writeln!(
                    out.writer,
                    "{} {at} {} {}.",
                    lang.pick("The expected head is entry", "Det väntade huvudet är post"),
                    lang.pick("of", "av"),
                    result.entries
                )?;
            }
            writeln!(out.writer, "{} {head}", lang.pick("Head:", "Huvud:"))?;
            out.finish()
        }
    }
}

/// `--since`: a date (from its start) or a moment.
fn parse_since(text: &str) -> Result<String> {
    match crate::domain::date::parse_date(text) {
        Ok(d) => Ok(format!("{}T00:00:00.000000Z", crate::domain::date::iso(d))),
        Err(_) => parse_timestamp(text).map_err(|_| {
            Error::value(
                "--since",
                text,
                crate::tr!(
                    "not a date or moment (expected YYYY-MM-DD)",
                    "inte ett datum eller en tidpunkt (väntade ÅÅÅÅ-MM-DD)"
                ),
            )
        }),
    }
}
