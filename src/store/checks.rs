//! The facts `spets check` judges: projects whose data may break a rule, found in SQL.
//! Where a comparison could overflow 64-bit integers, the query keeps the row and the
//! report decides in 128-bit arithmetic.

use super::db::Connection;

use super::Snapshot;
use super::decode::{self, At};
pub use crate::domain::checks::{Capped, Facts};
use crate::domain::project::{Status, normal_ref, programme_key};
use crate::domain::text::fold;
use crate::error::Result;

fn list<T>(conn: &Connection, sql: &str, f: impl FnMut(&super::db::Row<'_>) -> super::db::Result<T>) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], f)?.collect::<super::db::Result<Vec<T>>>()?;
    Ok(rows)
}

/// Gathers the facts, as of `snapshot`.
pub fn facts(conn: &Connection, snapshot: Snapshot) -> Result<Facts> {
    let p = snapshot.live("p");
    let q = snapshot.live("q");
    let g = snapshot.live("g");
    let pay = snapshot.live("pay");
    let o = snapshot.live("o");
    let counted: Vec<String> = Status::TURNED_OVER.iter().map(|s| s.code().to_string()).collect();
    let counted = counted.join(", ");
    // The change that created the later version is one this snapshot sees.
    let q_seen = match snapshot.0 {
        None => "TRUE".to_string(),
        Some(rev) => format!("q.rev <= {rev}"),
    };
    let rank = |t: &str| {
        let mut sql = format!("CASE {t}.status");
        for s in Status::ALL {
            sql.push_str(&format!(" WHEN {} THEN {}", s.code(), s.rank()));
        }
        sql + " END"
    };
    let (rank_p, rank_q) = (rank("p"), rank("q"));
    // Values above this could overflow `x * 10000`; such rows go to the report to judge.
    let big = 900_000_000_000_000i64;
    Ok(Facts {
        shares: list(
            conn,
            &format!(
                "SELECT p.ref, sum(a.share) FROM projects p NOT INDEXED JOIN allocations a ON a.project_vid = p.vid
                 WHERE {p} GROUP BY p.vid HAVING sum(a.share) <> 10000 ORDER BY p.ref"
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        capped: list(
            conn,
            &format!(
                "SELECT c.ref, c.name, c.total, c.eu, c.region, c.eu_cap, c.region_cap FROM (
                   SELECT p.ref, g.name, p.total, p.eu,
                          coalesce((SELECT sum(f.amount) FROM funding_lines f WHERE f.project_vid = p.vid AND f.kind = 2), 0) AS region,
                          g.eu_cap, g.region_cap
                   FROM projects p NOT INDEXED JOIN names n ON n.id = p.programme_id JOIN programmes g ON g.name = n.text AND {g}
                   WHERE {p} AND p.total > 0) c
                 WHERE CASE WHEN c.eu_cap IS NULL AND c.region_cap IS NULL THEN 0
                            WHEN c.total >= {big} THEN 1
                            WHEN c.eu_cap IS NOT NULL AND c.eu * 10000 > c.eu_cap * c.total THEN 1
                            WHEN c.region_cap IS NOT NULL AND c.region * 10000 > c.region_cap * c.total THEN 1
                            ELSE 0 END = 1
                 ORDER BY c.ref"
            ),
            |r| {
                Ok(Capped {
                    reference: r.get(0)?,
                    programme: r.get(1)?,
                    total: r.get(2)?,
                    eu: r.get(3)?,
                    region: r.get(4)?,
                    eu_cap: r.get(5)?,
                    region_cap: r.get(6)?,
                })
            },
        )?,
        overpaid: list(
            conn,
            &format!(
                "SELECT p.ref, sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END) AS paid, p.total
                 FROM payments pay JOIN projects p ON p.ref = pay.project_ref AND {p}
                 WHERE {pay} GROUP BY p.vid HAVING sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END) > p.total ORDER BY p.ref"
            ),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?,
        dates: list(
            conn,
            &format!(
                "SELECT p.ref, p.start, p.\"end\" FROM projects p NOT INDEXED WHERE {p} AND p.start > p.\"end\" ORDER BY p.ref"
            ),
            |r| {
                let (start, end) = (At::new("projects", "start", None), At::new("projects", "end", None));
                Ok((r.get(0)?, decode::date(start, r.get(1)?)?, decode::date(end, r.get(2)?)?))
            },
        )?,
        orphans: list(
            conn,
            &format!(
                "SELECT p.ref, coalesce(p.parent, '') FROM projects p NOT INDEXED WHERE {p} AND p.kind = 2
                 AND NOT EXISTS (SELECT 1 FROM projects q WHERE q.ref = p.parent AND {q}) ORDER BY p.ref"
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        no_area: list(
            conn,
            &format!(
                "SELECT p.ref FROM projects p NOT INDEXED WHERE {p}
                 AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.project_vid = p.vid) ORDER BY p.ref"
            ),
            |r| r.get(0),
        )?,
        no_funding: list(
            conn,
            &format!(
                "SELECT p.ref FROM projects p NOT INDEXED WHERE {p}
                 AND NOT EXISTS (SELECT 1 FROM funding_lines f WHERE f.project_vid = p.vid) ORDER BY p.ref"
            ),
            |r| r.get(0),
        )?,
        org_numbers: list(
            conn,
            &format!("SELECT o.name, o.org_no FROM orgs o WHERE {o} AND o.org_no IS NOT NULL ORDER BY o.name_key"),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        kind_not_recorded: list(
            conn,
            &format!(
                "SELECT o.name FROM orgs o WHERE {o} AND o.kind = {} ORDER BY o.name_key",
                crate::domain::org::OrgKind::NotRecorded.code()
            ),
            |r| r.get(0),
        )?,
        paid_uncounted: list(
            conn,
            &format!(
                "SELECT p.ref, p.status, sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END) AS paid
                 FROM payments pay JOIN projects p ON p.ref = pay.project_ref AND {p}
                 WHERE {pay} AND p.status NOT IN ({counted}) GROUP BY p.vid HAVING sum(CASE pay.kind WHEN 3 THEN -pay.amount ELSE pay.amount END) <> 0 ORDER BY p.ref"
            ),
            |r| Ok((r.get(0)?, decode::code(At::new("projects", "status", None), r.get(1)?, Status::from_code)?, r.get(2)?)),
        )?,
        shared_org_numbers: list(
            conn,
            &format!(
                "SELECT o.org_no, group_concat(o.name, ' | ') FROM (SELECT * FROM orgs o WHERE {o} AND o.org_no IS NOT NULL ORDER BY o.name_key) o
                 GROUP BY o.org_no HAVING count(*) > 1 ORDER BY o.org_no"
            ),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        status_backwards: list(
            conn,
            &format!(
                "SELECT q.ref, p.status, q.status, q.rev FROM projects p JOIN projects q ON q.ref = p.ref AND q.rev = p.end_rev
                 WHERE p.end_rev IS NOT NULL AND {q_seen} AND {rank_q} < {rank_p} ORDER BY q.ref, q.rev"
            ),
            |r| {
                let at = At::new("projects", "status", None);
                let (from, to) = (decode::code(at, r.get(1)?, Status::from_code)?, decode::code(at, r.get(2)?, Status::from_code)?);
                Ok((r.get(0)?, from, to, r.get(3)?))
            },
        )?,
        programme_spellings: spellings(list(
            conn,
            &format!(
                "SELECT g.name FROM programmes g WHERE {g}
                 UNION SELECT n.text FROM projects p NOT INDEXED JOIN names n ON n.id = p.programme_id WHERE {p}"
            ),
            |r| r.get(0),
        )?),
        payment_funders: unmatched_funders(list(
            conn,
            &format!(
                "SELECT p.ref, pay.id, pay.funder, n.text FROM payments pay JOIN projects p ON p.ref = pay.project_ref AND {p}
                 LEFT JOIN funding_lines f ON f.project_vid = p.vid LEFT JOIN names n ON n.id = f.funder_id
                 WHERE {pay} AND pay.funder IS NOT NULL
                 ORDER BY p.ref, pay.id"
            ),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?),
        counted_undecided: list(
            conn,
            &format!(
                "SELECT p.ref FROM projects p NOT INDEXED WHERE {p} AND p.decided IS NULL AND p.status IN ({counted}) ORDER BY p.ref"
            ),
            |r| r.get(0),
        )?,
        unnormal_refs: list(conn, &format!("SELECT p.ref FROM projects p NOT INDEXED WHERE {p} ORDER BY p.ref"), |r| r.get(0))?
            .into_iter()
            .filter(|r: &String| normal_ref(r) != *r)
            .collect(),
        ..indicator_facts(conn, snapshot)?
    })
}

/// The facts about indicators: codes the catalogue does not know, values in another
/// unit than the code's, and closed projects with targets but no outcomes.
fn indicator_facts(conn: &Connection, snapshot: Snapshot) -> Result<Facts> {
    let (i, p) = (snapshot.live("i"), snapshot.live("p"));
    let closed = Status::Closed.code();
    let rows: Vec<(String, String, Option<String>, bool, bool)> = list(
        conn,
        &format!(
            "SELECT i.project_ref, i.code, i.unit, i.outcome IS NOT NULL, p.status = {closed}
             FROM indicators i JOIN projects p ON p.ref = i.project_ref AND {p} WHERE {i} ORDER BY i.project_ref, i.code"
        ),
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    let catalogue = super::indicators::catalogue(conn, snapshot)?;
    let mut facts = Facts::default();
    for (reference, code, unit, has_outcome, closed) in rows {
        match catalogue.iter().find(|d| d.code == code) {
            None => facts.unknown_codes.push((reference.clone(), code.clone())),
            Some(d) => {
                if let Some(u) = unit.filter(|u| !d.unit_matches(u)) {
                    facts.indicator_units.push((reference.clone(), code.clone(), u, d.unit.clone()));
                }
            }
        }
        if closed && !has_outcome {
            match facts.no_outcome.last_mut() {
                Some((r, codes)) if *r == reference => codes.push_str(&format!(", {code}")),
                _ => facts.no_outcome.push((reference, code)),
            }
        }
    }
    Ok(facts)
}

/// The programme names that are one programme spelt differently, each group `a | b`
/// in name order, the groups in the order of their common form.
fn spellings(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    let mut groups: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for name in names {
        groups.entry(programme_key(&name)).or_default().push(name);
    }
    groups.into_values().filter(|g| g.len() > 1).map(|g| g.join(" | ")).collect()
}

/// The payments (ref, id, funder) whose funder is none of its project's funding lines'
/// funders, from rows of each payment with each of those funders (or none).
fn unmatched_funders(rows: Vec<(String, i64, String, Option<String>)>) -> Vec<(String, i64, String)> {
    // (ref, id, funder, matched by one of the lines so far), a payment's rows in a run.
    let mut payments: Vec<(String, i64, String, bool)> = Vec::new();
    for (reference, id, funder, line) in rows {
        let hit = line.is_some_and(|l| fold(&l) == fold(&funder));
        match payments.last_mut() {
            Some(last) if last.1 == id => last.3 |= hit,
            _ => payments.push((reference, id, funder, hit)),
        }
    }
    payments.into_iter().filter(|p| !p.3).map(|(r, id, funder, _)| (r, id, funder)).collect()
}
