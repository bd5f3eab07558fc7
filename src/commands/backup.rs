//! `spets backup FILE`: a consistent copy by SQLite's online backup.

use std::io::Write;
use std::path::Path;

use super::Context;
use crate::error::{Error, Result};
use crate::store::Access;

pub fn run(ctx: &Context, file: &Path) -> Result<()> {
    if file.exists() {
        return Err(Error::failed(format!("{}: already exists; a backup never overwrites a file", file.display())));
    }
    let store = ctx.open(Access::Read)?;
    store.backup_to(file).map_err(|e| e.context(file.display()))?;
    let mut out = ctx.output()?;
    writeln!(
        out.writer,
        "{} {} {} {}.",
        ctx.lang.pick("Copied", "Kopierade"),
        store.location(),
        ctx.lang.pick("to", "till"),
        file.display()
    )?;
    out.finish()
}
