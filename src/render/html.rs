//! The published report (`spets report html`): one self-contained page — no address
//! outside it, no script — with the headline, each breakdown as an inline SVG chart
//! beside its exact table, Swedish number formats in Swedish, a layout for phones and a
//! print stylesheet for A4, and a closing block saying how to reproduce and check it.
//! Every table cell carries its exact value (`data-value`, as the JSON report has it),
//! so a test can check each figure on the page. Charts are drawn from the report
//! values' own figures: the renderer scales them to pixels and computes none.

use std::fmt::Write as _;

use super::json::cell_value;
use super::table::{as_of_line, cell_text};
use crate::domain::lang::Lang;
use crate::domain::money::Unit;
use crate::report::{Cell, ColumnKind, Report, Table};

/// Text for HTML: `&`, `<`, `>` and quotes escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { --eu: #1f5fa8; --public: #3f9c6d; --private: #e0a030; --other: #9a6fb0; --ink: #1b1b1b; --rule: #d0d0d0; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
.headline { font-size: 1.9rem; font-weight: 700; line-height: 1.25; margin: 1rem 0 1.5rem; }
.filters { color: #555; }
section { margin: 2rem 0; break-inside: avoid; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; }
figure { margin: 0.5rem 0 1rem; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
.legend { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; font-size: 0.9rem; margin: 0.3rem 0; padding: 0; list-style: none; }
.legend span { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--rule); text-align: left; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
footer { border-top: 2px solid var(--ink); margin-top: 2rem; padding-top: 0.5rem; font-size: 0.9rem; }
code { font-size: 0.85em; word-break: break-all; }
@media (max-width: 40rem) { .headline { font-size: 1.4rem; } th, td { padding: 0.2rem 0.3rem; } }
@page { size: A4; margin: 15mm; }
@media print { body { font-size: 10pt; } main { max-width: none; padding: 0; } .scroll { overflow: visible; } section { break-inside: avoid; } th, td { white-space: normal; } }
";

/// The colours of the report columns a bar is split into.
const PARTS: [(&str, &str, &str); 4] = [
    ("eu", "EU", "EU"),
    ("public", "Other public", "Övrigt offentligt"),
    ("private", "Private", "Privat"),
    ("other", "Other", "Övrigt"),
];

fn column(table: &Table, key: &str) -> Option<usize> {
    table.columns.iter().position(|c| c.key == key)
}

fn money(cell: Option<&Cell>) -> i64 {
    match cell {
        Some(Cell::Money(m)) => m.0,
        _ => 0,
    }
}

fn text(cell: Option<&Cell>) -> String {
    match cell {
        Some(Cell::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

/// One chart of a report, as an SVG element: areas and municipalities as bars (areas
/// split by funder kind), funders as bars coloured by kind, years as columns. `None`
/// for a report without one.
pub fn chart(report: &Report, lang: Lang) -> Option<String> {
    let t = &report.main;
    let label_key = match report.name.as_str() {
        "areas" => "name",
        "municipalities" => "municipality",
        "funders" => "funder",
        "years" => "year",
        _ => return None,
    };
    let label = column(t, label_key)?;
    let total_key = if report.name == "funders" { "amount" } else { "total" };
    let total = column(t, total_key)?;
    let rows: Vec<&Vec<Cell>> = t.rows.iter().filter(|r| money(r.get(total)) > 0 || report.name != "funders").collect();
    let max = rows.iter().map(|r| money(r.get(total))).max().unwrap_or(0).max(1);
    let title = esc(&report.title);
    let desc = esc(&format!(
        "{} {}",
        report.title,
        lang.pick("— the exact figures are in the table below.", "— de exakta beloppen står i tabellen nedanför.")
    ));
    let id = esc(&report.name);
    let mut svg = String::new();
    let amount = |v: i64| {
        esc(&format!("{} {}", cell_text(&Cell::money(v), ColumnKind::Money, Unit::Mnkr, lang), Unit::Mnkr.label()))
    };
    if report.name == "years" {
        // Columns: the year's total, its EU part drawn in front from the bottom.
        let eu = column(t, "eu");
        let (w, h, base) = (720, 300, 260);
        let step = w / rows.len().max(1) as i64;
        let _ = write!(
            svg,
            "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc>"
        );
        for (i, r) in rows.iter().enumerate() {
            let (x, bw) = (i as i64 * step + step * 15 / 100, step * 70 / 100);
            let full = scale(money(r.get(total)), max, 230);
            let part = eu.map_or(0, |e| scale(money(r.get(e)), max, 230));
            let _ = write!(
                svg,
                "<rect x=\"{x}\" y=\"{}\" width=\"{bw}\" height=\"{full}\" fill=\"var(--public)\"><title>{}: {}</title></rect>\
                 <rect x=\"{x}\" y=\"{}\" width=\"{bw}\" height=\"{part}\" fill=\"var(--eu)\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                base - full,
                esc(&text(r.get(label))),
                amount(money(r.get(total))),
                base - part,
                x + bw / 2,
                base + 16,
                esc(&text(r.get(label)))
            );
        }
        svg.push_str("</svg>");
        return Some(svg);
    }
    // Bars: one row each, the label above the bar.
    let row_h = 34;
    let (w, h) = (720, row_h * rows.len() as i64 + 8);
    let _ = write!(
        svg,
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\"><title id=\"{id}-t\">{title}</title><desc id=\"{id}-d\">{desc}</desc>"
    );
    let kind = column(t, "kind");
    for (i, r) in rows.iter().enumerate() {
        let y = i as i64 * row_h;
        let _ = write!(svg, "<text x=\"0\" y=\"{}\">{}</text>", y + 12, esc(&text(r.get(label))));
        let mut x = 0;
        let parts: Vec<(&str, i64)> = if report.name == "areas" {
            PARTS.iter().filter_map(|(k, _, _)| column(t, k).map(|c| (*k, money(r.get(c))))).collect()
        } else {
            let colour = match kind.map(|k| text(r.get(k))).as_deref() {
                Some("EU") => "eu",
                Some(k) if k.contains("rivat") => "private",
                Some(k) if k.contains("ther") || k.contains("vrig") => "other",
                _ => "public",
            };
            vec![(colour, money(r.get(total)))]
        };
        for (part, v) in parts {
            let bw = scale(v, max, w - 120);
            let _ =
                write!(svg, "<rect x=\"{x}\" y=\"{}\" width=\"{bw}\" height=\"14\" fill=\"var(--{part})\"/>", y + 16);
            x += bw;
        }
        let _ = write!(svg, "<text x=\"{}\" y=\"{}\">{}</text>", x + 6, y + 27, amount(money(r.get(total))));
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// `value` of `max` as whole units of a `span` units long (rounded down): amounts stay
/// integers on their way to pixels.
fn scale(value: i64, max: i64, span: i64) -> i64 {
    (i128::from(value.max(0)) * i128::from(span) / i128::from(max.max(1))) as i64
}

/// A table with each cell's exact value in `data-value`.
fn table_html(report: &str, table: &Table, lang: Lang) -> String {
    let mut h = String::new();
    let _ = write!(h, "<div class=\"scroll\"><table data-report=\"{}\">", esc(report));
    if !table.title.is_empty() {
        let _ = write!(h, "<caption>{}</caption>", esc(&table.title));
    }
    h.push_str("<thead><tr>");
    for c in &table.columns {
        let class = if is_number(c.kind) { " class=\"n\"" } else { "" };
        let _ = write!(h, "<th scope=\"col\" data-col=\"{}\"{class}>{}</th>", esc(&c.key), esc(&c.label));
    }
    h.push_str("</tr></thead><tbody>");
    let row_html = |cells: &[Cell]| {
        let mut r = String::from("<tr>");
        for (cell, c) in cells.iter().zip(&table.columns) {
            let value = match cell_value(cell) {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            let shown = match (cell, c.kind) {
                (Cell::Percent(Some(ratio)), _) => super::percent(*ratio, lang),
                (_, kind) => cell_text(cell, kind, Unit::Kr, lang),
            };
            let class = if is_number(c.kind) { " class=\"n\"" } else { "" };
            let _ = write!(
                r,
                "<td data-col=\"{}\" data-value=\"{}\"{class}>{}</td>",
                esc(&c.key),
                esc(&value),
                esc(&shown)
            );
        }
        r.push_str("</tr>");
        r
    };
    for cells in &table.rows {
        h.push_str(&row_html(cells));
    }
    h.push_str("</tbody>");
    if let Some(totals) = &table.totals {
        let _ = write!(h, "<tfoot>{}</tfoot>", row_html(totals));
    }
    h.push_str("</table></div>");
    h
}

fn is_number(kind: ColumnKind) -> bool {
    !matches!(kind, ColumnKind::Text)
}

/// The whole page: the headline of the first report, then each report with its chart
/// and table, then the moment, the head and the commands that print the same figures.
pub fn page(reports: &[(&str, Report)], lang: Lang, title: &str, again: &str) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><style>{STYLE}</style></head><body><main>",
        lang.pick("en", "sv"),
        esc(title)
    );
    let first = reports.first().map(|(_, r)| r);
    let _ = write!(h, "<header><h1>{}</h1>", esc(title));
    if let Some(r) = first {
        if let Some(headline) = &r.headline {
            let _ = write!(h, "<p class=\"headline\">{}</p>", esc(headline));
        }
        if !r.filters.is_empty() {
            let line = super::filters_line(&r.filters, lang);
            let _ = write!(h, "<p class=\"filters\">{}: {}</p>", lang.pick("Filters", "Urval"), esc(&line));
        }
    }
    h.push_str("</header>");
    for (name, report) in reports {
        let _ = write!(h, "<section id=\"{}\"><h2>{}</h2>", esc(name), esc(&report.title));
        if let Some(svg) = chart(report, lang) {
            h.push_str("<figure>");
            h.push_str(&svg);
            if report.name == "areas" || report.name == "years" || report.name == "funders" {
                h.push_str("<ul class=\"legend\">");
                let parts: &[(&str, &str, &str)] =
                    if report.name == "years" { &[("eu", "EU", "EU"), ("public", "Total", "Totalt")] } else { &PARTS };
                for (k, en, sv) in parts {
                    let _ = write!(h, "<li><span style=\"background: var(--{k})\"></span>{}</li>", lang.pick(en, sv));
                }
                h.push_str("</ul>");
            }
            h.push_str("</figure>");
        }
        h.push_str(&table_html(name, &report.main, lang));
        for note in &report.notes {
            let _ = write!(h, "<p>{}</p>", esc(note));
        }
        h.push_str("</section>");
    }
    h.push_str("<footer>");
    if let Some(r) = first {
        let _ = write!(h, "<p>{}</p>", esc(&as_of_line(r, lang)));
        if let Some(head) = r.as_of.as_ref().and_then(|c| c.head.as_ref()) {
            let _ = write!(
                h,
                "<p>{} <code id=\"head\">{head}</code></p><p>{} <code>spets audit verify --expect-head {head}</code></p>",
                lang.pick("Head of the history:", "Historikens huvud:"),
                lang.pick("Check that the history holds it:", "Kontrollera att historiken har det:")
            );
        }
    }
    let _ = write!(h, "<p>{}</p><ul>", lang.pick("The same figures, printed again:", "Samma belopp, utskrivna igen:"));
    for (name, _) in reports {
        let _ = write!(h, "<li><code>spets report {}{}</code></li>", esc(name), esc(again));
    }
    h.push_str("</ul></footer></main></body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_scale_to_pixels_in_integers() {
        assert_eq!(scale(15_413_250_977, 24_248_675_268, 600), 381);
        assert_eq!(scale(i64::MAX / 2, i64::MAX / 2, 600), 600);
        assert_eq!(scale(0, 0, 600), 0, "an empty chart does not divide by zero");
        assert_eq!(scale(-5, 10, 600), 0);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
