//! Specialisation areas and a project's shares in them.
//!
//! Shares are kept in basis points (hundredths of a percent): `60` is 6000 and `33,33`
//! is 3333, so "up to two decimals" is exact and "sums to exactly 100" is an integer
//! comparison with 10 000.

use chrono::NaiveDate;
use serde::Serialize;

use super::lang::Lang;
use super::text::{fold, nearest};

/// 100 % in basis points.
pub const FULL_SHARE: u32 = 10_000;

/// A specialisation area as the region defines it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Area {
    pub id: i64,
    pub code: String,
    pub name_sv: String,
    pub name_en: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub position: i64,
    /// The strategy the area belongs to (none only in a database before schema 7).
    pub strategy: Option<i64>,
    /// A horizontal theme of its strategy, cutting across the other areas.
    pub horizontal: bool,
}

impl Area {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_sv)
    }
}

/// An area as the region seeds it: code, Swedish name, English name.
pub struct AreaSeed {
    pub code: &'static str,
    pub name_sv: &'static str,
    pub name_en: &'static str,
}

/// Region Värmland's seven specialisation areas (DESIGN §2), in their official order.
pub const VARMLAND_AREAS: [AreaSeed; 7] = [
    AreaSeed { code: "skog", name_sv: "Skoglig bioekonomi", name_en: "Forest-based bioeconomy" },
    AreaSeed { code: "halsa", name_sv: "Digital hälsoinnovation", name_en: "Digital health innovation" },
    AreaSeed {
        code: "tillverkning",
        name_sv: "Avancerad tillverkning och komplexa system",
        name_en: "Advanced manufacturing and complex systems",
    },
    AreaSeed {
        code: "solel",
        name_sv: "Hållbara systemlösningar med solel i centrum",
        name_en: "Sustainable system solutions centred on solar power",
    },
    AreaSeed {
        code: "plats",
        name_sv: "Attraktion genom hållbar platsutveckling",
        name_en: "Attraction through sustainable place development",
    },
    AreaSeed { code: "livsmedel", name_sv: "Livsmedel i hållbara samspel", name_en: "Food in sustainable interplay" },
    AreaSeed { code: "spel", name_sv: "Dataspel och spelifiering", name_en: "Video games and gamification" },
];

/// Värmland's areas as a new database holds them (ids 1 to 7, in order, no validity
/// dates): for resolving names without a database, as tests and tools do.
pub fn varmland() -> Vec<Area> {
    VARMLAND_AREAS
        .iter()
        .zip(1..)
        .map(|(s, id)| Area {
            id,
            code: s.code.into(),
            name_sv: s.name_sv.into(),
            name_en: s.name_en.into(),
            valid_from: None,
            valid_to: None,
            position: id - 1,
            strategy: None,
            horizontal: false,
        })
        .collect()
}

/// Checks that a project decided (or starting) on `on` may use the area: a retired
/// area takes no projects after its last day, a new one none before its first.
pub fn check_in_force(area: &Area, on: NaiveDate) -> Result<(), String> {
    if let Some(to) = area.valid_to
        && on > to
    {
        return Err(crate::tr!(
            "area {} was retired after {}",
            "området {} avvecklades efter {}",
            area.code,
            super::date::iso(to)
        ));
    }
    if let Some(from) = area.valid_from
        && on < from
    {
        return Err(crate::tr!(
            "area {} applies from {}",
            "området {} gäller från {}",
            area.code,
            super::date::iso(from)
        ));
    }
    Ok(())
}

/// Checks an area code: a short lower-case ASCII slug.
pub fn validate_code(code: &str) -> Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(crate::tr!(
            "not an area code (expected a short lower-case ASCII slug, e.g. skog)",
            "inte en områdeskod (väntade en kort kod av små ASCII-bokstäver, t.ex. skog)"
        ))
    }
}

/// The region's areas with every name they answer to folded once, for resolving many
/// names quickly (an import resolves one or more per row).
pub struct AreaIndex<'a> {
    areas: &'a [Area],
    by_name: std::collections::HashMap<String, usize>,
}

impl<'a> AreaIndex<'a> {
    pub fn new(areas: &'a [Area]) -> AreaIndex<'a> {
        let mut by_name = std::collections::HashMap::new();
        for (i, a) in areas.iter().enumerate() {
            for name in [&a.code, &a.name_sv, &a.name_en] {
                by_name.entry(name.clone()).or_insert(i);
                by_name.entry(fold(name)).or_insert(i);
            }
        }
        AreaIndex { areas, by_name }
    }

    /// The area named `input` (see [`resolve`]).
    pub fn resolve(&self, input: &str) -> Result<&'a Area, String> {
        let found = self.by_name.get(input.trim()).or_else(|| self.by_name.get(&fold(input)));
        found.map(|i| &self.areas[*i]).ok_or_else(|| unknown(input, self.areas))
    }
}

/// Finds the area named by code, Swedish or English name, in any case, with or without
/// diacritics. The error suggests the nearest code.
pub fn resolve<'a>(input: &str, areas: &'a [Area]) -> Result<&'a Area, String> {
    AreaIndex::new(areas).resolve(input)
}

/// Why no area is called `input`, with the nearest code when there is one.
fn unknown(input: &str, areas: &[Area]) -> String {
    let names = areas.iter().flat_map(|a| [a.code.as_str(), a.name_sv.as_str(), a.name_en.as_str()]);
    let codes: Vec<&str> = areas.iter().map(|a| a.code.as_str()).collect();
    match nearest(input, names) {
        Some(n) => {
            let code =
                areas.iter().find(|a| a.code == n || a.name_sv == n || a.name_en == n).map_or(n, |a| a.code.as_str());
            crate::tr!("unknown area (did you mean {code}?)", "okänt område (menade du {code}?)")
        }
        None => crate::tr!("unknown area (known: {})", "okänt område (kända: {})", codes.join(", ")),
    }
}

/// Parses a percentage with up to two decimals (`60`, `33.33`, `33,33`, `12,5 %`) into
/// basis points, in (0, 100].
pub fn parse_share(input: &str) -> Result<u32, String> {
    let s = input.trim().trim_end_matches('%').trim();
    let (int, frac) = match s.split_once(['.', ',']) {
        Some((i, f)) => (i, f),
        None => (s, ""),
    };
    if int.is_empty()
        || int.len() > 3
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
        || (s.len() > int.len() && frac.is_empty())
    {
        return Err(crate::tr!(
            "not a share (expected a percentage such as 60 or 33,33)",
            "inte en andel (väntade ett procenttal som 60 eller 33,33)"
        ));
    }
    if frac.len() > 2 {
        return Err(crate::tr!("a share has at most two decimals", "en andel har högst två decimaler"));
    }
    let int: u32 = int.parse().map_err(|_| crate::tr!("not a share", "inte en andel"))?;
    let frac_bp: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().unwrap_or(0) * 10,
        _ => frac.parse::<u32>().unwrap_or(0),
    };
    let bp = int * 100 + frac_bp;
    if bp == 0 || bp > FULL_SHARE {
        return Err(crate::tr!("a share must be above 0 and at most 100", "en andel måste vara över 0 och högst 100"));
    }
    Ok(bp)
}

/// Formats basis points as a percentage: `60`, `33.33`, `12.5` (shortest exact form).
pub fn format_share(bp: u32, mark: char) -> String {
    let int = bp / 100;
    let frac = bp % 100;
    if frac == 0 {
        int.to_string()
    } else if frac.is_multiple_of(10) {
        format!("{int}{mark}{}", frac / 10)
    } else {
        format!("{int}{mark}{frac:02}")
    }
}

/// A project's share in one area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaShare {
    pub area_id: i64,
    pub share_bp: u32,
}

/// Splits `skog:60` into its area text and optional share text. The share is after the
/// last `:`, so area names themselves may not contain one.
pub fn split_spec(spec: &str) -> (&str, Option<&str>) {
    match spec.rsplit_once(':') {
        Some((area, share)) => (area.trim(), Some(share.trim())),
        None => (spec.trim(), None),
    }
}

/// Resolves area specs (`skog:60`, `Digital hälsoinnovation:40`, or one area alone for
/// 100 %) into shares that sum to exactly 100.
pub fn resolve_shares(specs: &[&str], areas: &AreaIndex<'_>) -> Result<Vec<AreaShare>, String> {
    if specs.is_empty() || specs.iter().all(|s| s.trim().is_empty()) {
        return Err(crate::tr!(
            "at least one area is required (e.g. skog, or skog:60|halsa:40)",
            "minst ett område krävs (t.ex. skog, eller skog:60|halsa:40)"
        ));
    }
    let mut shares: Vec<AreaShare> = Vec::with_capacity(specs.len());
    // With several areas, say which one a problem is about.
    let about = |name: &str, e: String| if specs.len() > 1 { format!("{name}: {e}") } else { e };
    for spec in specs {
        let (name, share) = split_spec(spec);
        let area = areas.resolve(name).map_err(|e| about(name, e))?;
        if shares.iter().any(|s| s.area_id == area.id) {
            return Err(crate::tr!("area {} is named twice", "området {} anges två gånger", area.code));
        }
        let share_bp = match share {
            Some(s) => parse_share(s).map_err(|e| about(spec, e))?,
            None if specs.len() == 1 => FULL_SHARE,
            None => {
                return Err(crate::tr!(
                    "{name}: give every area its share when there are several (e.g. skog:60|halsa:40)",
                    "{name}: ge varje område dess andel när de är flera (t.ex. skog:60|halsa:40)"
                ));
            }
        };
        shares.push(AreaShare { area_id: area.id, share_bp });
    }
    let sum: u32 = shares.iter().map(|s| s.share_bp).sum();
    if sum != FULL_SHARE {
        return Err(crate::tr!(
            "shares sum to {} %, not 100 %",
            "andelarna summerar till {} %, inte 100 %",
            format_share(sum, '.')
        ));
    }
    Ok(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn areas() -> Vec<Area> {
        varmland()
    }

    #[test]
    fn areas_resolve_by_code_and_either_name() {
        let a = areas();
        assert_eq!(resolve("halsa", &a).unwrap().code, "halsa");
        assert_eq!(resolve("hälsa", &a).unwrap().code, "halsa");
        assert_eq!(resolve("DIGITAL HÄLSOINNOVATION", &a).unwrap().code, "halsa");
        assert_eq!(resolve("video games and gamification", &a).unwrap().code, "spel");
        assert_eq!(resolve("skgo", &a).unwrap_err(), "unknown area (did you mean skog?)");
        assert!(resolve("quantum", &a).unwrap_err().starts_with("unknown area (known: skog, halsa"));
    }

    #[test]
    fn shares_parse_and_format() {
        assert_eq!(parse_share("60"), Ok(6000));
        assert_eq!(parse_share("33,33"), Ok(3333));
        assert_eq!(parse_share("12.5 %"), Ok(1250));
        assert_eq!(parse_share("100"), Ok(10000));
        assert_eq!(
            parse_share("33.333"),
            Err(crate::tr!("a share has at most two decimals", "en andel har högst två decimaler"))
        );
        assert_eq!(
            parse_share("0"),
            Err(crate::tr!("a share must be above 0 and at most 100", "en andel måste vara över 0 och högst 100"))
        );
        assert_eq!(
            parse_share("100.01"),
            Err(crate::tr!("a share must be above 0 and at most 100", "en andel måste vara över 0 och högst 100"))
        );
        assert!(parse_share("sixty").is_err());
        assert!(parse_share("60.").is_err());
        assert_eq!(format_share(3333, ','), "33,33");
        assert_eq!(format_share(1250, '.'), "12.5");
        assert_eq!(format_share(6000, '.'), "60");
    }

    #[test]
    fn share_lists_sum_to_exactly_100() {
        let list = areas();
        let a = AreaIndex::new(&list);
        let ok = resolve_shares(&["skog:60", "hälsa:40"], &a).unwrap();
        assert_eq!(ok, vec![AreaShare { area_id: 1, share_bp: 6000 }, AreaShare { area_id: 2, share_bp: 4000 }]);
        assert_eq!(resolve_shares(&["spel"], &a).unwrap()[0].share_bp, 10000);
        assert_eq!(resolve_shares(&["skog:60", "halsa:30"], &a).unwrap_err(), "shares sum to 90 %, not 100 %");
        assert!(resolve_shares(&["skog", "halsa"], &a).unwrap_err().contains("give every area its share"));
        assert!(resolve_shares(&["skog:50", "skog:50"], &a).unwrap_err().contains("named twice"));
        assert!(resolve_shares(&[], &a).unwrap_err().starts_with("at least one area"));
    }
}
