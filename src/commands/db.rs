//! `spets db copy FROM TO`: a portfolio moved between a file and a PostgreSQL server,
//! its history included, so that `audit verify` passes on the copy with the same head.

use std::io::Write;

use super::Context;
use crate::cli::{DbCommand, DbRole};
use crate::error::Result;
use crate::store::{Access, Role, Store};

pub fn run(ctx: &Context, command: DbCommand) -> Result<()> {
    match command {
        DbCommand::Copy { from, to } => {
            let source = Store::open(&from, Access::Read)?;
            // A new file that the copy did not fill is removed again.
            let new_file = !crate::store::is_server(&to) && !to.exists();
            let copied = Store::open(&to, Access::Write).and_then(|mut target| {
                let rows = source.copy_into(&mut target)?;
                Ok((target, rows))
            });
            let (target, rows) = match copied {
                Ok(done) => done,
                Err(e) => {
                    if new_file {
                        crate::store::remove_file_database(&to);
                    }
                    return Err(e);
                }
            };
            let head = target.head()?.and_then(|c| c.head).unwrap_or_default();
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} {} {}: {rows} {}, {} {head}.",
                ctx.lang.pick("Copied", "Kopierade"),
                source.location(),
                ctx.lang.pick("to", "till"),
                target.location(),
                ctx.lang.pick("rows", "rader"),
                ctx.lang.pick("head", "huvud"),
            )?;
            out.finish()
        }
        DbCommand::Grant { name, role } => {
            let store = ctx.open(Access::Write)?;
            let (role, label) = match role {
                DbRole::Reader => (Role::Reader, ctx.lang.pick("reader", "läsare")),
                DbRole::Writer => (Role::Writer, ctx.lang.pick("writer", "skrivare")),
            };
            store.grant(&name, role)?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {name} {} {label} {} {}.",
                ctx.lang.pick("Granted", "Gav"),
                ctx.lang.pick("the role of", "rollen som"),
                ctx.lang.pick("in", "i"),
                store.location()
            )?;
            out.finish()
        }
    }
}
