//! Every breakdown reconciles with the summary to the öre, on any data: random
//! portfolios (shares, amounts, dates, municipalities, payments) are written through the
//! store, and the rows of `areas`, `years` (every basis), `funders` (per kind),
//! `municipalities` and `status` are summed against `summary`'s totals.

use chrono::NaiveDate;
use proptest::prelude::*;
use spets::domain::area::AreaShare;
use spets::domain::filter::{DateField, Filter, YearOf};
use spets::domain::money::Money;
use spets::domain::project::{
    Currency, FunderGroup, FunderKind, FundingLine, Payment, PaymentKind, Project, ProjectKind, Rate, Status,
};
use spets::store::projects::PutMode;
use spets::store::{Access, RegionSetup, Snapshot, Store, payments, projects};

mod common;

#[derive(Clone, Debug)]
struct Spec {
    shares: Vec<u32>,
    lines: Vec<(u8, i64, bool)>,
    status: u8,
    top_up: bool,
    decided: Option<i64>,
    period: Option<(i64, i64)>,
    municipalities: u64,
    payments: Vec<(i64, i64, bool)>,
    /// On the 2015 strategy's areas (ids 8 to 13) instead of 2022's (1 to 7).
    old: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(1u32..50, 1..4),
        prop::collection::vec((0u8..7, prop_oneof![0i64..5, 0i64..100_000_000_000], any::<bool>()), 0..5),
        0u8..7,
        prop::bool::weighted(0.1),
        prop::option::weighted(0.9, 0i64..4400),
        prop::option::weighted(0.8, (0i64..4400, 0i64..2000)),
        prop_oneof![Just(0u64), 0u64..(1 << 16)],
        prop::collection::vec((0i64..4400, 1i64..1_000_000_000, prop::bool::weighted(0.2)), 0..4),
        prop::bool::weighted(0.4),
    )
        .prop_map(|(raw, lines, status, top_up, decided, period, municipalities, payments, old)| {
            // Shares in basis points summing to exactly 10 000.
            let sum: u32 = raw.iter().sum();
            let mut shares: Vec<u32> = raw.iter().map(|r| r * 10_000 / sum).collect();
            let given: u32 = shares.iter().sum();
            shares[0] += 10_000 - given;
            shares.retain(|s| *s > 0);
            Spec { shares, lines, status, top_up, decided, period, municipalities, payments, old }
        })
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Duration::days(offset)
}

/// Writes the portfolio and returns the store.
fn portfolio(specs: &[Spec]) -> Store {
    fill(Store::open_memory().unwrap(), specs)
}

/// The test server's database for this process, emptied: the schema dropped, so that
/// spets sets it up again.
fn server_portfolio(url: &str, specs: &[Spec]) -> Store {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public").unwrap();
    fill(Store::open(std::path::Path::new(url), Access::Write).unwrap(), specs)
}

fn fill(mut store: Store, specs: &[Spec]) -> Store {
    store.initialise(&RegionSetup::varmland(), "t", "init", None).unwrap();
    let change = store.begin("t", "load").unwrap();
    let owner = spets::store::orgs::add(&change, "Ägare AB", None, spets::domain::org::OrgKind::Company).unwrap().id;
    for (i, s) in specs.iter().enumerate() {
        let reference = format!("P{i}");
        let funding: Vec<FundingLine> = s
            .lines
            .iter()
            .enumerate()
            .map(|(k, (kind, amount, eur))| {
                let kind = FunderKind::ALL[*kind as usize];
                if *eur {
                    FundingLine::new(
                        format!("F{k}"),
                        kind,
                        Money(*amount / 10),
                        Currency::parse("EUR").unwrap(),
                        Some(Rate::parse("11.4525").unwrap()),
                        None,
                        false,
                    )
                    .unwrap()
                } else {
                    FundingLine::new(format!("F{}", k % 2), kind, Money(*amount), Currency::sek(), None, None, k == 3)
                        .unwrap()
                }
            })
            .collect();
        let p = Project {
            reference: reference.clone(),
            title: "T".into(),
            owner,
            kind: if s.top_up && i > 0 { ProjectKind::TopUp } else { ProjectKind::Project },
            parent: if s.top_up && i > 0 { Some("P0".into()) } else { None },
            programme: None,
            fund: None,
            status: Status::ALL[s.status as usize],
            decided: s.decided.map(day),
            start: s.period.map(|(a, _)| day(a)),
            end: s.period.map(|(a, len)| day(a + len)),
            municipalities: s.municipalities,
            areas: s
                .shares
                .iter()
                .enumerate()
                .map(|(k, bp)| AreaShare { area_id: k as i64 + if s.old { 8 } else { 1 }, share_bp: *bp })
                .collect(),
            partners: Vec::new(),
            funding: funding.clone(),
            notes: None,
            // Paid above the granted total only as an allowed overrun, as spets records it.
            overrun_allowed: s.payments.iter().map(|(_, a, r)| if *r { -*a } else { *a }).sum::<i64>()
                > funding.iter().map(|l| l.amount.0).sum::<i64>(),
            provenance: Default::default(),
        };
        projects::put(&change, &p, PutMode::Add).unwrap();
        for (k, (date, amount, recovery)) in s.payments.iter().enumerate() {
            let kind = if *recovery { PaymentKind::Recovery } else { PaymentKind::Claim };
            let pay = Payment {
                id: 0,
                reference: reference.clone(),
                date: day(*date),
                amount: Money(*amount),
                kind,
                funder: None,
                note: Some(k.to_string()),
            };
            payments::add(&change, &pay).unwrap();
        }
    }
    change.commit().unwrap();
    store
}

fn check(store: &Store, filter: &Filter) {
    let v = store.at(Snapshot::CURRENT);
    let (t, _, _) = v.totals(filter).unwrap();
    let paid = v.paid_on(filter).unwrap();

    // Areas: every column, and each project once.
    let areas = v.by_area(filter).unwrap();
    let (area_totals, _, _) = spets::report::areas::totals(&areas);
    assert_eq!(area_totals, t, "areas");
    let area_paid: i64 = v.paid_by_area_and_year(filter).unwrap().iter().map(|p| p.amount).sum();
    assert_eq!(area_paid, paid, "paid by area");
    // On either strategy's areas, through the crosswalk: the same totals, every column.
    let all_areas = v.areas().unwrap();
    let successors = v.successors().unwrap();
    for strategy in v.strategies().unwrap() {
        let paths = spets::domain::strategy::paths(strategy.id, &all_areas, &successors);
        let carried = spets::domain::strategy::carry_sums(&paths, &areas);
        let (carried_totals, _, _) = spets::report::areas::totals(&carried);
        assert_eq!(carried_totals, t, "areas on strategy {}", strategy.name);
        for c in &carried {
            let s = c.sums;
            assert_eq!(s.total, s.eu + s.public + s.private + s.other, "a carried row's parts");
        }
        let cells = v.paid_by_area_and_year(filter).unwrap();
        let carried_paid: i64 = spets::domain::strategy::carry_amounts(&paths, &cells).iter().map(|p| p.amount).sum();
        assert_eq!(carried_paid, paid, "paid by area on strategy {}", strategy.name);
    }

    // Status.
    let statuses = v.by_status(filter).unwrap();
    assert_eq!(statuses.iter().map(|s| s.sums.total).sum::<i64>(), t.total, "status");
    assert_eq!(statuses.iter().map(|s| s.sums.projects).sum::<i64>(), t.projects, "status projects");

    // Years, by decision and by start: each project in one year or "no date".
    for (column, field) in [(YearOf::Decided, DateField::Decided), (YearOf::Start, DateField::Start)] {
        let f = Filter { date_field: field, ..filter.clone() };
        let years = v.by_date_year(&f, column).unwrap();
        assert_eq!(years.iter().map(|y| y.2).sum::<i64>(), t.total, "years by {column:?}");
        assert_eq!(years.iter().map(|y| y.3).sum::<i64>(), t.eu, "years by {column:?}, EU");
        let by_area: i64 = v.area_by_date_year(&f, column).unwrap().iter().map(|c| c.amount).sum();
        assert_eq!(by_area, t.total, "years by {column:?} x areas");
        let paid_years: i64 = v.paid_by_date_year(&f, column).unwrap().iter().map(|y| y.1).sum();
        assert_eq!(paid_years, paid, "paid by {column:?} year");
    }
    // Pro rata: amounts spread over days, plus the undated.
    let f = Filter { date_field: DateField::Period, ..filter.clone() };
    let (spread, undated) = v.prorata(&f).unwrap();
    assert_eq!(spread.iter().map(|y| y.total).sum::<i64>() + undated.total, t.total, "pro rata");
    assert_eq!(spread.iter().map(|y| y.eu).sum::<i64>() + undated.eu, t.eu, "pro rata, EU");
    let spread_areas: i64 = v.prorata_by_area(&f).unwrap().iter().map(|c| c.amount).sum();
    assert_eq!(spread_areas, t.total, "pro rata x areas");
    // By payment.
    let f = Filter { date_field: DateField::Payment, ..filter.clone() };
    assert_eq!(v.paid_by_year(&f).unwrap().iter().map(|y| y.2).sum::<i64>(), paid, "paid by year");

    // Funders, per kind.
    let (funders, _) = v.by_funder(filter).unwrap();
    let group = |g: FunderGroup| funders.iter().filter(|f| f.kind.group() == g).map(|f| f.amount).sum::<i64>();
    assert_eq!(
        (group(FunderGroup::Eu), group(FunderGroup::Public), group(FunderGroup::Private), group(FunderGroup::Other)),
        (t.eu, t.public, t.private, t.other),
        "funders"
    );

    // Municipalities: split evenly, plus the projects with none.
    let (split, none) = v.by_municipality(filter).unwrap();
    assert_eq!(split.iter().map(|m| m.total).sum::<i64>() + none.total, t.total, "municipalities");
    assert_eq!(split.iter().map(|m| m.eu).sum::<i64>() + none.eu, t.eu, "municipalities, EU");

    // Owners and collaboration combinations partition the projects too.
    assert_eq!(v.by_owner(filter).unwrap().iter().map(|o| o.1.total).sum::<i64>(), t.total, "orgs");
    assert_eq!(v.by_helix_mask(filter).unwrap().iter().map(|o| o.1.total).sum::<i64>(), t.total, "combinations");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn every_breakdown_sums_to_the_summary(specs in prop::collection::vec(spec(), 1..25), split in 1u32..10_000) {
        let mut store = portfolio(&specs);
        // The forest area of 2015 continues in two 2022 areas, by a random share.
        let change = store.begin("t", "map").unwrap();
        spets::store::strategies::map(&change, 8, &[(1, split), (6, 10_000 - split)]).unwrap();
        change.commit().unwrap();
        check(&store, &Filter::default());
        check(&store, &Filter { statuses: Status::ALL.to_vec(), ..Filter::default() });
        check(&store, &Filter { areas: vec![2], kinds: vec![ProjectKind::Project], ..Filter::default() });
        check(&store, &Filter { municipalities: 0b1010_1010, statuses: Status::ALL.to_vec(), ..Filter::default() });
    }
}

/// The bundled sample, report by report, with its figures written out.
#[test]
fn the_sample_reconciles() {
    let store = spets::commands::sample::load().unwrap();
    check(&store, &Filter::default());
    let (t, first, last) = store.at(Snapshot::CURRENT).totals(&Filter::default()).unwrap();
    assert_eq!((t.projects, first, last), (135, Some(2015), Some(2026)));
    assert_eq!(
        (
            Money(t.total).plain(),
            Money(t.eu).plain(),
            Money(t.public).plain(),
            Money(t.private).plain(),
            Money(t.other).plain()
        ),
        (
            "1221913800.79".into(),
            "503309616.78".into(),
            "523367320.92".into(),
            "190080708.46".into(),
            "5156154.63".into()
        )
    );
    assert!(t.total > 100_000_000_000, "the sample turns over more than a billion kronor");
    assert_eq!(Money(store.at(Snapshot::CURRENT).paid_on(&Filter::default()).unwrap()).plain(), "892874309.88");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// The splits computed in SQL are the domain's largest-remainder splits, to the öre.
    #[test]
    fn the_stores_splits_are_the_domain_splits(s in spec()) {
        let mut s = s;
        s.status = 2;
        s.top_up = false;
        let store = portfolio(std::slice::from_ref(&s));
        let v = store.at(Snapshot::CURRENT);
        let all = Filter { statuses: Status::ALL.to_vec(), ..Filter::default() };
        let (t, _, _) = v.totals(&all).unwrap();
        if let Some((a, len)) = s.period {
            let f = Filter { date_field: DateField::Period, ..all.clone() };
            let (spread, _) = v.prorata(&f).unwrap();
            let expected = spets::domain::allocation::allocate_by_days(t.total, day(a), day(a + len));
            let got: Vec<(i32, i64)> = spread.iter().map(|y| (y.year as i32, y.total)).collect();
            prop_assert_eq!(got, expected);
        }
        let (split, _) = v.by_municipality(&all).unwrap();
        let n = s.municipalities.count_ones() as usize;
        let expected = spets::domain::allocation::allocate_evenly(t.total, n);
        let got: Vec<i64> = split.iter().map(|m| m.total).collect();
        prop_assert_eq!(if n == 0 { Vec::new() } else { got }, if n == 0 { Vec::new() } else { expected });
        let paid = v.paid_by_area_and_year(&all).unwrap();
        let mut expected_paid = vec![0i64; s.shares.len()];
        for (_, amount, recovery) in &s.payments {
            let signed = if *recovery { -amount } else { *amount };
            for (k, part) in spets::domain::allocation::allocate_by_share(signed, &s.shares).iter().enumerate() {
                expected_paid[k] += part;
            }
        }
        for (k, want) in expected_paid.iter().enumerate() {
            let area = k as i64 + if s.old { 8 } else { 1 };
            let got: i64 = paid.iter().filter(|p| p.area == area).map(|p| p.amount).sum();
            prop_assert_eq!(got, *want);
        }
    }
}

/// Every figure a report is made of, as one text, to compare two stores by.
fn figures(store: &Store, filter: &Filter) -> String {
    let v = store.at(Snapshot::CURRENT);
    let mut out = format!("{:?}\n{:?}\n", v.totals(filter).unwrap(), v.paid_on(filter).unwrap());
    out += &format!("{:?}\n{:?}\n", v.by_area(filter).unwrap(), v.paid_by_area_and_year(filter).unwrap());
    out += &format!("{:?}\n", v.by_status(filter).unwrap());
    for (column, field) in [(YearOf::Decided, DateField::Decided), (YearOf::Start, DateField::Start)] {
        let f = Filter { date_field: field, ..filter.clone() };
        out += &format!("{:?}\n", v.by_date_year(&f, column).unwrap());
        out += &format!("{:?}\n", v.area_by_date_year(&f, column).unwrap());
        out += &format!("{:?}\n", v.paid_by_date_year(&f, column).unwrap());
    }
    let f = Filter { date_field: DateField::Period, ..filter.clone() };
    out += &format!("{:?}\n{:?}\n", v.prorata(&f).unwrap(), v.prorata_by_area(&f).unwrap());
    let f = Filter { date_field: DateField::Payment, ..filter.clone() };
    out += &format!("{:?}\n", v.paid_by_year(&f).unwrap());
    out += &format!("{:?}\n{:?}\n", v.by_funder(filter).unwrap(), v.by_municipality(filter).unwrap());
    out += &format!("{:?}\n{:?}\n", v.by_owner(filter).unwrap(), v.by_helix_mask(filter).unwrap());
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// On PostgreSQL every breakdown reconciles too, and every figure is the one SQLite
    /// gives for the same portfolio.
    #[test]
    fn on_postgresql_every_breakdown_reconciles_and_equals_sqlite(specs in prop::collection::vec(spec(), 1..25)) {
        static SERVER: std::sync::OnceLock<Option<common::PgDb>> = std::sync::OnceLock::new();
        let Some(pg) = SERVER.get_or_init(|| common::PgDb::new("on_postgresql_every_breakdown_reconciles_and_equals_sqlite"))
        else {
            return Ok(());
        };
        let lite = portfolio(&specs);
        let server = server_portfolio(&pg.url, &specs);
        let filters = [
            Filter::default(),
            Filter { statuses: Status::ALL.to_vec(), ..Filter::default() },
            Filter { areas: vec![2], kinds: vec![ProjectKind::Project], ..Filter::default() },
            Filter { municipalities: 0b1010_1010, statuses: Status::ALL.to_vec(), ..Filter::default() },
        ];
        for filter in &filters {
            check(&server, filter);
            prop_assert_eq!(figures(&server, filter), figures(&lite, filter));
        }
    }
}
