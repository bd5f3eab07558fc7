//! The two engines behind one connection type. The store's queries are written once,
//! in the SQL both SQLite and PostgreSQL understand, with `?N` parameters; this module
//! runs them on either, binds parameters to the types the engine asks for and reads
//! columns back as the store's types. Nothing outside `store` sees it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use postgres::types::{IsNull, ToSql as PgToSql, Type, to_sql_checked};

/// An error of either engine, or a stored value that does not decode.
#[derive(Debug)]
pub enum DbError {
    Lite(rusqlite::Error),
    Pg(postgres::Error),
    /// A stored value spets does not write (the decoder's message).
    Unreadable(String),
    /// A query for one row found none.
    NoRows,
    /// A step of spets's own failed inside the engine's work (a migration's Rust step).
    Spets(Box<crate::error::Error>),
}

pub type Result<T, E = DbError> = std::result::Result<T, E>;

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Lite(e) => write!(f, "{e}"),
            DbError::Pg(e) => match e.as_db_error() {
                Some(db) => f.write_str(db.message()),
                None => write!(f, "{e}"),
            },
            DbError::Unreadable(why) => f.write_str(why),
            DbError::NoRows => f.write_str("no rows"),
            DbError::Spets(e) => write!(f, "{e}"),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        match e {
            rusqlite::Error::QueryReturnedNoRows => DbError::NoRows,
            e => DbError::Lite(e),
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        DbError::Pg(e)
    }
}

impl DbError {
    /// Whether a UNIQUE constraint refused the statement.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            DbError::Lite(rusqlite::Error::SqliteFailure(f, _)) => {
                f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            }
            DbError::Pg(e) => e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION),
            _ => false,
        }
    }
}

/// `.optional()` on a one-row query, as rusqlite has it.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A parameter's value, borrowed.
#[derive(Clone, Copy, Debug)]
pub enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// An owned value, for parameter lists built at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// What can be bound to a parameter.
pub trait ToParam {
    fn param(&self) -> Param<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ToParam for $t {
            fn param(&self) -> Param<'_> {
                Param::Int(*self as i64)
            }
        }
    )*};
}
int_param!(i64, i32, u32, u8, bool);

impl ToParam for str {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<const N: usize> ToParam for [u8; N] {
    fn param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn param(&self) -> Param<'_> {
        (**self).param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, |v| v.param())
    }
}
impl ToParam for Value {
    fn param(&self) -> Param<'_> {
        match self {
            Value::Null => Param::Null,
            Value::Integer(i) => Param::Int(*i),
            Value::Text(s) => Param::Text(s),
            Value::Blob(b) => Param::Blob(b),
        }
    }
}

/// A statement's parameters: `[a, b]`, `params![a, b, c]`, `params_from_iter(values)`.
pub trait Params {
    fn values(&self) -> Vec<Param<'_>>;
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: ToParam> Params for [T; $n] {
            fn values(&self) -> Vec<Param<'_>> {
                self.iter().map(|v| v.param()).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);

impl Params for [&dyn ToParam; 0] {
    fn values(&self) -> Vec<Param<'_>> {
        Vec::new()
    }
}
impl Params for &[&dyn ToParam] {
    fn values(&self) -> Vec<Param<'_>> {
        self.iter().map(|v| v.param()).collect()
    }
}

/// Parameters built at run time.
pub struct ParamsFromIter(Vec<Value>);

pub fn params_from_iter(values: impl IntoIterator<Item = Value>) -> ParamsFromIter {
    ParamsFromIter(values.into_iter().collect())
}

impl Params for ParamsFromIter {
    fn values(&self) -> Vec<Param<'_>> {
        self.0.iter().map(|v| v.param()).collect()
    }
}

macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::ToParam] };
    ($($x:expr),+ $(,)?) => { &[$(&$x as &dyn $crate::store::db::ToParam),+] as &[&dyn $crate::store::db::ToParam] };
}
pub(crate) use params;

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(i),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// A parameter goes to PostgreSQL as the type the server inferred for it: integers as
/// whichever integer (or boolean) the column is, texts as text.
impl PgToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                Type::NUMERIC => rust_decimal::Decimal::from(i).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Param::Text(s) => s.to_sql(&Type::TEXT, out),
            Param::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column's value as a store type.
pub trait FromColumn: Sized {
    fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self>;
    fn pg(row: &postgres::Row, i: usize) -> Result<Self>;
}

/// An integer column of PostgreSQL, whatever its width (a `sum` of BIGINT is NUMERIC,
/// a comparison is BOOLEAN), as SQLite gives every integer.
fn pg_int(row: &postgres::Row, i: usize) -> Result<Option<i64>> {
    let ty = row.columns()[i].type_().clone();
    Ok(match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?,
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map(i64::from),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map(i64::from),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map(i64::from),
        Type::NUMERIC => match row.try_get::<_, Option<rust_decimal::Decimal>>(i)? {
            None => None,
            Some(d) => Some(i64::try_from(d).map_err(|_| DbError::Unreadable(format!("{d} is not an integer")))?),
        },
        _ => row.try_get::<_, Option<i64>>(i)?,
    })
}

impl FromColumn for Option<i64> {
    fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        Ok(row.get(i)?)
    }
    fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
        pg_int(row, i)
    }
}

impl FromColumn for i64 {
    fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        Ok(row.get(i)?)
    }
    fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
        pg_int(row, i)?.ok_or_else(|| DbError::Unreadable(format!("column {i} is NULL")))
    }
}

impl FromColumn for bool {
    fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        Ok(row.get(i)?)
    }
    fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
        Ok(i64::pg(row, i)? != 0)
    }
}

macro_rules! plain_column {
    ($($t:ty),*) => {$(
        impl FromColumn for $t {
            fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
                Ok(row.try_get(i)?)
            }
        }
    )*};
}
plain_column!(String, Option<String>, Vec<u8>, Option<Vec<u8>>);

/// Any column as it is stored: what copying a database between engines reads.
impl FromColumn for Value {
    fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
        use rusqlite::types::ValueRef;
        Ok(match row.get_ref(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Integer(v),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
            ValueRef::Real(r) => return Err(DbError::Unreadable(format!("{r} is not a value spets writes"))),
        })
    }
    fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
        let ty = row.columns()[i].type_().clone();
        Ok(match ty {
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                row.try_get::<_, Option<String>>(i)?.map_or(Value::Null, Value::Text)
            }
            Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Value::Null, Value::Blob),
            _ => pg_int(row, i)?.map_or(Value::Null, Value::Integer),
        })
    }
}

macro_rules! narrow_column {
    ($($t:ty),*) => {$(
        impl FromColumn for $t {
            fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
                let v = i64::pg(row, i)?;
                <$t>::try_from(v).map_err(|_| DbError::Unreadable(format!("{v} is out of range")))
            }
        }
        impl FromColumn for Option<$t> {
            fn lite(row: &rusqlite::Row<'_>, i: usize) -> Result<Self> {
                Ok(row.get(i)?)
            }
            fn pg(row: &postgres::Row, i: usize) -> Result<Self> {
                pg_int(row, i)?
                    .map(|v| <$t>::try_from(v).map_err(|_| DbError::Unreadable(format!("{v} is out of range"))))
                    .transpose()
            }
        }
    )*};
}
narrow_column!(u32, i32);

/// One row of a result.
pub enum Row<'a> {
    Lite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromColumn>(&self, i: usize) -> Result<T> {
        match self {
            Row::Lite(r) => T::lite(r, i),
            Row::Pg(r) => T::pg(r, i),
        }
    }
}

/// A connection to either engine.
pub struct Connection {
    engine: Engine,
}

enum Engine {
    Lite(rusqlite::Connection),
    Pg(Box<Pg>),
}

pub struct Pg {
    /// Shared with the thread that sends a bulk of rows: see [`Pg::client`].
    client: Arc<Mutex<postgres::Client>>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// Rows appended and not sent yet, per table, in COPY's text format.
    pending: RefCell<Vec<(&'static Append, String)>>,
    /// The bulk being sent while the next one is gathered, if any.
    sending: RefCell<Option<std::thread::JoinHandle<Result<()>>>>,
}

/// A table rows are appended to in bulk: its columns, and the INSERT that SQLite runs
/// for one row (PostgreSQL gathers the rows and sends them with COPY).
pub struct Append {
    /// Tables are sent in the order of their ranks, so that every row comes after the
    /// rows it refers to (a project before its allocations).
    pub rank: u8,
    pub table: &'static str,
    pub columns: &'static str,
    pub insert: &'static str,
}

/// The tables rows are appended to in bulk: a statement that names none of them
/// neither reads nor changes those rows, and runs without sending them first (a new
/// organisation or name during an import does not cut its bulk short).
const APPENDED: &[&str] = &["projects", "allocations", "funding_lines", "partners", "audit"];

fn reads_appended(sql: &str) -> bool {
    APPENDED.iter().any(|t| sql.contains(t))
}

/// How many bytes of rows are gathered before they are sent.
const PENDING_LIMIT: usize = 4 << 20;

/// A value in COPY's text format: `\N` for NULL, backslash escapes, bytea as hex.
fn copy_text(out: &mut String, value: Param<'_>) {
    use std::fmt::Write as _;
    match value {
        Param::Null => out.push_str("\\N"),
        Param::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Param::Text(t) => {
            for c in t.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
        Param::Blob(b) => {
            out.push_str("\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

/// The thread sending rows panicked (or poisoned the client's lock): what reached the
/// server is unknown, so the transaction cannot go on, and the server rolls it back.
fn connection_lost() -> DbError {
    DbError::Spets(Box::new(crate::error::Error::failed(crate::tr!(
        "the database connection was lost; nothing was written",
        "förbindelsen med databasen bröts; inget skrevs"
    ))))
}

impl Pg {
    /// The client, once the bulk being sent (if any) is in: every statement waits for
    /// it, so statements and rows reach the server in the order they were made, and a
    /// refused bulk is the error of the next statement.
    fn client(&self) -> Result<MutexGuard<'_, postgres::Client>> {
        self.sent()?;
        self.client.lock().map_err(|_| connection_lost())
    }

    /// Waits for the bulk being sent, if any, and returns how it went.
    fn sent(&self) -> Result<()> {
        match self.sending.borrow_mut().take() {
            None => Ok(()),
            Some(sending) => sending.join().unwrap_or_else(|_| Err(connection_lost())),
        }
    }

    /// Sends the rows gathered so far, each table's with one COPY, and waits for them.
    fn flush(&self) -> Result<()> {
        self.send()?;
        self.sent()
    }

    /// Starts sending the rows gathered so far on a thread of its own, so that the
    /// server takes them in while the next rows are gathered (one bulk in flight at a
    /// time, after the one before it).
    fn send(&self) -> Result<()> {
        self.sent()?;
        let mut pending = std::mem::take(&mut *self.pending.borrow_mut());
        if pending.is_empty() {
            return Ok(());
        }
        pending.sort_by_key(|(append, _)| append.rank);
        let client = Arc::clone(&self.client);
        let sending = std::thread::spawn(move || {
            let mut client = client.lock().map_err(|_| connection_lost())?;
            for (append, rows) in pending {
                use std::io::Write as _;
                let mut copy = client.copy_in(&format!("COPY {} ({}) FROM STDIN", append.table, append.columns))?;
                copy.write_all(rows.as_bytes()).map_err(|e| DbError::Spets(Box::new(crate::error::Error::from(e))))?;
                copy.finish()?;
            }
            Ok(())
        });
        *self.sending.borrow_mut() = Some(sending);
        Ok(())
    }
}

/// Which engine a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Connection {
    pub fn sqlite(conn: rusqlite::Connection) -> Connection {
        // Room for every statement an import runs row by row, however many there are.
        conn.set_prepared_statement_cache_capacity(64);
        Connection { engine: Engine::Lite(conn) }
    }

    pub fn postgres(client: postgres::Client) -> Connection {
        Connection {
            engine: Engine::Pg(Box::new(Pg {
                client: Arc::new(Mutex::new(client)),
                statements: RefCell::new(HashMap::new()),
                pending: RefCell::new(Vec::new()),
                sending: RefCell::new(None),
            })),
        }
    }

    pub fn kind(&self) -> Kind {
        match self.engine {
            Engine::Lite(_) => Kind::Sqlite,
            Engine::Pg(_) => Kind::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, backup, functions).
    pub fn lite(&self) -> Option<&rusqlite::Connection> {
        match &self.engine {
            Engine::Lite(c) => Some(c),
            Engine::Pg(_) => None,
        }
    }

    pub fn lite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.engine {
            Engine::Lite(c) => Some(c),
            Engine::Pg(_) => None,
        }
    }

    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.engine {
            Engine::Lite(c) => Ok(c.execute_batch(sql)?),
            Engine::Pg(p) => {
                if sql == "ROLLBACK" {
                    p.pending.borrow_mut().clear();
                    // A refused bulk is rolled back with the rest.
                    let _ = p.sent();
                } else {
                    p.flush()?;
                }
                Ok(p.client()?.batch_execute(&pg_sql(sql))?)
            }
        }
    }

    /// Appends one row to `to`: at once in SQLite, in bulk in PostgreSQL, where the
    /// rows gathered are sent before the next statement of any kind, so every query
    /// sees them.
    pub fn append(&self, to: &'static Append, params: impl Params) -> Result<()> {
        let Engine::Pg(p) = &self.engine else {
            self.prepare_cached(to.insert)?.execute(params)?;
            return Ok(());
        };
        let full = {
            let mut pending = p.pending.borrow_mut();
            let at = match pending.iter().position(|(a, _)| std::ptr::eq(*a, to)) {
                Some(at) => at,
                None => {
                    pending.push((to, String::new()));
                    pending.len() - 1
                }
            };
            let rows = &mut pending[at].1;
            for (i, v) in params.values().into_iter().enumerate() {
                if i > 0 {
                    rows.push('\t');
                }
                copy_text(rows, v);
            }
            rows.push('\n');
            rows.len() > PENDING_LIMIT
        };
        if full { p.send() } else { Ok(()) }
    }

    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub fn query_row<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    pub fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        self.statement(sql, false)
    }

    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        self.statement(sql, true)
    }

    fn statement(&self, sql: &str, cached: bool) -> Result<Statement<'_>> {
        Ok(match &self.engine {
            Engine::Lite(c) if cached => Statement::LiteCached(c.prepare_cached(sql)?),
            Engine::Lite(c) => Statement::Lite(c.prepare(sql)?),
            Engine::Pg(p) => {
                if reads_appended(sql) {
                    p.flush()?;
                }
                let known = p.statements.borrow().get(sql).cloned();
                let stmt = match known {
                    Some(s) => s,
                    None => {
                        let s = p.client()?.prepare(&pg_sql(sql))?;
                        if cached {
                            p.statements.borrow_mut().insert(sql.to_string(), s.clone());
                        }
                        s
                    }
                };
                Statement::Pg(p, stmt, reads_appended(sql))
            }
        })
    }

    /// Begins a transaction that `behavior` describes.
    pub fn transaction(&self, behavior: Behavior) -> Result<Transaction<'_>> {
        let begin = match (self.kind(), behavior) {
            (Kind::Sqlite, Behavior::Read) => "BEGIN",
            (Kind::Sqlite, Behavior::Write) => "BEGIN IMMEDIATE",
            (Kind::Sqlite, Behavior::Exclusive) => "BEGIN EXCLUSIVE",
            (Kind::Postgres, Behavior::Read) => "BEGIN ISOLATION LEVEL REPEATABLE READ",
            (Kind::Postgres, _) => "BEGIN ISOLATION LEVEL READ COMMITTED",
        };
        self.execute_batch(begin)?;
        if self.kind() == Kind::Postgres && behavior != Behavior::Read {
            // One writer at a time, as SQLite's write lock: the server serialises the
            // changes, so the history stays one chain.
            self.execute_batch("SELECT pg_advisory_xact_lock(1397773396)")?;
        }
        Ok(Transaction { conn: self, open: true })
    }
}

/// What a transaction is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behavior {
    /// Reads at one moment.
    Read,
    /// Writes, holding the write lock from the start.
    Write,
    /// Writes with no reader either (SQLite's migrations).
    Exclusive,
}

/// An open transaction; dropped without [`Transaction::commit`], it rolls back.
pub struct Transaction<'a> {
    conn: &'a Connection,
    open: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("COMMIT")
    }

    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.conn.execute_batch("ROLLBACK")
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

/// A prepared statement.
pub enum Statement<'c> {
    Lite(rusqlite::Statement<'c>),
    LiteCached(rusqlite::CachedStatement<'c>),
    /// The statement, and whether it names a table rows are appended to in bulk (so
    /// that those rows are sent before it runs).
    Pg(&'c Pg, postgres::Statement, bool),
}

fn pg_params<'p>(values: &'p [Param<'p>]) -> Vec<&'p (dyn PgToSql + Sync)> {
    values.iter().map(|v| v as &(dyn PgToSql + Sync)).collect()
}

impl Statement<'_> {
    /// The names of the result's columns.
    pub fn column_names(&self) -> Vec<String> {
        match self {
            Statement::Lite(s) => s.column_names().map(|c| c.to_string()).collect(),
            Statement::LiteCached(s) => s.column_names().map(|c| c.to_string()).collect(),
            Statement::Pg(_, s, _) => s.columns().iter().map(|c| c.name().to_string()).collect(),
        }
    }

    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        let values = params.values();
        let sqlite = rusqlite::params_from_iter(values.iter());
        Ok(match self {
            Statement::Lite(s) => s.execute(sqlite)?,
            Statement::LiteCached(s) => s.execute(sqlite)?,
            Statement::Pg(p, s, reads_appended) => {
                if *reads_appended {
                    p.flush()?;
                }
                p.client()?.execute(s, &pg_params(&values))? as usize
            }
        })
    }

    /// The rows, read through `f` in full before this returns.
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let mut out = Vec::new();
        let mut rows = self.query(params)?;
        while let Some(row) = rows.next()? {
            let v = f(&row);
            let failed = v.is_err();
            out.push(v);
            if failed {
                break;
            }
        }
        Ok(out.into_iter())
    }

    pub fn query_row<T>(&mut self, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(DbError::NoRows),
        }
    }

    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        Ok(self.query(params)?.next()?.is_some())
    }

    pub fn query(&mut self, params: impl Params) -> Result<Rows<'_>> {
        let values = params.values();
        let sqlite = rusqlite::params_from_iter(values.iter());
        Ok(match self {
            Statement::Lite(s) => Rows::Lite(s.query(sqlite)?),
            Statement::LiteCached(s) => Rows::Lite(s.query(sqlite)?),
            Statement::Pg(p, s, reads_appended) => {
                if *reads_appended {
                    p.flush()?;
                }
                Rows::Pg(p.client()?.query(s, &pg_params(&values))?.into_iter(), None)
            }
        })
    }
}

/// The rows of a query, one at a time.
pub enum Rows<'s> {
    Lite(rusqlite::Rows<'s>),
    Pg(std::vec::IntoIter<postgres::Row>, Option<postgres::Row>),
}

impl Rows<'_> {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Lite(r) => Ok(r.next()?.map(Row::Lite)),
            Rows::Pg(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Pg))
            }
        }
    }
}

/// A query as PostgreSQL reads it: `$N` parameters for SQLite's `?N` (and `?`), and
/// SQLite's own words in their PostgreSQL form.
pub fn pg_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let (mut next, mut quoted) = (1, false);
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == '?' && !quoted {
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            if digits.is_empty() {
                digits = next.to_string();
                next += 1;
            }
            out.push('$');
            out.push_str(&digits);
        } else {
            out.push(c);
        }
    }
    // SQLite's words, each where only SQLite's meaning is possible: its index and
    // join-order hints, its temporary schema, its integer type (64-bit in SQLite,
    // 32-bit in PostgreSQL) and its table option.
    let words = [
        (" NOT INDEXED", ""),
        ("group_concat(", "string_agg("),
        (" CROSS JOIN ", " JOIN "),
        (" temp.", " pg_temp."),
        (" INTEGER", " BIGINT"),
        (" WITHOUT ROWID", ""),
    ];
    words.iter().fold(out, |sql, (sqlite, pg)| if sql.contains(sqlite) { sql.replace(sqlite, pg) } else { sql })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_and_sqlite_words_are_written_the_postgresql_way() {
        assert_eq!(pg_sql("SELECT ?1, ?2 WHERE a = '?' AND b = ?1"), "SELECT $1, $2 WHERE a = '?' AND b = $1");
        assert_eq!(pg_sql("x IN (?, ?, ?)"), "x IN ($1, $2, $3)");
        assert_eq!(
            pg_sql("SELECT group_concat(n, ' | ') FROM projects p NOT INDEXED"),
            "SELECT string_agg(n, ' | ') FROM projects p"
        );
        assert_eq!(
            pg_sql("CREATE TEMP TABLE t(a INTEGER PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.t"),
            "CREATE TEMP TABLE t(a BIGINT PRIMARY KEY); DELETE FROM pg_temp.t"
        );
        assert_eq!(pg_sql("FROM a CROSS JOIN b ON b.x = a.x"), "FROM a JOIN b ON b.x = a.x");
    }

    #[test]
    fn a_sqlite_connection_reads_what_it_writes() {
        let c = Connection::sqlite(rusqlite::Connection::open_in_memory().unwrap());
        c.execute_batch("CREATE TABLE t(a INTEGER, b TEXT, c BLOB)").unwrap();
        c.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![7i64, "x", vec![1u8, 2]]).unwrap();
        c.execute("INSERT INTO t VALUES (?1, ?2, ?3)", params![None::<i64>, None::<String>, None::<Vec<u8>>]).unwrap();
        let rows: Vec<(Option<i64>, Option<String>)> = c
            .prepare("SELECT a, b FROM t ORDER BY a")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(rows, vec![(None, None), (Some(7), Some("x".into()))]);
        assert!(matches!(c.query_row("SELECT a FROM t WHERE a = 9", [], |r| r.get::<i64>(0)), Err(DbError::NoRows)));
        assert_eq!(c.query_row("SELECT a FROM t WHERE a = 9", [], |r| r.get::<i64>(0)).optional().unwrap(), None);
        let tx = c.transaction(Behavior::Write).unwrap();
        tx.execute("DELETE FROM t", []).unwrap();
        drop(tx);
        assert_eq!(c.query_row("SELECT count(*) FROM t", [], |r| r.get::<i64>(0)).unwrap(), 2);
    }
}
