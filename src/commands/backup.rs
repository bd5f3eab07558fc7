//! `spets backup FILE`: a consistent copy by SQLite's online backup.

use std::io::Write;
use std::path::Path;

use super::Context;
use crate::error::{Error, Result};
use crate::store::{Access, Location};

/// Whether `file` is one of the files SQLite keeps beside the database `db`.
fn is_companion(file: &Path, db: &Path) -> bool {
    let absolute = |p: &Path| {
        let dir = p.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::canonicalize(dir).ok().zip(p.file_name()).map(|(d, n)| d.join(n))
    };
    let (Some(file), Some(db)) = (absolute(file), absolute(db)) else { return false };
    ["-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        file == Path::new(&name)
    })
}

pub fn run(ctx: &Context, file: &Path) -> Result<()> {
    if file.exists() {
        return Err(Error::failed(crate::tr!(
            "{}: already exists; a backup never overwrites a file",
            "{}: finns redan; en säkerhetskopia skriver aldrig över en fil",
            file.display()
        )));
    }
    let store = ctx.open(Access::Read)?;
    if let Location::File(db) = store.location()
        && is_companion(file, db)
    {
        return Err(Error::failed(crate::tr!(
            "{}: is where SQLite keeps the database's own journal; a backup goes elsewhere",
            "{}: är där SQLite har databasens egen journal; en säkerhetskopia hamnar någon annanstans",
            file.display()
        )));
    }
    if let Err(e) = store.backup_to(file) {
        // A failed copy (a full disk, say) leaves nothing behind, so a retry can work.
        crate::store::remove_file_database(file);
        return Err(e.context(file.display()));
    }
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
