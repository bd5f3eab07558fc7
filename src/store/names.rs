//! Interned names: programme, fund and funder names are kept once in `names` and
//! referred to by id, which keeps a million projects small. A name row never changes.

use std::collections::HashMap;

use super::db::{Connection, OptionalExtension};

use super::Change;
use crate::domain::text::fold;
use crate::error::Result;

/// The id of `text`, recording it when it is new. Ids are cached per change.
pub fn id(change: &Change<'_>, text: &str) -> Result<i64> {
    if let Some(id) = change.names.borrow().get(text) {
        return Ok(*id);
    }
    let conn = change.conn();
    let found: Option<i64> =
        conn.prepare_cached("SELECT id FROM names WHERE text = ?1")?.query_row([text], |r| r.get(0)).optional()?;
    let id = match found {
        Some(id) => id,
        None => {
            conn.prepare_cached("INSERT INTO names(text) VALUES (?1) RETURNING id")?.query_row([text], |r| r.get(0))?
        }
    };
    change.names.borrow_mut().insert(text.to_string(), id);
    Ok(id)
}

/// Like [`id`] for an optional name.
pub fn opt_id(change: &Change<'_>, text: Option<&str>) -> Result<Option<i64>> {
    text.map(|t| id(change, t)).transpose()
}

/// Every name by id (there are few: programmes, funds and funders).
pub fn all(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, text FROM names")?;
    let map = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<super::db::Result<_>>()?;
    Ok(map)
}

/// The ids of the names that fold to one of `folded`, as parameters.
pub fn matching(conn: &Connection, folded: &[String]) -> Result<Vec<super::db::Value>> {
    let mut ids: Vec<i64> =
        all(conn)?.into_iter().filter(|(_, text)| folded.contains(&fold(text))).map(|(id, _)| id).collect();
    ids.sort_unstable();
    Ok(ids.into_iter().map(super::db::Value::Integer).collect())
}
