//! `spets info`: where the database is, its schema version, what it holds, and the
//! last change.

use super::Context;
use crate::error::Result;
use crate::report::{Cell, Column, ColumnKind, Frame, Layout, Table};
use crate::store::{Access, Snapshot};

pub fn run(ctx: &Context) -> Result<()> {
    let store = ctx.open(Access::Read)?;
    let lang = ctx.lang;
    let frame: Frame = ctx.frame(&store, Snapshot::CURRENT, Vec::new())?;
    let mut columns = vec![
        Column::new("database", lang.pick("Database", "Databas"), ColumnKind::Text),
        Column::new("schema_version", lang.pick("Schema version", "Schemaversion"), ColumnKind::Count),
        Column::new("region", lang.pick("Region", "Region"), ColumnKind::Text),
    ];
    let mut row = vec![
        Cell::text(store.location().to_string()),
        Cell::Count(store.schema_version()?),
        Cell::opt_text(store.region()?.map(|(k, n)| if n.is_empty() { k } else { n })),
    ];
    for (key, count) in store.counts()? {
        let label = match key {
            "areas" => lang.pick("Areas", "Områden"),
            "organisations" => lang.pick("Organisations", "Organisationer"),
            "projects" => lang.pick("Projects", "Projekt"),
            "funding_lines" => lang.pick("Funding lines", "Finansieringsrader"),
            "payments" => lang.pick("Payments", "Utbetalningar"),
            "indicators" => lang.pick("Indicators", "Indikatorer"),
            "programmes" => lang.pick("Programmes", "Program"),
            "changes" => lang.pick("Changes", "Ändringar"),
            _ => lang.pick("Audit entries", "Granskningsposter"),
        };
        columns.push(Column::new(key, label, ColumnKind::Count));
        row.push(Cell::Count(count));
    }
    let head = store.head()?;
    columns.push(Column::new("last_change", lang.pick("Last change", "Senaste ändring"), ColumnKind::Text));
    row.push(Cell::opt_text(head.map(|h| format!("{} {} ({}): {}", h.rev, h.at, h.user, h.command))));
    let main = Table { key: "info".into(), title: String::new(), columns, rows: vec![row], totals: None };
    let mut report = frame.report("info", "spets".into(), main);
    report.layout = Layout::Record;
    ctx.render(&report, None, false)
}
