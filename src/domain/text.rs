//! Name matching as people type names: case-insensitive, with or without Swedish
//! diacritics (`hälsa` = `halsa`), and the nearest known name when nothing matches.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `s`, drops diacritics and folds inner white space to single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// The candidate nearest to `input` by edit distance on folded text, when it is near
/// enough to be a plausible typo.
pub fn nearest<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let folded = fold(input);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let c = fold(candidate);
        let distance = if c.starts_with(&folded) && !folded.is_empty() { 1 } else { strsim::levenshtein(&folded, &c) };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (folded.chars().count() / 2).max(2);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

/// Orders texts as people do, numbers by their value: `X3` before `X10`, `2020-9`
/// before `2020-10`. Equal-valued numbers with different zeros keep a stable order.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    fn chunks(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for (p, q) in x.iter().zip(&y) {
        let order = match (p, q) {
            ((true, m), (true, n)) => {
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                m.len().cmp(&n.len()).then_with(|| m.cmp(n))
            }
            ((_, m), (_, n)) => m.cmp(n),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_counts_numbers_by_value() {
        let mut refs = vec!["X10", "X3", "X2b", "2020-10", "2020-9", "RV 2015-1", "X03", "Y"];
        refs.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(refs, ["2020-9", "2020-10", "RV 2015-1", "X2b", "X03", "X3", "X10", "Y"]);
    }

    #[test]
    fn folds_case_diacritics_and_spaces() {
        assert_eq!(fold("Hälsa"), "halsa");
        assert_eq!(fold("  Årjäng  "), "arjang");
        assert_eq!(fold("Skoglig   Bioekonomi"), "skoglig bioekonomi");
        assert_eq!(fold("SÄFFLE"), "saffle");
    }

    #[test]
    fn suggests_only_plausible_names() {
        let codes = ["skog", "halsa", "tillverkning", "solel", "plats", "livsmedel", "spel"];
        assert_eq!(nearest("skgo", codes), Some("skog"));
        assert_eq!(nearest("tillverk", codes), Some("tillverkning"));
        assert_eq!(nearest("helsa", codes), Some("halsa"));
        assert_eq!(nearest("xyzzyplugh", codes), None);
    }
}
