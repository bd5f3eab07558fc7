//! Helpers shared by the integration tests: a fresh folder with its own database, a
//! `spets` command set up for it, and a dump of everything in the database so a test
//! can prove that a refused command changed nothing.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use rusqlite::types::ValueRef;

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The database: a file in `dir`, or, when the tests run against PostgreSQL
    /// (`SPETS_TEST_ENGINE=postgres`), the address of a database of its own.
    pub db: PathBuf,
    pub server: Option<PgDb>,
}

/// Whether the tests that can run on either engine run on PostgreSQL this time:
/// `SPETS_TEST_ENGINE=postgres` (with `SPETS_TEST_PG` naming the server).
pub fn on_postgres() -> bool {
    std::env::var("SPETS_TEST_ENGINE").is_ok_and(|e| e == "postgres")
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("a temporary folder");
        if on_postgres() {
            let server = PgDb::new("SPETS_TEST_ENGINE=postgres").expect("SPETS_TEST_PG for SPETS_TEST_ENGINE=postgres");
            return Env { dir, db: PathBuf::from(&server.url), server: Some(server) };
        }
        let db = dir.path().join("spets.db");
        Env { dir, db, server: None }
    }

    /// `spets` against this folder's database, in English, as user `tester`.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("spets").expect("the spets binary");
        c.current_dir(self.dir.path())
            .env("SPETS_DB", &self.db)
            .env("SPETS_LANG", "en")
            .env("SPETS_USER", "tester")
            // No config file of the machine's user reaches a test.
            .env("SPETS_CONFIG", self.dir.path().join("no-config.toml"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", "80")
            .env_remove("LANG");
        c
    }

    /// Runs spets and insists it succeeds; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("spets runs");
        assert!(
            out.status.success(),
            "spets {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("UTF-8 output")
    }

    /// Runs spets expecting `code`; returns standard error.
    pub fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("spets runs");
        assert_eq!(
            out.status.code(),
            Some(code),
            "spets {args:?}: stdout {}\nstderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("UTF-8 errors")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, content).expect("write a test file");
        p
    }

    pub fn dump(&self) -> String {
        dump(&self.db)
    }

    /// A database with two organisations and one project, for tests to refuse changes to.
    pub fn with_project() -> Env {
        let env = Env::new();
        env.ok(&["org", "add", "Karlstads universitet", "--org-no", "202100-3153", "--kind", "university"]);
        env.ok(&["org", "add", "Compare Karlstad", "--kind", "cluster"]);
        env.ok(&[
            "project",
            "add",
            "20201234",
            "--title",
            "Digital vård",
            "--owner",
            "Karlstads universitet",
            "--area",
            "halsa:60",
            "--area",
            "spel:40",
            "--funding",
            "ERUF:eu:4000000",
            "--funding",
            "Region Värmland:region:4000000",
            "--decided",
            "2020-05-04",
            "--start",
            "2020-06-01",
            "--end",
            "2022-12-31",
        ]);
        env
    }
}

/// Every row of every table of a database, in a stable order, as text.
pub fn dump(db: &Path) -> String {
    if let Some(url) = db.to_str().filter(|d| d.starts_with("postgres://")) {
        return pg_dump(url);
    }
    let conn = rusqlite::Connection::open(db).expect("open the database");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("list tables");
    tables.sort();
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("## {t}\n"));
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).expect("select");
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| match r.get_ref(i).expect("a value") {
                        ValueRef::Null => "NULL".to_string(),
                        ValueRef::Integer(v) => v.to_string(),
                        ValueRef::Real(v) => v.to_string(),
                        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                        ValueRef::Blob(b) => format!("x{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        rows.sort();
        out.push_str(&rows.join("\n"));
        out.push('\n');
    }
    out
}

/// A projects file of `n` rows, the same every time: one to three areas with shares,
/// EU and regional money, dates, municipalities, titles with commas and quotes.
pub fn portfolio(n: usize, first_ref: usize) -> String {
    const AREAS: [&str; 7] = ["skog", "halsa", "tillverkning", "solel", "plats", "livsmedel", "spel"];
    let mut out = String::with_capacity(n * 120);
    out.push_str("ref,title,owner,owner_kind,areas,eu,region,decided,start,end,municipalities\n");
    for i in 0..n {
        let r = first_ref + i;
        let a = AREAS[i % 7];
        let areas = match i % 3 {
            0 => a.to_string(),
            1 => format!("{a}:60|{}:40", AREAS[(i + 1) % 7]),
            _ => format!("{a}:33.33|{}:33.33|{}:33.34", AREAS[(i + 2) % 7], AREAS[(i + 4) % 7]),
        };
        let year = 2015 + i % 11;
        out.push_str(&format!(
            "P{r},\"Projekt {r}, \"\"fas\"\" {}\",Företag {} AB,company,{areas},{}.{:02},{},{year}-03-01,{year}-04-01,{}-12-31,Karlstad|Arvika\n",
            i % 4,
            i % 500,
            100_000 + i * 37 % 900_000,
            i % 100,
            50_000 + i * 13 % 400_000,
            year + 1 + i % 3,
        ));
    }
    out
}

/// The `spets` binary as a plain process, set up like [`Env::cmd`], for tests that
/// need to start and kill it or run several at once.
pub fn process(db: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("spets"));
    c.env("SPETS_DB", db)
        .env("SPETS_LANG", "en")
        .env("SPETS_USER", "tester")
        .env("NO_COLOR", "1")
        .env("SPETS_CONFIG", db.with_extension("no-config.toml"))
        .env_remove("LANG");
    c
}

/// What an insider with the sqlite3 shell does first: foreign keys off (the shell's
/// default) and the append-only triggers dropped.
pub fn unprotect(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; DROP TRIGGER changes_append_only_update; DROP TRIGGER changes_append_only_delete;
         DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;",
    )
    .expect("drop the triggers");
}

/// And last, to cover the tracks: the triggers put back exactly as spets made them.
pub fn reprotect(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "CREATE TRIGGER changes_append_only_update BEFORE UPDATE ON changes
         BEGIN SELECT RAISE(ABORT, 'the change history is append-only'); END;
         CREATE TRIGGER changes_append_only_delete BEFORE DELETE ON changes
         BEGIN SELECT RAISE(ABORT, 'the change history is append-only'); END;
         CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
         CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
         BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    )
    .expect("put the triggers back");
}

/// The PostgreSQL server the tests may use: `SPETS_TEST_PG`, the address of a database
/// on it whose user may create databases (`.ci/postgres.sh` starts one). Without it a
/// test skips, saying why, unless it runs in CI (`CI` or `SPETS_CI`), where a missing
/// server is a failure.
pub fn pg_server(test: &str) -> Option<String> {
    match std::env::var("SPETS_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() || std::env::var_os("SPETS_CI").is_some() => {
            panic!("{test}: SPETS_TEST_PG is not set in CI; .ci/run starts a PostgreSQL server for the tests")
        }
        _ => {
            eprintln!(
                "skipped {test}: no PostgreSQL server (set SPETS_TEST_PG, e.g. with `eval \"$(bash .ci/postgres.sh)\"`)"
            );
            None
        }
    }
}

/// A database of its own on the test server, dropped when the test ends.
pub struct PgDb {
    pub url: String,
    admin: String,
    name: String,
}

impl PgDb {
    pub fn new(test: &str) -> Option<PgDb> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let admin = pg_server(test)?;
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("spets_test_{}_{n}", std::process::id());
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server");
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).expect("no old database");
        client.batch_execute(&format!("CREATE DATABASE {name}")).expect("a database");
        let url = with_database(&admin, &name);
        Some(PgDb { url, admin, name })
    }

    /// A client of this database, to look at it or change it by hand.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("the test database")
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `url` with its database (the last part of its path) replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base.rfind('/').expect("an address with a database");
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// [`dump`] of a database on the server: every row of every table, as JSON text.
pub fn pg_dump(url: &str) -> String {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("the test database");
    let tables: Vec<String> = c
        .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", &[])
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = String::new();
    for t in tables {
        out.push_str(&format!("## {t}\n"));
        let mut rows: Vec<String> = c
            .query(&format!("SELECT row_to_json(t)::text FROM \"{t}\" t"), &[])
            .expect("rows")
            .iter()
            .map(|r| r.get(0))
            .collect();
        rows.sort();
        out.push_str(&rows.join("\n"));
        out.push('\n');
    }
    out
}

/// A count by SQL of the database `db`, on either engine.
pub fn count(db: &Path, sql: &str) -> i64 {
    if let Some(url) = db.to_str().filter(|d| d.starts_with("postgres://")) {
        let mut c = postgres::Client::connect(url, postgres::NoTls).expect("the test database");
        return c.query_one(sql, &[]).expect("a count").get(0);
    }
    let conn = rusqlite::Connection::open(db).expect("open the database");
    conn.query_row(sql, [], |r| r.get(0)).expect("a count")
}
