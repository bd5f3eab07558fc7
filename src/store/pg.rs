//! PostgreSQL: connecting to a server's database, its schema and its migrations, and
//! the server's errors as spets errors.

use postgres::error::SqlState;

use super::db::{Behavior, Connection, DbError};
use super::{Access, SCHEMA_VERSION};
use crate::error::{Error, Result};

/// The schema on PostgreSQL: (the version it brings the database to, its SQL). The
/// first is the whole schema at version 6; later versions are appended, as for SQLite.
const MIGRATIONS: &[(i64, &str)] = &[
    (6, include_str!("../../postgres/0006-schema.sql")),
    (7, include_str!("../../postgres/0007-strategies.sql")),
    (8, include_str!("../../postgres/0008-tallies.sql")),
    (9, include_str!("../../postgres/0009-derived-totals.sql")),
];

/// Whether `--db` names a server rather than a file.
pub fn is_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The address as it may be shown: without its password.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split_once(':').map_or(user, |(u, _)| u)),
        None => authority.to_string(),
    };
    let path =
        path.map(|p| format!("/{}", p.split_once("password=").map_or(p, |(before, _)| before))).unwrap_or_default();
    format!("{scheme}://{authority}{path}")
}

/// Connects to the database at `url`, checks it is a spets database (or sets up the
/// schema in an empty one, for a command that writes) and migrates an older one.
pub fn open(url: &str, access: Access) -> Result<Connection> {
    let shown = shown(url);
    let mut config: postgres::Config = url.parse().map_err(|e| {
        Error::usage(crate::tr!(
            "--db {shown}: not a PostgreSQL address ({e})",
            "--db {shown}: inte en PostgreSQL-adress ({e})"
        ))
        .hint(crate::tr!(
            "write it as postgres://USER@HOST/DATABASE, or postgres://USER@%2Fpath%2Fto%2Fsocket/DATABASE for a Unix socket",
            "skriv den som postgres://ANVÄNDARE@VÄRD/DATABAS, eller postgres://ANVÄNDARE@%2Fsökväg%2Ftill%2Fsocket/DATABAS för en Unix-socket"
        ))
    })?;
    // A password kept out of the address (and so out of the command line the history
    // records) comes from PGPASSWORD, as for psql.
    if config.get_password().is_none()
        && let Some(password) = std::env::var_os("PGPASSWORD").filter(|p| !p.is_empty())
    {
        config.password(password.as_encoded_bytes());
    }
    let client = config.connect(postgres::NoTls).map_err(|e| connect_error(&config, &shown, e))?;
    let conn = Connection::postgres(client);
    let version = schema_version(&conn)?;
    match version {
        Some(v) if v > SCHEMA_VERSION => {
            return Err(Error::failed(crate::tr!(
                "{shown}: written by a newer spets (schema version {v}; this spets knows up to {SCHEMA_VERSION}); left untouched",
                "{shown}: skriven av en nyare spets (schemaversion {v}; denna spets känner till upp till {SCHEMA_VERSION}); lämnad orörd"
            ))
            .hint(crate::tr!("upgrade spets to open it", "uppgradera spets för att öppna den")));
        }
        Some(v) if v == SCHEMA_VERSION => {}
        Some(_) => migrate(&conn).map_err(|e| Error::from(e).context(&shown))?,
        None => {
            if other_tables(&conn)? > 0 {
                return Err(Error::failed(crate::tr!(
                    "{shown}: not a spets database (it holds tables of some other program); left untouched",
                    "{shown}: inte en spets-databas (den har tabeller från något annat program); lämnad orörd"
                )));
            }
            if access == Access::Read {
                // In the words of a file that does not exist yet, so that the output is
                // the same on both engines.
                return Err(Error::failed(crate::tr!("{shown}: no database here yet", "{shown}: här finns ingen databas än"))
                    .hint(crate::tr!(
                        "`spets init` creates one, as does any command that records something; `--sample` tries spets on its bundled sample portfolio",
                        "`spets init` skapar en, liksom varje kommando som registrerar något; `--sample` provar spets på den medföljande exempelportföljen"
                    )));
            }
            migrate(&conn).map_err(|e| Error::from(e).context(&shown))?;
        }
    }
    if access == Access::Read {
        // Everything a reading command reads is one moment of the database.
        conn.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    }
    Ok(conn)
}

/// The schema version, or `None` in a database spets has not set up.
pub fn schema_version(conn: &Connection) -> Result<Option<i64>> {
    let present: bool = conn.query_row("SELECT to_regclass('spets_schema') IS NOT NULL", [], |r| r.get(0))?;
    if !present {
        return Ok(None);
    }
    Ok(conn.query_row("SELECT max(version) FROM spets_schema", [], |r| r.get(0))?)
}

fn other_tables(conn: &Connection) -> Result<i64> {
    Ok(conn
        .query_row("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()", [], |r| r.get(0))?)
}

/// Brings the schema to [`SCHEMA_VERSION`] in one transaction, one process at a time.
/// A database set up for a region before schema 7 gets migration 7's data as a change
/// of its own, as a file does.
fn migrate(conn: &Connection) -> super::db::Result<()> {
    let failed = |e: Error| DbError::Spets(Box::new(e));
    let mut tx = conn.transaction(Behavior::Write)?;
    let version: Option<i64> = schema_version(&tx).map_err(failed)?;
    for (to, sql) in MIGRATIONS {
        if version.is_none_or(|v| v < *to) {
            tx.execute_batch(sql)?;
            tx.execute("INSERT INTO spets_schema(version) VALUES (?1)", [*to])?;
        }
    }
    if version.is_some_and(|v| v < 8) {
        super::tally::open(&tx).map_err(failed)?;
    }
    if version.is_some_and(|v| v < 7) && super::meta(&tx, "region").map_err(failed)?.is_some() {
        let change = super::Change::on(tx, "spets", "migrate to schema version 7", None).map_err(failed)?;
        super::strategies::migrate(&change).map_err(failed)?;
        tx = change.seal().map_err(failed)?.0;
    }
    tx.commit()
}

/// The triggers the schema file creates, by name: (name, definition in [`trigger_words`]).
fn expected_triggers() -> Vec<(String, String)> {
    let mut sql = String::new();
    for (_, file) in MIGRATIONS {
        for line in file.lines().filter(|l| !l.trim_start().starts_with("--")) {
            sql.push_str(line);
            sql.push('\n');
        }
    }
    let statements = sql.split(';').map(str::trim);
    let triggers = statements.filter_map(|s| Some((s.strip_prefix("CREATE TRIGGER ")?, s)));
    let mut out: Vec<(String, String)> = triggers
        .map(|(rest, s)| (rest.split_whitespace().next().unwrap_or_default().to_string(), trigger_words(s, "")))
        .collect();
    out.sort();
    out
}

/// A trigger's definition as words to compare: the schema file's statement and the
/// server's `pg_get_triggerdef` agree in these when the trigger is the one written
/// (case, spacing, parentheses and the schema's name aside).
fn trigger_words(def: &str, schema: &str) -> String {
    let def = if schema.is_empty() { def.to_string() } else { def.replace(&format!("{schema}."), "") };
    def.to_lowercase().chars().filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | ';')).collect()
}

/// The objects of the schema that protect the data, as the server has them now: each
/// (kind, name) that is missing, disabled or changed is one problem.
pub fn schema_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let schema: String = conn.query_row("SELECT current_schema()::text", [], |r| r.get(0))?;
    let mut stmt = conn.prepare(
        "SELECT t.tgname::text, t.tgenabled::text, pg_catalog.pg_get_triggerdef(t.oid)
         FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace",
    )?;
    let triggers: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<super::db::Result<_>>()?;
    for (name, written) in expected_triggers() {
        match triggers.iter().find(|t| t.0 == name) {
            None => problems.push(crate::tr!("trigger {name} is missing", "trigger {name} saknas")),
            Some((_, enabled, _)) if enabled != "O" && enabled != "A" => {
                problems.push(crate::tr!("trigger {name} is disabled", "trigger {name} är avstängd"))
            }
            Some((_, _, def)) if trigger_words(def, &schema) != written => {
                problems.push(crate::tr!("trigger {name} was changed", "trigger {name} har ändrats"))
            }
            Some(_) => {}
        }
    }
    let unique = [
        "areas_current_code",
        "areas_current_id",
        "indicators_current",
        "orgs_current_id",
        "orgs_current_name",
        "programmes_current_name",
        "projects_current_ref",
        "settings_current_key",
        "strategies_current_name",
        "strategies_current_id",
        "crosswalk_current",
        "indicator_codes_current",
    ];
    for name in unique {
        let present: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_indexes WHERE schemaname = current_schema() AND indexname = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if !present {
            problems.push(crate::tr!("index {name} is missing", "index {name} saknas"));
        }
    }
    let written = MIGRATIONS[0].1;
    for function in ["spets_append_only", "spets_no_children", "spets_parent_exists"] {
        let source: Option<String> = conn.query_row(
            "SELECT max(p.prosrc) FROM pg_catalog.pg_proc p WHERE p.proname = ?1 AND p.pronamespace = current_schema()::regnamespace",
            [function],
            |r| r.get(0),
        )?;
        if source.as_deref().is_none_or(|s| !written.contains(s.trim())) {
            problems.push(crate::tr!("function {function} was changed", "funktionen {function} har ändrats"));
        }
    }
    Ok(problems)
}

/// What a role may do in a portfolio on a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Every report and `audit verify`; no write.
    Reader,
    /// Also every command that records something; never a change to the history.
    Writer,
}

/// The tables whose rows a write closes (sets `end_rev` on): the versioned records.
/// `changes` and `audit` are not among them: the history is only ever appended to.
const VERSIONED: &[&str] = &[
    "areas",
    "orgs",
    "programmes",
    "projects",
    "allocations",
    "payments",
    "indicators",
    "settings",
    "strategies",
    "crosswalk",
    "indicator_codes",
];

/// Grants the existing login `name` what `role` needs in this database, and no more.
pub fn grant(conn: &Connection, name: &str, role: Role) -> Result<()> {
    let exists: bool =
        conn.query_row("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?1)", [name], |r| r.get(0))?;
    if !exists {
        return Err(Error::failed(crate::tr!(
            "the server has no role {name}; nothing was granted",
            "servern har ingen roll {name}; inget gavs"
        ))
        .hint(crate::tr!(
            "create the login first, e.g. `CREATE ROLE {name} LOGIN PASSWORD '…'` in psql",
            "skapa inloggningen först, t.ex. `CREATE ROLE {name} LOGIN PASSWORD '…'` i psql"
        )));
    }
    let quote = |id: &str| format!("\"{}\"", id.replace('"', "\"\""));
    let who = quote(name);
    let database: String = conn.query_row("SELECT current_database()::text", [], |r| r.get(0))?;
    let schema: String = conn.query_row("SELECT current_schema()::text", [], |r| r.get(0))?;
    let (database, schema) = (quote(&database), quote(&schema));
    let mut sql = format!(
        "REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {who};
         GRANT CONNECT ON DATABASE {database} TO {who};
         GRANT USAGE ON SCHEMA {schema} TO {who};
         GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {who};
         ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {who};"
    );
    if role == Role::Writer {
        sql += &format!(
            "GRANT TEMPORARY ON DATABASE {database} TO {who};
             GRANT INSERT ON ALL TABLES IN SCHEMA {schema} TO {who};
             GRANT UPDATE ON {} TO {who};
             ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT INSERT ON TABLES TO {who};",
            VERSIONED.join(", ")
        );
    }
    let tx = conn.transaction(Behavior::Write)?;
    tx.execute_batch(&sql)?;
    tx.commit()?;
    Ok(())
}

/// Why connecting failed, in one line: the server is not there, the password or user
/// was refused, or the database does not exist.
fn connect_error(config: &postgres::Config, shown: &str, e: postgres::Error) -> Error {
    let user = config.get_user().unwrap_or("").to_string();
    let dbname = config.get_dbname().unwrap_or(&user).to_string();
    match e.code() {
        Some(c) if *c == SqlState::INVALID_PASSWORD => Error::failed(crate::tr!(
            "{shown}: the server refused the password of user {user}",
            "{shown}: servern godtog inte lösenordet för användaren {user}"
        ))
        .hint(crate::tr!(
            "give the right password in the address (postgres://USER:PASSWORD@HOST/DATABASE) or in PGPASSWORD",
            "ange rätt lösenord i adressen (postgres://ANVÄNDARE:LÖSENORD@VÄRD/DATABAS) eller i PGPASSWORD"
        )),
        Some(c) if *c == SqlState::INVALID_CATALOG_NAME => Error::failed(crate::tr!(
            "{shown}: the server has no database {dbname}",
            "{shown}: servern har ingen databas {dbname}"
        ))
        .hint(crate::tr!(
            "create it first (`createdb {dbname}`), or check the name in the address",
            "skapa den först (`createdb {dbname}`), eller kontrollera namnet i adressen"
        )),
        Some(c) if *c == SqlState::INVALID_AUTHORIZATION_SPECIFICATION => {
            let why = error_text(&e);
            Error::failed(crate::tr!(
                "{shown}: the server did not let user {user} in: {why}",
                "{shown}: servern släppte inte in användaren {user}: {why}"
            ))
        }
        _ if is_password_missing(&e) => Error::failed(crate::tr!(
            "{shown}: the server asks for a password for user {user}, and none was given",
            "{shown}: servern begär ett lösenord för användaren {user}, och inget angavs"
        ))
        .hint(crate::tr!(
            "give it in PGPASSWORD, or in the address: postgres://USER:PASSWORD@HOST/DATABASE",
            "ange det i PGPASSWORD, eller i adressen: postgres://ANVÄNDARE:LÖSENORD@VÄRD/DATABAS"
        )),
        _ => {
            let why = error_text(&e);
            Error::failed(crate::tr!(
                "{shown}: cannot reach the PostgreSQL server: {why}",
                "{shown}: når inte PostgreSQL-servern: {why}"
            ))
            .hint(crate::tr!(
                "check that the server is running and that the host and port in the address are right",
                "kontrollera att servern är igång och att värd och port i adressen stämmer"
            ))
        }
    }
}

fn is_password_missing(e: &postgres::Error) -> bool {
    error_text(e).contains("password missing")
}

/// The server's own words, or the cause of a failure that never reached it.
fn error_text(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut source = std::error::Error::source(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    match std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>()) {
        Some(io) => crate::error::io_reason(io),
        None => last,
    }
}

/// A server's error as a spets error.
pub(crate) fn error(e: postgres::Error) -> Error {
    let code = e.code().cloned();
    let why = error_text(&e);
    match code {
        Some(c) if c == SqlState::INSUFFICIENT_PRIVILEGE || c == SqlState::READ_ONLY_SQL_TRANSACTION => {
            Error::failed(crate::tr!(
                "the server refused the change: {why}; nothing was written",
                "servern vägrade ändringen: {why}; inget skrevs"
            ))
            .hint(crate::tr!(
                "this user may only read; ask whoever manages the database for a writer's role",
                "denna användare får bara läsa; be den som förvaltar databasen om en skrivande roll"
            ))
        }
        // Integrity constraint violation: a row a rule of the server's refuses.
        Some(c) if c.code().starts_with("23") => Error::failed(crate::tr!(
            "the server refused the change: {why}; nothing was written",
            "servern vägrade ändringen: {why}; inget skrevs"
        )),
        _ => Error::failed(crate::tr!("database error: {why}", "databasfel: {why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_triggers_expected_are_every_one_the_schema_creates() {
        let expected = expected_triggers();
        let names: Vec<&str> = expected.iter().map(|(n, _)| n.as_str()).collect();
        let written = MIGRATIONS.iter().map(|(_, sql)| sql.matches("CREATE TRIGGER ").count()).sum::<usize>();
        assert_eq!(names.len(), written);
        assert!(names.contains(&"audit_append_only") && names.contains(&"projects_vid_fixed"), "{names:?}");
        let audit = &expected.iter().find(|(n, _)| n == "audit_append_only").expect("the trigger").1;
        assert_eq!(
            audit,
            &trigger_words(
                "CREATE TRIGGER audit_append_only BEFORE DELETE OR UPDATE ON public.audit FOR EACH ROW \
                 EXECUTE FUNCTION spets_append_only('the audit trail is append-only')",
                "public"
            )
        );
    }

    #[test]
    fn an_address_is_shown_without_its_password() {
        assert_eq!(shown("postgres://anna:hemligt@db.example/portfolj"), "postgres://anna@db.example/portfolj");
        assert_eq!(shown("postgresql://anna@%2Ftmp/p?password=x"), "postgresql://anna@%2Ftmp/p?");
        assert_eq!(shown("postgres://db.example"), "postgres://db.example");
        assert!(is_url("postgres://x") && is_url("postgresql://x") && !is_url("portfolio.db"));
    }
}
