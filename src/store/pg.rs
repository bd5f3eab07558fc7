//! PostgreSQL: opening a server's database, its schema, and its errors as spets errors.

use crate::error::Error;

/// A server's error as a spets error.
pub(crate) fn error(e: postgres::Error) -> Error {
    let shown = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => e.to_string(),
    };
    Error::failed(crate::tr!("database error: {shown}", "databasfel: {shown}"))
}
