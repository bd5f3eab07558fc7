//! SQLite's errors as spets errors: the store is the one module that knows the engine,
//! so the engine's failures are turned into messages a person can act on here.

use super::db::DbError;
use crate::error::Error;

impl From<DbError> for Error {
    fn from(e: DbError) -> Error {
        match e {
            DbError::Lite(e) => from_sqlite(e),
            DbError::Pg(e) => super::pg::error(e),
            DbError::Unreadable(why) => unreadable(&why),
            DbError::NoRows => Error::failed(crate::tr!("database error: no rows", "databasfel: inga rader")),
            DbError::Spets(e) => *e,
        }
    }
}

/// A stored value that does not decode: it was written outside spets.
fn unreadable(why: &str) -> Error {
    Error::failed(crate::tr!(
        "the database holds a value spets cannot read ({why}): it was changed outside spets",
        "databasen innehåller ett värde som spets inte kan läsa ({why}): den har ändrats utanför spets"
    ))
    .hint(crate::tr!(
        "`spets audit verify` names what differs from the history; restore the database from a backup",
        "`spets audit verify` visar vad som skiljer sig från historiken; återställ databasen från en säkerhetskopia"
    ))
}

fn from_sqlite(e: rusqlite::Error) -> Error {
    {
        use rusqlite::ErrorCode as C;
        if let rusqlite::Error::FromSqlConversionFailure(_, _, why) = &e {
            return unreadable(&why.to_string());
        }
        let code = e.sqlite_error_code();
        match code {
            Some(C::DatabaseBusy | C::DatabaseLocked) => {
                let seconds = super::busy_timeout().as_secs();
                Error::failed(crate::tr!(
                    "the database is busy: another program has held it longer than the {seconds} s busy timeout",
                    "databasen är upptagen: ett annat program har hållit den längre än väntetiden på {seconds} s"
                ))
                .hint(crate::tr!(
                    "try again in a moment (nothing was written), or raise SPETS_BUSY_TIMEOUT (seconds)",
                    "försök igen om en stund (inget skrevs), eller höj SPETS_BUSY_TIMEOUT (sekunder)"
                ))
            }
            Some(C::ReadOnly) => Error::access(crate::tr!(
                "the database is read-only: nothing was written",
                "databasen är skrivskyddad: inget skrevs"
            ))
            .hint(crate::tr!(
                "check the file's and its folder's permissions",
                "kontrollera behörigheterna för filen och dess mapp"
            )),
            Some(C::CannotOpen) => {
                Error::access(crate::tr!("cannot open the database: {e}", "kan inte öppna databasen: {e}")).hint(
                    crate::tr!(
                        "check that the path exists and that its folder is writable",
                        "kontrollera att sökvägen finns och att dess mapp är skrivbar"
                    ),
                )
            }
            Some(C::DatabaseCorrupt) => Error::failed(crate::tr!(
                "the database file is damaged (SQLite: {e}); nothing was written",
                "databasfilen är skadad (SQLite: {e}); inget skrevs"
            ))
            .hint(crate::tr!(
                "restore it from a backup (`spets backup` makes one); `PRAGMA integrity_check` in sqlite3 shows the damage",
                "återställ den från en säkerhetskopia (`spets backup` gör en); `PRAGMA integrity_check` i sqlite3 visar skadan"
            )),
            Some(C::NotADatabase) => {
                Error::failed(crate::tr!("the file is not an SQLite database", "filen är inte en SQLite-databas"))
            }
            Some(C::DiskFull) => {
                Error::failed(crate::tr!("the disk is full: nothing was written", "disken är full: inget skrevs"))
            }
            Some(C::SystemIoFailure) => Error::failed(crate::tr!(
                "the database could not be read or written: {e}",
                "databasen kunde inte läsas eller skrivas: {e}"
            )),
            _ => Error::failed(crate::tr!("database error: {e}", "databasfel: {e}")),
        }
    }
}
