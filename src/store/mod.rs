//! The store: the only code that talks SQL.
//!
//! It opens a database (refusing files that are not spets databases or are from a newer
//! spets, and leaving them untouched), migrates older ones inside one transaction, sets
//! the per-connection pragmas in one place, and reads and writes domain types. Every
//! write happens inside a [`Change`]: one transaction that records what it changed in
//! the audit trail before it commits. Nothing above this module sees a SQL string.

pub mod areas;
pub mod audit;
pub mod checks;
pub(crate) mod db;
mod decode;
mod errors;
pub mod history;
pub mod indicators;
pub mod names;
pub mod orgs;
pub mod payments;
mod pg;
pub mod programmes;
pub mod projects;
pub mod reports;
pub mod select;
pub mod settings;
pub mod staging;
pub mod strategies;
mod tally;
pub mod verify;
mod view;

pub use view::View;

use std::path::{Path, PathBuf};
use std::time::Duration;

use db::{Behavior, Connection, DbError, OptionalExtension, Transaction, params};
use rusqlite::OpenFlags;

use crate::domain::area::AreaSeed;
pub use crate::domain::history::{ChangeInfo, LogEntry, Record};
use crate::domain::project::{Allocation, Components, Project};
use crate::error::{Error, Result};

/// `PRAGMA application_id` of a spets database: "SPET" in ASCII.
pub const APPLICATION_ID: i64 = 0x5350_4554;

/// One step of the schema: SQL, and for some a step in Rust that fills in what SQL
/// cannot compute, then SQL again.
struct Migration {
    sql: &'static str,
    fill: Option<fn(&Connection) -> Result<()>>,
    after: &'static str,
    /// Data the new schema needs, recorded as a change in the history (by user
    /// `spets`), in a database that is set up for a region.
    data: Option<fn(&Change<'_>) -> Result<()>>,
}

/// The migrations, in order; migration N brings the schema to `user_version` N.
/// `schema.sql` is migration 1. Later changes are appended, never edited.
const MIGRATIONS: &[Migration] = &[
    Migration { sql: include_str!("../../schema.sql"), fill: None, after: "", data: None },
    Migration {
        sql: include_str!("../../migrations/0002-seals.sql"),
        fill: Some(audit::seal_existing),
        after: include_str!("../../migrations/0002-seals-end.sql"),
        data: None,
    },
    Migration { sql: include_str!("../../migrations/0003-overrun.sql"), fill: None, after: "", data: None },
    Migration {
        sql: include_str!("../../migrations/0004-settings.sql"),
        fill: None,
        after: "",
        data: Some(settings::migrate_default_funders),
    },
    Migration { sql: include_str!("../../migrations/0005-org-kind.sql"), fill: None, after: "", data: None },
    Migration { sql: include_str!("../../migrations/0006-provenance.sql"), fill: None, after: "", data: None },
    Migration {
        sql: include_str!("../../migrations/0007-strategies.sql"),
        fill: None,
        after: "",
        data: Some(strategies::migrate),
    },
    Migration {
        sql: include_str!("../../migrations/0008-tallies.sql"),
        // Its opening tallies are read from the newest schema, after the loop below.
        fill: None,
        after: "",
        data: None,
    },
    Migration { sql: include_str!("../../migrations/0009-derived-totals.sql"), fill: None, after: "", data: None },
];

/// The last change this process committed, with (the first of) its entries: what a
/// writing command reports under `--format json`.
static COMMITTED: std::sync::Mutex<Option<(ChangeInfo, Committed)>> = std::sync::Mutex::new(None);

/// A committed change's entries: how many, and the first [`ENTRIES_KEPT`] of them as
/// (entity, key, action).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Committed {
    pub total: u64,
    pub entries: Vec<(String, String, String)>,
}

const ENTRIES_KEPT: usize = 10_000;

const ENTRIES: &str = "SELECT entity, key, action FROM audit WHERE seq >= ?1 ORDER BY seq LIMIT ?2";

fn entries_of(conn: &Connection, first_seq: i64, total: u64) -> Result<Committed> {
    // The change's entries are the last ones (it holds the write lock): a range of the
    // primary key, not a walk of the whole history.
    let mut stmt = conn.prepare(ENTRIES)?;
    let entries = stmt
        .query_map(params![first_seq, ENTRIES_KEPT as i64], |r| {
            let (entity, key, action): (i64, String, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok((entity, key, action))
        })?
        .collect::<db::Result<Vec<_>>>()?
        .into_iter()
        .map(|(e, k, a)| {
            let entity = audit::Entity::from_code(e).map_or_else(|| e.to_string(), |x| x.as_str().to_string());
            let action = audit::Action::from_code(a).map_or_else(|| a.to_string(), |x| x.as_str().to_string());
            (entity, k, action)
        })
        .collect();
    Ok(Committed { total, entries })
}

/// The last change this process committed (see [`Committed`]).
pub fn last_committed() -> Option<(ChangeInfo, Committed)> {
    COMMITTED.lock().ok().and_then(|c| c.clone())
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// How long a writer waits for another to finish before giving up, unless
/// `SPETS_BUSY_TIMEOUT` says otherwise.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The busy timeout in force: `SPETS_BUSY_TIMEOUT` (whole seconds, 0 to 3600) when it
/// is set to one, else [`BUSY_TIMEOUT`]. A site with long imports may raise it.
pub fn busy_timeout() -> Duration {
    std::env::var("SPETS_BUSY_TIMEOUT")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| *s <= 3600)
        .map_or(BUSY_TIMEOUT, Duration::from_secs)
}

/// Removes an SQLite database file and the journal files SQLite keeps beside it, so
/// that a copy that failed leaves nothing behind and can be tried again.
pub fn remove_file_database(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(&name);
    }
}

/// Whether `db` names a database on a PostgreSQL server rather than a file.
pub fn is_server(db: &Path) -> bool {
    db.to_str().is_some_and(pg::is_url)
}

/// A command-line argument as the history may record it: a database address
/// (`--db postgres://…` or `--db=postgres://…`) without its password.
pub fn without_password(arg: &str) -> std::borrow::Cow<'_, str> {
    match arg.split_once("--db=") {
        Some(("", url)) if pg::is_url(url) => format!("--db={}", pg::shown(url)).into(),
        _ if pg::is_url(arg) => pg::shown(arg).into(),
        _ => arg.into(),
    }
}

/// Where a store lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    File(PathBuf),
    Memory,
    /// A PostgreSQL database, by its address without the password.
    Server(String),
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Memory => f.write_str(&crate::tr!("(in memory)", "(i minnet)")),
            Location::Server(url) => f.write_str(url),
        }
    }
}

/// Whether a command only reads or also writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// Which rows a read sees: the current ones, or those as of a past change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot(pub Option<i64>);

impl Snapshot {
    pub const CURRENT: Snapshot = Snapshot(None);

    /// The SQL condition selecting the versions of table alias `t` that this snapshot
    /// sees. The revision is an integer, so formatting it into SQL is safe.
    pub fn live(self, t: &str) -> String {
        match self.0 {
            None => format!("{t}.end_rev IS NULL"),
            Some(s) => format!("({t}.rev <= {s} AND ({t}.end_rev IS NULL OR {t}.end_rev > {s}))"),
        }
    }
}

/// What a region starts with: its name, areas and municipalities.
pub struct RegionSetup {
    pub key: String,
    pub name: String,
    pub areas: Vec<AreaSeedOwned>,
    pub municipalities: Vec<String>,
}

/// An area to seed, owned (a region file is read at run time).
#[derive(Clone, Debug)]
pub struct AreaSeedOwned {
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
}

impl From<&AreaSeed> for AreaSeedOwned {
    fn from(s: &AreaSeed) -> Self {
        AreaSeedOwned { code: s.code.into(), name_sv: s.name_sv.into(), name_en: s.name_en.into() }
    }
}

impl RegionSetup {
    /// Region Värmland: its seven areas and sixteen municipalities.
    pub fn varmland() -> RegionSetup {
        RegionSetup {
            key: "varmland".into(),
            name: "Värmland".into(),
            areas: crate::domain::area::VARMLAND_AREAS.iter().map(AreaSeedOwned::from).collect(),
            municipalities: crate::domain::municipality::VARMLAND_MUNICIPALITIES
                .iter()
                .map(|m| m.to_string())
                .collect(),
        }
    }
}

/// Puts `path` in front of an error opening it and, when SQLite could not open or
/// write it, says whether the file's permissions or its folder's are the cause (SQLite
/// keeps its write-ahead log and shared-memory files beside the database, so even
/// reading needs a writable folder).
fn permissions(path: &Path, access: Access, e: Error) -> Error {
    let shown = path.display();
    if e.kind != crate::error::Kind::Access {
        return e.context(shown);
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_writable = std::fs::OpenOptions::new().write(true).open(path).is_ok();
    let dir_readonly = std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly());
    let nothing = match access {
        Access::Write => crate::tr!("nothing was written", "inget skrevs"),
        Access::Read => crate::tr!("nothing was read", "inget lästes"),
    };
    if path.exists() && !file_writable && access == Access::Write {
        Error::failed(crate::tr!(
            "{shown}: the database file is read-only (no permission to write it); {nothing}",
            "{shown}: databasfilen är skrivskyddad (ingen behörighet att skriva i den); {nothing}"
        ))
        .hint(crate::tr!(
            "reports still work; to record changes, make the file writable or ask whoever manages it",
            "rapporterna fungerar ändå; för att registrera ändringar, gör filen skrivbar eller fråga den som förvaltar den"
        ))
    } else if dir_readonly {
        Error::failed(crate::tr!(
            "{shown}: its folder {} is read-only, and SQLite needs to keep its journal files beside the database; {nothing}",
            "{shown}: dess mapp {} är skrivskyddad, och SQLite behöver lägga sina journalfiler bredvid databasen; {nothing}",
            dir.display()
        ))
        .hint(crate::tr!(
            "make the folder writable, or copy the database to a writable folder",
            "gör mappen skrivbar, eller kopiera databasen till en skrivbar mapp"
        ))
    } else {
        e.context(shown)
    }
}

/// An open spets database.
pub struct Store {
    conn: Connection,
    location: Location,
}

impl Store {
    /// Opens the database at `path`. For [`Access::Write`] a missing file is created
    /// (with its folder); for [`Access::Read`] it is an error.
    pub fn open(path: &Path, access: Access) -> Result<Store> {
        if let Some(url) = path.to_str().filter(|p| pg::is_url(p)) {
            return Store::open_server(url, access);
        }
        let shown = path.display().to_string();
        if path.is_dir() {
            return Err(Error::failed(crate::tr!(
                "{shown}: is a folder, not a database file",
                "{shown}: är en mapp, inte en databasfil"
            ))
            .hint(crate::tr!(
                "give --db the path of a file, e.g. --db portfolio.db",
                "ge --db sökvägen till en fil, t.ex. --db portfolj.db"
            )));
        }
        if !path.exists() {
            if access == Access::Read {
                return Err(Error::failed(crate::tr!("{shown}: no database here yet", "{shown}: här finns ingen databas än"))
                    .hint(crate::tr!(
                        "`spets init` creates one, as does any command that records something; `--sample` tries spets on its bundled sample portfolio",
                        "`spets init` skapar en, liksom varje kommando som registrerar något; `--sample` provar spets på den medföljande exempelportföljen"
                    )));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| {
                    let (dir, why) = (dir.display(), crate::error::io_reason(&e));
                    Error::failed(crate::tr!(
                        "{dir}: cannot create the folder: {why}",
                        "{dir}: kan inte skapa mappen: {why}"
                    ))
                })?;
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // SQLite reads a name starting with `file:` as a URI (`file:x.db?mode=memory`
        // would be no file at all); `--db` is always a path, so a relative one is given
        // to SQLite as `./NAME`.
        let sqlite_path = if path.is_relative() { Path::new(".").join(path) } else { path.to_path_buf() };
        let conn = rusqlite::Connection::open_with_flags(&sqlite_path, flags)
            .map_err(|e| permissions(path, access, Error::from(DbError::from(e))))?;
        if access == Access::Write && conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(permissions(
                path,
                access,
                Error::access(crate::tr!("the database is read-only", "databasen är skrivskyddad")),
            ));
        }
        let mut store = Store { conn: Connection::sqlite(conn), location: Location::File(path.to_path_buf()) };
        store.prepare(access).map_err(|e| permissions(path, access, e))?;
        if access == Access::Write {
            store.protected()?;
        }
        if access == Access::Read {
            // Everything a reading command reads is one moment of the database, however
            // many queries it takes and whoever writes meanwhile.
            store.conn.execute_batch("BEGIN").map_err(|e| Error::from(e).context(&shown))?;
        }
        Ok(store)
    }

    /// Opens the PostgreSQL database at `url` (see [`pg::open`]).
    fn open_server(url: &str, access: Access) -> Result<Store> {
        let conn = pg::open(url, access)?;
        let shown = pg::shown(url);
        let store = Store { conn, location: Location::Server(shown) };
        if access == Access::Write {
            store.protected()?;
        }
        Ok(store)
    }

    /// Refuses to write into a database whose protections (append-only triggers,
    /// unique indexes, checks) were removed: it would record history nobody can trust.
    fn protected(&self) -> Result<()> {
        let problems = self.schema_problems()?;
        if problems.is_empty() {
            return Ok(());
        }
        let shown = &self.location;
        Err(Error::failed(crate::tr!(
            "{shown}: the database's protections were changed outside spets ({}); nothing was written",
            "{shown}: databasens skydd har ändrats utanför spets ({}); inget skrevs",
            problems.join("; ")
        ))
        .hint(crate::tr!(
            "`spets audit verify` tells what else changed; restore the database from a backup",
            "`spets audit verify` visar vad mer som ändrats; återställ databasen från en säkerhetskopia"
        )))
    }

    /// A fresh, migrated database in memory (for `--sample` and tests).
    pub fn open_memory() -> Result<Store> {
        let conn = Connection::sqlite(rusqlite::Connection::open_in_memory().map_err(DbError::from)?);
        let mut store = Store { conn, location: Location::Memory };
        store.prepare(Access::Write)?;
        Ok(store)
    }

    /// A database in memory holding a copy of `image` (what [`Store::image`] gave): it
    /// can be written to, and nothing is saved. Checked like any file spets opens.
    pub fn from_image(image: &[u8]) -> Result<Store> {
        let mut lite = rusqlite::Connection::open_in_memory().map_err(DbError::from)?;
        lite.deserialize_read_exact(rusqlite::MAIN_DB, image, image.len(), false).map_err(DbError::from)?;
        let mut store = Store { conn: Connection::sqlite(lite), location: Location::Memory };
        store.prepare(Access::Write)?;
        Ok(store)
    }

    /// The database's bytes, as a file of it would hold them (a database file or one in
    /// memory; not a server's).
    pub fn image(&mut self) -> Result<Vec<u8>> {
        let lite = self.lite_mut()?;
        lite.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").map_err(DbError::from)?;
        Ok(lite.serialize(rusqlite::MAIN_DB).map_err(DbError::from)?.to_vec())
    }

    /// The database as `snapshot` shows it.
    pub fn at(&self, snapshot: Snapshot) -> View<'_> {
        View::new(&self.conn, snapshot)
    }

    /// The audit entries `query` selects, oldest first, one at a time.
    pub fn each_entry(&self, query: &history::LogQuery, each: impl FnMut(LogEntry) -> Result<()>) -> Result<()> {
        history::each_entry(&self.conn, query, each)
    }

    /// Version `vid` of a record of `entity`, as the history names it.
    pub fn version(&self, entity: audit::Entity, vid: i64) -> Result<Option<Record>> {
        history::record(&self.conn, entity, vid)
    }

    /// Verifies the whole history (see [`verify::verify`]).
    pub fn verify(&self, expect: Option<&audit::Digest>) -> Result<verify::Verification> {
        verify::verify(&self.conn, expect)
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    /// Checks the file is ours, sets the pragmas and migrates.
    fn prepare(&mut self, access: Access) -> Result<()> {
        let lite = self.lite()?;
        lite.busy_timeout(busy_timeout()).map_err(DbError::from)?;
        let (app_id, version, objects) = identity(lite).map_err(|e| {
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) {
                Error::failed(crate::tr!(
                    "not a spets database (not an SQLite file at all); left untouched",
                    "inte en spets-databas (inte alls en SQLite-fil); lämnad orörd"
                ))
            } else {
                Error::from(DbError::from(e))
            }
        })?;
        if app_id != APPLICATION_ID && (objects > 0 || app_id != 0) {
            return Err(Error::failed(crate::tr!(
                "not a spets database (an SQLite database of some other program); left untouched",
                "inte en spets-databas (en SQLite-databas för något annat program); lämnad orörd"
            )));
        }
        if version > SCHEMA_VERSION {
            return Err(Error::failed(crate::tr!(
                "written by a newer spets (schema version {version}; this spets knows up to {SCHEMA_VERSION}); left untouched",
                "skriven av en nyare spets (schemaversion {version}; denna spets känner till upp till {SCHEMA_VERSION}); lämnad orörd"
            ))
            .hint(crate::tr!("upgrade spets to open it", "uppgradera spets för att öppna den")));
        }
        let fresh = objects == 0;
        if fresh && access == Access::Read {
            return Err(Error::failed(crate::tr!(
                "an empty file, not a spets database yet",
                "en tom fil, ännu inte en spets-databas"
            ))
            .hint(crate::tr!("`spets init` sets it up", "`spets init` gör i ordning den")));
        }
        let pragma = |name: &str, value: &str| lite.pragma_update(None, name, value).map_err(DbError::from);
        pragma("foreign_keys", "ON")?;
        if self.location != Location::Memory {
            if access == Access::Write {
                // Switching a new file to WAL needs it alone for a moment; SQLite answers
                // "busy" at once, not after its busy timeout, when another process that
                // is creating the same file holds it, so wait here as the timeout would.
                let mode: String = while_busy(|| {
                    Ok(lite.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?)
                })?;
                if !mode.eq_ignore_ascii_case("wal") {
                    return Err(Error::failed(crate::tr!(
                        "could not switch the database to WAL mode (it is in {mode} mode)",
                        "kunde inte ställa om databasen till WAL-läge (den är i {mode}-läge)"
                    )));
                }
            }
            pragma("synchronous", "FULL")?;
        }
        if version < SCHEMA_VERSION {
            // Reading an older database needs the newer schema too. Migrating happens in
            // one transaction, so a failure leaves the file as it was. Rebuilding a
            // table that others refer to needs foreign keys off (they cannot change
            // inside a transaction); the rows are copied as they are, so whatever a
            // hand edit left for `audit verify` to find is still there to find.
            pragma("foreign_keys", "OFF")?;
            let migrated = while_busy(|| self.migrate_once());
            pragma("foreign_keys", "ON")?;
            migrated?;
        }
        Ok(())
    }

    /// The SQLite connection under this store, for what only a database file has.
    fn lite(&self) -> Result<&rusqlite::Connection> {
        self.conn.lite().ok_or_else(|| self.not_a_file())
    }

    fn lite_mut(&mut self) -> Result<&mut rusqlite::Connection> {
        let refused = self.not_a_file();
        self.conn.lite_mut().ok_or(refused)
    }

    fn not_a_file(&self) -> Error {
        Error::failed(crate::tr!(
            "{}: only a database file can do this, not a database on a server",
            "{}: bara en databasfil kan göra detta, inte en databas på en server",
            self.location
        ))
    }

    /// Applies the migrations this database has not had, in one exclusive transaction.
    fn migrate_once(&self) -> db::Result<()> {
        // A failing Rust step rolls the migration back like any SQL error.
        let failed = |e: Error| DbError::Spets(Box::new(e));
        let mut tx = self.conn.transaction(Behavior::Exclusive)?;
        let version: i64 = user_version(&tx)?;
        let mut data_steps = Vec::new();
        for (i, m) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(m.sql)?;
            if let Some(fill) = m.fill {
                fill(&tx).map_err(failed)?;
            }
            tx.execute_batch(m.after)?;
            if let Some(data) = m.data {
                data_steps.push((i + 1, data));
            }
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
        }
        if version < 8 {
            tally::open(&tx).map_err(failed)?;
        }
        // Data steps are Rust code written against the newest schema: they run once
        // every table has its newest shape, in the order of their migrations.
        for (version, data) in data_steps {
            if meta(&tx, "region").map_err(failed)?.is_some() {
                let command = format!("migrate to schema version {version}");
                let change = Change::on(tx, "spets", &command, None).map_err(failed)?;
                data(&change).map_err(failed)?;
                tx = change.seal().map_err(failed)?.0;
            }
        }
        tx.commit()
    }

    /// What differs between this database's schema (its tables, indexes and triggers)
    /// and what its schema version should have: one line per object missing, changed
    /// or added.
    pub fn schema_problems(&self) -> Result<Vec<String>> {
        schema_problems(&self.conn)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        match self.conn.kind() {
            db::Kind::Sqlite => Ok(user_version(&self.conn)?),
            db::Kind::Postgres => Ok(pg::schema_version(&self.conn)?.unwrap_or(0)),
        }
    }

    /// The region the database was set up for, once it has been.
    pub fn region(&self) -> Result<Option<(String, String)>> {
        let key: Option<String> = meta(&self.conn, "region")?;
        let name: Option<String> = meta(&self.conn, "region_name")?;
        Ok(key.map(|k| (k, name.unwrap_or_default())))
    }

    /// Sets the database up for a region: its areas (as the first change) and its
    /// municipalities. Fails when it already is.
    pub fn initialise(
        &mut self,
        region: &RegionSetup,
        user: &str,
        command: &str,
        at: Option<&str>,
    ) -> Result<ChangeInfo> {
        let change = self.begin_at(user, command, at)?;
        // Asked inside the write transaction: another process creating the same new
        // database at the same moment has either set it up already or waits for us.
        if let Some(key) = meta(change.conn(), "region")? {
            return Err(Error::failed(crate::tr!(
                "the database is already set up (region {key})",
                "databasen är redan i ordning (region {key})"
            )));
        }
        {
            let tx = change.conn();
            tx.execute(
                "INSERT INTO meta(key, value) VALUES ('region', ?1), ('region_name', ?2)",
                [&region.key, &region.name],
            )?;
            let mut insert = tx.prepare("INSERT INTO municipalities(bit, name) VALUES (?1, ?2)")?;
            for (bit, name) in region.municipalities.iter().enumerate() {
                insert.execute(params![bit as i64, name])?;
            }
        }
        let (current, older) = strategies::seed(&change, &region.key)?;
        let mut added = Vec::with_capacity(region.areas.len());
        for seed in &region.areas {
            added.push(areas::add(&change, seed, None, None, Some(current.id), false)?);
        }
        if let Some(older) = older {
            strategies::seed_older(&change, &older, &added)?;
        }
        settings::seed_default_funders(&change, &region.key)?;
        change.commit()?.ok_or_else(|| {
            Error::failed(crate::tr!("the region has no areas to set up", "regionen har inga områden att lägga upp"))
        })
    }

    /// Starts a change: one write transaction, holding the write lock until it ends.
    pub fn begin(&mut self, user: &str, command: &str) -> Result<Change<'_>> {
        self.begin_at(user, command, None)
    }

    /// Starts a change stamped `at` (a fixed moment, for the bundled sample) or now.
    pub fn begin_at(&mut self, user: &str, command: &str, at: Option<&str>) -> Result<Change<'_>> {
        let tx = self.conn.transaction(Behavior::Write)?;
        Change::on(tx, user, command, at)
    }

    /// The latest change, if any.
    pub fn head(&self) -> Result<Option<ChangeInfo>> {
        change_at(&self.conn, None)
    }

    /// The change a snapshot shows: the latest, or the latest at or before `as_of`.
    pub fn change_as_of(&self, snapshot: Snapshot) -> Result<Option<ChangeInfo>> {
        change_at(&self.conn, snapshot.0)
    }

    /// The snapshot for `--as-of TIMESTAMP`: the last change at or before it. The
    /// timestamp is normalised by the caller to the stored RFC 3339 form.
    pub fn snapshot_at(&self, timestamp: &str) -> Result<Snapshot> {
        let rev: Option<i64> =
            self.conn.query_row("SELECT max(rev) FROM changes WHERE at <= ?1", [timestamp], |r| r.get(0))?;
        Ok(Snapshot(Some(rev.unwrap_or(0))))
    }

    /// Row counts for `spets info`: (key, current rows).
    pub fn counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::new();
        for (key, sql) in [
            ("areas", "SELECT count(*) FROM areas WHERE end_rev IS NULL"),
            ("organisations", "SELECT count(*) FROM orgs WHERE end_rev IS NULL"),
            ("projects", "SELECT count(*) FROM projects WHERE end_rev IS NULL"),
            (
                "funding_lines",
                "SELECT count(*) FROM funding_lines f JOIN projects p ON p.vid = f.project_vid WHERE p.end_rev IS NULL",
            ),
            ("payments", "SELECT count(*) FROM payments WHERE end_rev IS NULL"),
            ("indicators", "SELECT count(*) FROM indicators WHERE end_rev IS NULL"),
            ("programmes", "SELECT count(*) FROM programmes WHERE end_rev IS NULL"),
            ("changes", "SELECT count(*) FROM changes"),
            ("audit_entries", "SELECT count(*) FROM audit"),
        ] {
            out.push((key, self.conn.query_row(sql, [], |r| r.get(0))?));
        }
        Ok(out)
    }

    /// The region's municipalities, in mask order.
    pub fn municipalities(&self) -> Result<Vec<String>> {
        municipalities(&self.conn)
    }

    /// A consistent copy of the whole database into `dest`, by SQLite's online backup,
    /// while other connections go on writing: all pages are copied in one step, inside
    /// one read transaction, so the copy is the database at one moment (a backup in
    /// several steps would start over whenever another process writes).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if self.conn.kind() == db::Kind::Postgres {
            return Err(Error::failed(crate::tr!(
                "a database on a PostgreSQL server is not copied by `spets backup`; nothing was written",
                "en databas på en PostgreSQL-server kopieras inte av `spets backup`; inget skrevs"
            ))
            .hint(crate::tr!(
                "use the server's own backups (pg_dump), or copy it to a file with `spets db copy`",
                "använd serverns egna säkerhetskopior (pg_dump), eller kopiera den till en fil med `spets db copy`"
            )));
        }
        let mut target = rusqlite::Connection::open(dest).map_err(DbError::from)?;
        {
            let backup = rusqlite::backup::Backup::new(self.lite()?, &mut target).map_err(DbError::from)?;
            let pause = Duration::from_millis(20);
            let mut waited = Duration::ZERO;
            loop {
                match backup.step(-1).map_err(DbError::from)? {
                    rusqlite::backup::StepResult::Done => break,
                    rusqlite::backup::StepResult::More => continue,
                    _ if waited >= busy_timeout() => {
                        return Err(Error::failed(crate::tr!(
                            "the database stayed locked for the whole busy timeout; no copy was made",
                            "databasen förblev låst under hela väntetiden; ingen kopia gjordes"
                        )));
                    }
                    _ => {
                        std::thread::sleep(pause);
                        waited += pause;
                    }
                }
            }
        }
        // A standalone file: no write-ahead log beside it.
        target.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(())).map_err(DbError::from)?;
        Ok(())
    }
}

/// The tables of a spets database, in an order that puts every row after the rows it
/// refers to, each with the order its rows are read in.
const TABLES: &[(&str, &str)] = &[
    ("meta", "key"),
    ("changes", "rev"),
    ("audit", "seq"),
    ("names", "id"),
    ("municipalities", "bit"),
    ("areas", "vid"),
    ("orgs", "vid"),
    ("programmes", "vid"),
    ("projects", "vid"),
    ("allocations", "project_vid, position"),
    ("funding_lines", "project_vid, position"),
    ("partners", "project_vid, position"),
    ("payments", "id"),
    ("indicators", "vid"),
    ("settings", "vid"),
    ("strategies", "vid"),
    ("crosswalk", "vid"),
    ("indicator_codes", "vid"),
    ("tallies", "rev, area_id, status, kind, year, n, firsts, total, eu, public, private, other, paid"),
];

/// The columns computed from others (schema 9): read like any other, never written.
const DERIVED: &[(&str, &str)] = &[("projects", "total"), ("allocations", "total")];

pub use pg::Role;

impl Store {
    /// Grants the server's login `name` what `role` may do in this database (see
    /// [`pg::grant`]); a file has no roles, its permissions are the file system's.
    pub fn grant(&self, name: &str, role: Role) -> Result<()> {
        if self.conn.kind() != db::Kind::Postgres {
            return Err(Error::usage(crate::tr!(
                "{}: a database file has no roles; who may read or write it is up to the file's permissions",
                "{}: en databasfil har inga roller; vem som får läsa eller skriva den avgörs av filens behörigheter",
                self.location
            )));
        }
        pg::grant(&self.conn, name, role)
    }

    /// Copies every row of every table, the history included, into `target`, a
    /// database with nothing in it yet, in one transaction: the copy holds the same
    /// records with the same numbers and hashes, so it verifies with the same head.
    /// Returns how many rows were copied.
    pub fn copy_into(&self, target: &mut Store) -> Result<u64> {
        let shown = target.location().to_string();
        let tx = target.conn.transaction(Behavior::Write)?;
        let held: i64 = tx.query_row(
            "SELECT (SELECT count(*) FROM changes) + (SELECT count(*) FROM meta) + (SELECT count(*) FROM names)",
            [],
            |r| r.get(0),
        )?;
        if held > 0 {
            return Err(Error::failed(crate::tr!(
                "{shown}: already holds a portfolio; a copy goes only into an empty database, and nothing was copied",
                "{shown}: har redan en portfölj; en kopia går bara till en tom databas, och inget kopierades"
            ))
            .hint(crate::tr!(
                "give a new file, or an empty database on the server (`createdb NAME`)",
                "ange en ny fil, eller en tom databas på servern (`createdb NAMN`)"
            )));
        }
        let mut copied = 0u64;
        for (table, order) in TABLES {
            // A computed column is computed again by the target, never written.
            let all = self.conn.prepare(&format!("SELECT * FROM {table} LIMIT 0"))?.column_names();
            let columns: Vec<&String> = all.iter().filter(|c| !DERIVED.contains(&(*table, c.as_str()))).collect();
            let quoted = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ");
            let places: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let mut read = self.conn.prepare(&format!("SELECT {quoted} FROM {table} ORDER BY {order}"))?;
            let mut write = tx.prepare(&format!("INSERT INTO {table}({quoted}) VALUES ({})", places.join(", ")))?;
            let mut rows = read.query([])?;
            while let Some(row) = rows.next()? {
                let values = (0..columns.len()).map(|i| row.get::<db::Value>(i)).collect::<db::Result<Vec<_>>>()?;
                write.execute(db::params_from_iter(values))?;
                copied += 1;
            }
        }
        tx.commit()?;
        Ok(copied)
    }
}

/// A write in progress: one transaction, its revision, and the audit entries it records.
/// Dropping a `Change` without [`Change::commit`] rolls everything back.
pub struct Change<'a> {
    tx: Transaction<'a>,
    previous_seal: audit::Digest,
    pub rev: i64,
    pub at: String,
    pub user: String,
    pub command: String,
    next_seq: std::cell::Cell<i64>,
    head: std::cell::Cell<[u8; 32]>,
    entries: std::cell::Cell<u64>,
    /// Whether the change recorded a project version, and a payment (so the portfolio's
    /// sums and the overrun rule are checked before it commits).
    projects_touched: std::cell::Cell<bool>,
    payments_touched: std::cell::Cell<bool>,
    /// Whether it recorded any project or payment entry (so its tallies are taken).
    tallied: std::cell::Cell<bool>,
    /// The sums of the project versions it wrote, and whether every entry so far added
    /// a project: then those sums are its tallies (`tally::record_added`).
    added: std::cell::RefCell<tally::Added>,
    only_added: std::cell::Cell<bool>,
    /// The sequence number of the change's first audit entry.
    pub(crate) first_seq: i64,
    /// Name ids looked up or recorded in this change.
    pub(crate) names: std::cell::RefCell<std::collections::HashMap<String, i64>>,
}

impl<'a> Change<'a> {
    /// A change on an open write transaction, numbered after the last one and dated
    /// now (or `at`, for the bundled sample).
    fn on(tx: Transaction<'a>, user: &str, command: &str, at: Option<&str>) -> Result<Change<'a>> {
        let last: Option<(i64, String)> = tx
            .query_row("SELECT rev, at FROM changes ORDER BY rev DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let (seq, head) = audit::head(&tx)?;
        let at = match at {
            Some(at) => at.to_string(),
            None => format_timestamp(chrono::Utc::now()),
        };
        // A change's time comes from the clock, never from a stored row: a change dated
        // in the future (by a wrong clock, or by hand) stops writing rather than pushing
        // every later change's time past it.
        if let Some((rev, last_at)) = &last
            && at.as_str() <= last_at.as_str()
        {
            return Err(Error::failed(crate::tr!(
                "the last change ({rev}) is dated {last_at}, not before now ({at}): time would run backwards in the history; nothing was written",
                "den senaste ändringen ({rev}) är daterad {last_at}, inte före nu ({at}): tiden skulle gå baklänges i historiken; inget skrevs"
            ))
            .hint(crate::tr!(
                "check the computer's clock, and run `spets audit verify` in case the history was changed by hand",
                "kontrollera datorns klocka, och kör `spets audit verify` ifall historiken har ändrats för hand"
            )));
        }
        let previous_seal = audit::last_seal(&tx)?;
        Ok(Change {
            tx,
            previous_seal,
            rev: last.map_or(1, |l| l.0 + 1),
            at,
            user: user.to_string(),
            command: command.to_string(),
            next_seq: std::cell::Cell::new(seq + 1),
            head: std::cell::Cell::new(head),
            entries: std::cell::Cell::new(0),
            projects_touched: std::cell::Cell::new(false),
            payments_touched: std::cell::Cell::new(false),
            tallied: std::cell::Cell::new(false),
            added: Default::default(),
            only_added: std::cell::Cell::new(true),
            first_seq: seq + 1,
            names: Default::default(),
        })
    }

    pub(in crate::store) fn conn(&self) -> &Connection {
        &self.tx
    }

    /// The database as this change sees it so far.
    pub fn now(&self) -> View<'_> {
        View::new(&self.tx, Snapshot::CURRENT)
    }

    /// Adds a project version this change wrote to the sums its tallies are taken from
    /// when it only adds projects.
    pub(crate) fn tally_version(&self, p: &Project, components: Components, allocations: &[Allocation]) {
        if self.only_added.get() {
            self.added.borrow_mut().add_version(p, components, allocations);
        }
    }

    /// How many audit entries this change has recorded so far.
    pub fn entries(&self) -> u64 {
        self.entries.get()
    }

    /// Appends one audit entry, chained to the one before.
    pub(crate) fn record(&self, entry: audit::Entry<'_>) -> Result<()> {
        match entry.entity {
            audit::Entity::Project if entry.after.is_some() => self.projects_touched.set(true),
            audit::Entity::Payment if entry.after.is_some() => self.payments_touched.set(true),
            _ => {}
        }
        if matches!(entry.entity, audit::Entity::Project | audit::Entity::Payment) {
            self.tallied.set(true);
        }
        match entry.entity {
            audit::Entity::Project if entry.before.is_none() && entry.after.is_some() => {}
            audit::Entity::Project | audit::Entity::Payment => self.only_added.set(false),
            _ => {}
        }
        if cfg!(feature = "no-history") {
            self.entries.set(self.entries.get() + 1);
            return Ok(());
        }
        let seq = self.next_seq.get();
        let content = audit::EntryContent {
            seq,
            rev: self.rev,
            at: &self.at,
            user: &self.user,
            command: &self.command,
            entity: entry.entity.as_str(),
            key: entry.key,
            action: entry.action.as_str(),
            before: entry.before.map(|b| b.1),
            after: entry.after.map(|a| a.1),
        };
        let hash = audit::chain(&self.head.get(), &content);
        static AUDIT: db::Append = db::Append {
            rank: 9,
            table: "audit",
            columns: "seq, rev, entity, key, action, before_vid, after_vid, hash",
            insert: "INSERT INTO audit(seq, rev, entity, key, action, before_vid, after_vid, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        };
        self.tx.append(
            &AUDIT,
            params![
                seq,
                self.rev,
                entry.entity.code(),
                content.key,
                entry.action.code(),
                entry.before.map(|b| b.0),
                entry.after.map(|a| a.0),
                &hash[..],
            ],
        )?;
        self.head.set(hash);
        self.next_seq.set(seq + 1);
        self.entries.set(self.entries.get() + 1);
        Ok(())
    }

    /// Commits when something changed and returns the change; a change that recorded
    /// nothing is rolled back and leaves no trace (`None`).
    pub fn commit(self) -> Result<Option<ChangeInfo>> {
        let (first_seq, total) = (self.first_seq, self.entries.get());
        let (tx, info) = self.seal()?;
        let Some(info) = info else {
            tx.rollback()?;
            return Ok(None);
        };
        let entries = entries_of(&tx, first_seq, total)?;
        tx.commit()?;
        if let Ok(mut last) = COMMITTED.lock() {
            *last = Some((info.clone(), entries));
        }
        if let Some(head) = &info.head {
            witness(info.rev, head)?;
        }
        Ok(Some(info))
    }

    /// Checks the change and records it, sealed, in its transaction, which it hands
    /// back uncommitted; a change that recorded nothing records no change (`None`).
    fn seal(self) -> Result<(Transaction<'a>, Option<ChangeInfo>)> {
        if self.entries.get() == 0 {
            return Ok((self.tx, None));
        }
        let (projects, payments) = (self.projects_touched.get(), self.payments_touched.get());
        if projects || payments {
            within_limit(&self.tx, projects, payments)?;
            // The safety net under every command's own check: no change leaves a
            // project paid above its granted total unless that overrun was allowed. (A
            // change that only added projects has paid none of them anything.)
            let overruns = if self.only_added.get() { Vec::new() } else { projects::overruns_in(&self)? };
            if let Some((reference, paid, granted)) = overruns.into_iter().next() {
                let lang = crate::domain::lang::messages();
                let refused = crate::domain::project::overrun_message(&reference, paid, granted, lang);
                return Err(Error::failed(crate::tr!("{refused}; nothing was written", "{refused}; inget skrevs")));
            }
        }
        let entries = self.entries.get() as i64;
        let tally = match (self.tallied.get(), self.only_added.get()) {
            (false, _) => tally::empty(),
            (true, true) => tally::record_added(&self.tx, self.rev, self.added.take())?,
            (true, false) => tally::record(&self.tx, self.rev, self.first_seq)?,
        };
        let reference = audit::reference_digest(&self.tx)?;
        let content = audit::ChangeContent {
            rev: self.rev,
            at: &self.at,
            user: &self.user,
            command: &self.command,
            entries,
            last_entry: self.head.get(),
            reference,
            tally: Some(tally),
        };
        let seal = audit::seal(&self.previous_seal, &content);
        self.tx.execute(
            "INSERT INTO changes(rev, at, \"user\", command, entries, reference, seal, tally) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![self.rev, self.at, self.user, self.command, entries, &reference[..], &seal[..], &tally[..]],
        )?;
        let info = ChangeInfo {
            rev: self.rev,
            at: self.at,
            user: self.user,
            command: self.command,
            head: Some(hex::encode(seal)),
        };
        Ok((self.tx, Some(info)))
    }
}

/// The current projects' totals for [`within_limit`], read in table order (`NOT
/// INDEXED`): through the index on references every page would be read many times over.
const PROJECTS_SUM: &str =
    "SELECT coalesce(sum(total / 1000000) + count(*), 0) FROM projects NOT INDEXED WHERE end_rev IS NULL";

/// The most the current projects' totals, or the current payments, may add up to: 10^16
/// kr in öre. Every amount is at most 10^15 kr, so about 93 of them overflowed the
/// 64-bit sums of every report; with this limit no sum a report takes (of any snapshot,
/// each of which was once current and checked) can overflow.
pub const PORTFOLIO_LIMIT: i64 = 1_000_000_000_000_000_000;

/// Refuses a change that takes the portfolio past [`PORTFOLIO_LIMIT`]. The sums are
/// taken in whole 10 000 kr (plus one per row for what division drops), so the check
/// itself cannot overflow.
fn within_limit(conn: &Connection, projects: bool, payments: bool) -> Result<()> {
    const UNIT: i64 = 1_000_000;
    let sums = [
        (projects, crate::tr!("projects' totals", "projektens totalbelopp"), PROJECTS_SUM),
        (
            payments,
            crate::tr!("payments", "utbetalningarna"),
            "SELECT coalesce(sum(amount / 1000000) + count(*), 0) FROM payments WHERE end_rev IS NULL",
        ),
    ];
    for (_, what, sql) in sums.into_iter().filter(|s| s.0) {
        let units: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        if units > PORTFOLIO_LIMIT / UNIT {
            let lang = crate::domain::lang::messages();
            let limit = crate::domain::money::Money(PORTFOLIO_LIMIT).display(crate::domain::money::Unit::Kr, lang);
            return Err(Error::failed(crate::tr!(
                "with this change the recorded {what} would add up to more than {limit} kr, more than spets can sum exactly; nothing was written",
                "med denna ändring skulle de registrerade {what} summera till mer än {limit} kr, mer än spets kan summera exakt; inget skrevs"
            )));
        }
    }
    Ok(())
}

/// Appends a new head to the witness file `SPETS_WITNESS` names, if any: a copy of the
/// heads kept elsewhere, so that removing the newest changes whole is found by
/// `audit verify --witness`.
fn witness(rev: i64, head: &str) -> Result<()> {
    let Some(path) = std::env::var_os("SPETS_WITNESS").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = PathBuf::from(path);
    let append = || -> std::io::Result<()> {
        use std::io::Write as _;
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
        file.write_all(format!("{rev} {head}\n").as_bytes())?;
        file.sync_data()
    };
    append().map_err(|e| {
        let (file, why) = (path.display(), crate::error::io_reason(&e));
        Error::failed(crate::tr!(
            "{file}: change {rev} was recorded, but its head could not be added to the witness file: {why}",
            "{file}: ändring {rev} registrerades, men dess huvud kunde inte läggas till i vittnesfilen: {why}"
        ))
        .hint(crate::tr!("add the line `{rev} {head}` to it by hand", "lägg till raden `{rev} {head}` i den för hand"))
    })
}

/// The stored form of a moment: `2026-11-27T18:11:16.123456Z`.
pub fn format_timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn change_at(conn: &Connection, rev: Option<i64>) -> Result<Option<ChangeInfo>> {
    let row = conn
        .query_row(
            "SELECT rev, at, \"user\", command, seal FROM changes WHERE rev <= ?1 ORDER BY rev DESC LIMIT 1",
            [rev.unwrap_or(i64::MAX)],
            |r| {
                let seal: Option<Vec<u8>> = r.get(4)?;
                Ok(ChangeInfo {
                    rev: r.get(0)?,
                    at: r.get(1)?,
                    user: r.get(2)?,
                    command: r.get(3)?,
                    head: seal.map(hex::encode),
                })
            },
        )
        .optional()?;
    Ok(row)
}

/// Runs `op` again while SQLite says the database is busy, for up to the busy timeout.
fn while_busy<T>(mut op: impl FnMut() -> db::Result<T>) -> Result<T> {
    let start = std::time::Instant::now();
    loop {
        match op() {
            Err(DbError::Lite(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && start.elapsed() < busy_timeout() =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return Ok(other?),
        }
    }
}

/// A table, index or trigger as `sqlite_schema` describes it: (type, name, SQL).
type SchemaObject = (String, String, Option<String>);

fn schema_objects(conn: &Connection) -> Result<Vec<SchemaObject>> {
    let mut stmt =
        conn.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")?;
    // Layout is not protection: SQL that differs only in spacing is the same object.
    let squeeze = |sql: String| sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<Option<String>>(2)?.map(squeeze))))?;
    Ok(rows.collect::<db::Result<_>>()?)
}

/// The schema objects a database at `version` has, built by running the migrations on
/// an empty database in memory (the same path every database took).
fn expected_schema(version: i64) -> Result<Vec<SchemaObject>> {
    let conn = Connection::sqlite(rusqlite::Connection::open_in_memory().map_err(DbError::from)?);
    for m in MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(m.sql)?;
        if let Some(fill) = m.fill {
            fill(&conn)?;
        }
        conn.execute_batch(m.after)?;
    }
    schema_objects(&conn)
}

/// What differs between the database's schema and what its version should have.
fn schema_problems(conn: &Connection) -> Result<Vec<String>> {
    match conn.kind() {
        db::Kind::Sqlite => sqlite_schema_problems(conn),
        db::Kind::Postgres => pg::schema_problems(conn),
    }
}

fn sqlite_schema_problems(conn: &Connection) -> Result<Vec<String>> {
    let version = user_version(conn)?;
    let expected = expected_schema(version)?;
    let actual = schema_objects(conn)?;
    let mut problems = Vec::new();
    for (kind, name, sql) in &expected {
        match actual.iter().find(|a| &a.0 == kind && &a.1 == name) {
            None => problems.push(crate::tr!("{kind} {name} is missing", "{kind} {name} saknas")),
            Some(a) if &a.2 != sql => {
                problems.push(crate::tr!("{kind} {name} was changed", "{kind} {name} har ändrats"))
            }
            Some(_) => {}
        }
    }
    for (kind, name, _) in &actual {
        if !expected.iter().any(|e| &e.0 == kind && &e.1 == name) {
            problems.push(crate::tr!(
                "{kind} {name} is not part of schema version {version}",
                "{kind} {name} ingår inte i schemaversion {version}"
            ));
        }
    }
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        problems.push(crate::tr!(
            "application_id is {app_id}, not {APPLICATION_ID}",
            "application_id är {app_id}, inte {APPLICATION_ID}"
        ));
    }
    Ok(problems)
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

pub(crate) fn municipalities(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT name FROM municipalities ORDER BY bit")?;
    let names = stmt.query_map([], |r| r.get(0))?.collect::<db::Result<Vec<String>>>()?;
    Ok(names)
}

/// The file's application id, schema version and number of schema objects, read at one
/// moment (another process may be creating the database right now).
fn identity(conn: &rusqlite::Connection) -> rusqlite::Result<(i64, i64, i64)> {
    conn.execute_batch("BEGIN")?;
    let read = || -> rusqlite::Result<(i64, i64, i64)> {
        let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
        let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app_id, version, objects))
    };
    let identity = read();
    conn.execute_batch("COMMIT")?;
    identity
}

/// The schema version an SQLite database records.
fn user_version(conn: &Connection) -> db::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a change reads of the whole database before it commits: no query walks an
    /// index over all its rows (references interleave years, so walking the index on
    /// them reads every page of the projects once per year: at 1 000 000 projects that
    /// was most of the pages an import read back) and the change's own entries are a
    /// range of the audit trail, not a scan of all of it.
    #[test]
    fn a_commit_reads_whole_tables_in_their_own_order() {
        let store = Store::open_memory().unwrap();
        let overruns = projects::overruns_sql();
        for sql in [projects::PARENT_PROBLEMS, projects::TOP_UPS_WITH_TOP_UPS, &overruns, PROJECTS_SUM, ENTRIES] {
            // Values for the parameters: the plan of a range or a lookup is the same.
            let sql = sql.replace("?1", "1").replace("?2", "1");
            let mut plan = store.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let mut rows = plan.query([]).unwrap();
            let mut steps = Vec::new();
            while let Some(r) = rows.next().unwrap() {
                steps.push(r.get::<String>(3).unwrap());
            }
            assert!(!steps.is_empty(), "{sql}");
            for step in &steps {
                let walks_an_index = step.starts_with("SCAN") && step.contains("USING") && step.contains("INDEX");
                assert!(!walks_an_index && step != "SCAN audit", "{step} in the plan of {sql}: {steps:?}");
            }
        }
    }
}
