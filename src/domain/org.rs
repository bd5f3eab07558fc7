//! Organisations: the kinds DESIGN §2 names, the helix each belongs to, and the Swedish
//! organisationsnummer with its Luhn check digit.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What an organisation is. The kind decides its helix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrgKind {
    University,
    ResearchInstitute,
    Cluster,
    SciencePark,
    Incubator,
    Testbed,
    Financing,
    Company,
    Municipality,
    Region,
    Agency,
    Other,
    /// Not recorded: an organisation an import created without a kind. Never typed:
    /// `org edit --kind` gives it one.
    NotRecorded,
}

impl OrgKind {
    pub const ALL: [OrgKind; 13] = [
        OrgKind::University,
        OrgKind::ResearchInstitute,
        OrgKind::Cluster,
        OrgKind::SciencePark,
        OrgKind::Incubator,
        OrgKind::Testbed,
        OrgKind::Financing,
        OrgKind::Company,
        OrgKind::Municipality,
        OrgKind::Region,
        OrgKind::Agency,
        OrgKind::Other,
        OrgKind::NotRecorded,
    ];

    /// The code the database stores: the position in [`Self::ALL`].
    pub fn code(self) -> i64 {
        OrgKind::ALL.iter().position(|k| *k == self).unwrap_or(0) as i64
    }

    /// The kind of a stored code.
    pub fn from_code(code: i64) -> Option<OrgKind> {
        usize::try_from(code).ok().and_then(|i| OrgKind::ALL.get(i).copied())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::University => "university",
            OrgKind::ResearchInstitute => "research-institute",
            OrgKind::Cluster => "cluster",
            OrgKind::SciencePark => "science-park",
            OrgKind::Incubator => "incubator",
            OrgKind::Testbed => "testbed",
            OrgKind::Financing => "financing",
            OrgKind::Company => "company",
            OrgKind::Municipality => "municipality",
            OrgKind::Region => "region",
            OrgKind::Agency => "agency",
            OrgKind::Other => "other",
            OrgKind::NotRecorded => "not-recorded",
        }
    }

    /// The helix of collaboration reports. Research institutes and testbeds do research
    /// and development (academia); clusters and financiers are business-led; science
    /// parks and incubators are run by municipalities and the region here (public);
    /// `other` stands for associations and civil society.
    pub fn helix(self) -> Helix {
        match self {
            OrgKind::University | OrgKind::ResearchInstitute | OrgKind::Testbed => Helix::Academia,
            OrgKind::Company | OrgKind::Cluster | OrgKind::Financing => Helix::Business,
            OrgKind::Municipality | OrgKind::Region | OrgKind::Agency | OrgKind::SciencePark | OrgKind::Incubator => {
                Helix::Public
            }
            OrgKind::Other => Helix::Civil,
            OrgKind::NotRecorded => Helix::NotRecorded,
        }
    }

    pub fn label(self, lang: super::lang::Lang) -> &'static str {
        let (en, sv) = match self {
            OrgKind::University => ("university", "lärosäte"),
            OrgKind::ResearchInstitute => ("research institute", "forskningsinstitut"),
            OrgKind::Cluster => ("cluster", "kluster"),
            OrgKind::SciencePark => ("science park", "science park"),
            OrgKind::Incubator => ("incubator", "inkubator"),
            OrgKind::Testbed => ("testbed", "testbädd"),
            OrgKind::Financing => ("financing", "finansiär"),
            OrgKind::Company => ("company", "företag"),
            OrgKind::Municipality => ("municipality", "kommun"),
            OrgKind::Region => ("region", "region"),
            OrgKind::Agency => ("agency", "myndighet"),
            OrgKind::Other => ("other", "övrig"),
            OrgKind::NotRecorded => ("kind not recorded", "slag ej registrerat"),
        };
        lang.pick(en, sv)
    }
}

impl fmt::Display for OrgKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrgKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded = super::text::fold(s).replace([' ', '_'], "-");
        let typed = OrgKind::ALL.into_iter().filter(|k| *k != OrgKind::NotRecorded);
        let swedish = |k: &OrgKind| super::text::fold(k.label(super::lang::Lang::Sv)).replace(' ', "-") == folded;
        typed.clone().find(|k| k.as_str() == folded || swedish(k)).ok_or_else(|| {
            let lang = super::lang::messages();
            let known: Vec<&str> = typed.map(|k| lang.pick(k.as_str(), k.label(lang))).collect();
            crate::tr!(
                "not an organisation kind (expected one of {})",
                "inte ett organisationsslag (väntade en av {})",
                known.join(", ")
            )
        })
    }
}

/// The four helices of quadruple-helix collaboration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Helix {
    Academia,
    Business,
    Public,
    Civil,
    /// Owners and partners whose kind is not recorded: not counted in any helix.
    NotRecorded,
}

impl Helix {
    pub const ALL: [Helix; 5] = [Helix::Academia, Helix::Business, Helix::Public, Helix::Civil, Helix::NotRecorded];

    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Helix::Academia => "academia",
            Helix::Business => "business",
            Helix::Public => "public",
            Helix::Civil => "civil",
            Helix::NotRecorded => "not-recorded",
        }
    }

    /// A one-word name, for combinations ("academia+business").
    pub fn short(self, lang: super::lang::Lang) -> &'static str {
        match self {
            Helix::Academia => lang.pick("academia", "akademi"),
            Helix::Business => lang.pick("business", "näringsliv"),
            Helix::Public => lang.pick("public", "offentlig"),
            Helix::Civil => lang.pick("civil", "civil"),
            Helix::NotRecorded => lang.pick("kind not recorded", "slag ej registrerat"),
        }
    }

    pub fn label(self, lang: super::lang::Lang) -> &'static str {
        match self {
            Helix::Academia => lang.pick("academia", "akademi"),
            Helix::Business => lang.pick("business", "näringsliv"),
            Helix::Public => lang.pick("public sector", "offentlig sektor"),
            Helix::Civil => lang.pick("civil society", "civilsamhälle"),
            Helix::NotRecorded => lang.pick("kind not recorded", "slag ej registrerat"),
        }
    }
}

/// An organisation as recorded. `id` is stable across renames.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub org_no: Option<OrgNo>,
    pub kind: OrgKind,
}

/// Checks an organisation name: not blank, no NUL, no `|` (it separates the names in a
/// list of partners), at most 200 characters.
pub fn validate_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err(crate::tr!("an organisation name is required", "ett organisationsnamn krävs"));
    }
    if name.contains('\0') {
        return Err(crate::tr!(
            "an organisation name may not contain a NUL character",
            "ett organisationsnamn får inte innehålla ett NUL-tecken"
        ));
    }
    if name.contains('|') {
        return Err(crate::tr!(
            "an organisation name may not contain `|` (it separates names in lists of partners)",
            "ett organisationsnamn får inte innehålla `|` (det skiljer namnen i listor av partner)"
        ));
    }
    if name.chars().count() > 200 {
        return Err(crate::tr!(
            "an organisation name has at most 200 characters",
            "ett organisationsnamn har högst 200 tecken"
        ));
    }
    Ok(())
}

/// The Luhn check digit of an organisationsnummer's first nine digits.
pub fn check_digit(first_nine: &[u32]) -> u32 {
    let sum: u32 = first_nine
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let v = if i % 2 == 0 { d * 2 } else { *d };
            v / 10 + v % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// A validated organisationsnummer, kept as `NNNNNN-NNNN`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct OrgNo(String);

impl OrgNo {
    /// Accepts `NNNNNN-NNNN` or ten digits; checks the Luhn digit.
    pub fn parse(input: &str) -> Result<OrgNo, String> {
        let s = input.trim();
        let digits: Vec<u32> = s.chars().filter_map(|c| c.to_digit(10)).collect();
        let shaped = match s.len() {
            10 => s.chars().all(|c| c.is_ascii_digit()),
            11 => s.as_bytes()[6] == b'-' && digits.len() == 10,
            _ => false,
        };
        if !shaped {
            return Err(crate::tr!(
                "not an organisationsnummer (expected NNNNNN-NNNN, 10 digits)",
                "inte ett organisationsnummer (väntade NNNNNN-NNNN, 10 siffror)"
            ));
        }
        let check = check_digit(&digits[..9]);
        if check != digits[9] {
            return Err(crate::tr!(
                "check digit is {}, expected {check}: a digit is mistyped",
                "kontrollsiffran är {}, väntade {check}: en siffra är felskriven",
                digits[9]
            ));
        }
        let text: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        Ok(OrgNo(format!("{}-{}", &text[..6], &text[6..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_numbers_pass_and_typos_fail() {
        // Karlstads universitet, Region Värmland, Karlstads kommun.
        for n in ["202100-3153", "232100-0156", "212000-1850"] {
            assert_eq!(OrgNo::parse(n).unwrap().as_str(), n);
        }
        assert_eq!(OrgNo::parse("2021003153").unwrap().as_str(), "202100-3153");
        assert_eq!(OrgNo::parse("202100-3154").unwrap_err(), "check digit is 4, expected 3: a digit is mistyped");
        for bad in ["20210-03153", "202100-315", "abcdef-ghij", "", "202100 3153"] {
            assert!(OrgNo::parse(bad).unwrap_err().starts_with("not an organisationsnummer"));
        }
    }

    #[test]
    fn kinds_parse_leniently_and_map_to_helices() {
        assert_eq!("Research institute".parse::<OrgKind>(), Ok(OrgKind::ResearchInstitute));
        assert_eq!("science_park".parse::<OrgKind>(), Ok(OrgKind::SciencePark));
        assert!("bank".parse::<OrgKind>().unwrap_err().contains("university, research-institute"));
        assert_eq!("Företag".parse::<OrgKind>(), Ok(OrgKind::Company));
        assert_eq!("forskningsinstitut".parse::<OrgKind>(), Ok(OrgKind::ResearchInstitute));
        assert_eq!(OrgKind::Cluster.helix(), Helix::Business);
        assert_eq!(OrgKind::Municipality.helix(), Helix::Public);
    }
}
