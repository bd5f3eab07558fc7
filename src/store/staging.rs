//! Staging for imports whose records must be seen together: funding lines (a project's
//! lines replace its whole plan, wherever they are in the file) and payments (matched
//! as a multiset so re-importing a file adds nothing). The staged rows live in a
//! temporary table inside the import's transaction, so memory does not grow with the
//! file.

use super::db::params;

use super::Change;
use super::decode::{self, At};
use crate::domain::date::to_int;
use crate::domain::money::Money;
use crate::domain::project::{Currency, Foreign, FunderKind, FundingLine, Payment, PaymentKind, Rate};
use crate::error::Result;

pub fn create(change: &Change<'_>) -> Result<()> {
    let conn = change.conn();
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS staged_funding(line INTEGER PRIMARY KEY, ref TEXT NOT NULL, funder TEXT NOT NULL, kind INTEGER NOT NULL, amount INTEGER NOT NULL, currency TEXT, original INTEGER, rate TEXT, rate_date INTEGER, in_kind INTEGER NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS staged_payments(line INTEGER PRIMARY KEY, ref TEXT NOT NULL, date INTEGER NOT NULL, amount INTEGER NOT NULL, kind INTEGER NOT NULL, funder TEXT, note TEXT);
         DELETE FROM temp.staged_funding; DELETE FROM temp.staged_payments;",
    )?;
    Ok(())
}

pub fn push_funding(change: &Change<'_>, line: u64, reference: &str, l: &FundingLine) -> Result<()> {
    let conn = change.conn();
    let f = l.foreign.as_ref();
    conn.prepare_cached("INSERT INTO temp.staged_funding VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?.execute(
        params![
            line as i64,
            reference,
            l.funder,
            l.kind.code(),
            l.amount.0,
            f.map(|f| f.currency.as_str()),
            f.map(|f| f.original.0),
            f.map(|f| f.rate.text()),
            f.and_then(|f| f.rate_date.map(to_int)),
            l.in_kind
        ],
    )?;
    Ok(())
}

/// Calls `each` with every staged project reference and its lines, in file order.
pub fn each_funding_group(
    change: &Change<'_>,
    mut each: impl FnMut(&str, Vec<(u64, FundingLine)>) -> Result<()>,
) -> Result<()> {
    let conn = change.conn();
    let mut stmt = conn.prepare("SELECT ref, line, funder, kind, amount, currency, original, rate, rate_date, in_kind FROM temp.staged_funding ORDER BY ref, line")?;
    let mut rows = stmt.query([])?;
    let mut current: Option<String> = None;
    let mut group: Vec<(u64, FundingLine)> = Vec::new();
    while let Some(r) = rows.next()? {
        let reference: String = r.get(0)?;
        if current.as_deref().is_some_and(|c| c != reference) {
            each(current.as_deref().unwrap_or_default(), std::mem::take(&mut group))?;
        }
        current = Some(reference);
        let kind: i64 = r.get(3)?;
        let currency: Option<String> = r.get(5)?;
        let rate: Option<String> = r.get(7)?;
        let rate_date: Option<i64> = r.get(8)?;
        let foreign = match (currency, r.get::<Option<i64>>(6)?, rate) {
            (Some(c), Some(o), Some(rate)) => Some(Foreign {
                currency: Currency::parse(&c).unwrap_or_else(|_| Currency::sek()),
                original: Money(o),
                rate: Rate::parse(&rate).map_err(crate::error::Error::failed)?,
                rate_date: decode::opt_date(At::new("temp.staged_funding", "rate_date", None), rate_date)?,
            }),
            _ => None,
        };
        let line: i64 = r.get(1)?;
        group.push((
            line as u64,
            FundingLine {
                funder: r.get(2)?,
                kind: decode::code(At::new("temp.staged_funding", "kind", Some(line)), kind, FunderKind::from_code)?,
                amount: Money(r.get(4)?),
                foreign,
                in_kind: r.get(9)?,
            },
        ));
    }
    if let Some(c) = current {
        each(&c, group)?;
    }
    Ok(())
}

pub fn push_payment(change: &Change<'_>, line: u64, p: &Payment) -> Result<()> {
    let conn = change.conn();
    conn.prepare_cached("INSERT INTO temp.staged_payments VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(params![
        line as i64,
        p.reference,
        to_int(p.date),
        p.amount.0,
        p.kind.code(),
        p.funder,
        p.note
    ])?;
    Ok(())
}

/// Calls `each` with the staged payments that are not recorded yet, in file order: the
/// n-th copy of a payment in the file is new when fewer than n identical payments are
/// recorded. Which are new is settled before any is recorded.
pub fn each_new_payment(change: &Change<'_>, mut each: impl FnMut(u64, Payment) -> Result<()>) -> Result<()> {
    let conn = change.conn();
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.new_payments;
         CREATE TEMP TABLE new_payments AS
         WITH staged AS (
           SELECT s.*, row_number() OVER (PARTITION BY s.ref, s.date, s.amount, s.kind, s.funder, s.note ORDER BY s.line) AS occurrence
           FROM temp.staged_payments s
         )
         SELECT line, ref, date, amount, kind, funder, note FROM staged
         WHERE occurrence > (SELECT count(*) FROM payments p WHERE p.project_ref = staged.ref AND p.date = staged.date
                             AND p.amount = staged.amount AND p.kind = staged.kind AND p.funder IS NOT DISTINCT FROM staged.funder
                             AND p.note IS NOT DISTINCT FROM staged.note AND p.end_rev IS NULL);",
    )?;
    let mut stmt =
        conn.prepare("SELECT line, ref, date, amount, kind, funder, note FROM temp.new_payments ORDER BY line")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let date: i64 = r.get(2)?;
        let kind: i64 = r.get(4)?;
        let line: i64 = r.get(0)?;
        let payment = Payment {
            id: 0,
            reference: r.get(1)?,
            date: decode::date(At::new("temp.new_payments", "date", Some(line)), date)?,
            amount: Money(r.get(3)?),
            kind: decode::code(At::new("temp.new_payments", "kind", Some(line)), kind, PaymentKind::from_code)?,
            funder: r.get(5)?,
            note: r.get(6)?,
        };
        each(line as u64, payment)?;
    }
    Ok(())
}

/// For each project the new payments are for, in file order of its last payment:
/// `(that line, reference, paid in all, granted)`.
/// Calls `each` with, per project the staged payments touch: the last line naming it,
/// the reference, that line's amount, what the project's paid total is with the file,
/// and its granted total.
pub fn each_paid_after(
    change: &Change<'_>,
    mut each: impl FnMut(u64, &str, i64, i64, i64) -> Result<()>,
) -> Result<()> {
    let conn = change.conn();
    let mut stmt = conn.prepare(
        "SELECT max(np.line), np.ref,
                (SELECT last.amount FROM temp.new_payments last WHERE last.ref = np.ref ORDER BY last.line DESC LIMIT 1),
                coalesce((SELECT sum(CASE p.kind WHEN 3 THEN -p.amount ELSE p.amount END) FROM payments p
                          WHERE p.project_ref = np.ref AND p.end_rev IS NULL), 0),
                coalesce((SELECT total FROM projects WHERE ref = np.ref AND end_rev IS NULL), 0)
         FROM temp.new_payments np GROUP BY np.ref ORDER BY max(np.line)",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let line: i64 = r.get(0)?;
        let reference: String = r.get(1)?;
        each(line as u64, &reference, r.get(2)?, r.get(3)?, r.get(4)?)?;
    }
    Ok(())
}

/// How many staged payments there are.
pub fn staged_payments(change: &Change<'_>) -> Result<i64> {
    let conn = change.conn();
    Ok(conn.query_row("SELECT count(*) FROM temp.staged_payments", [], |r| r.get(0))?)
}

/// Starts noting the references a file holds (to find those of its source it no longer
/// holds, however long the file).
pub fn create_seen(change: &Change<'_>) -> Result<()> {
    let conn = change.conn();
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS seen_refs(ref TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.seen_refs;",
    )?;
    Ok(())
}

pub fn push_seen(change: &Change<'_>, reference: &str) -> Result<()> {
    let conn = change.conn();
    conn.prepare_cached("INSERT INTO temp.seen_refs VALUES (?1) ON CONFLICT DO NOTHING")?.execute([reference])?;
    Ok(())
}

/// Starts noting the rows that name a parent (see [`push_with_parent`]).
pub fn create_with_parent(change: &Change<'_>) -> Result<()> {
    change.conn().execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS with_parent(ref TEXT PRIMARY KEY, line INTEGER NOT NULL, parent TEXT NOT NULL) WITHOUT ROWID;
         DELETE FROM temp.with_parent;",
    )?;
    Ok(())
}

/// Notes a row that names a parent (checked after the whole file, since the parent may
/// come later in it), in a temporary table, so that memory does not grow with the top-ups
/// of a file. A reference given twice keeps its last row, as its last version does.
pub fn push_with_parent(change: &Change<'_>, line: u64, reference: &str, parent: &str) -> Result<()> {
    change
        .conn()
        .prepare_cached(
            "INSERT INTO temp.with_parent VALUES (?1, ?2, ?3) ON CONFLICT (ref) DO UPDATE SET line = excluded.line, parent = excluded.parent",
        )?
        .execute(params![reference, line as i64, parent])?;
    Ok(())
}

/// The line and the parent of a row [`push_with_parent`] noted.
pub fn with_parent(change: &Change<'_>, reference: &str) -> Result<Option<(u64, String)>> {
    let conn = change.conn();
    let mut stmt = conn.prepare_cached("SELECT line, parent FROM temp.with_parent WHERE ref = ?1")?;
    let mut rows = stmt.query([reference])?;
    Ok(match rows.next()? {
        Some(r) => Some((r.get::<i64>(0)? as u64, r.get(1)?)),
        None => None,
    })
}

/// The current projects of `source` the file did not hold: how many, and the first
/// `limit` as (ref, title).
pub fn not_seen(change: &Change<'_>, source: &str, limit: usize) -> Result<(u64, Vec<(String, String)>)> {
    let conn = change.conn();
    let from = "FROM projects p WHERE p.end_rev IS NULL
         AND p.source_name_id = (SELECT id FROM names WHERE text = ?1)
         AND p.ref NOT IN (SELECT ref FROM temp.seen_refs)";
    let count: i64 = conn.query_row(&format!("SELECT count(*) {from}"), [source], |r| r.get(0))?;
    let mut stmt = conn.prepare(&format!("SELECT p.ref, p.title {from} ORDER BY p.ref LIMIT ?2"))?;
    let listed = stmt
        .query_map(params![source, limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<super::db::Result<_>>()?;
    Ok((count as u64, listed))
}
