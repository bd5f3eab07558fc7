//! The organisations CSV: name, organisationsnummer and kind, so partners keep their kind
//! and number across an export and import.

use super::{Cell, Layout, Problems, RowError, non_blank};
use crate::domain::org::{Org, OrgKind, OrgNo, validate_name};

pub const COLUMNS: &[&str] = &["name", "org_no", "kind"];
const REQUIRED: &[&str] = &["name"];

pub fn layout(header: &[String]) -> Result<Layout, Vec<RowError>> {
    Layout::new(header, COLUMNS, REQUIRED)
}

/// An organisation as a file gives it: `None` for a column the file lacks.
#[derive(Clone, Debug)]
pub struct OrgRow {
    pub line: u64,
    pub name: String,
    pub org_no: Option<Option<OrgNo>>,
    pub kind: Option<OrgKind>,
}

pub fn parse(layout: &Layout, line: u64, cells: &[String]) -> Result<OrgRow, Vec<RowError>> {
    let mut p = Problems::new(line);
    let name = layout.get(cells, "name").unwrap_or_default().trim().to_string();
    p.check("name", &name, validate_name(&name));
    let org_no =
        layout.get(cells, "org_no").map(|v| non_blank(Some(v)).and_then(|v| p.check("org_no", v, OrgNo::parse(v))));
    let kind = match layout.get(cells, "kind").map(str::trim) {
        None => None,
        // Blank: no kind given (a new organisation's is then not recorded).
        Some("") => None,
        Some(v) => p.check("kind", v, v.parse()),
    };
    if p.errors.is_empty() { Ok(OrgRow { line, name, org_no, kind }) } else { Err(p.errors) }
}

pub fn export_row(o: &Org) -> Vec<Cell> {
    vec![
        Cell::text(&o.name),
        Cell::Plain(o.org_no.as_ref().map(|n| n.to_string()).unwrap_or_default()),
        Cell::Plain(if o.kind == OrgKind::NotRecorded { String::new() } else { o.kind.as_str().into() }),
    ]
}
