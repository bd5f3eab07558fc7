//! Output language: Swedish or English. Decides number grouping, decimal marks and which
//! of a pair of texts is shown. Every user-facing label in spets comes as such a pair.

use serde::Serialize;

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
