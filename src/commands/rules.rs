//! `spets rules list|show`: the import rules built into spets, which are data (TOML) a
//! user can read, copy and change for their own files.

use std::io::Write;

use super::Context;
use crate::cli::RulesCommand;
use crate::error::{Error, Result};
use crate::formats::rules::BUILT_IN;

pub fn run(ctx: &Context, command: &RulesCommand) -> Result<()> {
    let mut out = ctx.output()?;
    match command {
        RulesCommand::List => {
            let width = BUILT_IN.iter().map(|(n, _, _)| n.len()).max().unwrap_or(0);
            for (name, (en, sv), _) in BUILT_IN {
                writeln!(out.writer, "{name:width$}  {}", ctx.lang.pick(en, sv))?;
            }
        }
        RulesCommand::Show { name } => {
            let Some((_, _, text)) = BUILT_IN.iter().find(|(n, _, _)| n == name) else {
                let known: Vec<&str> = BUILT_IN.iter().map(|(n, _, _)| *n).collect();
                return Err(Error::value(
                    "rules show",
                    name,
                    crate::tr!(
                        "no built-in rules of that name (they are: {})",
                        "inga inbyggda regler med det namnet (de är: {})",
                        known.join(", ")
                    ),
                ));
            };
            out.writer.write_all(text.as_bytes())?;
        }
    }
    out.finish()
}
