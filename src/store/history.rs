//! Reading the change history: audit entries with their change (who, when, which
//! command) and the record versions they ended and created.

use super::db::Value;
use super::db::{Connection, OptionalExtension, Row};

use super::audit::{Action, Digest, Entity};
use super::decode::{self, At};
use super::{areas, indicators, orgs, payments, programmes, projects, settings, strategies};
pub use crate::domain::history::{LogEntry, Record};
use crate::error::Result;

/// Which entries `audit log` shows.
#[derive(Clone, Debug, Default)]
pub struct LogQuery {
    /// A project: its own entries and those of its payments and indicators.
    pub reference: Option<String>,
    /// Entries at or after this stored timestamp.
    pub since: Option<String>,
    pub user: Option<String>,
}

fn entry_from_row(r: &Row<'_>) -> super::db::Result<LogEntry> {
    let hash: Vec<u8> = r.get(10)?;
    Ok(LogEntry {
        seq: r.get(0)?,
        rev: r.get(1)?,
        at: r.get(2)?,
        user: r.get(3)?,
        command: r.get(4)?,
        entity: decode::code(At::new("audit", "entity", r.get(0)?), r.get(5)?, Entity::from_code)?,
        key: r.get(6)?,
        action: decode::code(At::new("audit", "action", r.get(0)?), r.get(7)?, Action::from_code)?,
        before_vid: r.get(8)?,
        after_vid: r.get(9)?,
        hash: {
            let shown = hex::encode(&hash);
            let parsed = hash.try_into().map_err(|_| crate::tr!("not a SHA-256 hash", "inte en SHA-256-hash"));
            decode::text(At::new("audit", "hash", r.get(0)?), &shown, parsed)?
        },
    })
}

/// Calls `each` with the entries the query selects, oldest first.
pub fn each_entry(conn: &Connection, q: &LogQuery, mut each: impl FnMut(LogEntry) -> Result<()>) -> Result<()> {
    let mut sql = String::from(
        "SELECT a.seq, a.rev, c.at, c.\"user\", c.command, a.entity, a.key, a.action, a.before_vid, a.after_vid, a.hash
         FROM audit a JOIN changes c ON c.rev = a.rev WHERE TRUE",
    );
    let mut params: Vec<Value> = Vec::new();
    if let Some(r) = &q.reference {
        sql.push_str(&format!(
            " AND ((a.entity = {project} AND a.key = ?1)
               OR (a.entity = {payment} AND EXISTS (SELECT 1 FROM payments pay WHERE pay.id = coalesce(a.after_vid, a.before_vid) AND pay.project_ref = ?1))
               OR (a.entity = {indicator} AND EXISTS (SELECT 1 FROM indicators i WHERE i.vid = coalesce(a.after_vid, a.before_vid) AND i.project_ref = ?1)))",
            project = Entity::Project.code(),
            payment = Entity::Payment.code(),
            indicator = Entity::Indicator.code(),
        ));
        params.push(Value::Text(r.clone()));
    }
    if let Some(since) = &q.since {
        params.push(Value::Text(since.clone()));
        sql.push_str(&format!(" AND c.at >= ?{}", params.len()));
    }
    if let Some(user) = &q.user {
        params.push(Value::Text(user.clone()));
        sql.push_str(&format!(" AND c.\"user\" = ?{}", params.len()));
    }
    sql.push_str(" ORDER BY a.seq");
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(super::db::params_from_iter(params))?;
    while let Some(row) = rows.next()? {
        each(entry_from_row(&row)?)?;
    }
    Ok(())
}

impl Record {
    /// The digest the audit trail commits to.
    pub fn digest(&self) -> Digest {
        match self {
            Record::Area(a) => areas::digest(a),
            Record::Org(o) => orgs::digest(o),
            Record::Project(p) => projects::digest_of(p),
            Record::Payment(p) => payments::digest(p),
            Record::Indicator(i) => indicators::digest(i),
            Record::Programme(p) => programmes::digest(p),
            Record::Setting(s) => settings::digest(s),
            Record::Strategy(s) => strategies::digest(s),
            Record::Crosswalk(s) => strategies::successor_digest(s),
            Record::IndicatorCode(d) => indicators::definition_digest(d),
        }
    }

    /// The key audit entries about it carry.
    pub fn key(&self) -> String {
        match self {
            Record::Area(a) => a.id.to_string(),
            Record::Org(o) => o.id.to_string(),
            Record::Project(p) => p.project.reference.clone(),
            Record::Payment(p) => p.id.to_string(),
            Record::Indicator(i) => indicators::key(i),
            Record::Programme(p) => p.name.clone(),
            Record::Setting(s) => s.key.clone(),
            Record::Strategy(s) => s.id.to_string(),
            Record::Crosswalk(s) => strategies::successor_key(s),
            Record::IndicatorCode(d) => d.code.clone(),
        }
    }
}

/// The table and row-id column of an entity's versions.
pub(crate) fn table(entity: Entity) -> (&'static str, &'static str) {
    match entity {
        Entity::Area => ("areas", "vid"),
        Entity::Org => ("orgs", "vid"),
        Entity::Project => ("projects", "vid"),
        Entity::Payment => ("payments", "id"),
        Entity::Indicator => ("indicators", "vid"),
        Entity::Programme => ("programmes", "vid"),
        Entity::Setting => ("settings", "vid"),
        Entity::Strategy => ("strategies", "vid"),
        Entity::Crosswalk => ("crosswalk", "vid"),
        Entity::IndicatorCode => ("indicator_codes", "vid"),
    }
}

/// The change that created a version and the one that ended it.
pub fn lifetime(conn: &Connection, entity: Entity, vid: i64) -> Result<Option<(i64, Option<i64>)>> {
    let (table, pk) = table(entity);
    let sql = format!("SELECT rev, end_rev FROM {table} WHERE {pk} = ?1");
    let found = conn.prepare_cached(&sql)?.query_row([vid], |r| Ok((r.get(0)?, r.get(1)?))).optional();
    found.map_err(|e| {
        crate::error::Error::from(e).context(crate::tr!("{table} row {pk} {vid}", "{table}-raden {pk} {vid}"))
    })
}

/// The version `vid` of a record of `entity`.
pub fn record(conn: &Connection, entity: Entity, vid: i64) -> Result<Option<Record>> {
    Ok(match entity {
        Entity::Area => areas::version(conn, vid)?.map(Record::Area),
        Entity::Org => orgs::version(conn, vid)?.map(Record::Org),
        Entity::Project => projects::version(conn, vid)?.map(|p| Record::Project(Box::new(p))),
        Entity::Payment => payments::version(conn, vid)?.map(Record::Payment),
        Entity::Indicator => indicators::version(conn, vid)?.map(Record::Indicator),
        Entity::Programme => programmes::version(conn, vid)?.map(Record::Programme),
        Entity::Setting => settings::version(conn, vid)?.map(Record::Setting),
        Entity::Strategy => strategies::version(conn, vid)?.map(Record::Strategy),
        Entity::Crosswalk => strategies::successor_version(conn, vid)?.map(Record::Crosswalk),
        Entity::IndicatorCode => indicators::definition_version(conn, vid)?.map(Record::IndicatorCode),
    })
}
