//! The projects CSV: one project per record, its financing as one amount per funder
//! kind (the `eu` amount's funder is the project's fund, the others are named by kind;
//! a finer plan goes in the funding CSV).

use std::collections::HashMap;

use super::{Cell, Layout, Problems, RowError, mark, non_blank};
use crate::domain::area::{Area, AreaIndex, AreaShare, format_share, resolve_shares};
use crate::domain::date::{iso, parse_date};
use crate::domain::money::Money;
use crate::domain::municipality::{self, MunicipalityIndex};
use crate::domain::org::{Org, OrgKind, OrgNo};
use crate::domain::project::StoredProject;
use crate::domain::project::{
    Currency, DefaultFunders, FunderKind, FundingLine, Project, ProjectKind, Provenance, Rate, Status, validate_ref,
};
use crate::formats::dialect::CsvDialect;

pub const COLUMNS: &[&str] = &[
    "ref",
    "title",
    "owner",
    "owner_org_no",
    "owner_kind",
    "kind",
    "parent",
    "programme",
    "fund",
    "status",
    "decided",
    "start",
    "end",
    "municipalities",
    "areas",
    "partners",
    "eu",
    "state",
    "region",
    "municipality",
    "university",
    "private",
    "other",
    "currency",
    "rate",
    "notes",
    "overrun",
    "source",
    "source_id",
];

const REQUIRED: &[&str] = &["ref", "title", "owner", "areas"];

/// The amount columns, in funder-kind order.
pub const AMOUNT_COLUMNS: [(&str, FunderKind); 7] = [
    ("eu", FunderKind::Eu),
    ("state", FunderKind::State),
    ("region", FunderKind::Region),
    ("municipality", FunderKind::Municipality),
    ("university", FunderKind::University),
    ("private", FunderKind::Private),
    ("other", FunderKind::Other),
];

/// The header of a projects file, checked.
pub fn layout(header: &[String]) -> Result<Layout, Vec<RowError>> {
    let layout = Layout::new(header, COLUMNS, REQUIRED)?;
    if !AMOUNT_COLUMNS.iter().any(|(c, _)| layout.has(c)) {
        return Err(vec![RowError::whole(
            1,
            crate::tr!(
                "no amount column: at least one of eu, state, region, municipality, university, private, other is required",
                "ingen beloppskolumn: minst en av eu, state, region, municipality, university, private, other krävs"
            ),
        )]);
    }
    Ok(layout)
}

/// A value the file gives, or `Keep` when the file has no such column (an update keeps
/// what was recorded; a new project gets the default). `Default` is a value for a new
/// project only: import rules' constants (`[set]`) never overwrite what is recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Given<T> {
    Keep,
    Set(T),
    Default(T),
}

impl<T: Clone> Given<T> {
    pub fn or(&self, existing: Option<&T>, default: T) -> T {
        match self {
            Given::Set(v) => v.clone(),
            Given::Default(v) => existing.cloned().unwrap_or_else(|| v.clone()),
            Given::Keep => existing.cloned().unwrap_or(default),
        }
    }

    /// The value a row of the file gives (not a constant of the rules).
    pub fn from_file(&self) -> Option<&T> {
        match self {
            Given::Set(v) => Some(v),
            _ => None,
        }
    }

    /// A value given, as a constant for new projects only.
    pub fn as_default(self) -> Given<T> {
        match self {
            Given::Set(v) => Given::Default(v),
            other => other,
        }
    }
}

/// One record of a projects file, parsed; organisations still by name.
#[derive(Clone, Debug)]
pub struct ProjectRow {
    pub line: u64,
    pub reference: String,
    pub title: String,
    pub owner: String,
    pub owner_org_no: Option<OrgNo>,
    pub owner_kind: Option<OrgKind>,
    pub kind: Given<ProjectKind>,
    pub parent: Given<Option<String>>,
    pub programme: Given<Option<String>>,
    pub fund: Given<Option<String>>,
    pub status: Given<Status>,
    pub decided: Given<Option<chrono::NaiveDate>>,
    pub start: Given<Option<chrono::NaiveDate>>,
    pub end: Given<Option<chrono::NaiveDate>>,
    pub municipalities: Given<u64>,
    pub areas: Vec<AreaShare>,
    pub partners: Given<Vec<String>>,
    /// Per amount column the file has: the amount in its own currency (with the rate
    /// when not SEK), or `None` for a blank cell.
    pub amounts: Vec<(FunderKind, Option<Amount>)>,
    pub notes: Given<Option<String>>,
    /// `overrun`: whether payments may exceed the granted total.
    pub overrun: Given<bool>,
    pub source: Given<Option<String>>,
    pub source_id: Given<Option<String>>,
    /// Whether the owner is a constant of import rules (kept for a recorded project).
    pub owner_default: bool,
    /// Whether the areas come from import rules' `[[area]]` or `[set]` (a guess, kept
    /// for a recorded project).
    pub areas_guessed: bool,
    /// Import rules' `[[indicator]]`s: (code, target, outcome).
    pub indicators: Vec<(String, rust_decimal::Decimal, Option<rust_decimal::Decimal>)>,
    /// Funders named by import rules for amount kinds, instead of the kind's default.
    pub funders: Vec<(FunderKind, String)>,
    /// The date of the rate of the row's foreign amounts, when known.
    pub rate_date: Option<chrono::NaiveDate>,
}

fn text(cell: Option<&str>) -> Given<Option<String>> {
    match cell {
        None => Given::Keep,
        Some(c) => Given::Set(non_blank(Some(c)).map(str::to_string)),
    }
}

/// Splits a `|`-separated list, dropping blanks.
pub fn split_list(cell: &str) -> Vec<&str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Parses one record. Every bad cell of the record is reported.
pub fn parse(
    layout: &Layout,
    line: u64,
    cells: &[String],
    areas: &AreaIndex<'_>,
    municipalities: &MunicipalityIndex<'_>,
) -> Result<ProjectRow, Vec<RowError>> {
    let mut p = Problems::new(line);
    let get = |c: &str| layout.get(cells, c);

    let reference = crate::domain::project::normal_ref(get("ref").unwrap_or_default());
    p.check("ref", &reference, validate_ref(&reference));
    let title = get("title").unwrap_or_default().trim().to_string();
    if title.is_empty() {
        p.add("title", &title, crate::tr!("a title is required", "en titel krävs"));
    }
    let owner = get("owner").unwrap_or_default().trim().to_string();
    p.check("owner", &owner, crate::domain::org::validate_name(&owner));
    let owner_org_no = non_blank(get("owner_org_no")).and_then(|v| p.check("owner_org_no", v, OrgNo::parse(v)));
    let owner_kind = non_blank(get("owner_kind")).and_then(|v| p.check("owner_kind", v, v.parse::<OrgKind>()));

    let kind = match get("kind") {
        None => Given::Keep,
        Some(v) => Given::Set(match non_blank(Some(v)) {
            None => ProjectKind::Project,
            Some(v) => p.check("kind", v, v.parse()).unwrap_or(ProjectKind::Project),
        }),
    };
    let status = match get("status") {
        None => Given::Keep,
        Some(v) => Given::Set(match non_blank(Some(v)) {
            None => Status::Granted,
            Some(v) => p.check("status", v, v.parse()).unwrap_or(Status::Granted),
        }),
    };
    let mut date = |column: &str| match get(column) {
        None => Given::Keep,
        Some(v) => Given::Set(non_blank(Some(v)).and_then(|v| p.check(column, v, parse_date(v)))),
    };
    let decided = date("decided");
    let start = date("start");
    let end = date("end");
    if let (Given::Set(Some(s)), Given::Set(Some(e))) = (&start, &end)
        && e < s
    {
        p.add("end", &iso(*e), crate::tr!("ends before it starts ({})", "slutar innan det börjar ({})", iso(*s)));
    }

    let municipalities_given = match get("municipalities") {
        None => Given::Keep,
        Some(v) => Given::Set(p.check("municipalities", v, municipalities.resolve_set(split_list(v))).unwrap_or(0)),
    };
    let area_cell = get("areas").unwrap_or_default();
    let area_list = split_list(area_cell);
    let shares = p.check("areas", area_cell, resolve_shares(&area_list, areas)).unwrap_or_default();
    let partners = match get("partners") {
        None => Given::Keep,
        Some(v) => {
            let names: Vec<String> = split_list(v).into_iter().map(str::to_string).collect();
            for n in &names {
                p.check("partners", n, crate::domain::org::validate_name(n));
            }
            Given::Set(names)
        }
    };

    // `currency` and `rate` are those of the eu amount; any other amount is SEK unless
    // its cell names its own currency (`27 000 EUR`), which needs the row's rate.
    let currency = non_blank(get("currency")).and_then(|v| p.check("currency", v, Currency::parse(v)));
    let rate = non_blank(get("rate")).and_then(|v| p.check("rate", v, Rate::parse(v)));
    let row_fx = match (&currency, rate) {
        (Some(c), _) if c.is_sek() => None,
        (Some(c), Some(r)) => Some((c.clone(), r)),
        (Some(c), None) => {
            p.add(
                "rate",
                "",
                crate::tr!(
                    "an amount in {0} needs its rate (SEK per {0})",
                    "ett belopp i {0} behöver sin kurs (SEK per {0})",
                    c.as_str()
                ),
            );
            None
        }
        (None, _) => None,
    };
    let mut amounts = Vec::new();
    for (column, kind) in AMOUNT_COLUMNS {
        let Some(v) = get(column) else { continue };
        let amount = non_blank(Some(v)).and_then(|v| {
            let (number, own) = split_currency(v);
            let money = p.check(column, v, Money::parse(number).map_err(|e| e.to_string()))?;
            let currency = match own {
                Some(c) => Some(c),
                None if kind == FunderKind::Eu => currency.clone(),
                None => None,
            };
            let fx = match currency {
                None => None,
                Some(c) if c.is_sek() => None,
                Some(c) => match &row_fx {
                    Some((rc, r)) if *rc == c => Some((c, *r)),
                    // Without a rate for it the eu column has already been reported.
                    _ if kind == FunderKind::Eu => return None,
                    _ => {
                        let why = crate::tr!(
                            "an amount in {0} needs its rate: give the row's currency as {0} with a rate, or put the line in the funding CSV",
                            "ett belopp i {0} behöver sin kurs: ange radens valuta som {0} med en kurs, eller lägg raden i finansierings-CSV:n",
                            c.as_str()
                        );
                        p.add(column, v, why);
                        return None;
                    }
                },
            };
            Some(Amount { money, fx })
        });
        amounts.push((kind, amount));
    }

    let row = ProjectRow {
        line,
        reference,
        title,
        owner,
        owner_org_no,
        owner_kind,
        kind,
        parent: match text(get("parent")) {
            Given::Set(p) => Given::Set(p.as_deref().map(crate::domain::project::normal_ref)),
            keep => keep,
        },
        programme: text(get("programme")),
        fund: text(get("fund")),
        status,
        decided,
        start,
        end,
        municipalities: municipalities_given,
        areas: shares,
        partners,
        amounts,
        notes: text(get("notes")),
        overrun: match get("overrun") {
            None => Given::Keep,
            Some(v) => Given::Set(p.check("overrun", v, super::parse_flag(v)).unwrap_or(false)),
        },
        source: text(get("source")),
        source_id: text(get("source_id")),
        owner_default: false,
        areas_guessed: false,
        indicators: Vec::new(),
        funders: Vec::new(),
        rate_date: None,
    };
    if p.errors.is_empty() { Ok(row) } else { Err(p.errors) }
}

/// One amount cell of the projects CSV: the amount, and its currency and rate when it
/// is not SEK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount {
    pub money: Money,
    pub fx: Option<(Currency, Rate)>,
}

/// Splits a currency code off the end of an amount cell: `27 000 EUR` → (`27 000`, EUR).
/// `kr` is the Swedish krona written the usual way and stays with the number.
fn split_currency(cell: &str) -> (&str, Option<Currency>) {
    let t = cell.trim();
    match t.rsplit_once(|c: char| c.is_whitespace()) {
        Some((number, code)) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
            match Currency::parse(code) {
                Ok(c) => (number, Some(c)),
                Err(_) => (t, None),
            }
        }
        _ => (t, None),
    }
}

/// Whether the recorded lines of one kind are what the row's amount says.
fn kind_matches(existing: &[&FundingLine], amount: Option<&Amount>) -> bool {
    match amount {
        None => existing.is_empty(),
        Some(Amount { money, fx: None }) => {
            !existing.is_empty() && existing.iter().map(|l| l.amount.0).sum::<i64>() == money.0
        }
        Some(Amount { money, fx: Some((c, r)) }) => {
            !existing.is_empty()
                && existing.iter().all(|l| l.foreign.as_ref().is_some_and(|f| f.currency == *c && f.rate == *r))
                && existing.iter().filter_map(|l| l.foreign.as_ref()).map(|f| f.original.0).sum::<i64>() == money.0
        }
    }
}

impl ProjectRow {
    /// The financing plan this row gives, merged with what is recorded: kinds the file
    /// has no column for keep their lines, and so do kinds whose amount is unchanged
    /// (so a finer plan from the funding CSV survives re-importing this file).
    pub fn funding(
        &self,
        fund: Option<&str>,
        existing: &[FundingLine],
        defaults: &DefaultFunders,
    ) -> Result<Vec<FundingLine>, RowError> {
        let by_kind = |k: FunderKind| existing.iter().filter(|l| l.kind == k).collect::<Vec<_>>();
        let unchanged = self.amounts.iter().all(|(k, a)| kind_matches(&by_kind(*k), a.as_ref()));
        if unchanged {
            return Ok(existing.to_vec());
        }
        let mut lines = Vec::new();
        for (_, kind) in AMOUNT_COLUMNS {
            match self.amounts.iter().find(|(k, _)| *k == kind) {
                None => lines.extend(by_kind(kind).into_iter().cloned()),
                Some((_, amount)) if kind_matches(&by_kind(kind), amount.as_ref()) => {
                    lines.extend(by_kind(kind).into_iter().cloned())
                }
                Some((_, None)) => {}
                Some((_, Some(amount))) => {
                    let (currency, rate) = match &amount.fx {
                        Some((c, r)) => (c.clone(), Some(*r)),
                        None => (Currency::sek(), None),
                    };
                    let funder = match self.funders.iter().find(|(k, _)| *k == kind) {
                        Some((_, name)) => name.clone(),
                        None => defaults.funder(kind, fund),
                    };
                    let rate_date = self.rate_date.filter(|_| rate.is_some());
                    let line = FundingLine::new(funder, kind, amount.money, currency, rate, rate_date, false)
                        .map_err(|e| RowError::cell(self.line, kind.as_str(), &amount.money.plain(), e))?;
                    lines.push(line);
                }
            }
        }
        Ok(lines)
    }

    /// The project this row describes, over what is recorded (if anything); amounts of
    /// kinds other than eu are recorded under the kind's default funder. `file` is the
    /// file the row is read from, recorded with the row's line.
    pub fn to_project(
        &self,
        owner: i64,
        partners: Vec<i64>,
        existing: Option<&Project>,
        defaults: &DefaultFunders,
        file: Option<&str>,
    ) -> Result<Project, RowError> {
        let e = existing;
        let recorded = e.map(|p| &p.provenance);
        let source = self.source.or(recorded.map(|p| &p.source), None);
        // A guess from the row's words places a new project; a recorded one keeps the
        // areas it has, which someone may have chosen.
        let areas = match e {
            Some(p) if self.areas_guessed => p.areas.clone(),
            _ => self.areas.clone(),
        };
        let fund = self.fund.or(e.map(|p| &p.fund), None);
        let funding = self.funding(fund.as_deref(), e.map_or(&[][..], |p| &p.funding), defaults)?;
        let partners = match (&self.partners, e) {
            (Given::Set(_), _) | (Given::Default(_), None) => partners,
            (Given::Keep | Given::Default(_), _) => e.map(|p| p.partners.clone()).unwrap_or_default(),
        };
        Ok(Project {
            reference: self.reference.clone(),
            title: self.title.clone(),
            owner,
            kind: self.kind.or(e.map(|p| &p.kind), ProjectKind::Project),
            parent: self.parent.or(e.map(|p| &p.parent), None),
            programme: self.programme.or(e.map(|p| &p.programme), None),
            fund,
            status: self.status.or(e.map(|p| &p.status), Status::Granted),
            decided: self.decided.or(e.map(|p| &p.decided), None),
            start: self.start.or(e.map(|p| &p.start), None),
            end: self.end.or(e.map(|p| &p.end), None),
            municipalities: self.municipalities.or(e.map(|p| &p.municipalities), 0),
            areas,
            partners,
            funding,
            notes: self.notes.or(e.map(|p| &p.notes), None),
            overrun_allowed: self.overrun.or(e.map(|p| &p.overrun_allowed), false),
            provenance: Provenance {
                source_id: self.source_id.or(recorded.map(|p| &p.source_id), None),
                source,
                file: file.map(str::to_string).or_else(|| recorded.and_then(|p| p.file.clone())),
                line: if file.is_some() { Some(self.line) } else { recorded.and_then(|p| p.line) },
            },
        })
    }
}

/// One kind's sum in the projects CSV, and whether it is in the row's currency.
pub type CoarseAmount = (Money, bool);

/// A project's financing summed by kind, as the projects CSV writes it: each kind in
/// its original currency when all its lines share one currency and rate and that is
/// the row's (the eu amount's, else the first foreign kind's), else in SEK. Returns the
/// row's currency and rate, and per kind the amount and whether it is in that currency.
pub fn coarse(lines: &[FundingLine]) -> (Option<(Currency, Rate)>, [Option<CoarseAmount>; 7]) {
    let uniform = |kind: FunderKind| -> Option<(Currency, Rate)> {
        let mut of_kind = lines.iter().filter(|l| l.kind == kind);
        let first = of_kind.next()?.foreign.as_ref().map(|f| (f.currency.clone(), f.rate))?;
        of_kind.all(|l| l.foreign.as_ref().is_some_and(|f| f.currency == first.0 && f.rate == first.1)).then_some(first)
    };
    let row_fx = AMOUNT_COLUMNS.iter().find_map(|(_, k)| uniform(*k));
    let mut amounts = [None; 7];
    for (i, (_, kind)) in AMOUNT_COLUMNS.iter().enumerate() {
        let of_kind: Vec<&FundingLine> = lines.iter().filter(|l| l.kind == *kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let foreign = row_fx.is_some() && uniform(*kind) == row_fx;
        let sum = if foreign {
            of_kind.iter().filter_map(|l| l.foreign.as_ref()).map(|f| f.original.0).sum()
        } else {
            of_kind.iter().map(|l| l.amount.0).sum()
        };
        amounts[i] = Some((Money(sum), foreign));
    }
    (row_fx, amounts)
}

/// Names for export: organisations and areas by id, the region's municipalities.
pub struct Names<'a> {
    pub orgs: &'a HashMap<i64, Org>,
    pub areas: &'a HashMap<i64, Area>,
    pub municipalities: &'a [String],
}

/// The cells of one project, in [`COLUMNS`] order.
pub fn export_row(sp: &StoredProject, names: &Names<'_>, dialect: CsvDialect) -> Vec<Cell> {
    let p = &sp.project;
    let m = mark(dialect);
    let owner = names.orgs.get(&p.owner);
    let org_name = |id: &i64| names.orgs.get(id).map_or_else(|| format!("#{id}"), |o| o.name.clone());
    let areas: Vec<String> = p
        .areas
        .iter()
        .map(|a| {
            let code = names.areas.get(&a.area_id).map_or_else(|| format!("#{}", a.area_id), |x| x.code.clone());
            if p.areas.len() == 1 && a.share_bp == 10_000 {
                code
            } else {
                format!("{code}:{}", format_share(a.share_bp, m))
            }
        })
        .collect();
    let (currency, amounts) = coarse(&p.funding);
    let mut cells = vec![
        Cell::text(&p.reference),
        Cell::text(&p.title),
        Cell::text(owner.map_or_else(|| org_name(&p.owner), |o| o.name.clone())),
        Cell::Plain(owner.and_then(|o| o.org_no.as_ref()).map(|n| n.to_string()).unwrap_or_default()),
        Cell::Plain(
            owner.filter(|o| o.kind != OrgKind::NotRecorded).map(|o| o.kind.as_str().to_string()).unwrap_or_default(),
        ),
        Cell::Plain(p.kind.as_str().into()),
        Cell::opt(p.parent.clone()),
        Cell::opt(p.programme.clone()),
        Cell::opt(p.fund.clone()),
        Cell::Plain(p.status.as_str().into()),
        Cell::Plain(p.decided.map(iso).unwrap_or_default()),
        Cell::Plain(p.start.map(iso).unwrap_or_default()),
        Cell::Plain(p.end.map(iso).unwrap_or_default()),
        Cell::text(municipality::names(p.municipalities, names.municipalities).join("|")),
        Cell::text(areas.join("|")),
        Cell::text(p.partners.iter().map(org_name).collect::<Vec<_>>().join("|")),
    ];
    // The eu cell takes the row's currency unless it says otherwise; every other cell is
    // SEK unless it says otherwise.
    let code = currency.as_ref().map_or("", |(c, _)| c.as_str());
    cells.extend(AMOUNT_COLUMNS.iter().zip(&amounts).map(|((_, kind), a)| {
        Cell::Plain(match a {
            None => String::new(),
            Some((v, true)) if *kind != FunderKind::Eu => format!("{} {code}", v.with_mark(m)),
            Some((v, false)) if *kind == FunderKind::Eu && currency.is_some() => format!("{} SEK", v.with_mark(m)),
            Some((v, _)) => v.with_mark(m),
        })
    }));
    cells.push(Cell::Plain(currency.as_ref().map(|(c, _)| c.as_str().to_string()).unwrap_or_default()));
    cells.push(Cell::Plain(currency.as_ref().map(|(_, r)| r.text().replace('.', &m.to_string())).unwrap_or_default()));
    cells.push(Cell::opt(p.notes.clone()));
    cells.push(Cell::Plain(if p.overrun_allowed { "yes".into() } else { String::new() }));
    cells.push(Cell::opt(p.provenance.source.clone()));
    cells.push(Cell::opt(p.provenance.source_id.clone()));
    cells
}
