//! Aggregate queries for reports. Every figure here is a sum of integer öre; splits by
//! area were materialised when each project was written, and the splits that depend on
//! other rows (payments by area, amounts by days, amounts over municipalities) are made
//! here by `domain::allocation`, the one largest-remainder rule, over rows streamed one
//! at a time: the engine sums, Rust splits. No query here loads every project into
//! memory.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::db::Value;
use super::db::{Connection, Row, params_from_iter};

use super::Snapshot;
use super::decode::{self, At};
use super::select::{self, Selection};
use crate::domain::allocation::{allocate_by_days, allocate_by_share, allocate_evenly};
use crate::domain::figures::span;
pub use crate::domain::figures::{
    Actor, ActorRow, AreaSums, AreaYear, ForeignSum, FunderRow, MunicipalityRow, StatusSums, Sums, YearRow, YearSpread,
};
use crate::domain::filter::{Filter, YearOf};
use crate::domain::org::{Helix, OrgKind};
use crate::domain::project::{FunderKind, ProjectKind, Status};
use crate::error::Result;

/// Payments with their projects (aliases `pay` and `p`). Now, few payments drive the
/// join and find their project by the current-reference index; in the past, the
/// projects are scanned and their payments found by reference.
fn payments_from(snapshot: Snapshot) -> String {
    match snapshot.0 {
        None => "payments pay CROSS JOIN projects p ON p.ref = pay.project_ref AND pay.end_rev IS NULL".into(),
        Some(_) => {
            format!("projects p NOT INDEXED JOIN payments pay ON pay.project_ref = p.ref AND {}", snapshot.live("pay"))
        }
    }
}

fn funder_kind(code: i64) -> super::db::Result<FunderKind> {
    decode::code(At::new("funding_lines", "kind", None), code, FunderKind::from_code)
}

const SUMS: &str = "count(*) FILTER (WHERE p.kind <> 2), coalesce(sum(p.total), 0), coalesce(sum(p.eu), 0), coalesce(sum(p.public), 0), coalesce(sum(p.private), 0), coalesce(sum(p.other), 0)";

pub(crate) fn sums_at(r: &Row<'_>, i: usize) -> super::db::Result<Sums> {
    Ok(Sums {
        projects: r.get(i)?,
        total: r.get(i + 1)?,
        eu: r.get(i + 2)?,
        public: r.get(i + 3)?,
        private: r.get(i + 4)?,
        other: r.get(i + 5)?,
    })
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    params: Vec<Value>,
    f: impl FnMut(&Row<'_>) -> super::db::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let out = stmt.query_map(params_from_iter(params), f)?.collect::<super::db::Result<Vec<T>>>()?;
    Ok(out)
}

fn beyond_64_bits() -> crate::error::Error {
    super::tally::beyond_64_bits("projects")
}

/// A query of one of the functions below, given a filter and a snapshot.
type Query<T> = fn(&Connection, &Filter, Snapshot) -> Result<T>;

/// For a range of decision dates that is not whole years (`--from 2020-03-01`), the
/// answer from the tallies for the whole years inside it, merged with the scans of the
/// days at its ends (which are less than a year each, so never split again). `None`
/// when the tallies cannot answer the filter's other conditions or no whole year lies
/// inside the range.
fn in_parts<T>(
    conn: &Connection,
    filter: &Filter,
    snapshot: Snapshot,
    tallied: Query<T>,
    scanned: Query<T>,
    merge: impl Fn(T, T) -> Result<T>,
) -> Result<Option<T>> {
    use chrono::{Datelike, NaiveDate};
    if filter.from.is_none() && filter.to.is_none() {
        return Ok(None);
    }
    let first = filter.from.map(|d| if d.ordinal() == 1 { d.year() } else { d.year() + 1 });
    let last = filter.to.map(|d| if (d.month(), d.day()) == (12, 31) { d.year() } else { d.year() - 1 });
    if let (Some(f), Some(l)) = (first, last)
        && f > l
    {
        return Ok(None);
    }
    let day =
        |year: Option<i32>, month, day| year.map(|y| NaiveDate::from_ymd_opt(y, month, day).ok_or(())).transpose();
    let (Ok(from), Ok(to)) = (day(first, 1, 1), day(last, 12, 31)) else {
        return Ok(None);
    };
    let whole = Filter { from, to, ..filter.clone() };
    if !super::tally::answers(conn, &whole, snapshot)? {
        return Ok(None);
    }
    let mut out = tallied(conn, &whole, snapshot)?;
    // The days before the first whole year and after the last.
    let ends =
        [filter.from.zip(from).map(|(f, w)| (f, w.pred_opt())), filter.to.zip(to).map(|(t, w)| (t, w.succ_opt()))];
    for (i, end) in ends.into_iter().enumerate() {
        let Some((day, Some(bound))) = end else { continue };
        let range = if i == 0 { (day, bound) } else { (bound, day) };
        if range.0 <= range.1 {
            let part = Filter { from: Some(range.0), to: Some(range.1), ..filter.clone() };
            out = merge(out, scanned(conn, &part, snapshot)?)?;
        }
    }
    Ok(Some(out))
}

/// The rows of two parts of one answer, one row per key: a key in both is added up.
fn merge_by<T, K: Ord>(
    a: Vec<T>,
    b: Vec<T>,
    key: impl Fn(&T) -> K,
    add: impl Fn(&mut T, T) -> Result<()>,
) -> Result<Vec<T>> {
    let mut by: BTreeMap<K, T> = BTreeMap::new();
    for row in a.into_iter().chain(b) {
        match by.entry(key(&row)) {
            Entry::Vacant(e) => {
                e.insert(row);
            }
            Entry::Occupied(mut e) => add(e.get_mut(), row)?,
        }
    }
    Ok(by.into_values().collect())
}

/// Totals of the selected projects, with the years of the first and last decisions.
pub fn totals(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<(Sums, Option<i64>, Option<i64>)> {
    if super::tally::answers(conn, filter, snapshot)? {
        return super::tally::totals(conn, filter, snapshot);
    }
    if let Some(out) = in_parts(conn, filter, snapshot, super::tally::totals, totals, |(a, af, al), (b, bf, bl)| {
        let (first, last) = span((af, al), (bf, bl));
        Ok((a.checked_add(&b).ok_or_else(beyond_64_bits)?, first, last))
    })? {
        return Ok(out);
    }
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT {SUMS}, min(p.decided) / 10000, max(p.decided) / 10000 FROM projects p NOT INDEXED WHERE {sql}"
    );
    let mut out = rows(conn, &query, params, |r| Ok((sums_at(r, 0)?, r.get(6)?, r.get(7)?)))?;
    Ok(out.pop().unwrap_or_default())
}

/// Paid on the selected projects: payments less recoveries.
pub fn paid(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<i64> {
    if super::tally::answers(conn, filter, snapshot)? {
        return super::tally::paid(conn, filter, snapshot);
    }
    if let Some(out) =
        in_parts(conn, filter, snapshot, super::tally::paid, paid, |a, b| a.checked_add(b).ok_or_else(beyond_64_bits))?
    {
        return Ok(out);
    }
    let Selection { sql, mut params } = select::projects(conn, filter, snapshot)?;
    let dates = select::payment_dates(filter);
    params.extend(dates.params);
    let query = format!(
        "SELECT coalesce(sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END), 0)
         FROM {}
         WHERE {sql} AND {}",
        payments_from(snapshot),
        dates.sql
    );
    let mut out = rows(conn, &query, params, |r| r.get(0))?;
    Ok(out.pop().unwrap_or(0))
}

/// Sums per status.
pub fn by_status(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<StatusSums>> {
    if super::tally::answers(conn, filter, snapshot)? {
        return super::tally::by_status(conn, filter, snapshot);
    }
    let merge = |a, b| {
        merge_by(
            a,
            b,
            |s: &StatusSums| s.status.code(),
            |t, s| {
                t.sums = t.sums.checked_add(&s.sums).ok_or_else(beyond_64_bits)?;
                (t.first_year, t.last_year) = span((t.first_year, t.last_year), (s.first_year, s.last_year));
                Ok(())
            },
        )
    };
    if let Some(out) = in_parts(conn, filter, snapshot, super::tally::by_status, by_status, merge)? {
        return Ok(out);
    }
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    if conn.kind() == super::db::Kind::Postgres {
        let query = format!(
            "SELECT p.status, {SUMS}, min(p.decided) / 10000, max(p.decided) / 10000 FROM projects p NOT INDEXED WHERE {sql} GROUP BY p.status ORDER BY p.status"
        );
        return rows(conn, &query, params, |r| status_sums(r, "projects"));
    }
    // SQLite sorts every selected row for a GROUP BY; over seven statuses, summing as
    // the rows stream past is twice as fast.
    let query = format!(
        "SELECT p.status, p.kind, p.total, p.eu, p.public, p.private, p.other, p.decided FROM projects p NOT INDEXED WHERE {sql}"
    );
    let mut found: BTreeMap<i64, StatusSums> = BTreeMap::new();
    let mut stmt = conn.prepare(&query)?;
    let mut selected = stmt.query(params_from_iter(params))?;
    while let Some(r) = selected.next()? {
        let code: i64 = r.get(0)?;
        let status = match found.entry(code) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(StatusSums {
                status: decode::code(At::new("projects", "status", None), code, Status::from_code)?,
                sums: Sums::default(),
                first_year: None,
                last_year: None,
            }),
        };
        let s = &mut status.sums;
        if r.get::<i64>(1)? != ProjectKind::TopUp.code() {
            s.projects += 1;
        }
        for (i, v) in [&mut s.total, &mut s.eu, &mut s.public, &mut s.private, &mut s.other].into_iter().enumerate() {
            // As SQL's sum(): a total beyond 64 bits is an error, never wrapped around.
            *v = v.checked_add(r.get(2 + i)?).ok_or_else(beyond_64_bits)?;
        }
        let year = r.get::<Option<i64>>(7)?.map(|d| d / 10000);
        (status.first_year, status.last_year) = span((status.first_year, status.last_year), (year, year));
    }
    Ok(found.into_values().collect())
}

/// A row of sums per status: the status (read from `table`), the sums, the first and
/// last years.
pub(crate) fn status_sums(r: &Row<'_>, table: &'static str) -> super::db::Result<StatusSums> {
    Ok(StatusSums {
        status: decode::code(At::new(table, "status", None), r.get(0)?, Status::from_code)?,
        sums: sums_at(r, 1)?,
        first_year: r.get(7)?,
        last_year: r.get(8)?,
    })
}

/// A row of sums per area: the area, the sums, the projects it is the first area of,
/// the first and last years.
pub(crate) fn area_sums(r: &Row<'_>) -> super::db::Result<AreaSums> {
    Ok(AreaSums {
        area: r.get(0)?,
        sums: sums_at(r, 1)?,
        first_of: r.get(7)?,
        first_year: r.get(8)?,
        last_year: r.get(9)?,
    })
}

/// Sums per area, split by share.
///
/// When the filter asks only about status, kind, areas and whole years of decision (as
/// the breakdown usually does) this reads the allocations alone, which carry those.
/// Other filters select the projects first.
pub fn by_area(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<AreaSums>> {
    if super::tally::answers(conn, filter, snapshot)? {
        return super::tally::by_area(conn, filter, snapshot);
    }
    let merge = |a, b| {
        merge_by(
            a,
            b,
            |s: &AreaSums| s.area,
            |t, s| {
                t.sums = t.sums.checked_add(&s.sums).ok_or_else(beyond_64_bits)?;
                t.first_of = t.first_of.checked_add(s.first_of).ok_or_else(beyond_64_bits)?;
                (t.first_year, t.last_year) = span((t.first_year, t.last_year), (s.first_year, s.last_year));
                Ok(())
            },
        )
    };
    if let Some(out) = in_parts(conn, filter, snapshot, super::tally::by_area, by_area, merge)? {
        return Ok(out);
    }
    let measures = "count(*) FILTER (WHERE a.kind <> 2), coalesce(sum(a.total), 0), coalesce(sum(a.eu), 0), \
        coalesce(sum(a.public), 0), coalesce(sum(a.private), 0), coalesce(sum(a.other), 0), \
        count(*) FILTER (WHERE a.kind <> 2 AND a.position = 0), min(a.year), max(a.year)";
    let Selection { sql, params } = match select::allocations(filter, snapshot) {
        Some(alone) => alone,
        None => {
            let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
            Selection {
                sql: format!("a.project_vid IN (SELECT p.vid FROM projects p NOT INDEXED WHERE {sql})"),
                params,
            }
        }
    };
    let query =
        format!("SELECT a.area_id, {measures} FROM allocations a WHERE {sql} GROUP BY a.area_id ORDER BY a.area_id");
    rows(conn, &query, params, area_sums)
}

/// Payments split over each project's areas by share (largest remainder per payment,
/// by `domain::allocation`), by area and payment year.
pub fn paid_by_area_and_year(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<AreaYear>> {
    let Selection { sql, mut params } = select::projects(conn, filter, snapshot)?;
    let dates = select::payment_dates(filter);
    params.extend(dates.params);
    let query = format!(
        "SELECT pay.id, CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END, pay.date / 10000, a.area_id, a.share
         FROM {paid_from} JOIN allocations a ON a.project_vid = p.vid
         WHERE {sql} AND {dates} ORDER BY pay.id, a.position",
        paid_from = payments_from(snapshot),
        dates = dates.sql,
    );
    let mut sums: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    let mut split = |amount: i64, year: i64, parts: &[(i64, u32)]| {
        let shares: Vec<u32> = parts.iter().map(|p| p.1).collect();
        for ((area, _), part) in parts.iter().zip(allocate_by_share(amount, &shares)) {
            *sums.entry((*area, year)).or_default() += part;
        }
    };
    let mut stmt = conn.prepare(&query)?;
    let mut rows = stmt.query(params_from_iter(params))?;
    let mut current: Option<(i64, i64, i64)> = None;
    let mut parts: Vec<(i64, u32)> = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        if let Some((previous, amount, year)) = current
            && previous != id
        {
            split(amount, year, &parts);
            parts.clear();
        }
        current = Some((id, r.get(1)?, r.get(2)?));
        parts.push((r.get(3)?, r.get(4)?));
    }
    if let Some((_, a, y)) = current {
        split(a, y, &parts);
    }
    Ok(sums.into_iter().map(|((area, year), amount)| AreaYear { area, year: Some(year), amount }).collect())
}

/// The column of a project's date.
fn year_column(of: YearOf) -> &'static str {
    match of {
        YearOf::Decided => "decided",
        YearOf::Start => "start",
    }
}

/// Sums per calendar year of the decision or start date.
pub fn by_date_year(conn: &Connection, filter: &Filter, snapshot: Snapshot, of: YearOf) -> Result<Vec<YearRow>> {
    let column = year_column(of);
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT p.\"{column}\" / 10000 AS y, count(*) FILTER (WHERE p.kind <> 2), coalesce(sum(p.total), 0), coalesce(sum(p.eu), 0)
         FROM projects p NOT INDEXED WHERE {sql} GROUP BY y ORDER BY y NULLS FIRST"
    );
    rows(conn, &query, params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
}

/// Paid on the selected projects, by the year of their decision or start date.
pub fn paid_by_date_year(
    conn: &Connection,
    filter: &Filter,
    snapshot: Snapshot,
    of: YearOf,
) -> Result<Vec<(Option<i64>, i64)>> {
    let column = year_column(of);
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT p.\"{column}\" / 10000 AS y,
                sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END)
         FROM {}
         WHERE {sql} GROUP BY y ORDER BY y NULLS FIRST",
        payments_from(snapshot)
    );
    rows(conn, &query, params, |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Area totals per year of the decision or start date.
pub fn area_by_date_year(conn: &Connection, filter: &Filter, snapshot: Snapshot, of: YearOf) -> Result<Vec<AreaYear>> {
    let column = year_column(of);
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT p.\"{column}\" / 10000 AS y, a.area_id, sum(a.total)
         FROM allocations a CROSS JOIN projects p ON p.vid = a.project_vid WHERE {sql} GROUP BY y, a.area_id ORDER BY y NULLS FIRST, a.area_id"
    );
    rows(conn, &query, params, |r| Ok(AreaYear { year: r.get(0)?, area: r.get(1)?, amount: r.get(2)? }))
}

/// Payments by payment year: `(year, payments, paid)`.
pub fn paid_by_year(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<(i64, i64, i64)>> {
    let Selection { sql, mut params } = select::projects(conn, filter, snapshot)?;
    let dates = select::payment_dates(filter);
    params.extend(dates.params);
    let query = format!(
        "SELECT pay.date / 10000 AS y, count(*),
                sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END)
         FROM {}
         WHERE {sql} AND {} GROUP BY y ORDER BY y NULLS FIRST",
        payments_from(snapshot),
        dates.sql
    );
    rows(conn, &query, params, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
}

/// Spreads amounts over calendar years in proportion to days, exactly (largest
/// remainder per amount, ties to the earlier year, by `domain::allocation`). `source`
/// is a query over projects `p` giving, in order, the group an amount is reported
/// under, the amount, and its start and end dates. Returns `(group, year, part)`.
fn spread_by_days(conn: &Connection, sel: &Selection, source: &str) -> Result<Vec<(i64, i64, i64)>> {
    let mut sums: BTreeMap<(i64, i64), i64> = BTreeMap::new();
    let mut stmt = conn.prepare(source)?;
    let mut found = stmt.query(params_from_iter(sel.params.clone()))?;
    while let Some(r) = found.next()? {
        let (group, amount): (i64, i64) = (r.get(0)?, r.get(1)?);
        let start = decode::date(At::new("projects", "start", None), r.get(2)?)?;
        let end = decode::date(At::new("projects", "end", None), r.get(3)?)?;
        for (year, part) in allocate_by_days(amount, start, end) {
            *sums.entry((group, i64::from(year))).or_default() += part;
        }
    }
    Ok(sums.into_iter().map(|((group, year), part)| (group, year, part)).collect())
}

/// Totals and EU amounts spread over years by days, and the sums of projects that lack
/// a start or an end date.
pub fn prorata(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<(Vec<YearSpread>, Sums)> {
    let sel = select::projects(conn, filter, snapshot)?;
    let dated = "p.start IS NOT NULL AND p.\"end\" IS NOT NULL";
    let total = spread_by_days(
        conn,
        &sel,
        &format!("SELECT 0, p.total, p.start, p.\"end\" FROM projects p NOT INDEXED WHERE {} AND {dated}", sel.sql),
    )?;
    let eu = spread_by_days(
        conn,
        &sel,
        &format!("SELECT 0, p.eu, p.start, p.\"end\" FROM projects p NOT INDEXED WHERE {} AND {dated}", sel.sql),
    )?;
    let mut years: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    for (_, y, v) in total {
        years.entry(y).or_default().0 += v;
    }
    for (_, y, v) in eu {
        years.entry(y).or_default().1 += v;
    }
    let query = format!("SELECT {SUMS} FROM projects p NOT INDEXED WHERE {} AND NOT ({dated})", sel.sql);
    let undated = rows(conn, &query, sel.params.clone(), |r| sums_at(r, 0))?.pop().unwrap_or_default();
    Ok((years.into_iter().map(|(year, (total, eu))| YearSpread { year, total, eu }).collect(), undated))
}

/// Area totals spread over years by days; projects lacking a start or an end date are
/// given with no year.
pub fn prorata_by_area(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<AreaYear>> {
    let sel = select::projects(conn, filter, snapshot)?;
    let dated = "p.start IS NOT NULL AND p.\"end\" IS NOT NULL";
    let spread = spread_by_days(
        conn,
        &sel,
        &format!(
            "SELECT a.area_id, a.total, p.start, p.\"end\"
             FROM allocations a CROSS JOIN projects p ON p.vid = a.project_vid WHERE {} AND {dated}",
            sel.sql
        ),
    )?;
    let query = format!(
        "SELECT a.area_id, sum(a.total) FROM allocations a CROSS JOIN projects p ON p.vid = a.project_vid WHERE {} AND NOT ({dated}) GROUP BY a.area_id ORDER BY a.area_id",
        sel.sql
    );
    let undated =
        rows(conn, &query, sel.params.clone(), |r| Ok(AreaYear { area: r.get(0)?, year: None, amount: r.get(1)? }))?;
    Ok(spread
        .into_iter()
        .map(|(area, year, amount)| AreaYear { area, year: Some(year), amount })
        .chain(undated)
        .collect())
}

/// Totals split evenly over each project's municipalities, and the sums of projects
/// with no municipality.
pub fn by_municipality(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<(Vec<MunicipalityRow>, Sums)> {
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT p.municipalities, p.kind <> 2, p.total, p.eu FROM projects p NOT INDEXED WHERE {sql} AND p.municipalities <> 0"
    );
    let mut by_bit: BTreeMap<i64, MunicipalityRow> = BTreeMap::new();
    let mut stmt = conn.prepare(&query)?;
    let mut found = stmt.query(params_from_iter(params.clone()))?;
    while let Some(r) = found.next()? {
        let (mask, counted, total, eu): (i64, bool, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let bits: Vec<i64> = (0..63).filter(|b| (mask >> b) & 1 == 1).collect();
        let (totals, eus) = (allocate_evenly(total, bits.len()), allocate_evenly(eu, bits.len()));
        for ((bit, t), e) in bits.iter().zip(totals).zip(eus) {
            let row = by_bit.entry(*bit).or_insert(MunicipalityRow { bit: *bit, projects: 0, total: 0, eu: 0 });
            row.projects += i64::from(counted);
            row.total += t;
            row.eu += e;
        }
    }
    let split = by_bit.into_values().collect();
    let query = format!("SELECT {SUMS} FROM projects p NOT INDEXED WHERE {sql} AND p.municipalities = 0");
    let none = rows(conn, &query, params, |r| sums_at(r, 0))?.pop().unwrap_or_default();
    Ok((split, none))
}

/// Funding lines by funder kind and funder, with the original-currency sums of lines
/// not in SEK.
pub fn by_funder(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<(Vec<FunderRow>, Vec<ForeignSum>)> {
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT f.kind, (SELECT text FROM names WHERE id = f.funder_id), count(DISTINCT p.vid) FILTER (WHERE p.kind <> 2), sum(f.amount)
         FROM projects p NOT INDEXED JOIN funding_lines f ON f.project_vid = p.vid WHERE {sql} GROUP BY f.kind, f.funder_id ORDER BY f.kind, f.funder_id"
    );
    let lines = rows(conn, &query, params.clone(), |r| {
        Ok(FunderRow { kind: funder_kind(r.get(0)?)?, funder: r.get(1)?, projects: r.get(2)?, amount: r.get(3)? })
    })?;
    let query = format!(
        "SELECT f.kind, (SELECT text FROM names WHERE id = f.funder_id), f.currency, sum(f.original)
         FROM projects p NOT INDEXED JOIN funding_lines f ON f.project_vid = p.vid WHERE {sql} AND f.currency IS NOT NULL
         GROUP BY f.kind, f.funder_id, f.currency ORDER BY f.kind, f.funder_id, f.currency"
    );
    let foreign = rows(conn, &query, params, |r| {
        Ok(ForeignSum { kind: funder_kind(r.get(0)?)?, funder: r.get(1)?, currency: r.get(2)?, original: r.get(3)? })
    })?;
    Ok((lines, foreign))
}

/// Sums per owner organisation id, largest total first.
pub fn by_owner(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<(i64, Sums)>> {
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let query = format!(
        "SELECT p.owner_id, {SUMS} FROM projects p NOT INDEXED WHERE {sql} GROUP BY p.owner_id ORDER BY sum(p.total) DESC, p.owner_id"
    );
    rows(conn, &query, params, |r| Ok((r.get(0)?, sums_at(r, 1)?)))
}

/// `CASE` expression giving the helix bit of an organisation kind (alias `o`), built
/// from the domain's own mapping.
fn helix_bit_sql() -> String {
    let mut sql = String::from("CASE o.kind");
    for kind in OrgKind::ALL {
        sql.push_str(&format!(" WHEN {} THEN {}", kind.code(), kind.helix().bit()));
    }
    sql.push_str(" ELSE 0 END");
    sql
}

/// Owners and partners of the selected projects (`vid`, `kind`, `role`, `bit`), as SQL.
fn involvement_sql(sel: &str, snapshot: Snapshot) -> String {
    let bit = helix_bit_sql();
    let live_o = snapshot.live("o");
    format!(
        "SELECT p.vid AS vid, o.kind AS kind, 'owner' AS role, {bit} AS bit
           FROM projects p NOT INDEXED JOIN orgs o ON o.id = p.owner_id AND {live_o} WHERE {sel}
         UNION ALL
         SELECT p.vid, o.kind, 'partner', {bit}
           FROM projects p NOT INDEXED JOIN partners pa ON pa.project_vid = p.vid JOIN orgs o ON o.id = pa.org_id AND {live_o} WHERE {sel}"
    )
}

/// Per organisation kind (or helix bit, `by_helix`): who takes part, as owner or partner.
pub fn by_actor(conn: &Connection, filter: &Filter, snapshot: Snapshot, by_helix: bool) -> Result<Vec<ActorRow>> {
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let inv = involvement_sql(&sql, snapshot);
    let key = if by_helix { "bit" } else { "kind" };
    let query = format!(
        "WITH inv AS ({inv}),
         per AS (SELECT vid, {key} AS key, max(CASE WHEN role = 'owner' THEN 1 ELSE 0 END) AS owner, max(CASE WHEN role = 'partner' THEN 1 ELSE 0 END) AS partner FROM inv GROUP BY vid, key)
         SELECT per.key, count(*) FILTER (WHERE p.kind <> 2),
                count(*) FILTER (WHERE p.kind <> 2 AND per.owner = 1),
                count(*) FILTER (WHERE p.kind <> 2 AND per.partner = 1),
                coalesce(sum(p.total), 0)
         FROM per JOIN projects p ON p.vid = per.vid GROUP BY per.key ORDER BY per.key"
    );
    let doubled: Vec<Value> = params.iter().chain(params.iter()).cloned().collect();
    rows(conn, &query, doubled, |r| {
        let code: i64 = r.get(0)?;
        let key = if by_helix {
            let helix = |bit| Helix::ALL.iter().copied().find(|h| i64::from(h.bit()) == bit);
            Actor::Helix(decode::code(At::new("orgs", "kind", None), code, helix)?)
        } else {
            Actor::Kind(decode::code(At::new("orgs", "kind", None), code, OrgKind::from_code)?)
        };
        Ok(ActorRow { key, projects: r.get(1)?, as_owner: r.get(2)?, as_partner: r.get(3)?, total: r.get(4)? })
    })
}

/// Per combination of helices among a project's owner and partners: `(mask, sums)`.
pub fn by_helix_mask(conn: &Connection, filter: &Filter, snapshot: Snapshot) -> Result<Vec<(i64, Sums)>> {
    let Selection { sql, params } = select::projects(conn, filter, snapshot)?;
    let inv = involvement_sql(&sql, snapshot);
    let query = format!(
        "WITH inv AS ({inv}), m AS (SELECT vid, sum(DISTINCT bit) AS mask FROM inv GROUP BY vid)
         SELECT m.mask, {SUMS} FROM m JOIN projects p ON p.vid = m.vid GROUP BY m.mask ORDER BY m.mask"
    );
    let doubled: Vec<Value> = params.iter().chain(params.iter()).cloned().collect();
    rows(conn, &query, doubled, |r| Ok((r.get(0)?, sums_at(r, 1)?)))
}
