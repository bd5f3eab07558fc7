//! The funding CSV: a project's financing plan line by line, for several funders of one
//! kind, in-kind contributions and lines in EUR or NOK with their rate and its date.
//! The lines given for a project replace its whole plan.

use super::{Cell, Layout, Problems, RowError, mark, non_blank, parse_flag};
use crate::domain::date::{iso, parse_date};
use crate::domain::money::Money;
use crate::domain::project::{Currency, FunderKind, FundingLine, Rate, validate_ref};
use crate::formats::dialect::CsvDialect;

pub const COLUMNS: &[&str] = &["ref", "funder", "kind", "amount", "currency", "rate", "rate_date", "in_kind"];
const REQUIRED: &[&str] = &["ref", "funder", "kind", "amount"];

pub fn layout(header: &[String]) -> Result<Layout, Vec<RowError>> {
    Layout::new(header, COLUMNS, REQUIRED)
}

/// One line of a funding file.
#[derive(Clone, Debug)]
pub struct FundingRow {
    pub line: u64,
    pub reference: String,
    pub funding: FundingLine,
}

pub fn parse(layout: &Layout, line: u64, cells: &[String]) -> Result<FundingRow, Vec<RowError>> {
    let mut p = Problems::new(line);
    let get = |c: &str| layout.get(cells, c);
    let reference = crate::domain::project::normal_ref(get("ref").unwrap_or_default());
    p.check("ref", &reference, validate_ref(&reference));
    let funder = get("funder").unwrap_or_default().trim().to_string();
    if funder.is_empty() {
        p.add("funder", "", crate::tr!("a funder is required", "en finansiär krävs"));
    }
    let kind_cell = get("kind").unwrap_or_default();
    let kind = p.check("kind", kind_cell, kind_cell.parse::<FunderKind>());
    let amount_cell = get("amount").unwrap_or_default();
    let amount = p.check("amount", amount_cell, Money::parse(amount_cell).map_err(|e| e.to_string()));
    let currency = match non_blank(get("currency")) {
        Some(v) => p.check("currency", v, Currency::parse(v)),
        None => Some(Currency::sek()),
    };
    let rate = non_blank(get("rate")).and_then(|v| p.check("rate", v, Rate::parse(v)));
    let rate_date = non_blank(get("rate_date")).and_then(|v| p.check("rate_date", v, parse_date(v)));
    let in_kind_cell = get("in_kind").unwrap_or_default();
    let in_kind = p.check("in_kind", in_kind_cell, parse_flag(in_kind_cell)).unwrap_or(false);
    if currency.as_ref().is_some_and(Currency::is_sek) && (rate.is_some() || rate_date.is_some()) {
        p.add(
            "rate",
            get("rate").unwrap_or_default(),
            crate::tr!("a line in SEK has no rate", "en rad i SEK har ingen kurs"),
        );
    }
    if let (Some(kind), Some(amount), Some(currency)) = (kind, amount, currency)
        && p.errors.is_empty()
    {
        match FundingLine::new(funder, kind, amount, currency, rate, rate_date, in_kind) {
            Ok(funding) => return Ok(FundingRow { line, reference, funding }),
            Err(e) => p.add("rate", get("rate").unwrap_or_default(), e),
        }
    }
    Err(p.errors)
}

/// The cells of one funding line, in [`COLUMNS`] order: the amount in its own currency.
pub fn export_row(reference: &str, l: &FundingLine, dialect: CsvDialect) -> Vec<Cell> {
    let m = mark(dialect);
    let f = l.foreign.as_ref();
    vec![
        Cell::text(reference),
        Cell::text(&l.funder),
        Cell::Plain(l.kind.as_str().into()),
        Cell::Plain(f.map_or(l.amount, |f| f.original).with_mark(m)),
        Cell::Plain(f.map(|f| f.currency.as_str().to_string()).unwrap_or_default()),
        Cell::Plain(f.map(|f| f.rate.text().replace('.', &m.to_string())).unwrap_or_default()),
        Cell::Plain(f.and_then(|f| f.rate_date.map(iso)).unwrap_or_default()),
        Cell::Plain(if l.in_kind { "yes".into() } else { String::new() }),
    ]
}
