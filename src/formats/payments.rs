//! The payments CSV: one disbursement per record.

use super::{Cell, Layout, Problems, RowError, mark, non_blank};
use crate::domain::date::{iso, parse_date};
use crate::domain::money::Money;
use crate::domain::project::{Payment, PaymentKind, validate_ref};
use crate::formats::dialect::CsvDialect;

pub const COLUMNS: &[&str] = &["ref", "date", "amount", "kind", "funder", "note"];
const REQUIRED: &[&str] = &["ref", "date", "amount"];

pub fn layout(header: &[String]) -> Result<Layout, Vec<RowError>> {
    Layout::new(header, COLUMNS, REQUIRED)
}

/// A payment as a file gives it (its number is given when it is recorded).
pub fn parse(layout: &Layout, line: u64, cells: &[String]) -> Result<Payment, Vec<RowError>> {
    let mut p = Problems::new(line);
    let get = |c: &str| layout.get(cells, c);
    let reference = crate::domain::project::normal_ref(get("ref").unwrap_or_default());
    p.check("ref", &reference, validate_ref(&reference));
    let date_cell = get("date").unwrap_or_default();
    let date = p.check("date", date_cell, parse_date(date_cell));
    let amount_cell = get("amount").unwrap_or_default();
    let amount = p.check("amount", amount_cell, Money::parse(amount_cell).map_err(|e| e.to_string()));
    let kind = match non_blank(get("kind")) {
        Some(v) => p.check("kind", v, v.parse::<PaymentKind>()),
        None => Some(PaymentKind::Claim),
    };
    match (date, amount, kind) {
        (Some(date), Some(amount), Some(kind)) if p.errors.is_empty() => Ok(Payment {
            id: 0,
            reference,
            date,
            amount,
            kind,
            funder: non_blank(get("funder")).map(str::to_string),
            note: non_blank(get("note")).map(str::to_string),
        }),
        _ => Err(p.errors),
    }
}

pub fn export_row(p: &Payment, dialect: CsvDialect) -> Vec<Cell> {
    vec![
        Cell::text(&p.reference),
        Cell::Plain(iso(p.date)),
        Cell::Plain(p.amount.with_mark(mark(dialect))),
        Cell::Plain(p.kind.as_str().into()),
        Cell::opt(p.funder.clone()),
        Cell::opt(p.note.clone()),
    ]
}
