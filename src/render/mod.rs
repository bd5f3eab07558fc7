//! Renderers: a report value to a table, CSV or JSON. Renderers format; they never
//! compute a figure (the report value holds every figure already).

pub mod csv;
pub mod html;
pub mod json;
pub mod table;
pub mod xlsx;

use crate::domain::lang::Lang;
use crate::domain::money::{Unit, group_decimal};
use crate::report::Ratio;

/// How a table is laid out.
#[derive(Clone, Copy, Debug)]
pub struct TableOptions {
    pub lang: Lang,
    /// `None` picks the most precise unit that fits the width.
    pub unit: Option<Unit>,
    pub width: usize,
    pub color: bool,
}

/// A report's filters for people: `område: skog · status: beviljat` (JSON keeps the
/// keys, which name the flags).
pub fn filters_line(filters: &[(String, String)], lang: Lang) -> String {
    const SWEDISH: &[(&str, &str)] = &[
        ("area", "område"),
        ("kind", "slag"),
        ("fund", "fond"),
        ("funder", "finansiär"),
        ("programme", "program"),
        ("source", "källa"),
        ("municipality", "kommun"),
        ("org", "organisation"),
        ("from", "från"),
        ("to", "till"),
        ("basis", "grund"),
        ("ref", "dnr"),
        ("since", "sedan"),
        ("user", "användare"),
        ("strategy", "strategi"),
        ("by", "per"),
    ];
    let name = |k: &str| match lang {
        Lang::Sv => SWEDISH.iter().find(|(en, _)| *en == k).map_or(k.to_string(), |(_, sv)| sv.to_string()),
        Lang::En => k.to_string(),
    };
    filters.iter().map(|(k, v)| format!("{}: {}", name(k), visible(v))).collect::<Vec<_>>().join(" · ")
}

/// A percentage for a table: one decimal (`30,2 %`, `30.2%`).
pub fn percent(ratio: Ratio, lang: Lang) -> String {
    let number = group_decimal(i128::from(ratio.scaled(1_000)), 1, lang);
    match lang {
        Lang::Sv => format!("{number} %"),
        Lang::En => format!("{number}%"),
    }
}

/// A percentage in basis points for CSV or JSON: exact, two decimals (`30.21`).
pub fn percent_exact(bp: i64, mark: char) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    format!("{sign}{}{mark}{:02}", abs / 100, abs % 100)
}

/// Text as a terminal should show it. Stored text is kept verbatim, control characters
/// included; shown in a table or a message, tabs and line breaks become spaces and
/// other control characters their visible symbols (U+2400 block), so a title cannot
/// move the cursor, change colours or forge a line of output.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || invisible(c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\u{7f}' => out.push('\u{2421}'),
            c if c.is_control() => out.push('\u{fffd}'),
            c if invisible(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Characters a terminal obeys or hides rather than shows: the bidirectional
/// embeddings, overrides and isolates (which can make a name read backwards), the
/// zero-width characters and the line and paragraph separators.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{061c}' | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Right-to-left overrides, isolates, zero-width characters and U+2028/U+2029
    /// reached the terminal raw in `report orgs`, `org list`, `project show` and `audit
    /// log`; they are shown as escapes now, as control characters already were.
    #[test]
    fn bidi_and_zero_width_characters_are_shown_not_obeyed() {
        assert_eq!(visible("abc\u{202e}def"), "abc<U+202E>def");
        assert_eq!(
            visible("a\u{2066}b\u{2069}c\u{200b}d\u{2028}e\u{2029}f\u{feff}"),
            "a<U+2066>b<U+2069>c<U+200B>d<U+2028>e<U+2029>f<U+FEFF>"
        );
        assert_eq!(visible("Karlstads universitet"), "Karlstads universitet");
        assert_eq!(visible("Årjäng"), "Årjäng");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(visible("Karlstad"), "Karlstad");
        assert_eq!(visible("a\tb\r\nc"), "a b  c");
        assert_eq!(visible("\u{1b}[31mröd\u{7}\u{7f}\u{9b}"), "\u{241b}[31mröd\u{2407}\u{2421}\u{fffd}");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(Ratio::bp(3021), Lang::Sv), "30,2 %");
        assert_eq!(percent(Ratio::bp(3025), Lang::En), "30.3%");
        assert_eq!(percent_exact(3021, '.'), "30.21");
        assert_eq!(percent_exact(5, ','), "0,05");
    }
}
