//! Output language: Swedish or English. Decides number grouping, decimal marks and which
//! of a pair of texts is shown. Every user-facing label in spets comes as such a pair.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

/// Whether messages (errors, hints, confirmations) are Swedish. Like a locale, this is
/// one setting for the whole process, made once at start-up by `commands::run`: a
/// message is often written far from any report's frame (a parse error in `domain`, a
/// row error on the parser thread), and passing the language down to every such place
/// would thread it through every signature for one word each.
static SWEDISH_MESSAGES: AtomicBool = AtomicBool::new(false);

/// Sets the language of messages for the rest of the process.
pub fn set_messages(lang: Lang) {
    SWEDISH_MESSAGES.store(lang == Lang::Sv, Ordering::Relaxed);
}

/// The language of messages.
pub fn messages() -> Lang {
    if SWEDISH_MESSAGES.load(Ordering::Relaxed) { Lang::Sv } else { Lang::En }
}

/// A message in the language of messages: `tr!("unknown area {code}", "okänt område
/// {code}")`, each a `format!` string with the same arguments. Every text spets says to
/// a person goes through here (a test reads the sources to keep it so).
#[macro_export]
macro_rules! tr {
    ($en:literal, $sv:literal $(, $($args:tt)*)?) => {
        match $crate::domain::lang::messages() {
            $crate::domain::lang::Lang::En => format!($en $(, $($args)*)?),
            $crate::domain::lang::Lang::Sv => format!($sv $(, $($args)*)?),
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Sv,
}

impl Lang {
    /// `SPETS_LANG` when set to `en` or `sv`, else `sv` when `LANG` starts with `sv`,
    /// else English.
    pub fn from_env(spets_lang: Option<&str>, lang: Option<&str>) -> Lang {
        match spets_lang.map(str::trim) {
            Some(v) if v.eq_ignore_ascii_case("sv") => return Lang::Sv,
            Some(v) if v.eq_ignore_ascii_case("en") => return Lang::En,
            _ => {}
        }
        match lang {
            Some(l) if l.starts_with("sv") => Lang::Sv,
            _ => Lang::En,
        }
    }

    pub fn group_separator(self) -> char {
        match self {
            Lang::Sv => ' ',
            Lang::En => ',',
        }
    }

    pub fn decimal_mark(self) -> char {
        match self {
            Lang::Sv => ',',
            Lang::En => '.',
        }
    }

    /// Picks the text of this language from an (English, Swedish) pair.
    pub fn pick<'a>(self, en: &'a str, sv: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Sv => sv,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spets_lang_wins_then_lang_then_english() {
        assert_eq!(Lang::from_env(Some("sv"), Some("en_US.UTF-8")), Lang::Sv);
        assert_eq!(Lang::from_env(Some("EN"), Some("sv_SE.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env(None, Some("sv_SE.UTF-8")), Lang::Sv);
        assert_eq!(Lang::from_env(Some("fi"), Some("C.UTF-8")), Lang::En);
        assert_eq!(Lang::from_env(None, None), Lang::En);
    }
}
