//! Projects and their financing: statuses, kinds, funding lines, payments, and the rules
//! a single project must satisfy whatever the rest of the database says.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use super::area::{AreaShare, FULL_SHARE};
use super::money::{MAX_ORE, Money};

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal / $what_sv:literal, { $($variant:ident => $text:literal / $sv:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The Swedish word for it, which input accepts as well as the English.
            pub fn swedish(self) -> &'static str {
                match self { $($name::$variant => $sv),+ }
            }

            /// The word in `lang`.
            pub fn label(self, lang: super::lang::Lang) -> &'static str {
                lang.pick(self.as_str(), self.swedish())
            }

            /// The code the database stores: the position in [`Self::ALL`].
            pub fn code(self) -> i64 {
                $name::ALL.iter().position(|v| *v == self).unwrap_or(0) as i64
            }

            /// The value of a stored code.
            pub fn from_code(code: i64) -> Option<$name> {
                usize::try_from(code).ok().and_then(|i| $name::ALL.get(i).copied())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let key = super::text::fold(s).replace([' ', '_'], "-");
                let found = $name::ALL.iter().copied().find(|v| v.as_str() == key);
                let found = found.or_else(|| $name::ALL.iter().copied().find(|v| super::text::fold(v.swedish()) == key));
                found.ok_or_else(|| {
                    let lang = super::lang::messages();
                    let known: Vec<&str> = $name::ALL.iter().map(|v| v.label(lang)).collect();
                    crate::tr!("not a {} (expected one of {})", "inte {} (väntade en av {})", lang.pick($what, $what_sv), known.join(", "))
                })
            }
        }
    };
}

word_enum!(
    /// Where a project is in its life. Statuses are listed in pipeline order.
    Status, "status" / "en status", {
        Applied => "applied" / "ansökt",
        Prioritised => "prioritised" / "prioriterat",
        Granted => "granted" / "beviljat",
        Ongoing => "ongoing" / "pågående",
        Closed => "closed" / "avslutat",
        Rejected => "rejected" / "avslaget",
        Withdrawn => "withdrawn" / "återkallat",
    }
);

impl Status {
    /// Granted, ongoing and closed projects count as turned over (omsatt).
    pub const TURNED_OVER: [Status; 3] = [Status::Granted, Status::Ongoing, Status::Closed];

    /// How far along a project is: applied, prioritised, granted, ongoing, then closed,
    /// rejected or withdrawn (the ends). A change to a lower rank moves it backwards.
    pub fn rank(self) -> u8 {
        match self {
            Status::Applied => 0,
            Status::Prioritised => 1,
            Status::Granted => 2,
            Status::Ongoing => 3,
            Status::Closed | Status::Rejected | Status::Withdrawn => 4,
        }
    }
}

word_enum!(
    /// A project proper, a pre-study, or a top-up of an earlier project (not counted as
    /// a new project).
    ProjectKind, "project kind" / "ett projektslag", {
        Project => "project" / "projekt",
        PreStudy => "pre-study" / "förstudie",
        TopUp => "top-up" / "tillägg",
    }
);

word_enum!(
    /// Who a funding line comes from, by kind.
    FunderKind, "funder kind" / "ett finansiärsslag", {
        Eu => "eu" / "eu",
        State => "state" / "stat",
        Region => "region" / "region",
        Municipality => "municipality" / "kommun",
        University => "university" / "lärosäte",
        Private => "private" / "privat",
        Other => "other" / "övrigt",
    }
);

/// The four columns reports split financing into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FunderGroup {
    Eu,
    Public,
    Private,
    Other,
}

impl FunderKind {
    pub fn group(self) -> FunderGroup {
        match self {
            FunderKind::Eu => FunderGroup::Eu,
            FunderKind::State | FunderKind::Region | FunderKind::Municipality | FunderKind::University => {
                FunderGroup::Public
            }
            FunderKind::Private => FunderGroup::Private,
            FunderKind::Other => FunderGroup::Other,
        }
    }

    /// The word as a report shows it: "EU" in capitals.
    pub fn heading(self, lang: super::lang::Lang) -> &'static str {
        match self {
            FunderKind::Eu => "EU",
            _ => lang.pick(self.as_str(), self.swedish()),
        }
    }
}

word_enum!(
    /// What a payment is. A recovery reduces what was paid.
    PaymentKind, "payment kind" / "ett utbetalningsslag", {
        Advance => "advance" / "förskott",
        Claim => "claim" / "rekvisition",
        Final => "final" / "slututbetalning",
        Recovery => "recovery" / "återkrav",
    }
);

impl PaymentKind {
    /// The payment's effect on the paid total: negative for a recovery.
    pub fn signed(self, amount: Money) -> i64 {
        if self == PaymentKind::Recovery { -amount.0 } else { amount.0 }
    }
}

/// A currency code: three upper-case letters; SEK is the reporting currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Currency(String);

impl Currency {
    pub fn sek() -> Currency {
        Currency("SEK".into())
    }

    pub fn parse(input: &str) -> Result<Currency, String> {
        let code = input.trim().to_ascii_uppercase();
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
            Ok(Currency(code))
        } else {
            Err(crate::tr!(
                "not a currency code (expected e.g. SEK, EUR or NOK)",
                "inte en valutakod (väntade t.ex. SEK, EUR eller NOK)"
            ))
        }
    }

    pub fn is_sek(&self) -> bool {
        self.0 == "SEK"
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An exchange rate: SEK per unit of a currency, a positive decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rate(Decimal);

impl Rate {
    pub fn parse(input: &str) -> Result<Rate, String> {
        let s = input.trim().replace(',', ".");
        let d = Decimal::from_str_exact(&s).map_err(|_| {
            crate::tr!("not an exchange rate (expected e.g. 11.4520)", "inte en växelkurs (väntade t.ex. 11,4520)")
        })?;
        if d <= Decimal::ZERO {
            return Err(crate::tr!("an exchange rate must be above zero", "en växelkurs måste vara större än noll"));
        }
        if d.scale() > 6 {
            return Err(crate::tr!(
                "an exchange rate has at most six decimals",
                "en växelkurs har högst sex decimaler"
            ));
        }
        if d > Decimal::from(100_000) {
            return Err(crate::tr!(
                "an exchange rate above 100 000 SEK per unit is not plausible",
                "en växelkurs över 100 000 SEK per enhet är inte rimlig"
            ));
        }
        Ok(Rate(d.normalize()))
    }

    /// SEK value in öre of `original` minor units, rounded half away from zero.
    pub fn to_sek(self, original: Money) -> Result<Money, String> {
        let value = Decimal::from(original.0)
            .checked_mul(self.0)
            .ok_or("amount times rate is too large")?
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
        let ore: i64 = value.try_into().map_err(|_| "amount times rate is too large")?;
        if ore > MAX_ORE {
            return Err(crate::tr!(
                "the amount in SEK is above the maximum of 10^15 kr",
                "beloppet i SEK är över största tillåtna, 10^15 kr"
            ));
        }
        Ok(Money(ore))
    }

    pub fn text(self) -> String {
        self.0.to_string()
    }
}

/// One line of a financing plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FundingLine {
    pub funder: String,
    pub kind: FunderKind,
    /// The SEK value, computed once when the line is recorded.
    pub amount: Money,
    /// For a line not in SEK: the currency, the original amount, its rate and the
    /// rate's date.
    pub foreign: Option<Foreign>,
    pub in_kind: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Foreign {
    pub currency: Currency,
    pub original: Money,
    pub rate: Rate,
    pub rate_date: Option<NaiveDate>,
}

impl FundingLine {
    /// A line in `currency`; the SEK value is computed from the rate when not SEK.
    pub fn new(
        funder: String,
        kind: FunderKind,
        original: Money,
        currency: Currency,
        rate: Option<Rate>,
        rate_date: Option<NaiveDate>,
        in_kind: bool,
    ) -> Result<FundingLine, String> {
        if currency.is_sek() {
            return Ok(FundingLine { funder, kind, amount: original, foreign: None, in_kind });
        }
        let rate = rate.ok_or_else(|| {
            crate::tr!("an amount in {} needs its rate", "ett belopp i {} behöver sin kurs", currency.as_str())
        })?;
        let amount = rate.to_sek(original)?;
        Ok(FundingLine {
            funder,
            kind,
            amount,
            foreign: Some(Foreign { currency, original, rate, rate_date }),
            in_kind,
        })
    }
}

/// A disbursement to a project. `id` is the payment's number, given when recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub reference: String,
    pub date: NaiveDate,
    pub amount: Money,
    pub kind: PaymentKind,
    pub funder: Option<String>,
    pub note: Option<String>,
}

impl Payment {
    /// The payment's effect on the paid total: negative for a recovery.
    pub fn signed(&self) -> i64 {
        self.kind.signed(self.amount)
    }
}

/// An outcome indicator of a project: a target and, once known, the outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    pub reference: String,
    pub code: String,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub target: Decimal,
    pub outcome: Option<Decimal>,
}

/// Parses an indicator value: a non-negative number with at most six decimals.
pub fn parse_quantity(input: &str) -> Result<Decimal, String> {
    let s = input.trim().replace(',', ".").replace([' ', '\u{a0}'], "");
    let d = Decimal::from_str_exact(&s).map_err(|_| {
        crate::tr!("not a number (expected e.g. 12 or 2,5)", "inte ett tal (väntade t.ex. 12 eller 2,5)")
    })?;
    if d.is_sign_negative() {
        return Err(crate::tr!(
            "a target or outcome cannot be negative",
            "ett mål eller utfall kan inte vara negativt"
        ));
    }
    if d.scale() > 6 {
        return Err(crate::tr!("at most six decimals", "högst sex decimaler"));
    }
    Ok(d.normalize())
}

/// A programme and its co-financing caps, in basis points of a project's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Programme {
    pub name: String,
    pub eu_cap: Option<u32>,
    pub region_cap: Option<u32>,
}

/// A project as recorded: what `project add` and one row of the projects CSV describe.
/// Organisations and areas are referred to by their ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    pub reference: String,
    pub title: String,
    pub owner: i64,
    pub kind: ProjectKind,
    pub parent: Option<String>,
    pub programme: Option<String>,
    pub fund: Option<String>,
    pub status: Status,
    pub decided: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Bit mask over the region's municipalities.
    pub municipalities: u64,
    pub areas: Vec<AreaShare>,
    pub partners: Vec<i64>,
    pub funding: Vec<FundingLine>,
    pub notes: Option<String>,
    /// Whether its payments may exceed its granted total (an overrun someone allowed).
    pub overrun_allowed: bool,
    /// Where it was read from, when it came from a file.
    pub provenance: Provenance,
}

/// Where a project came from: the source it was read from (the import rules' `name`,
/// e.g. `kohesio`), that source's own id for it, and the file and line it was last
/// written from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Provenance {
    pub source: Option<String>,
    pub source_id: Option<String>,
    pub file: Option<String>,
    pub line: Option<u64>,
}

impl Provenance {
    pub fn is_empty(&self) -> bool {
        *self == Provenance::default()
    }
}

/// A project's financing summed by report column, in öre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Components {
    pub eu: i64,
    pub public: i64,
    pub private: i64,
    pub other: i64,
}

impl Components {
    pub fn total(self) -> i64 {
        self.eu + self.public + self.private + self.other
    }

    pub fn as_array(self) -> [i64; 4] {
        [self.eu, self.public, self.private, self.other]
    }
}

/// A setting of the database: a key and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub value: String,
}

/// The funder each funder kind's amount column of the projects CSV is recorded under
/// (the eu column's is the project's fund). Without one, the word of the kind, as
/// databases before schema 4 recorded it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefaultFunders(Vec<(FunderKind, String)>);

impl DefaultFunders {
    /// The setting that holds a kind's default funder: `funder.region`.
    pub fn key(kind: FunderKind) -> String {
        format!("funder.{}", kind.as_str())
    }

    pub fn set(&mut self, kind: FunderKind, name: String) {
        self.0.retain(|(k, _)| *k != kind);
        self.0.push((kind, name));
    }

    /// The funder an amount of `kind` is recorded under; `fund` for the eu column.
    pub fn funder(&self, kind: FunderKind, fund: Option<&str>) -> String {
        if kind == FunderKind::Eu {
            return fund.unwrap_or("EU").to_string();
        }
        self.0.iter().find(|(k, _)| *k == kind).map_or_else(|| kind.as_str().to_string(), |(_, n)| n.clone())
    }

    /// The defaults a region starts with: Värmland's own co-financing is Region
    /// Värmland; every other kind a clear Swedish name for its co-financing.
    pub fn seed(region: &str) -> Vec<(FunderKind, &'static str)> {
        vec![
            (FunderKind::State, "Statlig medfinansiering"),
            (FunderKind::Region, if region == "varmland" { "Region Värmland" } else { "Regional medfinansiering" }),
            (FunderKind::Municipality, "Kommunal medfinansiering"),
            (FunderKind::University, "Lärosätenas medfinansiering"),
            (FunderKind::Private, "Privat medfinansiering"),
            (FunderKind::Other, "Övrig medfinansiering"),
        ]
    }
}

/// A programme name folded for comparison: case, spacing and the kind of dash set
/// aside, so "ERUF Norra Mellansverige 2021–2027" and "eruf norra mellansverige
/// 2021-2027" are seen to be one programme.
pub fn programme_key(name: &str) -> String {
    let dashes = ['\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}'];
    let unified: String = name.chars().map(|c| if dashes.contains(&c) { '-' } else { c }).collect();
    super::text::fold(&unified).replace(" - ", "-").replace(' ', "")
}

/// The overrun rule, the one place it is written: a project paid above its granted
/// total overruns unless it allows an overrun. `Some((paid, granted))` is a refusal.
pub fn overrun(paid: i64, granted: i64, allowed: bool) -> Option<(i64, i64)> {
    (paid > granted && !allowed).then_some((paid, granted))
}

/// Why an overrun is refused: `project R has been paid 8,000,000.01 kr, above the
/// 4,000,000.00 kr it would be granted`, with the flag that records it anyway.
pub fn overrun_message(reference: &str, paid: i64, granted: i64, lang: super::lang::Lang) -> String {
    format!(
        "{} {reference} {} {}, {} {} (--allow-overrun {})",
        lang.pick("project", "projektet"),
        lang.pick("would be paid", "skulle få utbetalt"),
        super::money::Money(paid).with_kr(lang),
        lang.pick("above its granted", "mer än beviljade"),
        super::money::Money(granted).with_kr(lang),
        lang.pick("records it as an allowed overrun", "registrerar det som en tillåten överskridning")
    )
}

/// The one normal form of a project reference, wherever it comes from: without spaces
/// around it, and in Unicode NFC, so that two spellings of "Å1" that look alike (one
/// precomposed, one with a combining ring) are one project. `project add " R1 "` kept
/// the spaces while import trimmed them, so re-importing an export made a second R1.
pub fn normal_ref(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.trim().nfc().collect()
}

/// Checks a reference number: non-empty, no NUL, at most 64 characters. Anything else
/// is kept as given: references come from other systems.
pub fn validate_ref(reference: &str) -> Result<(), String> {
    if reference.trim().is_empty() {
        return Err(crate::tr!("a project reference is required", "ett diarienummer krävs"));
    }
    if reference.contains('\0') {
        return Err(crate::tr!(
            "a project reference may not contain a NUL character",
            "ett diarienummer får inte innehålla ett NUL-tecken"
        ));
    }
    if reference.chars().count() > 64 {
        return Err(crate::tr!(
            "a project reference has at most 64 characters",
            "ett diarienummer har högst 64 tecken"
        ));
    }
    Ok(())
}

impl Project {
    /// The financing plan summed into the report columns. Fails when the sum would not
    /// fit; each line alone is at most 10^15 kr.
    pub fn components(&self) -> Result<Components, String> {
        let mut c = Components::default();
        for line in &self.funding {
            let slot = match line.kind.group() {
                FunderGroup::Eu => &mut c.eu,
                FunderGroup::Public => &mut c.public,
                FunderGroup::Private => &mut c.private,
                FunderGroup::Other => &mut c.other,
            };
            *slot = slot.checked_add(line.amount.0).ok_or("the financing plan's total is too large")?;
        }
        c.eu.checked_add(c.public)
            .and_then(|t| t.checked_add(c.private))
            .and_then(|t| t.checked_add(c.other))
            .ok_or("the financing plan's total is too large")?;
        Ok(c)
    }

    /// The rules one project must satisfy on its own. Returns `(field, why)`.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        validate_ref(&self.reference).map_err(|e| ("ref", e))?;
        if self.title.trim().is_empty() {
            return Err(("title", crate::tr!("a title is required", "en titel krävs")));
        }
        if self.areas.is_empty() {
            return Err(("areas", crate::tr!("at least one area is required", "minst ett område krävs")));
        }
        let sum: u32 = self.areas.iter().map(|a| a.share_bp).sum();
        if sum != FULL_SHARE {
            return Err((
                "areas",
                crate::tr!(
                    "shares sum to {} %, not 100 %",
                    "andelarna summerar till {} %, inte 100 %",
                    super::area::format_share(sum, '.')
                ),
            ));
        }
        if let (Some(start), Some(end)) = (self.start, self.end)
            && end < start
        {
            return Err((
                "end",
                crate::tr!(
                    "ends {} before it starts {}",
                    "slutar {} innan det börjar {}",
                    super::date::iso(end),
                    super::date::iso(start)
                ),
            ));
        }
        if self.kind == ProjectKind::TopUp && self.parent.is_none() {
            return Err((
                "parent",
                crate::tr!(
                    "a top-up names the project it tops up (--parent REF)",
                    "en utökning anger projektet den utökar (--parent DNR)"
                ),
            ));
        }
        if self.parent.as_deref() == Some(self.reference.as_str()) {
            return Err((
                "parent",
                crate::tr!("a project cannot be its own parent", "ett projekt kan inte vara sitt eget huvudprojekt"),
            ));
        }
        if self.partners.contains(&self.owner) {
            return Err(("partners", crate::tr!("the owner is not also a partner", "ägaren är inte också partner")));
        }
        self.components().map_err(|e| ("funding", e))?;
        Ok(())
    }
}

/// One area's part of a project: its share and the split of each report column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub area_id: i64,
    pub share_bp: u32,
    pub total: i64,
    pub parts: Components,
}

/// A project version as stored, with what was derived from it when it was written.
#[derive(Clone, Debug)]
pub struct StoredProject {
    pub vid: i64,
    pub rev: i64,
    pub end_rev: Option<i64>,
    pub project: Project,
    pub components: Components,
    pub allocations: Vec<Allocation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overrun_rule() {
        assert_eq!(overrun(101, 100, false), Some((101, 100)));
        assert_eq!(overrun(100, 100, false), None);
        assert_eq!(overrun(101, 100, true), None);
    }

    #[test]
    fn words_parse_leniently() {
        assert_eq!("Pre study".parse::<ProjectKind>(), Ok(ProjectKind::PreStudy));
        assert_eq!("GRANTED".parse::<Status>(), Ok(Status::Granted));
        assert_eq!(
            "approved".parse::<Status>().unwrap_err(),
            "not a status (expected one of applied, prioritised, granted, ongoing, closed, rejected, withdrawn)"
        );
        assert_eq!("eu".parse::<FunderKind>(), Ok(FunderKind::Eu));
    }

    #[test]
    fn foreign_lines_convert_once_rounding_half_away() {
        let rate = Rate::parse("11,4525").unwrap();
        assert_eq!(rate.text(), "11.4525");
        let line = FundingLine::new(
            "Interreg".into(),
            FunderKind::Eu,
            Money(10_000),
            Currency::parse("eur").unwrap(),
            Some(rate),
            None,
            false,
        )
        .unwrap();
        assert_eq!(line.amount, Money(114_525));
        // 0,01 EUR at 11.45 SEK = 11,45 öre -> 11 öre; at 11.5 -> 12 öre (half away).
        assert_eq!(Rate::parse("11.45").unwrap().to_sek(Money(1)), Ok(Money(11)));
        assert_eq!(Rate::parse("11.5").unwrap().to_sek(Money(1)), Ok(Money(12)));
        assert!(Rate::parse("0").is_err());
        assert!(Rate::parse("-1").is_err());
        assert!(Rate::parse("1.1234567").is_err());
        let missing =
            FundingLine::new("x".into(), FunderKind::Eu, Money(1), Currency::parse("NOK").unwrap(), None, None, false);
        assert_eq!(missing.unwrap_err(), "an amount in NOK needs its rate");
    }
}
