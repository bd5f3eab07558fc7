//! Calendar dates: ISO `YYYY-MM-DD` in and out, and nothing else. `2023-02-30` is an
//! error, never March 2nd.

use chrono::{Datelike, NaiveDate};

/// Parses a strict ISO date. The error text is the "why" of a message.
pub fn parse_date(input: &str) -> Result<NaiveDate, String> {
    let s = input.trim();
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(crate::tr!(
            "not a date (expected YYYY-MM-DD, e.g. 2023-02-28)",
            "inte ett datum (väntade ÅÅÅÅ-MM-DD, t.ex. 2023-02-28)"
        ));
    }
    let year: i32 = s[0..4].parse().map_err(|_| crate::tr!("not a date", "inte ett datum"))?;
    let month: u32 = s[5..7].parse().map_err(|_| crate::tr!("not a date", "inte ett datum"))?;
    let day: u32 = s[8..10].parse().map_err(|_| crate::tr!("not a date", "inte ett datum"))?;
    if !(1..=12).contains(&month) {
        return Err(crate::tr!("no month {month} (expected YYYY-MM-DD)", "ingen månad {month} (väntade ÅÅÅÅ-MM-DD)"));
    }
    if !(1900..=2999).contains(&year) {
        return Err(crate::tr!(
            "year {year} is out of range (spets keeps dates from 1900-01-01 to 2999-12-31)",
            "året {year} är utanför det tillåtna (spets har datum från 1900-01-01 till 2999-12-31)"
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = days_in_month(year, month);
        crate::tr!(
            "no such day: {year}-{month:02} has {days} days",
            "ingen sådan dag: {year}-{month:02} har {days} dagar"
        )
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// A date as the database stores it: the integer YYYYMMDD.
pub fn to_int(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

/// The date of a stored YYYYMMDD integer, if it is one.
pub fn from_int(value: i64) -> Option<NaiveDate> {
    let year = i32::try_from(value / 10_000).ok()?;
    NaiveDate::from_ymd_opt(year, (value / 100 % 100) as u32, (value % 100) as u32)
}

/// The ISO text of a date.
pub fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_integers_round_trip() {
        let d = parse_date("2024-02-29").unwrap();
        assert_eq!(to_int(d), 20_240_229);
        assert_eq!(from_int(20_240_229), Some(d));
        assert_eq!(from_int(20_230_229), None);
    }

    #[test]
    fn accepts_real_dates_only() {
        assert_eq!(iso(parse_date("2024-02-29").unwrap()), "2024-02-29");
        assert_eq!(iso(parse_date(" 2015-01-01 ").unwrap()), "2015-01-01");
        assert_eq!(parse_date("2023-02-30").unwrap_err(), "no such day: 2023-02 has 28 days");
        assert_eq!(parse_date("2023-13-01").unwrap_err(), "no month 13 (expected YYYY-MM-DD)");
        // Dates outside 1900–2999 reached the database's CHECK and came back as a
        // database error that hid every other bad row of a file.
        assert_eq!(
            parse_date("1899-12-31").unwrap_err(),
            "year 1899 is out of range (spets keeps dates from 1900-01-01 to 2999-12-31)"
        );
        assert_eq!(
            parse_date("3000-01-01").unwrap_err(),
            "year 3000 is out of range (spets keeps dates from 1900-01-01 to 2999-12-31)"
        );
        assert!(parse_date("1900-01-01").is_ok() && parse_date("2999-12-31").is_ok());
        for bad in ["2023-2-3", "20230203", "03/02/2023", "", "2023-02-3x", "2023–02–03"] {
            assert!(parse_date(bad).unwrap_err().starts_with("not a date"), "{bad}");
        }
    }
}
