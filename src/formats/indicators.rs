//! The indicators CSV: one project's target (and outcome, once known) for one code.

use super::{Cell, Layout, Problems, RowError, mark, non_blank};
use crate::domain::indicator::{normal_code, validate_code};
use crate::domain::project::{Indicator, parse_quantity, validate_ref};
use crate::formats::dialect::CsvDialect;

pub const COLUMNS: &[&str] = &["ref", "code", "target", "outcome", "unit", "name"];
const REQUIRED: &[&str] = &["ref", "code", "target"];

pub fn layout(header: &[String]) -> Result<Layout, Vec<RowError>> {
    Layout::new(header, COLUMNS, REQUIRED)
}

/// An indicator as a file gives it; whether its code and unit are known is for the
/// catalogue to say.
pub fn parse(layout: &Layout, line: u64, cells: &[String]) -> Result<Indicator, Vec<RowError>> {
    let mut p = Problems::new(line);
    let get = |c: &str| layout.get(cells, c);
    let reference = crate::domain::project::normal_ref(get("ref").unwrap_or_default());
    p.check("ref", &reference, validate_ref(&reference));
    let code = normal_code(get("code").unwrap_or_default());
    p.check("code", &code, validate_code(&code));
    let target_cell = get("target").unwrap_or_default();
    let target = p.check("target", target_cell, parse_quantity(target_cell));
    let outcome = match non_blank(get("outcome")) {
        Some(v) => p.check("outcome", v, parse_quantity(v)).map(Some),
        None => Some(None),
    };
    match (target, outcome) {
        (Some(target), Some(outcome)) if p.errors.is_empty() => Ok(Indicator {
            reference,
            code,
            name: non_blank(get("name")).map(str::to_string),
            unit: non_blank(get("unit")).map(str::to_string),
            target,
            outcome,
        }),
        _ => Err(p.errors),
    }
}

pub fn export_row(i: &Indicator, dialect: CsvDialect) -> Vec<Cell> {
    let number = |d: rust_decimal::Decimal| d.to_string().replace('.', &mark(dialect).to_string());
    vec![
        Cell::text(&i.reference),
        Cell::Plain(i.code.clone()),
        Cell::Plain(number(i.target)),
        Cell::opt(i.outcome.map(number)),
        Cell::opt(i.unit.clone()),
        Cell::opt(i.name.clone()),
    ]
}
