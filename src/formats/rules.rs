//! Import rules (DESIGN §5.1): a TOML file that says how a foreign file's columns make
//! spets's projects. [`Rules::parse`] checks the file itself (keys, regexes, statuses and
//! kinds); [`Rules::bind`] checks it against a file's header (every header it names must
//! be there); [`Bound::translate`] turns one record into the cells of a projects-CSV
//! record, which the projects format then reads with all its checks, so a file read
//! through rules obeys every rule a projects CSV does. The built-in rules are TOML files
//! in the binary, the same data a user can copy (`spets rules show`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use regex::Regex;
use serde::Deserialize;

use super::projects::{AMOUNT_COLUMNS, Given, ProjectRow};
use super::{Layout, RowError};
use crate::domain::area::{AreaIndex, resolve_shares};
use crate::domain::date::iso;
use crate::domain::money::Money;
use crate::domain::org::OrgKind;
use crate::domain::project::{Currency, FunderKind, ProjectKind, Rate, Status};
use crate::domain::text::fold;

/// The rules that ship in the binary: name, what they read (English, Swedish), the TOML.
pub const BUILT_IN: &[(&str, (&str, &str), &str)] = &[
    (
        "kohesio",
        (
            "Kohesio's list of operations per country and period (CSV), Värmland's rows",
            "Kohesios lista över insatser per land och period (CSV), Värmlands rader",
        ),
        include_str!("../../rules/kohesio.toml"),
    ),
    (
        "kohesio-portal",
        (
            "the Kohesio portal's search export (CSV, or the XLSX sheet project_export)",
            "Kohesio-portalens sökexport (CSV, eller XLSX-bladet project_export)",
        ),
        include_str!("../../rules/kohesio-portal.toml"),
    ),
    (
        "projektbanken",
        (
            "Tillväxtverket's project bank export (semicolons, Windows-1252 or UTF-8)",
            "Tillväxtverkets projektbank, export (semikolon, Windows-1252 eller UTF-8)",
        ),
        include_str!("../../rules/projektbanken.toml"),
    ),
];

/// The fields `[fields]` may name: every column of the projects CSV, and three more.
const EXTRA_FIELDS: &[&str] = &["total", "text"];
/// Fields holding words a `[map.FIELD]` may translate.
const MAPPABLE: &[&str] =
    &["status", "kind", "owner_kind", "fund", "programme", "currency", "municipalities", "areas", "owner", "partners"];
const DATES: &[&str] = &["decided", "start", "end"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    unmatched: Option<String>,
    #[serde(default)]
    read: Read,
    #[serde(default)]
    fields: BTreeMap<String, Spec>,
    #[serde(default)]
    set: BTreeMap<String, String>,
    rest: Option<Rest>,
    #[serde(default)]
    map: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    keep: Vec<KeepRule>,
    #[serde(default)]
    area: Vec<AreaRule>,
    #[serde(default)]
    indicator: Vec<IndicatorRule>,
}

/// One `[[indicator]]`: the code, and the headers of the columns holding its target and
/// (optionally) its outcome (an extension of DESIGN §5.1).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorRule {
    code: String,
    target: String,
    outcome: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Read {
    #[serde(default)]
    skip: usize,
    delimiter: Option<String>,
    encoding: Option<String>,
    decimal: Option<String>,
    date_format: Option<OneOrMany>,
    sheet: Option<String>,
    /// Headers the rules name that a file may lack (an extension of DESIGN §5.1: the
    /// project bank's 2014–2020 export has columns the 2021–2027 one has not).
    #[serde(default)]
    optional: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// Where a field is: a header, a header whose amounts are in a currency, or a list of
/// them (the first with a value in the row; for `text`, all).
#[derive(Deserialize)]
#[serde(untagged)]
enum Spec {
    One(Column),
    Many(Vec<Column>),
}

#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum Column {
    Header(String),
    WithCurrency { column: String, currency: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rest {
    kind: String,
    funder: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeepRule {
    column: String,
    #[serde(rename = "in")]
    values: Option<Vec<String>>,
    matches: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaRule {
    column: Option<String>,
    #[serde(rename = "in")]
    values: Option<Vec<String>>,
    matches: Option<String>,
    /// A second condition on another column (an extension of DESIGN §5.1: a category
    /// code means different things in different programming periods).
    and: Option<KeepRule>,
    areas: String,
}

/// How a cell is tested.
enum Test {
    /// Equal (folded) to one of these, as a whole or as one of its `|`/`;` parts.
    In(Vec<String>),
    Matches(Regex),
}

impl Test {
    fn holds(&self, cell: &str) -> bool {
        match self {
            Test::In(values) => {
                let one = |part: &str| match plain_ascii(part) {
                    Some(p) => values.iter().any(|v| v.eq_ignore_ascii_case(p)),
                    None => values.contains(&fold(part)),
                };
                one(cell) || (cell.contains(['|', ';']) && cell.split(['|', ';']).any(one))
            }
            Test::Matches(re) => re.is_match(cell),
        }
    }
}

/// A cell that folds to itself lowercased (ASCII, single spaces), trimmed: the common
/// case, compared without folding.
fn plain_ascii(cell: &str) -> Option<&str> {
    let t = cell.trim();
    let plain = t.is_ascii() && !t.contains("  ") && !t.bytes().any(|b| b.is_ascii_whitespace() && b != b' ');
    plain.then_some(t)
}

/// Import rules, checked in themselves.
pub struct Rules {
    pub name: String,
    /// Whether rows no area rule matches are skipped (else they are bad rows).
    pub skip_unmatched: bool,
    pub skip: usize,
    /// `None`: detected from the header.
    pub delimiter: Option<u8>,
    /// `None`: UTF-8 unless the file is not (decided before reading).
    pub encoding: Option<super::reader::Encoding>,
    decimal: char,
    date_formats: Vec<String>,
    pub sheet: Option<String>,
    optional: Vec<String>,
    fields: Vec<(String, Vec<Column>)>,
    set: Vec<(String, String)>,
    rest: Option<(FunderKind, Option<String>)>,
    maps: BTreeMap<String, BTreeMap<String, String>>,
    keep: Vec<(String, Test)>,
    areas: Vec<AreaEntry>,
    /// `[[indicator]]`: (code, target header, outcome header).
    indicators: Vec<(String, String, Option<String>)>,
}

/// One `[[area]]` rule: its condition (on a column, else on title and text), a second
/// condition, and the areas it gives.
struct AreaEntry {
    column: Option<String>,
    test: Test,
    and: Option<(String, Test)>,
    areas: String,
}

/// A rate the command line gives: `EUR=11.4765@2024-01-31`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GivenRate {
    pub currency: Currency,
    pub rate: Rate,
    pub date: Option<NaiveDate>,
}

impl GivenRate {
    /// Parses `CUR=RATE[@DATE]`.
    pub fn parse(s: &str) -> Result<GivenRate, String> {
        let (currency, rest) = s.split_once('=').ok_or_else(|| {
            crate::tr!(
                "expected CUR=RATE[@DATE], e.g. EUR=11.4765@2024-01-31",
                "väntade VALUTA=KURS[@DATUM], t.ex. EUR=11.4765@2024-01-31"
            )
        })?;
        let currency = Currency::parse(currency.trim())?;
        if currency.is_sek() {
            return Err(crate::tr!("SEK needs no rate", "SEK behöver ingen kurs"));
        }
        let (rate, date) = parse_rate(rest)?;
        Ok(GivenRate { currency, rate, date })
    }
}

/// `RATE[@DATE]`.
fn parse_rate(s: &str) -> Result<(Rate, Option<NaiveDate>), String> {
    let (rate, date) = match s.split_once('@') {
        Some((r, d)) => (r, Some(crate::domain::date::parse_date(d)?)),
        None => (s, None),
    };
    Ok((Rate::parse(rate.trim())?, date))
}

fn is_field(name: &str) -> bool {
    super::projects::COLUMNS.contains(&name) || EXTRA_FIELDS.contains(&name)
}

fn field_list() -> String {
    super::projects::COLUMNS.iter().chain(EXTRA_FIELDS).copied().collect::<Vec<_>>().join(", ")
}

fn is_amount(name: &str) -> bool {
    name == "total" || AMOUNT_COLUMNS.iter().any(|(c, _)| *c == name)
}

impl Column {
    fn header(&self) -> &str {
        match self {
            Column::Header(h) | Column::WithCurrency { column: h, .. } => h,
        }
    }
}

/// Checks a value a map or `[set]` gives for a field of words.
fn check_word(field: &str, value: &str) -> Result<(), String> {
    let v = value.trim();
    match field {
        "status" => v.parse::<Status>().map(|_| ()),
        "kind" => v.parse::<ProjectKind>().map(|_| ()),
        "owner_kind" => v.parse::<OrgKind>().map(|_| ()),
        "currency" => Currency::parse(v).map(|_| ()),
        "rate" => parse_rate(v).map(|_| ()),
        f if DATES.contains(&f) => crate::domain::date::parse_date(v).map(|_| ()),
        _ => Ok(()),
    }
}

impl Rules {
    /// Whether the rules read this field from a column of the file (not a constant).
    pub fn gives(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }

    /// The rules of `text` (read from `origin`, named in messages). Every problem of
    /// the file itself is found here, before any file is read through it.
    pub fn parse(origin: &str, text: &str) -> Result<Rules, String> {
        let file: File = toml::from_str(text).map_err(|e| format!("{origin}: {}", e.to_string().trim_end()))?;
        let bad = |key: &str, why: String| format!("{origin}: {key}: {why}");
        if file.name.trim().is_empty() {
            return Err(bad(
                "name",
                crate::tr!(
                    "the rules need a name (recorded as each project's source)",
                    "reglerna behöver ett namn (det registreras som varje projekts källa)"
                ),
            ));
        }
        let skip_unmatched = match file.unmatched.as_deref() {
            None | Some("error") => false,
            Some("skip") => true,
            Some(other) => {
                return Err(bad(
                    "unmatched",
                    crate::tr!(
                        "{other:?}: expected \"skip\" or \"error\"",
                        "{other:?}: väntade \"skip\" eller \"error\""
                    ),
                ));
            }
        };
        let delimiter = match file.read.delimiter.as_deref() {
            None | Some("auto") => None,
            Some(",") => Some(b','),
            Some(";") => Some(b';'),
            Some("\t") => Some(b'\t'),
            Some(other) => {
                return Err(bad(
                    "read.delimiter",
                    crate::tr!(
                        "{other:?}: expected \",\", \";\", \"\\t\" or \"auto\"",
                        "{other:?}: väntade \",\", \";\", \"\\t\" eller \"auto\""
                    ),
                ));
            }
        };
        let encoding = match file.read.encoding.as_deref().map(|e| e.to_ascii_lowercase()).as_deref() {
            None | Some("auto") => None,
            Some("utf-8" | "utf8") => Some(super::reader::Encoding::Utf8),
            Some("windows-1252" | "cp1252") => Some(super::reader::Encoding::Windows1252),
            Some(other) => {
                return Err(bad(
                    "read.encoding",
                    crate::tr!(
                        "{other:?}: expected \"utf-8\", \"windows-1252\" or \"auto\"",
                        "{other:?}: väntade \"utf-8\", \"windows-1252\" eller \"auto\""
                    ),
                ));
            }
        };
        let decimal = match file.read.decimal.as_deref() {
            None | Some(".") => '.',
            Some(",") => ',',
            Some(other) => {
                return Err(bad(
                    "read.decimal",
                    crate::tr!("{other:?}: expected \".\" or \",\"", "{other:?}: väntade \".\" eller \",\""),
                ));
            }
        };
        let date_formats = file.read.date_format.map(|d| d.list()).unwrap_or_else(|| vec!["%Y-%m-%d".into()]);
        for f in &date_formats {
            let probe = NaiveDate::from_ymd_opt(2024, 1, 31).map(|d| d.format(f).to_string());
            if chrono::format::StrftimeItems::new(f).any(|i| matches!(i, chrono::format::Item::Error))
                || probe.is_none_or(|p| NaiveDate::parse_from_str(&p, f).is_err())
            {
                return Err(bad(
                    "read.date_format",
                    crate::tr!(
                        "{f:?}: not a date format (e.g. \"%d/%m/%Y\")",
                        "{f:?}: inte ett datumformat (t.ex. \"%d/%m/%Y\")"
                    ),
                ));
            }
        }
        let mut fields = Vec::new();
        for (field, spec) in file.fields {
            if !is_field(&field) {
                return Err(bad(
                    &format!("fields.{field}"),
                    crate::tr!("not a field (the fields are: {})", "inte ett fält (fälten är: {})", field_list()),
                ));
            }
            let columns = match spec {
                Spec::One(c) => vec![c],
                Spec::Many(v) if v.is_empty() => {
                    return Err(bad(&format!("fields.{field}"), crate::tr!("names no column", "namnger ingen kolumn")));
                }
                Spec::Many(v) => v,
            };
            for c in &columns {
                if let Column::WithCurrency { currency, .. } = c {
                    if !is_amount(&field) {
                        return Err(bad(
                            &format!("fields.{field}"),
                            crate::tr!(
                                "only an amount's column can name a currency",
                                "bara ett beloppsfälts kolumn kan ange en valuta"
                            ),
                        ));
                    }
                    Currency::parse(currency).map_err(|e| bad(&format!("fields.{field}.currency"), e))?;
                }
            }
            fields.push((field, columns));
        }
        let mut set = Vec::new();
        for (field, value) in file.set {
            let key = format!("set.{field}");
            if !is_field(&field) || field == "text" {
                return Err(bad(
                    &key,
                    crate::tr!("not a field (the fields are: {})", "inte ett fält (fälten är: {})", field_list()),
                ));
            }
            if is_amount(&field) {
                return Err(bad(
                    &key,
                    crate::tr!(
                        "an amount cannot be a constant: name its column in [fields]",
                        "ett belopp kan inte vara en konstant: ange dess kolumn i [fields]"
                    ),
                ));
            }
            if fields.iter().any(|(f, _)| *f == field) {
                return Err(bad(
                    &key,
                    crate::tr!("given both by [fields] and by [set]", "anges både i [fields] och i [set]"),
                ));
            }
            check_word(&field, &value).map_err(|e| bad(&key, format!("{value:?}: {e}")))?;
            set.push((field, value));
        }
        let has = |f: &str| fields.iter().any(|(g, _)| g == f);
        let rest = match file.rest {
            None if has("total") => {
                return Err(bad(
                    "fields.total",
                    crate::tr!(
                        "needs a [rest] saying whose the rest of the total is",
                        "behöver en [rest] som säger vems resten av totalen är"
                    ),
                ));
            }
            None => None,
            Some(_) if !has("total") => {
                return Err(bad("rest", crate::tr!("needs a `total` in [fields]", "behöver en `total` i [fields]")));
            }
            Some(r) => {
                let kind: FunderKind = r.kind.parse().map_err(|e| bad("rest.kind", format!("{:?}: {e}", r.kind)))?;
                if has(kind.as_str()) {
                    return Err(bad(
                        "rest.kind",
                        crate::tr!(
                            "{}: the rules already name that amount's column",
                            "{}: reglerna anger redan det beloppets kolumn",
                            r.kind
                        ),
                    ));
                }
                Some((kind, r.funder.filter(|f| !f.trim().is_empty())))
            }
        };
        let mut maps = BTreeMap::new();
        for (field, map) in file.map {
            let key = format!("map.{field}");
            if !MAPPABLE.contains(&field.as_str()) {
                return Err(bad(
                    &key,
                    crate::tr!(
                        "not a field of words (those are: {})",
                        "inte ett fält av ord (sådana är: {})",
                        MAPPABLE.join(", ")
                    ),
                ));
            }
            let mut folded = BTreeMap::new();
            for (from, to) in map {
                check_word(&field, &to).map_err(|e| bad(&format!("{key}.{from:?}"), format!("{to:?}: {e}")))?;
                folded.insert(fold(&from), to);
            }
            maps.insert(field, folded);
        }
        let test = |key: &str, values: Option<Vec<String>>, matches: Option<String>| -> Result<Test, String> {
            match (values, matches) {
                (Some(v), None) => Ok(Test::In(v.iter().map(|s| fold(s)).collect())),
                (None, Some(m)) => Regex::new(&m).map(Test::Matches).map_err(|e| {
                    bad(
                        &format!("{key}.matches"),
                        crate::tr!("not a regular expression: {e}", "inte ett reguljärt uttryck: {e}"),
                    )
                }),
                _ => Err(bad(key, crate::tr!("give either `in` or `matches`", "ange antingen `in` eller `matches`"))),
            }
        };
        let mut keep = Vec::new();
        for (i, k) in file.keep.into_iter().enumerate() {
            let key = format!("keep[{}]", i + 1);
            keep.push((k.column, test(&key, k.values, k.matches)?));
        }
        let mut areas = Vec::new();
        for (i, a) in file.area.into_iter().enumerate() {
            let key = format!("area[{}]", i + 1);
            if a.column.is_none() && a.values.is_some() {
                return Err(bad(&key, crate::tr!("`in` needs a `column`", "`in` behöver en `column`")));
            }
            let and = match a.and {
                Some(k) => Some((k.column, test(&format!("{key}.and"), k.values, k.matches)?)),
                None => None,
            };
            areas.push(AreaEntry { column: a.column, test: test(&key, a.values, a.matches)?, and, areas: a.areas });
        }
        if areas.is_empty() && !has("areas") && !set.iter().any(|(f, _)| f == "areas") {
            return Err(bad(
                "area",
                crate::tr!(
                    "no [[area]] rule, no `areas` column and no [set] areas: no row would have an area",
                    "ingen [[area]]-regel, ingen `areas`-kolumn och inga areas i [set]: ingen rad skulle få ett område"
                ),
            ));
        }
        for required in ["ref", "title", "owner"] {
            if !has(required) && !set.iter().any(|(f, _)| f == required) {
                return Err(bad(
                    &format!("fields.{required}"),
                    crate::tr!("required: name the column that holds it", "krävs: ange kolumnen som innehåller det"),
                ));
            }
        }
        if !AMOUNT_COLUMNS.iter().any(|(c, _)| has(c)) && !has("total") {
            return Err(bad(
                "fields",
                crate::tr!(
                    "no amount: name at least one of eu, state, region, municipality, university, private, other or total",
                    "inget belopp: ange minst en av eu, state, region, municipality, university, private, other eller total"
                ),
            ));
        }
        let mut indicators = Vec::new();
        for (n, i) in file.indicator.iter().enumerate() {
            let code = crate::domain::indicator::normal_code(&i.code);
            crate::domain::indicator::validate_code(&code)
                .map_err(|why| bad(&format!("indicator[{n}].code"), format!("{:?}: {why}", i.code)))?;
            if indicators.iter().any(|(c, _, _)| *c == code) {
                return Err(bad(
                    &format!("indicator[{n}].code"),
                    crate::tr!("{code} is given twice", "{code} anges två gånger"),
                ));
            }
            indicators.push((code, i.target.clone(), i.outcome.clone()));
        }
        Ok(Rules {
            name: file.name.trim().to_string(),
            skip_unmatched,
            skip: file.read.skip,
            delimiter,
            encoding,
            decimal,
            date_formats,
            sheet: file.read.sheet,
            optional: file.read.optional,
            fields,
            set,
            rest,
            maps,
            keep,
            areas,
            indicators,
        })
    }

    /// The built-in rules called `name`, or the rules file at that path.
    pub fn load(name_or_path: &str) -> Result<Rules, String> {
        if let Some((name, _, text)) = BUILT_IN.iter().find(|(n, _, _)| *n == name_or_path) {
            return Rules::parse(&crate::tr!("built-in rules {name}", "inbyggda regler {name}"), text);
        }
        let text = std::fs::read_to_string(name_or_path).map_err(|e| {
            let known: Vec<&str> = BUILT_IN.iter().map(|(n, _, _)| *n).collect();
            crate::tr!(
                "{name_or_path}: cannot read the rules file: {e} (the built-in rules are: {})",
                "{name_or_path}: kan inte läsa regelfilen: {e} (de inbyggda reglerna är: {})",
                known.join(", ")
            )
        })?;
        Rules::parse(name_or_path, &text)
    }

    /// Checks every area the rules name against the database's areas.
    pub fn check_areas(&self, index: &AreaIndex<'_>) -> Result<(), String> {
        let mut named: Vec<(String, &str)> =
            self.areas.iter().enumerate().map(|(i, a)| (format!("area[{}].areas", i + 1), a.areas.as_str())).collect();
        if let Some((_, a)) = self.set.iter().find(|(f, _)| f == "areas") {
            named.push(("set.areas".into(), a));
        }
        if let Some(map) = self.maps.get("areas") {
            named.extend(map.iter().map(|(from, to)| (format!("map.areas.{from:?}"), to.as_str())));
        }
        for (key, spec) in named {
            let parts = super::projects::split_list(spec);
            resolve_shares(&parts, index).map_err(|e| format!("{}: {key}: {spec:?}: {e}", self.name))?;
        }
        Ok(())
    }

    /// Binds the rules to a file's header: every header they name must be there
    /// (unless `[read] optional` lists it). The error names the missing headers and
    /// lists the file's.
    pub fn bind(&self, header: &[String]) -> Result<Bound<'_>, String> {
        let mut missing = Vec::new();
        let mut find = |h: &str| -> Option<usize> {
            let key = fold(h);
            let found = header.iter().position(|x| fold(x) == key);
            if found.is_none() && !self.optional.iter().any(|o| fold(o) == key) && !missing.contains(&h.to_string()) {
                missing.push(h.to_string());
            }
            found
        };
        let mut fields = Vec::new();
        for (field, columns) in &self.fields {
            let bound: Vec<BoundColumn> = columns
                .iter()
                .filter_map(|c| {
                    let currency = match c {
                        Column::WithCurrency { currency, .. } => Currency::parse(currency).ok(),
                        Column::Header(_) => None,
                    };
                    find(c.header()).map(|i| (i, currency, header[i].clone()))
                })
                .collect();
            fields.push((field.as_str(), bound));
        }
        let keep = self.keep.iter().map(|(c, t)| (find(c), t)).collect();
        let indicators = self
            .indicators
            .iter()
            .map(|(code, target, outcome)| {
                let at = |i: usize| (i, header[i].clone());
                (code.as_str(), find(target).map(at), outcome.as_ref().and_then(|o| find(o)).map(at))
            })
            .collect();
        let areas = self
            .areas
            .iter()
            .map(|a| BoundArea {
                column: a.column.as_ref().map(|c| find(c)),
                test: &a.test,
                and: a.and.as_ref().map(|(c, t)| (find(c), t)),
                areas: &a.areas,
            })
            .collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|m| format!("{m:?}")).collect();
            let has: Vec<String> = header.iter().map(|h| format!("{h:?}")).collect();
            let (rules, names, has) = (&self.name, names.join(", "), has.join(", "));
            return Err(match missing.len() {
                1 => crate::tr!(
                    "the rules {rules} names {names} but the file has no such column (its columns are: {has})",
                    "reglerna {rules} anger {names} men filen har ingen sådan kolumn (dess kolumner är: {has})"
                ),
                _ => crate::tr!(
                    "the rules {rules} name {names} but the file has no such column (its columns are: {has})",
                    "reglerna {rules} anger {names} men filen har inga sådana kolumner (dess kolumner är: {has})"
                ),
            });
        }
        // The projects-CSV columns the translated records have.
        let mut given: Vec<String> = Vec::new();
        let mut add = |c: &str| {
            if !given.iter().any(|g| g == c) {
                given.push(c.to_string());
            }
        };
        // A field whose columns the file lacks (all optional) is not given: an update
        // keeps what is recorded.
        for (field, columns) in &fields {
            if !EXTRA_FIELDS.contains(field) && !columns.is_empty() {
                add(field);
            }
        }
        for (field, _) in &self.set {
            add(field);
        }
        for c in ["areas", "source", "currency", "rate"] {
            add(c);
        }
        if let Some((kind, _)) = self.rest {
            add(kind.as_str());
        }
        let layout =
            super::projects::layout(&given).map_err(|e| e.into_iter().map(|e| e.why).collect::<Vec<_>>().join("; "))?;
        let cell_of: Vec<&'static str> =
            given.iter().filter_map(|g| super::projects::COLUMNS.iter().find(|c| *c == g).copied()).collect();
        Ok(Bound { rules: self, fields, keep, areas, indicators, layout, columns: cell_of })
    }
}

/// Rules bound to a file's header.
pub struct Bound<'r> {
    pub rules: &'r Rules,
    /// Per field: the columns that hold it that the file has, with their currency and
    /// header.
    fields: Vec<(&'r str, Vec<BoundColumn>)>,
    keep: Vec<(Option<usize>, &'r Test)>,
    areas: Vec<BoundArea<'r>>,
    /// `[[indicator]]`: the code and the columns of its target and outcome.
    indicators: Vec<(&'r str, Option<BoundCell>, Option<BoundCell>)>,
    /// The layout of translated records.
    pub layout: Layout,
    /// The projects-CSV column of each translated cell.
    columns: Vec<&'static str>,
}

/// A record translated into a projects-CSV record.
pub struct TranslatedRow {
    /// The cells, in [`Bound::layout`].
    pub cells: Vec<String>,
    /// Whether its areas came from an `[[area]]` rule or a constant, not a column.
    pub areas_guessed: bool,
    /// The date of the rate its foreign amounts take from the command line or rules.
    pub rate_date: Option<NaiveDate>,
    /// Whether its owner came from a stand-in column (a later one of several listed,
    /// e.g. the beneficiary's identifier for its missing name): for a new project only.
    pub owner_stand_in: bool,
    /// `[[indicator]]`s with a target in the record: (code, target, outcome).
    pub indicators: Vec<(String, rust_decimal::Decimal, Option<rust_decimal::Decimal>)>,
}

/// A column of the file: its index and its header.
type BoundCell = (usize, String);

/// A column of the file bound to a field: its index, its amounts' currency, its header.
type BoundColumn = (usize, Option<Currency>, String);

/// An area rule bound to the file's columns.
struct BoundArea<'r> {
    /// `None`: title and text; `Some(None)`: a column the file lacks (never matches).
    column: Option<Option<usize>>,
    test: &'r Test,
    /// A second condition; on a column the file lacks it holds.
    and: Option<(Option<usize>, &'r Test)>,
    areas: &'r str,
}

/// What one record became.
pub enum Translated {
    Row(TranslatedRow),
    /// Left out by `[[keep]]`.
    Left,
    /// No area rule matched: the record's title, and for a comparison the record read
    /// with the stand-in area.
    Unmatched(String, Option<TranslatedRow>),
}

/// What the translation of a record needs besides the record.
pub struct Context<'a> {
    pub rates: &'a [GivenRate],
    /// An area to read an unmatched row with (a comparison reads every row).
    pub stand_in: Option<&'a str>,
    /// Whether the record is a spreadsheet's: a number cell is written `1234567.5`
    /// whatever the rules' decimal mark, which is for cells of text.
    pub spreadsheet: bool,
}

impl Bound<'_> {
    /// The header each field came from, to name in messages about it.
    pub fn header_of(&self, field: &str) -> Option<&str> {
        self.fields.iter().find(|(f, _)| *f == field).and_then(|(_, c)| c.first()).map(|(_, _, h)| h.as_str())
    }

    fn mapped<'c>(&self, field: &str, value: &'c str) -> std::borrow::Cow<'c, str> {
        match self.rules.maps.get(field).and_then(|m| m.get(&fold(value))) {
            Some(to) => std::borrow::Cow::Owned(to.clone()),
            None => std::borrow::Cow::Borrowed(value),
        }
    }

    /// The first non-blank cell of a field's columns, with its column's currency and header.
    fn cell<'c>(&self, cells: &'c [String], field: &str) -> Option<(&'c str, Option<&Currency>, &str)> {
        let (_, columns) = self.fields.iter().find(|(f, _)| *f == field)?;
        columns
            .iter()
            .filter_map(|(i, c, h)| cells.get(*i).map(|v| (v.trim(), c.as_ref(), h.as_str())))
            .find(|(v, _, _)| !v.is_empty())
    }

    fn given(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, c)| *f == field && !c.is_empty())
    }

    /// Translates one record. Problems with its cells are returned, naming the file's
    /// headers.
    pub fn translate(&self, line: u64, cells: &[String], cx: &Context<'_>) -> Result<Translated, Vec<RowError>> {
        let r = self.rules;
        for (column, test) in &self.keep {
            if let Some(i) = column
                && !test.holds(cells.get(*i).map_or("", String::as_str))
            {
                return Ok(Translated::Left);
            }
        }
        let mut errors = Vec::new();
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let constant = |f: &str| r.set.iter().find(|(g, _)| g == f).map(|(_, v)| v.as_str());
        // Words, texts and lists.
        for column in &self.columns {
            let field = *column;
            if is_amount(field) || ["areas", "source", "currency", "rate"].contains(&field) {
                continue;
            }
            let value = match self.cell(cells, field) {
                Some((v, _, header)) => {
                    if DATES.contains(&field) {
                        match self.date(v) {
                            Ok(d) => d,
                            Err(why) => {
                                errors.push(RowError::cell(line, header, v, why));
                                String::new()
                            }
                        }
                    } else if ["municipalities", "partners"].contains(&field) {
                        let separators: &[char] =
                            if field == "municipalities" { &['|', ',', ';'] } else { &['|', ';'] };
                        let parts: Vec<String> = v
                            .split(separators)
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| self.mapped(field, p).into_owned())
                            .filter(|p| !p.trim().is_empty())
                            .collect();
                        parts.join("|")
                    } else {
                        self.mapped(field, v).into_owned()
                    }
                }
                None => match constant(field) {
                    Some(c) => c.to_string(),
                    None => String::new(),
                },
            };
            out.push((field, value));
        }
        // The row's currency and rate.
        let eu_cell = self.cell(cells, "eu");
        let total_cell = self.cell(cells, "total");
        let currency_text = match self.cell(cells, "currency") {
            Some((v, _, _)) => Some(self.mapped("currency", v).into_owned()),
            None => eu_cell
                .and_then(|(_, c, _)| c)
                .or(total_cell.and_then(|(_, c, _)| c))
                .map(|c| c.as_str().to_string())
                .or_else(|| constant("currency").map(str::to_string)),
        };
        let currency = match currency_text.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => match Currency::parse(c) {
                Ok(c) if c.is_sek() => None,
                Ok(c) => Some(c),
                Err(why) => {
                    errors.push(RowError::cell(line, self.header_of("currency").unwrap_or("currency"), c, why));
                    None
                }
            },
        };
        let mut rate_text = String::new();
        let mut rate_date = None;
        if let Some(c) = &currency {
            let from_file = self.cell(cells, "rate").map(|(v, _, _)| v.to_string());
            let from_flag = cx.rates.iter().find(|g| g.currency == *c);
            match (from_file, from_flag, constant("rate")) {
                (Some(v), _, _) => rate_text = v,
                (None, Some(g), _) => {
                    rate_text = g.rate.text();
                    rate_date = g.date;
                }
                (None, None, Some(v)) => {
                    if let Ok((rate, date)) = parse_rate(v) {
                        rate_text = rate.text();
                        rate_date = date;
                    }
                }
                (None, None, None) => {
                    let header = eu_cell.or(total_cell).map_or("currency", |(_, _, h)| h);
                    let value = eu_cell.or(total_cell).map_or("", |(v, _, _)| v);
                    errors.push(RowError::cell(
                        line,
                        header,
                        value,
                        crate::tr!(
                            "an amount in {0} needs its rate: give --rate {0}=RATE[@DATE] or `rate` in the rules",
                            "ett belopp i {0} behöver sin kurs: ange --rate {0}=KURS[@DATUM] eller `rate` i reglerna",
                            c.as_str()
                        ),
                    ));
                }
            }
        }
        // Amounts, and the rest of the total.
        let mut named = 0i64;
        let mut named_ok = true;
        for (column, kind) in AMOUNT_COLUMNS {
            if !self.columns.contains(&column) || self.rules.rest.as_ref().is_some_and(|(k, _)| *k == kind) {
                continue;
            }
            let Some((v, own, header)) = self.cell(cells, column) else {
                out.push((column, String::new()));
                continue;
            };
            match self.amount(v, cx.spreadsheet) {
                Ok(m) => {
                    let in_row_currency = match own {
                        Some(c) => currency.as_ref() == Some(c) || (c.is_sek() && currency.is_none()),
                        None => kind == FunderKind::Eu || currency.is_none(),
                    };
                    if in_row_currency {
                        named += m.0;
                    } else {
                        named_ok = false;
                    }
                    let text = match own {
                        Some(c) if kind != FunderKind::Eu || currency.as_ref() != Some(c) => {
                            format!("{} {}", m.plain(), c.as_str())
                        }
                        _ => m.plain(),
                    };
                    out.push((column, text));
                }
                Err(why) => {
                    errors.push(RowError::cell(line, header, v, why));
                    named_ok = false;
                }
            }
        }
        if let Some((kind, _)) = &self.rules.rest {
            let mut cell = String::new();
            match total_cell {
                None => {}
                Some((v, _, header)) => match self.amount(v, cx.spreadsheet) {
                    Err(why) => errors.push(RowError::cell(line, header, v, why)),
                    Ok(_) if !named_ok => {}
                    Ok(total) if total.0 < named => errors.push(RowError::cell(
                        line,
                        header,
                        v,
                        crate::tr!(
                            "less than the amounts the row names ({})",
                            "mindre än beloppen som raden anger ({})",
                            Money(named).plain()
                        ),
                    )),
                    Ok(total) if total.0 == named => {}
                    Ok(total) => {
                        let rest = Money(total.0 - named).plain();
                        cell = match &currency {
                            Some(c) if *kind != FunderKind::Eu => format!("{rest} {}", c.as_str()),
                            _ => rest,
                        };
                    }
                },
            }
            out.push((kind.as_str(), cell));
        }
        // Areas: a column, else the first rule that matches, else a constant.
        let column_areas = self.cell(cells, "areas");
        let areas = if let Some((v, _, _)) = column_areas {
            let parts: Vec<String> =
                super::projects::split_list(v).into_iter().map(|p| self.mapped("areas", p).into_owned()).collect();
            Some(parts.join("|"))
        } else {
            let title = self.cell(cells, "title").map_or("", |(v, _, _)| v);
            let text: Vec<&str> = self
                .fields
                .iter()
                .filter(|(f, _)| *f == "text")
                .flat_map(|(_, c)| c.iter().filter_map(|(i, _, _)| cells.get(*i).map(String::as_str)))
                .collect();
            let words = std::iter::once(title).chain(text).collect::<Vec<_>>().join("\n");
            let cell = |i: &usize| cells.get(*i).map_or("", String::as_str);
            self.areas
                .iter()
                .find(|a| {
                    let first = match a.column {
                        None => a.test.holds(&words),
                        Some(Some(i)) => a.test.holds(cell(&i)),
                        Some(None) => false,
                    };
                    first && a.and.is_none_or(|(c, t)| c.is_none_or(|i| t.holds(cell(&i))))
                })
                .map(|a| a.areas.to_string())
                .or_else(|| constant("areas").map(str::to_string))
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let matched = areas.is_some();
        let Some(areas) = areas.or_else(|| cx.stand_in.map(str::to_string)) else {
            let title = self.cell(cells, "title").map_or(String::new(), |(v, _, _)| v.to_string());
            return Ok(Translated::Unmatched(title, None));
        };
        out.push(("areas", areas));
        out.push(("source", r.name.clone()));
        out.push(("currency", currency.map(|c| c.as_str().to_string()).unwrap_or_default()));
        out.push(("rate", rate_text));
        let translated = self
            .columns
            .iter()
            .map(|c| out.iter().find(|(f, _)| f == c).map(|(_, v)| v.clone()).unwrap_or_default())
            .collect();
        let owner_stand_in = match (self.cell(cells, "owner"), self.fields.iter().find(|(f, _)| *f == "owner")) {
            (Some((_, _, header)), Some((_, columns))) => columns.first().is_some_and(|(_, _, h)| h != header),
            _ => false,
        };
        let mut indicators = Vec::new();
        let mut bad_values = Vec::new();
        for (code, target, outcome) in &self.indicators {
            let cell = |c: &Option<BoundCell>| {
                c.as_ref().and_then(|(i, _)| cells.get(*i)).map(|v| v.trim()).filter(|v| !v.is_empty())
            };
            let Some(t) = cell(target) else { continue };
            let value = |v: &str, c: &Option<BoundCell>| {
                let header = c.as_ref().map_or("", |(_, h)| h.as_str());
                crate::domain::project::parse_quantity(v).map_err(|why| RowError::cell(line, header, v, why))
            };
            match (value(t, target), cell(outcome).map(|o| value(o, outcome)).transpose()) {
                (Ok(t), Ok(o)) => indicators.push((code.to_string(), t, o)),
                (t, o) => bad_values.extend(t.err().into_iter().chain(o.err())),
            }
        }
        if !bad_values.is_empty() {
            return Err(bad_values);
        }
        let row = TranslatedRow {
            cells: translated,
            areas_guessed: column_areas.is_none(),
            rate_date,
            owner_stand_in,
            indicators,
        };
        if matched {
            Ok(Translated::Row(row))
        } else {
            let title = self.cell(cells, "title").map_or(String::new(), |(v, _, _)| v.to_string());
            Ok(Translated::Unmatched(title, Some(row)))
        }
    }

    /// Finishes a parsed row: constants of the rules are for new projects only, and the
    /// row's own details (funders of the rest, the rate's date) are filled in; problems
    /// name the file's headers, not spets's fields.
    pub fn finish(&self, mut row: ProjectRow, translated: &TranslatedRow) -> ProjectRow {
        let constant = |f: &str| self.rules.set.iter().any(|(g, _)| g == f) && !self.given(f);
        if constant("status") {
            row.status = row.status.as_default();
        }
        if constant("kind") {
            row.kind = row.kind.as_default();
        }
        for (field, given) in [
            ("programme", &mut row.programme),
            ("fund", &mut row.fund),
            ("parent", &mut row.parent),
            ("notes", &mut row.notes),
        ] {
            if constant(field) {
                *given = std::mem::replace(given, Given::Keep).as_default();
            }
        }
        for (field, given) in [("decided", &mut row.decided), ("start", &mut row.start), ("end", &mut row.end)] {
            if constant(field) {
                *given = std::mem::replace(given, Given::Keep).as_default();
            }
        }
        row.owner_default = constant("owner") || translated.owner_stand_in;
        row.areas_guessed = translated.areas_guessed;
        if let Some((kind, Some(funder))) = &self.rules.rest {
            row.funders.push((*kind, funder.clone()));
        }
        row.rate_date = translated.rate_date;
        row.indicators = translated.indicators.clone();
        row
    }

    /// Renames a problem's column from spets's field to the file's header.
    pub fn rename(&self, mut e: RowError) -> RowError {
        if let Some(h) = self.header_of(&e.column) {
            e.column = h.to_string();
        }
        e
    }

    fn date(&self, v: &str) -> Result<String, String> {
        for f in self.rules.date_formats.iter().map(String::as_str).chain(["%Y-%m-%d"]) {
            if let Ok(d) = NaiveDate::parse_from_str(v.trim(), f) {
                // The same range and checks as any date spets reads.
                return crate::domain::date::parse_date(&iso(d)).map(iso);
            }
        }
        Err(crate::tr!(
            "not a date in the rules' formats ({})",
            "inte ett datum i reglernas format ({})",
            self.rules.date_formats.join(", ")
        ))
    }

    /// Reads an amount written with the rules' decimal mark; thousands may be grouped
    /// with spaces or, since the mark is known, with the other mark.
    fn amount(&self, v: &str, spreadsheet: bool) -> Result<Money, String> {
        let number = |s: &str| s.split_once('.').map_or(s, |(i, _)| i).bytes().all(|b| b.is_ascii_digit());
        if spreadsheet && v.split_once('.').is_none_or(|(_, f)| f.bytes().all(|b| b.is_ascii_digit())) && number(v) {
            return Money::parse(v).map_err(|e| e.to_string());
        }
        let group = if self.rules.decimal == '.' { ',' } else { '.' };
        let t: String = v.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let (int, frac) = match t.rsplit_once(self.rules.decimal) {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (t.clone(), None),
        };
        let groups: Vec<&str> = int.split(group).collect();
        let grouped_well = groups.len() == 1
            || (groups[0].len() <= 3 && !groups[0].is_empty() && groups[1..].iter().all(|g| g.len() == 3));
        if !grouped_well {
            return Err(crate::tr!(
                "not an amount with {:?} as its decimal mark",
                "inte ett belopp med {:?} som decimaltecken",
                self.rules.decimal
            ));
        }
        let plain = match frac {
            Some(f) => format!("{}.{f}", groups.concat()),
            None => groups.concat(),
        };
        Money::parse(&plain).map_err(|e| e.to_string())
    }
}
