//! Strategies: the sets of areas a region's smart specialisation had over time, and the
//! crosswalk that carries an earlier strategy's areas onto a later one's.
//!
//! A strategy is named by its first year (`2015`). It is in force from its first day
//! until the next strategy's first day; an area of a strategy that a later one has
//! replaced cannot be given to a project decided after the replacement. Reports can show
//! every project on one strategy's areas: each area of an earlier strategy is split over
//! its successors by the crosswalk's shares, exactly (largest remainder, whole öre), and
//! an area with no path to the strategy asked for stays a row of its own.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::allocation::{allocate_by_share, allocate_table};
use super::area::{Area, AreaShare, FULL_SHARE, format_share};
use super::date::iso;
use super::figures::{AreaSums, AreaYear, Sums};
use super::lang::Lang;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Strategy {
    pub id: i64,
    /// The first year, as the command line names it: `2015`.
    pub name: String,
    pub title_sv: String,
    pub title_en: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl Strategy {
    pub fn title(&self, lang: Lang) -> &str {
        lang.pick(&self.title_en, &self.title_sv)
    }

    /// `2015–2020`, or `2022–` for a strategy without an end.
    pub fn period(&self) -> String {
        use chrono::Datelike;
        match self.valid_to {
            Some(to) => format!("{}–{}", self.valid_from.year(), to.year()),
            None => format!("{}–", self.valid_from.year()),
        }
    }
}

/// One row of the crosswalk: area `from` continues in area `to` with `share_bp` of its
/// amounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Successor {
    pub from: i64,
    pub to: i64,
    pub share_bp: u32,
}

/// A strategy's name: its first year, four digits.
pub fn validate_name(name: &str) -> Result<(), String> {
    let ok =
        name.len() == 4 && name.chars().all(|c| c.is_ascii_digit()) && (name.starts_with('1') || name.starts_with('2'));
    if ok {
        Ok(())
    } else {
        Err(crate::tr!(
            "a strategy is named by its first year (e.g. 2022)",
            "en strategi namnges efter sitt första år (t.ex. 2022)"
        ))
    }
}

/// The strategy named `name` (its first year), or an error listing the known ones.
pub fn find<'a>(name: &str, strategies: &'a [Strategy]) -> Result<&'a Strategy, String> {
    let name = name.trim();
    strategies.iter().find(|s| s.name == name).ok_or_else(|| {
        let known: Vec<&str> = strategies.iter().map(|s| s.name.as_str()).collect();
        crate::tr!("no such strategy (known: {})", "ingen sådan strategi (kända: {})", known.join(", "))
    })
}

/// The strategy that replaced `s`: the one that starts next after it.
pub fn successor_of<'a>(s: &Strategy, strategies: &'a [Strategy]) -> Option<&'a Strategy> {
    strategies.iter().filter(|o| o.valid_from > s.valid_from).min_by_key(|o| o.valid_from)
}

/// Refuses an area of a strategy that a later strategy had replaced by `on` (a
/// project's decision date), naming the strategy that replaced it.
pub fn check_in_force(area: &Area, on: NaiveDate, strategies: &[Strategy]) -> Result<(), String> {
    let Some(own) = area.strategy.and_then(|id| strategies.iter().find(|s| s.id == id)) else { return Ok(()) };
    match successor_of(own, strategies) {
        Some(next) if next.valid_from <= on => Err(crate::tr!(
            "area {} belongs to strategy {} ({}), which strategy {} replaced on {}; give a project decided on {} areas of strategy {} (`spets strategy show {}`)",
            "området {} hör till strategi {} ({}), som strategi {} ersatte den {}; ge ett projekt beslutat den {} områden ur strategi {} (`spets strategy show {}`)",
            area.code,
            own.name,
            own.period(),
            next.name,
            iso(next.valid_from),
            iso(on),
            next.name,
            next.name
        )),
        _ => Ok(()),
    }
}

/// Where areas go on one strategy's areas: per area id, `(area id, share in basis
/// points)`, the shares summing to [`FULL_SHARE`].
pub type Paths = HashMap<i64, Vec<(i64, u32)>>;

/// Where each area's amounts go on strategy `target`'s areas: an area of `target` stays
/// itself, an area of an earlier strategy follows the crosswalk (through every strategy
/// between), and an area with no such path (no successor, or a later strategy's) maps
/// to nothing and stays a row of its own.
pub fn paths(target: i64, areas: &[Area], successors: &[Successor]) -> Paths {
    let of: HashMap<i64, &Area> = areas.iter().map(|a| (a.id, a)).collect();
    let mut out = HashMap::new();
    for a in areas {
        if let Some(p) = path(a.id, target, &of, successors, 0) {
            out.insert(a.id, p);
        }
    }
    out
}

/// The shares (in basis points, summing to [`FULL_SHARE`]) by which area `from` reaches
/// `target`'s areas, or `None` when some of it does not.
fn path(
    from: i64,
    target: i64,
    areas: &HashMap<i64, &Area>,
    successors: &[Successor],
    depth: usize,
) -> Option<Vec<(i64, u32)>> {
    let area = areas.get(&from)?;
    if area.strategy == Some(target) {
        return Some(vec![(from, FULL_SHARE)]);
    }
    // A crosswalk that leads back to where it started never reaches anything.
    if depth > areas.len() {
        return None;
    }
    let next: Vec<&Successor> = successors.iter().filter(|s| s.from == from).collect();
    if next.is_empty() || next.iter().map(|s| s.share_bp).sum::<u32>() != FULL_SHARE {
        return None;
    }
    let mut reached: Vec<(i64, u64)> = Vec::new();
    for s in next {
        for (to, share) in path(s.to, target, areas, successors, depth + 1)? {
            let weight = u64::from(s.share_bp) * u64::from(share);
            match reached.iter_mut().find(|r| r.0 == to) {
                Some(r) => r.1 += weight,
                None => reached.push((to, weight)),
            }
        }
    }
    // Shares of shares, back in basis points by largest remainder so they still sum to
    // the whole.
    let weights: Vec<u64> = reached.iter().map(|r| r.1).collect();
    let bp = super::allocation::allocate_by_weights(i64::from(FULL_SHARE), &weights);
    Some(reached.iter().zip(bp).filter(|(_, b)| *b > 0).map(|((to, _), b)| (*to, b as u32)).collect())
}

/// Every area's sums carried onto the areas that `paths` maps them to: each row of an
/// earlier strategy's area is split over its successors by share, every component
/// exactly (the parts of each amount sum to it, whole öre, largest remainder; see
/// [`allocate_table`]). An area `paths` does not map stays as it is. Its projects count
/// in each successor they reach; its projects counted once (`first_of`) go with its
/// first successor, so the totals still count each project once.
pub fn carry_sums(paths: &Paths, by_area: &[AreaSums]) -> Vec<AreaSums> {
    let mut out: Vec<AreaSums> = Vec::new();
    let mut add = |row: AreaSums| match out.iter_mut().find(|o| o.area == row.area) {
        Some(o) => {
            o.sums.projects += row.sums.projects;
            o.sums.total += row.sums.total;
            o.sums.eu += row.sums.eu;
            o.sums.public += row.sums.public;
            o.sums.private += row.sums.private;
            o.sums.other += row.sums.other;
            o.first_of += row.first_of;
            o.first_year = o.first_year.min(row.first_year).or(o.first_year.or(row.first_year));
            o.last_year = o.last_year.max(row.last_year);
        }
        None => out.push(row),
    };
    for a in by_area {
        let Some(to) = paths.get(&a.area) else {
            add(*a);
            continue;
        };
        let shares: Vec<u32> = to.iter().map(|t| t.1).collect();
        let s = a.sums;
        let cells = allocate_table(&[s.eu, s.public, s.private, s.other], &shares);
        for (i, ((area, _), c)) in to.iter().zip(cells).enumerate() {
            let sums = Sums {
                projects: s.projects,
                total: c.iter().sum(),
                eu: c[0],
                public: c[1],
                private: c[2],
                other: c[3],
            };
            add(AreaSums {
                area: *area,
                sums,
                first_of: if i == 0 { a.first_of } else { 0 },
                first_year: a.first_year,
                last_year: a.last_year,
            });
        }
    }
    out
}

/// Amounts by area and year carried onto the areas `paths` maps them to, each split
/// exactly by share; an area it does not map stays as it is.
pub fn carry_amounts(paths: &Paths, cells: &[AreaYear]) -> Vec<AreaYear> {
    let mut out: Vec<AreaYear> = Vec::new();
    let mut add = |row: AreaYear| match out.iter_mut().find(|o| o.area == row.area && o.year == row.year) {
        Some(o) => o.amount += row.amount,
        None => out.push(row),
    };
    for c in cells {
        match paths.get(&c.area) {
            None => add(*c),
            Some(to) => {
                let shares: Vec<u32> = to.iter().map(|t| t.1).collect();
                for ((area, _), amount) in to.iter().zip(allocate_by_share(c.amount, &shares)) {
                    add(AreaYear { area: *area, year: c.year, amount });
                }
            }
        }
    }
    out
}

/// A project's area shares carried onto the areas `paths` maps them to, as weights
/// (share × share, in basis points squared); an area it does not map keeps its share.
pub fn carry_shares(paths: Option<&Paths>, shares: &[AreaShare]) -> Vec<(i64, u64)> {
    let mut weights: Vec<(i64, u64)> = Vec::new();
    for share in shares {
        let own = [(share.area_id, FULL_SHARE)];
        let onto = paths.and_then(|p| p.get(&share.area_id)).map_or(&own[..], Vec::as_slice);
        for (area, bp) in onto {
            let w = u64::from(share.share_bp) * u64::from(*bp);
            match weights.iter_mut().find(|g| g.0 == *area) {
                Some(g) => g.1 += w,
                None => weights.push((*area, w)),
            }
        }
    }
    weights
}

/// A crosswalk row as the command line writes it: `skog:60`.
pub fn describe(successors: &[&Successor], areas: &[Area]) -> String {
    let code = |id: i64| areas.iter().find(|a| a.id == id).map_or_else(|| id.to_string(), |a| a.code.clone());
    successors.iter().map(|s| format!("{}:{}", code(s.to), format_share(s.share_bp, '.'))).collect::<Vec<_>>().join(" ")
}

/// An area of a seeded strategy, and (for an earlier one) the area that continues it.
pub struct SeedArea {
    pub code: &'static str,
    pub name_sv: &'static str,
    pub name_en: &'static str,
    pub horizontal: bool,
    pub successor: Option<&'static str>,
}

/// A strategy to seed.
pub struct SeedStrategy {
    pub name: &'static str,
    pub title_sv: &'static str,
    pub title_en: &'static str,
    pub from: (i32, u32, u32),
    pub to: (i32, u32, u32),
}

/// The strategy a database's areas form when nothing else is said: the 2022–2028 one.
pub const CURRENT: SeedStrategy = SeedStrategy {
    name: "2022",
    title_sv: "Strategi för smart specialisering 2022–2028",
    title_en: "Smart specialisation strategy 2022–2028",
    from: (2022, 1, 1),
    to: (2028, 12, 31),
};

/// Värmland's 2022–2028 strategy (its areas are [`super::area::VARMLAND_AREAS`]).
pub const VARMLAND_2022: SeedStrategy = SeedStrategy {
    name: "2022",
    title_sv: "Värmlands strategi för smart specialisering 2022–2028",
    title_en: "Värmland's smart specialisation strategy 2022–2028",
    from: (2022, 1, 1),
    to: (2028, 12, 31),
};

/// Värmland's research and innovation strategy for smart specialisation 2015–2020.
pub const VARMLAND_2015: SeedStrategy = SeedStrategy {
    name: "2015",
    title_sv: "Värmländsk forsknings- och innovationsstrategi för smart specialisering 2015–2020",
    title_en: "Värmland's research and innovation strategy for smart specialisation 2015–2020",
    from: (2015, 1, 1),
    to: (2020, 12, 31),
};

/// Its five areas and the horizontal theme, each with the 2022 area that continues it.
pub const VARMLAND_2015_AREAS: [SeedArea; 6] = [
    SeedArea {
        code: "skog-2015",
        name_sv: "Skogsbaserad bioekonomi",
        name_en: "Forest-based bioeconomy",
        horizontal: false,
        successor: Some("skog"),
    },
    SeedArea {
        code: "valfard-2015",
        name_sv: "Digitalisering av välfärdstjänster",
        name_en: "Digitalisation of welfare services",
        horizontal: false,
        successor: Some("halsa"),
    },
    SeedArea {
        code: "tillverkning-2015",
        name_sv: "Avancerad tillverkning och komplexa system",
        name_en: "Advanced manufacturing and complex systems",
        horizontal: false,
        successor: Some("tillverkning"),
    },
    SeedArea {
        code: "upplevelser-2015",
        name_sv: "Natur, kultur och platsbaserade digitaliserade upplevelser",
        name_en: "Nature, culture and place-based digitalised experiences",
        horizontal: false,
        successor: Some("plats"),
    },
    SeedArea {
        code: "solceller-2015",
        name_sv: "Systemlösningar med solceller",
        name_en: "Systems solutions with photovoltaics",
        horizontal: false,
        successor: Some("solel"),
    },
    SeedArea {
        code: "tjanster-2015",
        name_sv: "Värdeskapande tjänster",
        name_en: "Value-creating services",
        horizontal: true,
        successor: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn strategy(id: i64, name: &str, from: NaiveDate, to: NaiveDate) -> Strategy {
        Strategy {
            id,
            name: name.into(),
            title_sv: name.into(),
            title_en: name.into(),
            valid_from: from,
            valid_to: Some(to),
        }
    }

    fn area(id: i64, code: &str, strategy: i64) -> Area {
        Area {
            id,
            code: code.into(),
            name_sv: code.into(),
            name_en: code.into(),
            valid_from: None,
            valid_to: None,
            position: id,
            strategy: Some(strategy),
            horizontal: false,
        }
    }

    fn two() -> Vec<Strategy> {
        vec![
            strategy(1, "2015", date(2015, 1, 1), date(2020, 12, 31)),
            strategy(2, "2022", date(2022, 1, 1), date(2028, 12, 31)),
        ]
    }

    #[test]
    fn an_area_of_a_replaced_strategy_is_refused_from_the_day_its_successor_starts() {
        let s = two();
        let old = area(10, "skog-2015", 1);
        assert_eq!(check_in_force(&old, date(2017, 5, 1), &s), Ok(()));
        // Between the two strategies the older one is still in force.
        assert_eq!(check_in_force(&old, date(2021, 12, 31), &s), Ok(()));
        let e = check_in_force(&old, date(2022, 1, 1), &s).unwrap_err();
        assert!(
            e.starts_with(
                "area skog-2015 belongs to strategy 2015 (2015–2020), which strategy 2022 replaced on 2022-01-01"
            ),
            "{e}"
        );
        // A later strategy's area may be given to an earlier project (reclassified).
        assert_eq!(check_in_force(&area(1, "skog", 2), date(2016, 1, 1), &s), Ok(()));
    }

    #[test]
    fn paths_follow_the_crosswalk_through_every_strategy_between() {
        let areas = [area(1, "a", 1), area(2, "b", 2), area(3, "c", 2), area(4, "d", 3), area(5, "lone", 1)];
        let cross = [
            Successor { from: 1, to: 2, share_bp: 5000 },
            Successor { from: 1, to: 3, share_bp: 5000 },
            Successor { from: 2, to: 4, share_bp: 10_000 },
            Successor { from: 3, to: 4, share_bp: 10_000 },
        ];
        let p = paths(3, &areas, &cross);
        assert_eq!(p[&1], vec![(4, 10_000)]);
        assert_eq!(p[&4], vec![(4, 10_000)]);
        assert!(!p.contains_key(&5));
        let p = paths(2, &areas, &cross);
        assert_eq!(p[&1], vec![(2, 5000), (3, 5000)]);
        // A later strategy's area has no way back.
        assert!(!p.contains_key(&4));
    }

    #[test]
    fn a_crosswalk_whose_shares_do_not_sum_to_the_whole_or_that_circles_reaches_nothing() {
        let areas = [area(1, "a", 1), area(2, "b", 1), area(3, "c", 2)];
        let half = [Successor { from: 1, to: 3, share_bp: 5000 }];
        assert!(!paths(2, &areas, &half).contains_key(&1));
        let circle = [Successor { from: 1, to: 2, share_bp: 10_000 }, Successor { from: 2, to: 1, share_bp: 10_000 }];
        let p = paths(2, &areas, &circle);
        assert!(!p.contains_key(&1) && !p.contains_key(&2));
        assert_eq!(p[&3], vec![(3, 10_000)]);
    }

    #[test]
    fn carried_sums_split_every_component_exactly_and_keep_the_totals() {
        let mut paths = HashMap::new();
        paths.insert(1, vec![(2, 3333), (3, 6667)]);
        let row = |area, total, eu, public, private, other| AreaSums {
            area,
            sums: Sums { projects: 1, total, eu, public, private, other },
            first_of: 1,
            first_year: Some(2017),
            last_year: Some(2019),
        };
        let before = [row(1, 1001, 500, 300, 200, 1), row(2, 10, 10, 0, 0, 0), row(9, 7, 0, 0, 0, 7)];
        let after = carry_sums(&paths, &before);
        let sum = |rows: &[AreaSums], f: fn(&Sums) -> i64| rows.iter().map(|r| f(&r.sums)).sum::<i64>();
        for f in [|s: &Sums| s.total, |s: &Sums| s.eu, |s: &Sums| s.public, |s: &Sums| s.private, |s: &Sums| s.other] {
            assert_eq!(sum(&after, f), sum(&before, f));
        }
        assert_eq!(after.iter().map(|r| r.first_of).sum::<i64>(), 3);
        let two = after.iter().find(|r| r.area == 2).unwrap();
        // 1001 × 33.33 % = 333.63 → 334 (the larger remainder), plus area 2's own 10.
        assert_eq!(two.sums.total, 334 + 10);
        assert_eq!(two.sums.total, two.sums.eu + two.sums.public + two.sums.private + two.sums.other);
        assert_eq!(after.iter().find(|r| r.area == 3).unwrap().sums.total, 667);
        assert!(after.iter().all(|r| r.area != 1));
        assert_eq!(after.iter().find(|r| r.area == 9).unwrap().sums.total, 7);
        let paid = carry_amounts(&paths, &[AreaYear { area: 1, year: Some(2018), amount: -101 }]);
        assert_eq!(paid.iter().map(|p| p.amount).sum::<i64>(), -101);
        assert_eq!(paid[0], AreaYear { area: 2, year: Some(2018), amount: -34 });
    }

    #[test]
    fn names_are_first_years() {
        assert!(validate_name("2015").is_ok());
        assert!(validate_name("15").is_err());
        assert!(validate_name("abcd").is_err());
        assert!(find("2022", &two()).is_ok());
        assert_eq!(find("2030", &two()).unwrap_err(), "no such strategy (known: 2015, 2022)");
    }
}
