//! The indicator catalogue: the EU's common output and result indicators of 2021–2027
//! (ERDF, Cohesion Fund and JTF: Regulation (EU) 2021/1058, Annex I; ESF+: Regulation
//! (EU) 2021/1057, Annex I), built in, and the region's own codes, which are data.
//!
//! Each code has a unit and says whether its values may be summed across projects. A
//! count of distinct things (enterprises supported, RCO01) may not: one enterprise
//! supported by two projects is one enterprise, so a sum over projects counts it twice.
//! Quantities that add up (jobs in full-time equivalents, km, MW, euro, participants
//! as ESF+ counts them: one per operation) may.

use serde::Serialize;

use super::lang::Lang;
use super::text::fold;

/// An indicator code and what its values mean.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub code: String,
    pub name_en: String,
    pub name_sv: String,
    /// The unit, in English (the catalogue's word; the Swedish word is accepted too).
    pub unit: String,
    pub unit_sv: String,
    pub summable: bool,
    /// Where the code comes from: `ERDF`, `ESF+` (the regulations' catalogues) or
    /// `region` (defined with `spets indicator define`).
    pub origin: String,
}

impl Definition {
    pub fn name(&self, lang: Lang) -> &str {
        lang.pick(&self.name_en, &self.name_sv)
    }

    pub fn unit_in(&self, lang: Lang) -> &str {
        lang.pick(&self.unit, &self.unit_sv)
    }

    /// Whether `given` names this code's unit, in English or Swedish (case, spacing and
    /// diacritics aside).
    pub fn unit_matches(&self, given: &str) -> bool {
        let g = fold(given);
        g == fold(&self.unit) || g == fold(&self.unit_sv)
    }

    pub fn is_region(&self) -> bool {
        self.origin == REGION
    }
}

/// The origin of a code the region defined.
pub const REGION: &str = "region";

/// A code as the catalogue writes it: letters and digits, at most 32 (RCO01, VLD-3).
pub fn validate_code(code: &str) -> Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(crate::tr!(
            "not an indicator code (letters, digits, - _ or ., starting with a letter, e.g. RCO01)",
            "inte en indikatorkod (bokstäver, siffror, - _ eller ., med en bokstav först, t.ex. RCO01)"
        ))
    }
}

/// The code as the catalogue spells it: `rco 01` and `RCO1` are RCO01.
pub fn normal_code(code: &str) -> String {
    let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let letters: String = squeezed.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let rest = &squeezed[letters.len()..];
    if ["RCO", "RCR", "EECO", "EECR"].contains(&letters.as_str())
        && !rest.is_empty()
        && rest.len() < 2
        && rest.chars().all(|c| c.is_ascii_digit())
    {
        format!("{letters}0{rest}")
    } else {
        squeezed
    }
}

/// (code, English name, Swedish name, unit key, summable)
type Entry = (&'static str, &'static str, &'static str, &'static str, bool);

/// The units of the catalogue: (key, English, Swedish).
const UNITS: &[(&str, &str, &str)] = &[
    ("enterprises", "enterprises", "företag"),
    ("fte", "annual FTEs", "årsarbetskrafter"),
    ("organisations", "research organisations", "forskningsorganisationer"),
    ("euro", "euro", "euro"),
    ("institutions", "public institutions", "offentliga institutioner"),
    ("participations", "participations", "deltaganden"),
    ("applications", "applications", "ansökningar"),
    ("publications", "publications", "publikationer"),
    ("users", "users/year", "användare/år"),
    ("dwellings", "dwellings", "bostäder"),
    ("m2", "square metres", "kvadratmeter"),
    ("mw", "MW", "MW"),
    ("mwh", "MWh/year", "MWh/år"),
    ("co2", "tonnes CO2 eq./year", "ton koldioxidekvivalenter/år"),
    ("km", "km", "km"),
    ("persons", "persons", "personer"),
    ("participants", "participants", "deltagare"),
    ("entities", "entities", "enheter"),
    ("apprenticeships", "apprenticeships", "lärlingsplatser"),
    ("households", "households", "hushåll"),
];

/// The ERDF, Cohesion Fund and JTF common indicators of policy objectives 1 and 2 that a
/// region's smart specialisation portfolio reports against, and RCR01/RCR02, which
/// every programme reports.
const ERDF: &[Entry] = &[
    (
        "RCO01",
        "Enterprises supported (of which: micro, small, medium, large)",
        "Företag som får stöd (varav mikroföretag, små, medelstora och stora företag)",
        "enterprises",
        false,
    ),
    ("RCO02", "Enterprises supported by grants", "Företag som får stöd i form av bidrag", "enterprises", false),
    (
        "RCO03",
        "Enterprises supported by financial instruments",
        "Företag som får stöd i form av finansieringsinstrument",
        "enterprises",
        false,
    ),
    ("RCO04", "Enterprises with non-financial support", "Företag som får icke-finansiellt stöd", "enterprises", false),
    ("RCO05", "New enterprises supported", "Nystartade företag som får stöd", "enterprises", false),
    (
        "RCO06",
        "Researchers working in supported research facilities",
        "Forskare som arbetar i forskningsanläggningar som får stöd",
        "fte",
        true,
    ),
    (
        "RCO07",
        "Research organisations participating in joint research projects",
        "Forskningsorganisationer som deltar i gemensamma forskningsprojekt",
        "organisations",
        false,
    ),
    (
        "RCO08",
        "Nominal value of research and innovation equipment",
        "Nominellt värde för forsknings- och innovationsutrustning",
        "euro",
        true,
    ),
    (
        "RCO10",
        "Enterprises cooperating with research organisations",
        "Företag som samarbetar med forskningsorganisationer",
        "enterprises",
        false,
    ),
    (
        "RCO13",
        "Value of digital services, products and processes developed for enterprises",
        "Värde av digitala tjänster, produkter och processer som utvecklats för företag",
        "euro",
        true,
    ),
    (
        "RCO14",
        "Public institutions supported to develop digital services, products and processes",
        "Offentliga institutioner som får stöd för att utveckla digitala tjänster, produkter och processer",
        "institutions",
        false,
    ),
    ("RCO15", "Capacity of incubation created", "Skapad kapacitet för inkubation", "enterprises", true),
    (
        "RCO16",
        "Participations of institutional stakeholders in entrepreneurial discovery process",
        "Institutionella aktörers deltagande i processen för entreprenöriellt upptäckande",
        "participations",
        true,
    ),
    (
        "RCO18",
        "Dwellings with improved energy performance",
        "Bostäder med förbättrad energiprestanda",
        "dwellings",
        true,
    ),
    (
        "RCO19",
        "Public buildings with improved energy performance",
        "Offentliga byggnader med förbättrad energiprestanda",
        "m2",
        true,
    ),
    (
        "RCO22",
        "Additional production capacity for renewable energy (of which: electricity, thermal)",
        "Ytterligare produktionskapacitet för förnybar energi (varav el, värme)",
        "mw",
        true,
    ),
    ("RCO58", "Dedicated cycling infrastructure supported", "Cykelinfrastruktur som får stöd", "km", true),
    (
        "RCO101",
        "SMEs investing in skills for smart specialisation, for industrial transition and entrepreneurship",
        "Små och medelstora företag som investerar i kompetens för smart specialisering, industriell omställning och entreprenörskap",
        "enterprises",
        false,
    ),
    ("RCO103", "High growth enterprises supported", "Snabbväxande företag som får stöd", "enterprises", false),
    ("RCR01", "Jobs created in supported entities", "Arbetstillfällen som skapats i enheter som får stöd", "fte", true),
    (
        "RCR02",
        "Private investments matching public support (of which: grants, financial instruments)",
        "Privata investeringar som matchar offentligt stöd (varav bidrag, finansieringsinstrument)",
        "euro",
        true,
    ),
    (
        "RCR03",
        "Small and medium-sized enterprises (SMEs) introducing product or process innovation",
        "Små och medelstora företag som inför produkt- eller processinnovation",
        "enterprises",
        false,
    ),
    (
        "RCR04",
        "SMEs introducing marketing or organisational innovation",
        "Små och medelstora företag som inför marknadsförings- eller organisationsinnovation",
        "enterprises",
        false,
    ),
    (
        "RCR05",
        "SMEs innovating in-house",
        "Små och medelstora företag som bedriver intern innovation",
        "enterprises",
        false,
    ),
    ("RCR06", "Patent applications submitted", "Inlämnade patentansökningar", "applications", true),
    ("RCR07", "Trademark and design applications", "Varumärkes- och formskyddsansökningar", "applications", true),
    ("RCR08", "Publications from supported projects", "Publikationer från projekt som får stöd", "publications", true),
    (
        "RCR11",
        "Users of new and upgraded public digital services, products and processes",
        "Användare av nya och uppgraderade offentliga digitala tjänster, produkter och processer",
        "users",
        false,
    ),
    (
        "RCR12",
        "Users of new and upgraded digital services, products and processes developed by enterprises",
        "Användare av nya och uppgraderade digitala tjänster, produkter och processer som utvecklats av företag",
        "users",
        false,
    ),
    (
        "RCR13",
        "Enterprises reaching high digital intensity",
        "Företag som når en hög digital intensitet",
        "enterprises",
        false,
    ),
    (
        "RCR17",
        "New enterprises surviving in the market",
        "Nystartade företag som finns kvar på marknaden",
        "enterprises",
        false,
    ),
    (
        "RCR18",
        "SMEs using incubator services after incubator creation",
        "Små och medelstora företag som använder inkubatortjänster efter att inkubatorn inrättats",
        "enterprises",
        false,
    ),
    ("RCR19", "Enterprises with higher turnover", "Företag med högre omsättning", "enterprises", false),
    (
        "RCR25",
        "SMEs with higher value added per employee",
        "Små och medelstora företag med högre förädlingsvärde per anställd",
        "enterprises",
        false,
    ),
    (
        "RCR26",
        "Annual primary energy consumption (of which: dwellings, public buildings, enterprises, other)",
        "Årlig primärenergiförbrukning (varav bostäder, offentliga byggnader, företag, övrigt)",
        "mwh",
        true,
    ),
    ("RCR29", "Estimated greenhouse gas emissions", "Uppskattade utsläpp av växthusgaser", "co2", true),
    (
        "RCR31",
        "Total renewable energy produced (of which: electricity, thermal)",
        "Total mängd producerad förnybar energi (varav el, värme)",
        "mwh",
        true,
    ),
    (
        "RCR97",
        "Apprenticeships supported in SMEs",
        "Lärlingsplatser som får stöd i små och medelstora företag",
        "apprenticeships",
        true,
    ),
    (
        "RCR98",
        "SMEs staff completing training for skills for smart specialisation, for industrial transition and entrepreneurship",
        "Personal i små och medelstora företag som genomgår utbildning i kompetens för smart specialisering, industriell omställning och entreprenörskap",
        "participants",
        true,
    ),
    (
        "RCR102",
        "Research jobs created in supported entities",
        "Forskartjänster som skapats i enheter som får stöd",
        "fte",
        true,
    ),
];

/// The ESF+ common indicators for participants and entities. Participants are counted
/// once per operation, so they add up across projects; entities supported do not.
const ESF: &[Entry] = &[
    ("EECO01", "Total number of participants", "Totalt antal deltagare", "persons", true),
    (
        "EECO02",
        "Unemployed, including long-term unemployed",
        "Arbetslösa, inklusive långtidsarbetslösa",
        "persons",
        true,
    ),
    ("EECO03", "Long-term unemployed", "Långtidsarbetslösa", "persons", true),
    ("EECO04", "Inactive", "Personer utanför arbetskraften", "persons", true),
    ("EECO05", "Employed, including self-employed", "Anställda, inklusive egenföretagare", "persons", true),
    ("EECO06", "Children below 18 years of age", "Barn under 18 år", "persons", true),
    ("EECO07", "Young people between 18 and 29 years of age", "Unga mellan 18 och 29 år", "persons", true),
    ("EECO08", "Participants 55 years of age and above", "Deltagare som är 55 år eller äldre", "persons", true),
    (
        "EECO09",
        "With primary or lower secondary education (ISCED 0-2)",
        "Med grundskoleutbildning eller lägre sekundär utbildning (Isced 0–2)",
        "persons",
        true,
    ),
    (
        "EECO10",
        "With upper secondary or post-secondary education (ISCED 3-4)",
        "Med gymnasieutbildning eller eftergymnasial utbildning (Isced 3–4)",
        "persons",
        true,
    ),
    ("EECO11", "With tertiary education (ISCED 5-8)", "Med högskoleutbildning (Isced 5–8)", "persons", true),
    ("EECO12", "Participants with disabilities", "Deltagare med funktionsnedsättning", "persons", true),
    ("EECO13", "Third-country nationals", "Medborgare i tredjeland", "persons", true),
    ("EECO14", "Participants with a foreign background", "Deltagare med utländsk bakgrund", "persons", true),
    (
        "EECO15",
        "Minorities (including marginalised communities such as Roma)",
        "Minoriteter (inklusive marginaliserade grupper som romer)",
        "persons",
        true,
    ),
    (
        "EECO16",
        "Homeless or affected by housing exclusion",
        "Hemlösa eller personer som utestängs från bostadsmarknaden",
        "persons",
        true,
    ),
    ("EECO17", "Participants from rural areas", "Deltagare från landsbygdsområden", "persons", true),
    (
        "EECO18",
        "Number of public administrations or public services supported",
        "Antal offentliga förvaltningar eller offentliga tjänster som får stöd",
        "entities",
        false,
    ),
    (
        "EECO19",
        "Number of micro, small and medium-sized enterprises supported",
        "Antal mikroföretag och små och medelstora företag som får stöd",
        "enterprises",
        false,
    ),
    (
        "EECR01",
        "Participants engaged in job searching upon leaving",
        "Deltagare som söker arbete när de lämnar insatsen",
        "persons",
        true,
    ),
    (
        "EECR02",
        "Participants in education or training upon leaving",
        "Deltagare i utbildning när de lämnar insatsen",
        "persons",
        true,
    ),
    (
        "EECR03",
        "Participants gaining a qualification upon leaving",
        "Deltagare som erhåller kvalifikationer när de lämnar insatsen",
        "persons",
        true,
    ),
    (
        "EECR04",
        "Participants in employment, including self-employment, upon leaving",
        "Deltagare i arbete, inklusive egenföretagare, när de lämnar insatsen",
        "persons",
        true,
    ),
    (
        "EELR04",
        "Participants in employment, including self-employment, six months after leaving",
        "Deltagare i arbete, inklusive egenföretagare, sex månader efter att de lämnat insatsen",
        "persons",
        true,
    ),
];

/// The built-in catalogue, ERDF first, in the regulations' order.
pub fn catalogue() -> Vec<Definition> {
    fn unit(key: &'static str) -> (&'static str, &'static str) {
        UNITS.iter().find(|u| u.0 == key).map_or((key, key), |u| (u.1, u.2))
    }
    let of = |list: &[Entry], origin: &str| -> Vec<Definition> {
        list.iter()
            .map(|(code, en, sv, u, summable)| Definition {
                code: (*code).into(),
                name_en: (*en).into(),
                name_sv: (*sv).into(),
                unit: unit(u).0.into(),
                unit_sv: unit(u).1.into(),
                summable: *summable,
                origin: origin.into(),
            })
            .collect()
    };
    let mut all = of(ERDF, "ERDF");
    all.extend(of(ESF, "ESF+"));
    all
}

/// The built-in definition of `code`, if the catalogue has one.
pub fn builtin(code: &str) -> Option<Definition> {
    let code = normal_code(code);
    catalogue().into_iter().find(|d| d.code == code)
}

/// Refuses an outcome or target recorded in another unit than the code's.
pub fn check_unit(def: &Definition, given: Option<&str>) -> Result<(), String> {
    match given {
        Some(u) if !u.trim().is_empty() && !def.unit_matches(u) => Err(crate::tr!(
            "{} is measured in {} ({}), not {u:?}",
            "{} mäts i {} ({}), inte {u:?}",
            def.code,
            def.unit,
            def.unit_sv
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rco01_counts_distinct_enterprises_and_is_not_summable_while_jobs_are() {
        let rco01 = builtin("RCO01").unwrap();
        assert!(!rco01.summable);
        assert_eq!(rco01.unit, "enterprises");
        assert!(builtin("RCR01").unwrap().summable);
        assert!(builtin("RCO58").unwrap().summable);
        assert_eq!(builtin("RCO58").unwrap().unit, "km");
    }

    #[test]
    fn codes_are_unique_and_every_unit_is_known() {
        let all = catalogue();
        let mut codes: Vec<&str> = all.iter().map(|d| d.code.as_str()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        for d in &all {
            assert!(UNITS.iter().any(|u| u.1 == d.unit), "{}", d.code);
            assert!(validate_code(&d.code).is_ok());
        }
    }

    #[test]
    fn codes_are_spelled_as_the_catalogue_does() {
        assert_eq!(normal_code("rco 01"), "RCO01");
        assert_eq!(normal_code("RCO1"), "RCO01");
        assert_eq!(normal_code("rcr102"), "RCR102");
        assert_eq!(normal_code("vld-3"), "VLD-3");
    }

    #[test]
    fn a_unit_is_checked_in_either_language() {
        let d = builtin("RCR01").unwrap();
        assert!(check_unit(&d, Some("årsarbetskrafter")).is_ok());
        assert!(check_unit(&d, Some("Annual FTEs")).is_ok());
        assert!(check_unit(&d, None).is_ok());
        assert_eq!(
            check_unit(&d, Some("persons")).unwrap_err(),
            "RCR01 is measured in annual FTEs (årsarbetskrafter), not \"persons\""
        );
    }
}
