//! Exact splitting of amounts in whole öre.
//!
//! Every split here uses the largest-remainder method: each part gets the floor of its
//! exact share, and the öre left over go one each to the parts with the largest
//! remainders, ties broken by order. The parts always sum exactly to the whole, which
//! is what lets every breakdown reconcile with the grand total to the öre.

use chrono::{Datelike, NaiveDate};

/// Splits `amount` in proportion to `weights` by largest remainder.
///
/// A negative amount (a recovery) is split as its absolute value and negated, so the
/// parts mirror those of the matching positive amount. Zero weights get zero. When all
/// weights are zero the whole amount goes to the first part (there is nothing else to
/// go by), and an empty `weights` gives an empty split.
pub fn allocate_by_weights(amount: i64, weights: &[u64]) -> Vec<i64> {
    if weights.is_empty() {
        return Vec::new();
    }
    let total_weight: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    if total_weight == 0 {
        let mut parts = vec![0; weights.len()];
        parts[0] = amount;
        return parts;
    }
    let sign: i64 = if amount < 0 { -1 } else { 1 };
    let whole = u128::from(amount.unsigned_abs());
    let mut parts: Vec<u128> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    let mut given: u128 = 0;
    for (i, w) in weights.iter().enumerate() {
        let exact = whole * u128::from(*w);
        let floor = exact / total_weight;
        parts.push(floor);
        remainders.push((exact % total_weight, i));
        given += floor;
    }
    // Largest remainder first; equal remainders keep their order (stable sort).
    remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
    let left = whole - given;
    for (_, i) in remainders.iter().take(left as usize) {
        parts[*i] += 1;
    }
    // Each part is at most `whole`, which came from an i64, so the casts are exact.
    parts.into_iter().map(|p| sign * p as i64).collect()
}

/// Splits `amount` by percentage shares in basis points (hundredths of a percent).
pub fn allocate_by_share(amount: i64, shares_bp: &[u32]) -> Vec<i64> {
    let weights: Vec<u64> = shares_bp.iter().map(|s| u64::from(*s)).collect();
    allocate_by_weights(amount, &weights)
}

/// Splits `amount` evenly over `n` parts; the leftover öre go to the first parts.
pub fn allocate_evenly(amount: i64, n: usize) -> Vec<i64> {
    allocate_by_weights(amount, &vec![1; n])
}

/// Splits a project's components (EU, other public, private, other) across its areas.
///
/// Each area's total is the largest-remainder split of the project's total, each
/// component's column sums exactly to the component, and every cell is the floor or
/// the ceiling of its exact proportional value (a controlled rounding). Rows are areas,
/// columns components; `cells[a][c]`.
pub fn allocate_table(components: &[i64], shares_bp: &[u32]) -> Vec<Vec<i64>> {
    let total: i64 = components.iter().sum();
    let row_totals = allocate_by_share(total, shares_bp);
    let weight: i128 = shares_bp.iter().map(|s| i128::from(*s)).sum();
    let rows = shares_bp.len();
    let cols = components.len();
    if weight == 0 || rows == 0 {
        return vec![vec![0; cols]; rows];
    }
    let mut cells = vec![vec![0i64; cols]; rows];
    let mut frac = vec![vec![0i128; cols]; rows];
    let mut row_need: Vec<i64> = row_totals.clone();
    let mut col_need: Vec<i64> = components.to_vec();
    for a in 0..rows {
        for c in 0..cols {
            let exact = i128::from(components[c]) * i128::from(shares_bp[a]);
            // Components are non-negative sums of stored amounts; the quotient fits.
            let floor = (exact / weight) as i64;
            cells[a][c] = floor;
            frac[a][c] = exact % weight;
            row_need[a] -= floor;
            col_need[c] -= floor;
        }
    }
    // Cells that may take one more öre, most deserving first.
    let mut candidates: Vec<(usize, usize)> =
        (0..rows).flat_map(|a| (0..cols).map(move |c| (a, c))).filter(|&(a, c)| frac[a][c] > 0).collect();
    candidates.sort_by(|x, y| frac[y.0][y.1].cmp(&frac[x.0][x.1]));
    let mut bumped = vec![vec![false; cols]; rows];
    for &(a, c) in &candidates {
        if row_need[a] > 0 && col_need[c] > 0 {
            bumped[a][c] = true;
            row_need[a] -= 1;
            col_need[c] -= 1;
        }
    }
    // Greedy choices can block one another; reroute along alternating paths.
    while let Some(start) = (0..rows).find(|&a| row_need[a] > 0) {
        match augmenting_path(start, &frac, &bumped, &col_need) {
            Some((path, end_col)) => {
                for (a, c, add) in path {
                    bumped[a][c] = add;
                }
                row_need[start] -= 1;
                col_need[end_col] -= 1;
            }
            None => return allocate_columns(components, shares_bp),
        }
    }
    if col_need.iter().any(|n| *n != 0) || row_need.iter().any(|n| *n != 0) {
        return allocate_columns(components, shares_bp);
    }
    for a in 0..rows {
        for c in 0..cols {
            if bumped[a][c] {
                cells[a][c] += 1;
            }
        }
    }
    cells
}

/// Each component split on its own; rows then sum to what their parts give. Used only
/// when no controlled rounding exists, which keeps columns and rows consistent anyway.
fn allocate_columns(components: &[i64], shares_bp: &[u32]) -> Vec<Vec<i64>> {
    let columns: Vec<Vec<i64>> = components.iter().map(|c| allocate_by_share(*c, shares_bp)).collect();
    (0..shares_bp.len()).map(|a| columns.iter().map(|col| col[a]).collect()).collect()
}

type PathStep = (usize, usize, bool);

/// Breadth-first search for an alternating path from row `start` to a column that
/// still needs an öre: unbumped cells forward, bumped cells backward.
fn augmenting_path(
    start: usize,
    frac: &[Vec<i128>],
    bumped: &[Vec<bool>],
    col_need: &[i64],
) -> Option<(Vec<PathStep>, usize)> {
    let rows = frac.len();
    let cols = frac.first().map_or(0, Vec::len);
    let mut row_from: Vec<Option<Option<(usize, usize)>>> = vec![None; rows];
    let mut col_from: Vec<Option<usize>> = vec![None; cols];
    row_from[start] = Some(None);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(a) = queue.pop_front() {
        for c in 0..cols {
            if frac[a][c] == 0 || bumped[a][c] || col_from[c].is_some() {
                continue;
            }
            col_from[c] = Some(a);
            if col_need[c] > 0 {
                let mut path = vec![(a, c, true)];
                let mut row = a;
                while let Some(Some((prev_row, via_col))) = row_from[row] {
                    path.push((row, via_col, false));
                    path.push((prev_row, via_col, true));
                    row = prev_row;
                }
                return Some((path, c));
            }
            for (a2, row_cells) in bumped.iter().enumerate() {
                if row_cells[c] && row_from[a2].is_none() {
                    row_from[a2] = Some(Some((a, c)));
                    queue.push_back(a2);
                }
            }
        }
    }
    None
}

/// Spreads `amount` over the calendar years from `start` to `end` (inclusive) in
/// proportion to the days in each year. Returns `(year, part)` in year order.
pub fn allocate_by_days(amount: i64, start: NaiveDate, end: NaiveDate) -> Vec<(i32, i64)> {
    let (start, end) = if start <= end { (start, end) } else { (end, start) };
    let years: Vec<i32> = (start.year()..=end.year()).collect();
    let weights: Vec<u64> = years
        .iter()
        .map(|&y| {
            let first = NaiveDate::from_ymd_opt(y, 1, 1).map_or(start, |d| d.max(start));
            let last = NaiveDate::from_ymd_opt(y, 12, 31).map_or(end, |d| d.min(end));
            (last - first).num_days().unsigned_abs() + 1
        })
        .collect();
    years.into_iter().zip(allocate_by_weights(amount, &weights)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn largest_remainder_with_ties_by_order() {
        assert_eq!(allocate_by_share(100, &[3334, 3333, 3333]), vec![34, 33, 33]);
        assert_eq!(allocate_by_share(1, &[5000, 5000]), vec![1, 0]);
        assert_eq!(allocate_by_share(3, &[5000, 5000]), vec![2, 1]);
        assert_eq!(allocate_by_share(-3, &[5000, 5000]), vec![-2, -1]);
        assert_eq!(allocate_by_share(10, &[10000]), vec![10]);
        // 2 öre at 1/3 each: remainders 2/3 each; the first two take one each.
        assert_eq!(allocate_evenly(2, 3), vec![1, 1, 0]);
        assert_eq!(allocate_evenly(7, 0), Vec::<i64>::new());
        assert_eq!(allocate_by_weights(5, &[0, 0]), vec![5, 0]);
    }

    #[test]
    fn table_rows_are_the_split_of_the_total() {
        // EU 0,01 + region 0,01 + private 1 000 000,01 kr at 50/50.
        let cells = allocate_table(&[1, 1, 100_000_001, 0], &[5000, 5000]);
        let rows: Vec<i64> = cells.iter().map(|r| r.iter().sum()).collect();
        assert_eq!(rows, allocate_by_share(100_000_003, &[5000, 5000]));
        assert_eq!(rows, vec![50_000_002, 50_000_001]);
    }

    #[test]
    fn days_spread_over_years() {
        let d = |s| crate::domain::date::parse_date(s).unwrap();
        // 2023-07-01..2024-06-30: 184 days in 2023, 182 in 2024 (leap year).
        assert_eq!(allocate_by_days(36_600, d("2023-07-01"), d("2024-06-30")), vec![(2023, 18_400), (2024, 18_200)]);
        assert_eq!(allocate_by_days(5, d("2020-03-01"), d("2020-03-01")), vec![(2020, 5)]);
    }

    proptest! {
        #[test]
        fn parts_sum_to_the_whole(amount in -(1i64 << 60)..(1i64 << 60), weights in prop::collection::vec(0u64..1_000_000, 1..8)) {
            let parts = allocate_by_weights(amount, &weights);
            prop_assert_eq!(parts.iter().sum::<i64>(), amount);
            let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
            if total > 0 {
                for (p, w) in parts.iter().zip(&weights) {
                    let exact = i128::from(amount) * (*w as i128);
                    let floor = exact.div_euclid(total as i128);
                    prop_assert!(i128::from(*p) >= floor - 1 && i128::from(*p) <= floor + 1);
                }
            }
        }

        #[test]
        fn table_reconciles_both_ways(
            components in prop::collection::vec(prop_oneof![0i64..5, 0i64..10_000_000_000], 4),
            raw in prop::collection::vec(1u32..100, 1..5),
        ) {
            // Shares in basis points summing to exactly 10 000.
            let sum: u32 = raw.iter().sum();
            let mut shares: Vec<u32> = raw.iter().map(|r| r * 10000 / sum).collect();
            let given: u32 = shares.iter().sum();
            shares[0] += 10000 - given;
            prop_assume!(shares.iter().all(|s| *s > 0));
            let cells = allocate_table(&components, &shares);
            let total: i64 = components.iter().sum();
            let rows: Vec<i64> = cells.iter().map(|r| r.iter().sum()).collect();
            prop_assert_eq!(rows, allocate_by_share(total, &shares));
            for (c, component) in components.iter().enumerate() {
                prop_assert_eq!(cells.iter().map(|r| r[c]).sum::<i64>(), *component);
            }
        }

        #[test]
        fn days_sum_to_the_whole(amount in 0i64..(1i64 << 50), a in 0i64..5000, len in 0i64..5000) {
            let base = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
            let start = base + chrono::Duration::days(a);
            let end = start + chrono::Duration::days(len);
            let parts = allocate_by_days(amount, start, end);
            prop_assert_eq!(parts.iter().map(|p| p.1).sum::<i64>(), amount);
            prop_assert_eq!(parts.first().map(|p| p.0), Some(start.year()));
        }
    }
}
