//! `spets check`: the reconciliation and rule checks as a report, one row per finding
//! with its rule, the project (or organisation) and what is wrong, in figures.

use super::{Cell, ColumnKind, Frame, Report, Table};
use crate::domain::area::format_share;
use crate::domain::checks::Facts;
use crate::domain::date::iso;
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::org::OrgNo;

/// The rules, in the order findings are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    Shares,
    EuCap,
    RegionCap,
    Overpaid,
    Dates,
    OrphanTopUp,
    NoArea,
    NoFunding,
    OrgNumber,
    SharedOrgNumber,
    OrgKind,
    Reference,
    PaidUncounted,
    StatusBackwards,
    ProgrammeSpelling,
    PaymentFunder,
    Undecided,
    NoOutcome,
    IndicatorUnit,
    IndicatorCode,
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Shares => "shares",
            Rule::EuCap => "eu-cap",
            Rule::RegionCap => "region-cap",
            Rule::Overpaid => "overpaid",
            Rule::Dates => "dates",
            Rule::OrphanTopUp => "orphan-top-up",
            Rule::NoArea => "no-area",
            Rule::NoFunding => "no-funding",
            Rule::OrgNumber => "org-number",
            Rule::OrgKind => "org-kind",
            Rule::SharedOrgNumber => "shared-org-number",
            Rule::PaidUncounted => "paid-uncounted",
            Rule::StatusBackwards => "status-backwards",
            Rule::ProgrammeSpelling => "programme-spelling",
            Rule::PaymentFunder => "payment-funder",
            Rule::Undecided => "undecided",
            Rule::Reference => "reference",
            Rule::NoOutcome => "no-outcome",
            Rule::IndicatorUnit => "indicator-unit",
            Rule::IndicatorCode => "indicator-code",
        }
    }
}

/// One finding: the rule, what it is about, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub rule: Rule,
    pub subject: String,
    pub text: String,
}

fn kr(ore: i64, lang: Lang) -> String {
    Money(ore).with_kr(lang)
}

fn pct(bp: i128, lang: Lang) -> String {
    format!("{} %", format_share(bp.clamp(0, i128::from(u32::MAX)) as u32, lang.decimal_mark()))
}

/// `part` as basis points of `whole`, rounded down (a share is over a cap only when
/// its exact value is).
fn bp_of(part: i64, whole: i64) -> i128 {
    if whole == 0 { 0 } else { i128::from(part) * 10_000 / i128::from(whole) }
}

/// Applies the rules to the facts.
pub fn findings(facts: &Facts, lang: Lang) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |rule, subject: &str, text: String| out.push(Finding { rule, subject: subject.to_string(), text });
    for (r, sum) in &facts.shares {
        add(
            Rule::Shares,
            r,
            format!(
                "{} {}",
                lang.pick("area shares sum to", "områdesandelarna summerar till"),
                pct(i128::from(*sum), lang)
            ),
        );
    }
    for c in &facts.capped {
        let over = |amount: i64, cap: Option<u32>| {
            cap.filter(|cap| i128::from(amount) * 10_000 > i128::from(*cap) * i128::from(c.total))
        };
        let caps = [
            (Rule::EuCap, lang.pick("EU share", "EU-andel"), c.eu, c.eu_cap),
            (Rule::RegionCap, lang.pick("regional co-financing", "regional medfinansiering"), c.region, c.region_cap),
        ];
        for (rule, what, amount, cap) in caps {
            if let Some(cap) = over(amount, cap) {
                add(
                    rule,
                    &c.reference,
                    format!(
                        "{what} {} ({}) {} {} {} {}",
                        pct(bp_of(amount, c.total), lang),
                        kr(amount, lang),
                        lang.pick("is above the cap of", "är över taket"),
                        pct(i128::from(cap), lang),
                        lang.pick("in", "i"),
                        c.programme
                    ),
                );
            }
        }
    }
    for (r, paid, granted) in &facts.overpaid {
        add(
            Rule::Overpaid,
            r,
            format!(
                "{} {} {} {}",
                lang.pick("paid", "utbetalt"),
                kr(*paid, lang),
                lang.pick("exceeds the granted", "överstiger beviljade"),
                kr(*granted, lang)
            ),
        );
    }
    for (r, start, end) in &facts.dates {
        add(
            Rule::Dates,
            r,
            format!(
                "{} {} {} {}",
                lang.pick("ends", "slutar"),
                iso(*end),
                lang.pick("before it starts", "före start"),
                iso(*start)
            ),
        );
    }
    for (r, parent) in &facts.orphans {
        add(
            Rule::OrphanTopUp,
            r,
            format!(
                "{} {parent} {}",
                lang.pick("a top-up of", "ett tillägg till"),
                lang.pick("which is not a current project", "som inte är ett aktuellt projekt")
            ),
        );
    }
    for r in &facts.no_area {
        add(Rule::NoArea, r, lang.pick("has no specialisation area", "saknar specialiseringsområde").into());
    }
    for r in &facts.no_funding {
        add(Rule::NoFunding, r, lang.pick("has no funding lines", "saknar finansiering").into());
    }
    for (name, number) in &facts.org_numbers {
        if let Err(why) = OrgNo::parse(number) {
            add(
                Rule::OrgNumber,
                name,
                format!("{} {number}: {why}", lang.pick("organisationsnummer", "organisationsnummer")),
            );
        }
    }
    for name in &facts.kind_not_recorded {
        add(
            Rule::OrgKind,
            name,
            lang.pick(
                "kind not recorded: it counts in no helix (`spets org edit NAME --kind KIND` records it)",
                "slag ej registrerat: räknas inte till någon helix (`spets org edit NAMN --kind SLAG` registrerar det)",
            )
            .into(),
        );
    }
    for (number, names) in &facts.shared_org_numbers {
        add(
            Rule::SharedOrgNumber,
            number,
            format!("{} {names}", lang.pick("is the organisationsnummer of", "är organisationsnummer för")),
        );
    }
    for (r, status, paid) in &facts.paid_uncounted {
        add(
            Rule::PaidUncounted,
            r,
            format!(
                "{} {} {} {}",
                kr(*paid, lang),
                lang.pick("paid to a project that is", "utbetalt till ett projekt som är"),
                status.label(lang),
                lang.pick("(not counted as turned over)", "(räknas inte som omsatt)")
            ),
        );
    }
    for (r, from, to, rev) in &facts.status_backwards {
        add(
            Rule::StatusBackwards,
            r,
            format!(
                "{} {} {} {} ({} {rev})",
                lang.pick("status moved back from", "status flyttad tillbaka från"),
                from.label(lang),
                lang.pick("to", "till"),
                to.label(lang),
                lang.pick("change", "ändring")
            ),
        );
    }
    for names in &facts.programme_spellings {
        add(
            Rule::ProgrammeSpelling,
            names,
            lang.pick(
                "one programme spelt in several ways (dash, case or spacing): caps and filters see them apart",
                "ett program stavat på flera sätt (streck, versaler eller blanksteg): tak och filter skiljer dem åt",
            )
            .into(),
        );
    }
    for (r, id, funder) in &facts.payment_funders {
        add(
            Rule::PaymentFunder,
            r,
            format!(
                "{} {id}: {} {funder:?} {}",
                lang.pick("payment", "utbetalning"),
                lang.pick("funder", "finansiär"),
                lang.pick("matches no funding line of the project", "finns inte i projektets finansiering")
            ),
        );
    }
    for r in &facts.counted_undecided {
        add(
            Rule::Undecided,
            r,
            lang.pick("counted as turned over but has no decision date", "räknas som omsatt men saknar beslutsdatum")
                .into(),
        );
    }
    for r in &facts.unnormal_refs {
        let normal = crate::domain::project::normal_ref(r);
        let why = if normal.trim() != r.trim() {
            lang.pick(
                "is not in Unicode NFC: it is spelt unlike the same reference typed or imported now",
                "är inte i Unicode NFC: stavat annorlunda än samma nummer skrivet eller importerat nu",
            )
        } else {
            lang.pick(
                "has spaces around it: typing or importing it now names another project",
                "har blanksteg runt sig: skrivet eller importerat nu avser det ett annat projekt",
            )
        };
        add(
            Rule::Reference,
            &format!("{r:?}"),
            format!("{} {normal:?} {why}", lang.pick("reference, normally", "referens, normalt")),
        );
    }
    for (r, codes) in &facts.no_outcome {
        add(
            Rule::NoOutcome,
            r,
            crate::tr!(
                "closed, but no outcome is recorded for its target {codes}",
                "avslutat, men inget utfall är registrerat för målet {codes}"
            ),
        );
    }
    for (r, code, unit, expected) in &facts.indicator_units {
        add(
            Rule::IndicatorUnit,
            r,
            crate::tr!(
                "{code} is recorded in {unit:?}, but the code is measured in {expected}",
                "{code} är registrerad i {unit:?}, men koden mäts i {expected}"
            ),
        );
    }
    for (r, code) in &facts.unknown_codes {
        add(
            Rule::IndicatorCode,
            r,
            crate::tr!(
                "indicator code {code} is in no catalogue (`spets indicator define` adds the region's own)",
                "indikatorkoden {code} finns inte i någon katalog (`spets indicator define` lägger till regionens egna)"
            ),
        );
    }
    out.sort_by(|a, b| a.rule.cmp(&b.rule).then(a.subject.cmp(&b.subject)));
    out
}

pub fn build(frame: &Frame, findings: &[Finding]) -> Report {
    let lang = frame.lang;
    let rows =
        findings.iter().map(|f| vec![Cell::text(f.rule.code()), Cell::text(&f.subject), Cell::text(&f.text)]).collect();
    let columns = vec![
        frame.col("rule", "Rule", "Regel", ColumnKind::Text),
        frame.col("subject", "Project", "Projekt", ColumnKind::Text),
        frame.col("finding", "Finding", "Fynd", ColumnKind::Text).wrap(),
    ];
    let main = Table { key: "findings".into(), title: String::new(), columns, rows, totals: None };
    let mut report = frame.report("check", lang.pick("Checks", "Kontroller").into(), main);
    report.headline = Some(match findings.len() {
        0 => lang.pick("No findings: every rule holds.", "Inga fynd: alla regler håller.").into(),
        1 => lang.pick("1 finding.", "1 fynd.").into(),
        n => format!("{n} {}", lang.pick("findings.", "fynd.")),
    });
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checks::Capped;

    #[test]
    fn caps_compare_exactly() {
        let at = |eu| Capped {
            reference: "1".into(),
            programme: "P".into(),
            total: 1_000_000,
            eu,
            region: 0,
            eu_cap: Some(4000),
            region_cap: None,
        };
        let facts = Facts { capped: vec![at(400_000), at(400_001)], ..Facts::default() };
        let found = findings(&facts, Lang::En);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "EU share 40 % (4,000.01 kr) is above the cap of 40 % in P");
    }
}
