//! Reports as tables for people: thousands grouped for the language, a totals row under
//! a rule, each row's share of the total with a small bar, and a layout that fits the
//! terminal. When the columns do not fit, the table first leaves out detail columns,
//! then shows amounts in a larger unit, and cuts long texts (never numbers) with "…".

use crate::report::Ratio;
use std::io::Write;

use comfy_table::{
    Attribute, Cell as TCell, CellAlignment, Color, ContentArrangement, LineStyle, Row, Table as CTable, TableStyle,
};

use super::{TableOptions, percent};
use crate::domain::lang::Lang;
use crate::domain::money::{Unit, group_decimal};
use crate::report::{Cell, ColumnKind, Layout, Report, Table};

/// Width of the share bar, in characters.
const BAR: usize = 6;
/// The narrowest a text column is cut to.
const MIN_TEXT: usize = 10;

const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

fn bar(bp: i64) -> String {
    let eighths = (bp.clamp(0, 10_000) as usize * BAR * 8).div_ceil(10_000);
    let full = eighths / 8;
    let part = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8];
    format!("{}{part}", "█".repeat(full))
}

/// A cell as table text in a unit and language.
pub fn cell_text(cell: &Cell, kind: ColumnKind, unit: Unit, lang: Lang) -> String {
    match cell {
        Cell::Text(t) => super::visible(t).into_owned(),
        Cell::Count(n) => group_decimal(i128::from(*n), 0, lang),
        Cell::Money(m) => m.display(unit, lang),
        Cell::Percent(Some(r)) if kind == ColumnKind::Share => {
            let width = percent(Ratio::bp(10_000), lang).chars().count();
            format!("{:>width$} {}", percent(*r, lang), bar(r.scaled(10_000)))
        }
        Cell::Percent(Some(r)) => percent(*r, lang),
        Cell::Percent(None) | Cell::Empty => String::new(),
        Cell::Number(n) => n.replace('.', &lang.decimal_mark().to_string()),
        Cell::Amounts(list) => {
            list.iter().map(|(c, m)| format!("{c} {}", m.display(Unit::Kr, lang))).collect::<Vec<_>>().join("; ")
        }
        Cell::Json(v) => super::visible(&v.to_string()).into_owned(),
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn cut(s: &str, w: usize) -> String {
    if width(s) <= w {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(w.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn numeric(kind: ColumnKind) -> bool {
    !matches!(kind, ColumnKind::Text)
}

/// The columns shown and the cut width of each text column, if the table fits.
struct Plan {
    unit: Unit,
    gap: usize,
    shown: Vec<usize>,
    widths: Vec<usize>,
}

fn texts(table: &Table, unit: Unit, lang: Lang) -> Vec<Vec<String>> {
    let mut lines = vec![table.columns.iter().map(|c| c.label.clone()).collect::<Vec<_>>()];
    for row in table.rows.iter().chain(table.totals.iter()) {
        lines.push(row.iter().zip(&table.columns).map(|(c, col)| cell_text(c, col.kind, unit, lang)).collect());
    }
    lines
}

fn plan(
    table: &Table,
    unit: Unit,
    gap: usize,
    drop_details: bool,
    cut: bool,
    lang: Lang,
    available: usize,
) -> Option<Plan> {
    let lines = texts(table, unit, lang);
    let shown: Vec<usize> = (0..table.columns.len())
        .filter(|i| !(table.columns[*i].machine || drop_details && table.columns[*i].detail))
        .collect();
    let natural: Vec<usize> = shown.iter().map(|&i| lines.iter().map(|l| width(&l[i])).max().unwrap_or(0)).collect();
    let fixed: usize =
        shown.iter().zip(&natural).filter(|(i, _)| numeric(table.columns[**i].kind)).map(|(_, w)| w).sum();
    let gaps = gap * shown.len().saturating_sub(1);
    let text_cols: Vec<usize> = (0..shown.len()).filter(|k| !numeric(table.columns[shown[*k]].kind)).collect();
    let shortest = |k: &usize| if cut { natural[*k].min(MIN_TEXT) } else { natural[*k] };
    let minimum: usize = text_cols.iter().map(shortest).sum();
    if fixed + gaps + minimum > available {
        return None;
    }
    // Share the room left between the text columns, up to what each needs.
    let mut widths = natural.clone();
    let mut room = available - fixed - gaps;
    for k in &text_cols {
        widths[*k] = shortest(k);
        room -= widths[*k];
    }
    let mut grew = true;
    while room > 0 && grew {
        grew = false;
        for k in &text_cols {
            if room > 0 && widths[*k] < natural[*k] {
                widths[*k] += 1;
                room -= 1;
                grew = true;
            }
        }
    }
    Some(Plan { unit, gap, shown, widths })
}

fn choose(table: &Table, opts: &TableOptions) -> Plan {
    let units: Vec<Unit> = opts.unit.map_or(Unit::ALL.to_vec(), |u| vec![u]);
    // Most precise unit first; within a unit, whole texts before cut ones, all columns
    // before leaving details out, wide gaps before narrow ones.
    let tries =
        [(2, false, false), (2, true, false), (1, false, false), (1, true, false), (2, true, true), (1, true, true)];
    for unit in &units {
        for (gap, drop_details, cut) in tries {
            if let Some(p) = plan(table, *unit, gap, drop_details, cut, opts.lang, opts.width) {
                return p;
            }
        }
    }
    // Nothing fits: the most compact form, wider than the terminal.
    let unit = *units.last().unwrap_or(&Unit::Mdkr);
    plan(table, unit, 1, true, true, opts.lang, usize::MAX / 4).unwrap_or(Plan {
        unit,
        gap: 1,
        shown: Vec::new(),
        widths: Vec::new(),
    })
}

fn styled(text: String, bold: bool, opts: &TableOptions) -> TCell {
    let cell = TCell::new(text);
    if bold && opts.color { cell.add_attribute(Attribute::Bold) } else { cell }
}

/// Renders rows under a header, with the totals row under a rule. Returns the unit used
/// and the labels of the columns left out to fit.
fn rows_table(table: &Table, opts: &TableOptions, out: &mut dyn Write) -> std::io::Result<(Unit, Vec<String>)> {
    if table.rows.is_empty() {
        writeln!(out, "{}", opts.lang.pick("(none)", "(inga)"))?;
        return Ok((opts.unit.unwrap_or(Unit::Kr), Vec::new()));
    }
    let plan = choose(table, opts);
    let left_out: Vec<String> = (0..table.columns.len())
        .filter(|i| table.columns[*i].detail && !plan.shown.contains(i))
        .map(|i| table.columns[i].label.clone())
        .collect();
    let mut t = CTable::new();
    t.load_style(STYLE).set_content_arrangement(ContentArrangement::Disabled);
    if opts.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    let header: Vec<TCell> = plan.shown.iter().map(|&i| styled(table.columns[i].label.clone(), true, opts)).collect();
    t.set_header(header);
    let make_row = |cells: &[Cell], bold: bool| {
        let mut row = Row::new();
        for (k, &i) in plan.shown.iter().enumerate() {
            let col = &table.columns[i];
            let text = cell_text(&cells[i], col.kind, plan.unit, opts.lang);
            let fitted = if col.wrap && table.totals.is_none() {
                wrap(&text, plan.widths[k]).join("\n")
            } else {
                cut(&text, plan.widths[k])
            };
            let mut c = styled(fitted, bold, opts);
            if col.kind == ColumnKind::Share && opts.color {
                c = c.fg(Color::Cyan);
            }
            row.add_cell(c);
        }
        row
    };
    for cells in &table.rows {
        t.add_row(make_row(cells, false));
    }
    if let Some(totals) = &table.totals {
        t.add_row(make_row(totals, true));
    }
    for (k, &i) in plan.shown.iter().enumerate() {
        if let Some(column) = t.column_mut(k) {
            // The style draws a one-character junction between columns; padding adds
            // the rest of the gap.
            column.set_padding((0, 0));
            if k + 1 < plan.shown.len() {
                column.set_padding((0, plan.gap as u16 - 1));
            }
            if numeric(table.columns[i].kind) && table.columns[i].kind != ColumnKind::Share {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
    }
    let mut lines: Vec<String> = t.lines().map(|l| l.trim_end().to_string()).collect();
    if table.totals.is_some() && lines.len() > 2 {
        let rule = lines[1].clone();
        let at = lines.len() - 1;
        lines.insert(at, rule);
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok((plan.unit, left_out))
}

/// Renders the first row as `label  value` lines.
fn record(table: &Table, opts: &TableOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let Some(row) = table.rows.first() else { return Ok(()) };
    let label_width = table.columns.iter().map(|c| width(&c.label)).max().unwrap_or(0);
    let values: Vec<String> =
        row.iter().zip(&table.columns).map(|(c, col)| cell_text(c, col.kind, Unit::Kr, opts.lang)).collect();
    // Amounts and percentages line up on the right; texts and counts start on the left.
    let aligned = |kind: ColumnKind| matches!(kind, ColumnKind::Money | ColumnKind::Percent);
    let value_width =
        values.iter().zip(&table.columns).filter(|(_, c)| aligned(c.kind)).map(|(v, _)| width(v)).max().unwrap_or(0);
    for (col, value) in table.columns.iter().zip(values) {
        let pad = label_width - width(&col.label);
        let label = if opts.color { format!("\u{1b}[1m{}\u{1b}[0m", col.label) } else { col.label.clone() };
        let line = if aligned(col.kind) {
            let suffix = if matches!(col.kind, ColumnKind::Money) { " kr" } else { "" };
            format!("{label}{}  {value:>value_width$}{suffix}", " ".repeat(pad))
        } else {
            format!("{label}{}  {value}", " ".repeat(pad))
        };
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn has_money(table: &Table) -> bool {
    table.columns.iter().any(|c| c.kind == ColumnKind::Money)
}

/// Renders a whole report: title, filters, headline, tables, notes and the moment.
pub fn render(report: &Report, opts: &TableOptions, out: &mut dyn Write) -> std::io::Result<()> {
    let lang = opts.lang;
    if opts.color {
        writeln!(out, "\u{1b}[1m{}\u{1b}[0m", super::visible(&report.title))?;
    } else {
        writeln!(out, "{}", super::visible(&report.title))?;
    }
    if !report.filters.is_empty() {
        writeln!(out, "{}", super::filters_line(&report.filters, opts.lang))?;
    }
    writeln!(out)?;
    if let Some(h) = &report.headline {
        for line in wrap(&super::visible(h), opts.width) {
            writeln!(out, "{line}")?;
        }
        writeln!(out)?;
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    match report.layout {
        Layout::Record => record(&report.main, opts, out)?,
        Layout::Rows => {
            let (unit, left) = rows_table(&report.main, opts, out)?;
            if has_money(&report.main) {
                units.push(unit);
            }
            left_out.extend(left);
        }
    }
    for section in &report.sections {
        writeln!(out)?;
        writeln!(out, "{}", section.title)?;
        let (unit, left) = rows_table(section, opts, out)?;
        if has_money(section) {
            units.push(unit);
        }
        left_out.extend(left);
    }
    writeln!(out)?;
    left_out.dedup();
    if !left_out.is_empty() {
        // Nothing is dropped without saying so, and how to see it.
        let note = format!(
            "{}: {}. {}",
            lang.pick("Left out to fit the terminal", "Utelämnat för att rymmas i terminalen"),
            left_out.join(", "),
            lang.pick(
                "A wider terminal, or --format csv, shows every column.",
                "En bredare terminal, eller --format csv, visar alla kolumner."
            )
        );
        for line in wrap(&note, opts.width) {
            writeln!(out, "{line}")?;
        }
    }
    for note in &report.notes {
        for line in wrap(&super::visible(note), opts.width) {
            writeln!(out, "{line}")?;
        }
    }
    units.dedup();
    if let [unit] = units.as_slice() {
        writeln!(out, "{} {}.", lang.pick("Amounts in", "Belopp i"), unit.label())?;
    } else if !units.is_empty() {
        let list: Vec<&str> = units.iter().map(|u| u.label()).collect();
        writeln!(out, "{} {}.", lang.pick("Amounts in", "Belopp i"), list.join(", "))?;
    }
    writeln!(out, "{}", as_of_line(report, lang))?;
    Ok(())
}

/// Breaks prose into lines of at most `width` characters at spaces; a word longer than
/// a line (a record's JSON) is broken where the line ends.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > max {
            words.extend(chars.chunks(max).map(|c| c.iter().collect::<String>()));
        } else {
            words.push(word.to_string());
        }
    }
    for word in &words {
        let word = word.as_str();
        if !line.is_empty() && width(&line) + 1 + width(word) > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// "As of change 12 (2026-11-01 08:00:00 UTC), head 0123456789ab." The head names the
/// history the figures come from, so a report can be checked against `audit verify`.
pub fn as_of_line(report: &Report, lang: Lang) -> String {
    match &report.as_of {
        Some(c) => {
            let at = c.at.replacen('T', " ", 1);
            let at = at.split('.').next().unwrap_or(&at);
            format!(
                "{} {} ({at} UTC), {} {}.",
                lang.pick("As of change", "Per ändring"),
                c.rev,
                lang.pick("head", "huvud"),
                c.short_head()
            )
        }
        None => lang.pick("No changes recorded yet.", "Inga ändringar registrerade ännu.").into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_in_eighths() {
        assert_eq!(bar(10_000), "██████");
        assert_eq!(bar(5_000), "███");
        assert_eq!(bar(625), "▍");
        assert_eq!(bar(0), "");
        assert_eq!(bar(1), "▏");
    }

    fn tiny() -> Report {
        use crate::report::{Column, Frame};
        let frame = Frame { lang: Lang::En, filters: vec![("area".into(), "skog".into())], as_of: None };
        let main = Table {
            key: "t".into(),
            title: String::new(),
            columns: vec![
                Column::new("name", "Name", ColumnKind::Text),
                Column::new("total", "Total", ColumnKind::Money),
                Column::new("share", "Share", ColumnKind::Share),
            ],
            rows: vec![
                vec![
                    Cell::text("Skoglig bioekonomi"),
                    Cell::money(123_456_789),
                    Cell::Percent(Some(crate::report::Ratio::bp(7500))),
                ],
                vec![Cell::text("Spel"), Cell::money(41_152_263), Cell::Percent(Some(crate::report::Ratio::bp(2500)))],
            ],
            totals: Some(vec![
                Cell::text("Total"),
                Cell::money(164_609_052),
                Cell::Percent(Some(crate::report::Ratio::bp(10_000))),
            ]),
        };
        frame.report("t", "Tiny".into(), main)
    }

    #[test]
    fn a_table_fits_its_width_by_unit_then_by_cutting_text() {
        let mut out = Vec::new();
        let opts = TableOptions { lang: Lang::En, unit: None, width: 50, color: false };
        render(&tiny(), &opts, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Tiny\narea: skog\n\n\
             Name                       Total  Share\n\
             ───────────────────────────────────────────────\n\
             Skoglig bioekonomi  1,234,567.89   75.0% ████▌\n\
             Spel                  411,522.63   25.0% █▌\n\
             ───────────────────────────────────────────────\n\
             Total               1,646,090.52  100.0% ██████\n\n\
             Amounts in kr.\nNo changes recorded yet.\n"
        );
        let mut out = Vec::new();
        let opts = TableOptions { lang: Lang::Sv, unit: None, width: 34, color: false };
        render(&tiny(), &opts, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Skoglig bi…  1 235   75,0 % ████▌\n"), "{text}");
        assert!(text.contains("Belopp i tkr.\n"), "{text}");
    }

    #[test]
    fn colour_only_when_asked() {
        let mut out = Vec::new();
        let opts = TableOptions { lang: Lang::En, unit: None, width: 80, color: true };
        render(&tiny(), &opts, &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("\u{1b}[1m"));
    }

    #[test]
    fn texts_are_cut_not_numbers() {
        assert_eq!(cut("Avancerad tillverkning", 10), "Avancerad…");
        assert_eq!(cut("skog", 10), "skog");
    }
}
