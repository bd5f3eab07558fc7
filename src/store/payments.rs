//! Payments in the store. A payment is recorded once and may be removed (a correction),
//! never edited; a recovery is a payment of kind `recovery` that reduces what was paid.

use super::db::{Connection, OptionalExtension, Row, params};

use super::audit::{Action, Canon, Digest, Entity, Entry};
use super::decode::{self, At};
use super::{Change, Snapshot};
use crate::domain::date::to_int;
use crate::domain::money::Money;
use crate::domain::project::{Payment, PaymentKind};
use crate::error::{Error, Result};

const COLUMNS: &str = "pay.id, pay.project_ref, pay.date, pay.amount, pay.kind, pay.funder, pay.note";

fn from_row(r: &Row<'_>) -> super::db::Result<Payment> {
    let id: i64 = r.get(0)?;
    let at = |column| At::new("payments", column, Some(id));
    Ok(Payment {
        id,
        reference: r.get(1)?,
        date: decode::date(at("date"), r.get(2)?)?,
        amount: Money(r.get(3)?),
        kind: decode::code(at("kind"), r.get(4)?, PaymentKind::from_code)?,
        funder: r.get(5)?,
        note: r.get(6)?,
    })
}

/// The digest of a payment's canonical content.
pub(crate) fn digest(p: &Payment) -> Digest {
    let mut c = Canon::new("payment");
    c.int(p.id).text(&p.reference).int(to_int(p.date)).int(p.amount.0).int(p.kind.code());
    c.opt_text(p.funder.as_deref()).opt_text(p.note.as_deref());
    c.digest()
}

/// Payments a snapshot sees, of one project or all, by date and number.
pub fn list(conn: &Connection, reference: Option<&str>, snapshot: Snapshot) -> Result<Vec<Payment>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM payments pay WHERE {} AND (CAST(?1 AS TEXT) IS NULL OR pay.project_ref = ?1) ORDER BY pay.project_ref, pay.date, pay.id",
        snapshot.live("pay")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([reference], from_row)?;
    Ok(rows.collect::<super::db::Result<_>>()?)
}

/// Calls `each` with every current payment, by project reference, date and number.
pub fn each(conn: &Connection, mut each: impl FnMut(&Payment) -> Result<()>) -> Result<()> {
    let sql = format!(
        "SELECT {COLUMNS} FROM payments pay WHERE pay.end_rev IS NULL ORDER BY pay.project_ref, pay.date, pay.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        each(&from_row(&row)?)?;
    }
    Ok(())
}

/// What has been paid on a project: payments less recoveries, in öre.
pub fn paid(conn: &Connection, reference: &str, snapshot: Snapshot) -> Result<i64> {
    let sql = format!(
        "SELECT coalesce(sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END), 0) FROM payments pay WHERE pay.project_ref = ?1 AND {}",
        snapshot.live("pay")
    );
    Ok(conn.prepare_cached(&sql)?.query_row([reference], |r| r.get(0))?)
}

/// Records a payment; its number is given here.
pub fn add(change: &Change<'_>, p: &Payment) -> Result<Payment> {
    let id: i64 = change
        .conn()
        .prepare_cached("INSERT INTO payments(rev, project_ref, date, amount, kind, funder, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id")?
        .query_row(params![change.rev, p.reference, to_int(p.date), p.amount.0, p.kind.code(), p.funder, p.note], |r| r.get(0))?;
    let recorded = Payment { id, ..p.clone() };
    let key = recorded.id.to_string();
    change.record(Entry {
        entity: Entity::Payment,
        key: &key,
        action: Action::Add,
        before: None,
        after: Some((recorded.id, digest(&recorded))),
    })?;
    Ok(recorded)
}

/// The current payment with this number.
pub fn get(conn: &Connection, id: i64) -> Result<Option<Payment>> {
    let sql = format!("SELECT {COLUMNS} FROM payments pay WHERE pay.id = ?1 AND pay.end_rev IS NULL");
    Ok(conn.query_row(&sql, [id], from_row).optional()?)
}

/// The payment row `id`, whatever its snapshot.
pub(crate) fn version(conn: &Connection, id: i64) -> Result<Option<Payment>> {
    let sql = format!("SELECT {COLUMNS} FROM payments pay WHERE pay.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], from_row).optional()?)
}

/// Removes a payment (a correction of a mistaken entry).
pub fn remove(change: &Change<'_>, id: i64) -> Result<Payment> {
    let p = get(change.conn(), id)?
        .ok_or_else(|| Error::failed(crate::tr!("no payment number {id}", "ingen utbetalning nummer {id}")))?;
    change.conn().execute("UPDATE payments SET end_rev = ?1 WHERE id = ?2", params![change.rev, id])?;
    let key = id.to_string();
    change.record(Entry {
        entity: Entity::Payment,
        key: &key,
        action: Action::Remove,
        before: Some((id, digest(&p))),
        after: None,
    })?;
    Ok(p)
}

/// Removes every current payment of a project (when the project is removed).
pub fn remove_all(change: &Change<'_>, reference: &str) -> Result<usize> {
    let payments = list(change.conn(), Some(reference), Snapshot::CURRENT)?;
    for p in &payments {
        remove(change, p.id)?;
    }
    Ok(payments.len())
}
