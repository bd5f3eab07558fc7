//! Money: amounts in whole öre, parsed from what people type and written back in the
//! forms DESIGN §3 names. No floating point touches an amount anywhere in this module;
//! parsing is digit-by-digit integer arithmetic and display scaling rounds integers.

use std::fmt;

use serde::{Serialize, Serializer};

use super::lang::Lang;

/// The largest amount accepted on input: 10^15 kr, in öre.
pub const MAX_ORE: i64 = 100_000_000_000_000_000;

/// An amount of Swedish kronor, held as a whole number of öre.
///
/// Stored amounts are never negative; a `Money` may be negative only as a computed
/// difference (a remaining balance after an overrun, a recovery's signed effect).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

/// Why a text is not an amount. The `Display` text is the "why" of an error message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    Negative,
    TooManyDecimals,
    AmbiguousGrouping,
    BadGrouping,
    TooLarge,
    NotANumber,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            MoneyError::Empty => crate::tr!(
                "an amount is required (expected e.g. 1 234 567,50)",
                "ett belopp krävs (väntade t.ex. 1 234 567,50)"
            ),
            MoneyError::Negative => crate::tr!(
                "negative amounts are not accepted (a repayment is a payment of kind recovery)",
                "negativa belopp godtas inte (en återbetalning är en utbetalning av slaget återkrav)"
            ),
            MoneyError::TooManyDecimals => crate::tr!(
                "more than two decimals (öre is the smallest unit)",
                "fler än två decimaler (öre är den minsta enheten)"
            ),
            MoneyError::AmbiguousGrouping => crate::tr!(
                "ambiguous: ',' or '.' before three digits could be a thousands separator or a decimal mark; group thousands with spaces (1 234 567,50) or write no grouping (1234567.50)",
                "tvetydigt: ',' eller '.' före tre siffror kan vara en tusentalsavgränsare eller ett decimaltecken; gruppera tusental med mellanslag (1 234 567,50) eller skriv utan gruppering (1234567.50)"
            ),
            MoneyError::BadGrouping => crate::tr!(
                "thousands must be grouped in threes with spaces (expected e.g. 1 234 567,50)",
                "tusental grupperas tre och tre med mellanslag (väntade t.ex. 1 234 567,50)"
            ),
            MoneyError::TooLarge => crate::tr!(
                "larger than the maximum of 1 000 000 000 000 000 kr",
                "större än största tillåtna, 1 000 000 000 000 000 kr"
            ),
            MoneyError::NotANumber => {
                crate::tr!("not an amount (expected e.g. 1 234 567,50)", "inte ett belopp (väntade t.ex. 1 234 567,50)")
            }
        };
        f.write_str(&text)
    }
}

impl std::error::Error for MoneyError {}

/// True for the space characters accepted as thousands separators.
fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}')
}

impl Money {
    pub const ZERO: Money = Money(0);

    /// Whole öre.
    pub fn ore(self) -> i64 {
        self.0
    }

    /// Parses an amount as people write it: `1234567`, `1234567.50`, `1234567,50`,
    /// `1 234 567`, `1 234 567,50 kr` (normal, non-breaking or thin spaces).
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let mut text = input.trim_matches(|c: char| c.is_whitespace() || is_group_space(c));
        for suffix in ["kr", "KR", "Kr", "SEK", "sek"] {
            if let Some(rest) = text.strip_suffix(suffix) {
                text = rest.trim_end_matches(|c: char| c.is_whitespace() || is_group_space(c));
                break;
            }
        }
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if let Some(rest) = text.strip_prefix('-').or_else(|| text.strip_prefix('\u{2212}')) {
            return if rest.chars().any(|c| c.is_ascii_digit()) {
                Err(MoneyError::Negative)
            } else {
                Err(MoneyError::NotANumber)
            };
        }
        let text = text.strip_prefix('+').unwrap_or(text);

        // Split off the decimal part at the last '.' or ','.
        let marks: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| *c == '.' || *c == ',').collect();
        let (int_part, frac_part) = match marks.as_slice() {
            [] => (text, ""),
            [(at, _)] => (&text[..*at], &text[at + 1..]),
            _ => {
                return if text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',' || is_group_space(c)) {
                    Err(MoneyError::AmbiguousGrouping)
                } else {
                    Err(MoneyError::NotANumber)
                };
            }
        };
        if !int_part.chars().all(|c| c.is_ascii_digit() || is_group_space(c))
            || !frac_part.chars().all(|c| c.is_ascii_digit())
        {
            return Err(MoneyError::NotANumber);
        }
        if !marks.is_empty() && frac_part.len() == 3 {
            return Err(MoneyError::AmbiguousGrouping);
        }
        if frac_part.len() > 2 {
            return Err(MoneyError::TooManyDecimals);
        }
        if !marks.is_empty() && frac_part.is_empty() {
            return Err(MoneyError::NotANumber);
        }

        let groups: Vec<&str> = int_part.split(is_group_space).collect();
        if groups.iter().any(|g| g.is_empty()) && groups.len() > 1 {
            return Err(MoneyError::BadGrouping);
        }
        if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
            return Err(MoneyError::BadGrouping);
        }
        let digits: String = groups.concat();
        if digits.is_empty() {
            return Err(MoneyError::NotANumber);
        }

        let mut kronor: i64 = 0;
        for d in digits.bytes() {
            kronor =
                kronor.checked_mul(10).and_then(|k| k.checked_add(i64::from(d - b'0'))).ok_or(MoneyError::TooLarge)?;
            if kronor > MAX_ORE / 100 {
                return Err(MoneyError::TooLarge);
            }
        }
        let mut ore = kronor * 100;
        let frac = frac_part.as_bytes();
        if let Some(d) = frac.first() {
            ore += i64::from(d - b'0') * 10;
        }
        if let Some(d) = frac.get(1) {
            ore += i64::from(d - b'0');
        }
        if ore > MAX_ORE {
            return Err(MoneyError::TooLarge);
        }
        Ok(Money(ore))
    }

    /// The plain machine form: `1234567.50` (always two decimals, `.` mark, no grouping).
    pub fn plain(self) -> String {
        self.with_mark('.')
    }

    /// The machine form with a chosen decimal mark (`,` for Swedish Excel).
    pub fn with_mark(self, mark: char) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}{mark}{:02}", abs / 100, abs % 100)
    }

    /// Checked sum, for totals that must not wrap.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The amount for display in `unit`, grouped and marked for `lang`.
    pub fn display(self, unit: Unit, lang: Lang) -> String {
        let (value, decimals) = unit.scale(self.0);
        group_decimal(value, decimals, lang)
    }

    /// The amount with its unit, for messages: `1,100,000.00 kr`, `1 100 000,00 kr`.
    pub fn with_kr(self, lang: Lang) -> String {
        format!("{} kr", self.display(Unit::Kr, lang))
    }

    /// Whole kronor, grouped for `lang`, for sentences ("1 034 567 890 kr").
    pub fn display_kronor(self, lang: Lang) -> String {
        group_decimal(round_div(i128::from(self.0), 100), 0, lang)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

/// JSON writes amounts as exact decimal strings: `"1234567.50"`.
impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.plain())
    }
}

/// Division rounding half away from zero.
pub fn round_div(value: i128, divisor: i128) -> i128 {
    let q = value / divisor;
    let r = value % divisor;
    if r.abs() * 2 >= divisor { q + value.signum() } else { q }
}

/// Formats `value / 10^decimals` with the grouping and decimal mark of `lang`.
pub fn group_decimal(value: i128, decimals: u32, lang: Lang) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let pow = 10u128.pow(decimals);
    let int = (abs / pow).to_string();
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(lang.group_separator());
        }
        grouped.push(c);
    }
    if decimals == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{}{:0width$}", lang.decimal_mark(), abs % pow, width = decimals as usize)
    }
}

/// The display unit of tables: amounts are computed in öre and scaled only here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Kr,
    Tkr,
    Mnkr,
    Mdkr,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Kr, Unit::Tkr, Unit::Mnkr, Unit::Mdkr];

    /// The value in the unit's smallest shown digit, and how many decimals it shows.
    fn scale(self, ore: i64) -> (i128, u32) {
        let ore = i128::from(ore);
        match self {
            Unit::Kr => (ore, 2),
            Unit::Tkr => (round_div(ore, 100_000), 0),
            Unit::Mnkr => (round_div(ore, 10_000_000), 1),
            Unit::Mdkr => (round_div(ore, 1_000_000_000), 2),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Unit::Kr => "kr",
            Unit::Tkr => "tkr",
            Unit::Mnkr => "mnkr",
            Unit::Mdkr => "mdkr",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> i64 {
        Money::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}")).0
    }

    #[test]
    fn accepts_every_documented_form() {
        assert_eq!(ok("1234567"), 123_456_700);
        assert_eq!(ok("1234567.50"), 123_456_750);
        assert_eq!(ok("1234567,50"), 123_456_750);
        assert_eq!(ok("1 234 567"), 123_456_700);
        assert_eq!(ok("1 234 567,50 kr"), 123_456_750);
        assert_eq!(ok("1\u{a0}234\u{a0}567,50"), 123_456_750);
        assert_eq!(ok("1\u{2009}234\u{2009}567"), 123_456_700);
        assert_eq!(ok("1\u{202f}234,5"), 123_450);
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("0,05"), 5);
        assert_eq!(ok("12.5"), 1250);
        assert_eq!(ok("  42 kr "), 4200);
        assert_eq!(ok("1000000000000000"), MAX_ORE);
    }

    #[test]
    fn rejects_with_a_reason() {
        let cases = [
            ("", MoneyError::Empty),
            ("   ", MoneyError::Empty),
            ("kr", MoneyError::Empty),
            ("-5", MoneyError::Negative),
            ("-1 234,50", MoneyError::Negative),
            ("1.234", MoneyError::AmbiguousGrouping),
            ("1,234", MoneyError::AmbiguousGrouping),
            ("1,234,567", MoneyError::AmbiguousGrouping),
            ("1.234.567", MoneyError::AmbiguousGrouping),
            ("1.234,50", MoneyError::AmbiguousGrouping),
            ("1.2345", MoneyError::TooManyDecimals),
            ("12 34", MoneyError::BadGrouping),
            ("1234 567", MoneyError::BadGrouping),
            ("1000000000000000.01", MoneyError::TooLarge),
            ("99999999999999999999999", MoneyError::TooLarge),
            ("12,5x", MoneyError::NotANumber),
            ("abc", MoneyError::NotANumber),
            ("1e6", MoneyError::NotANumber),
            ("12.", MoneyError::NotANumber),
            (".", MoneyError::NotANumber),
        ];
        for (input, expected) in cases {
            assert_eq!(Money::parse(input), Err(expected.clone()), "{input:?}");
        }
    }

    #[test]
    fn displays_in_units_and_languages() {
        let m = Money(103_456_789_012);
        assert_eq!(m.plain(), "1034567890.12");
        assert_eq!(m.with_mark(','), "1034567890,12");
        assert_eq!(m.display(Unit::Kr, Lang::Sv), "1 034 567 890,12");
        assert_eq!(m.display(Unit::Kr, Lang::En), "1,034,567,890.12");
        assert_eq!(m.display(Unit::Tkr, Lang::Sv), "1 034 568");
        assert_eq!(m.display(Unit::Mnkr, Lang::En), "1,034.6");
        assert_eq!(m.display(Unit::Mdkr, Lang::Sv), "1,03");
        assert_eq!(m.display_kronor(Lang::Sv), "1 034 567 890");
        assert_eq!(Money(-150).plain(), "-1.50");
        assert_eq!(Money(50).display(Unit::Tkr, Lang::En), "0");
        assert_eq!(Money(-50_000_000).display(Unit::Mnkr, Lang::En), "-0.5");
    }

    proptest! {
        #[test]
        fn parse_of_format_is_identity(ore in 0i64..=MAX_ORE, lang in prop::sample::select(vec![Lang::Sv, Lang::En])) {
            let m = Money(ore);
            prop_assert_eq!(Money::parse(&m.plain()), Ok(m));
            prop_assert_eq!(Money::parse(&m.with_mark(',')), Ok(m));
            prop_assert_eq!(Money::parse(&format!("{} kr", m.display(Unit::Kr, Lang::Sv))), Ok(m));
            if lang == Lang::Sv {
                prop_assert_eq!(Money::parse(&m.display(Unit::Kr, lang)), Ok(m));
            }
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Money::parse(&s);
        }
    }
}
