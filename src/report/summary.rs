//! `report summary`: the headline figure and what it is made of.

use super::{Cell, ColumnKind, Frame, Layout, Report, Table, share};
use crate::domain::figures::{StatusSums, Sums, span};
use crate::domain::lang::Lang;
use crate::domain::money::Money;
use crate::domain::project::Status;

/// What the summary is computed from.
pub struct Input {
    /// Every status with its sums, under the same filters but any status.
    pub by_status: Vec<StatusSums>,
    /// The statuses the figures count.
    pub counted: Vec<Status>,
    /// Paid on the counted projects.
    pub paid: i64,
    /// Paid on the projects of the same filters whose status is not counted (rejected,
    /// withdrawn, applied …): with `paid`, every payment `payment list` totals.
    pub paid_outside: i64,
}

/// The counted statuses' sums, and the years of their first and last decisions.
pub fn counted(input: &Input) -> (Sums, Option<i64>, Option<i64>) {
    let mut t = Sums::default();
    let (mut first, mut last): (Option<i64>, Option<i64>) = (None, None);
    for s in input.by_status.iter().filter(|s| input.counted.contains(&s.status)) {
        t.projects += s.sums.projects;
        t.total += s.sums.total;
        t.eu += s.sums.eu;
        t.public += s.sums.public;
        t.private += s.sums.private;
        t.other += s.sums.other;
        (first, last) = span((first, last), (s.first_year, s.last_year));
    }
    (t, first, last)
}

pub fn build(frame: &Frame, input: &Input) -> Report {
    let lang = frame.lang;
    let (sums, first_year, last_year) = counted(input);
    let s = &sums;
    let columns = vec![
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("total", "Turned over", "Omsatt", ColumnKind::Money),
        frame.col("eu", "EU", "EU", ColumnKind::Money),
        frame.col("public", "Other public", "Övrig offentlig", ColumnKind::Money),
        frame.col("private", "Private", "Privat", ColumnKind::Money),
        frame.col("other", "Other", "Övrigt", ColumnKind::Money),
        frame.col("paid", "Paid", "Utbetalt", ColumnKind::Money),
        frame.col("remaining", "Remaining to pay", "Kvar att betala", ColumnKind::Money),
        frame.col("paid_outside", "Paid, not counted", "Utbetalt, ej räknat", ColumnKind::Money),
        frame.col("cofinancing_rate", "EU co-financing rate", "EU:s medfinansieringsgrad", ColumnKind::Percent),
        frame.col("first_year", "First decision", "Första beslut", ColumnKind::Text),
        frame.col("last_year", "Last decision", "Senaste beslut", ColumnKind::Text),
    ];
    let row = vec![
        Cell::Count(s.projects),
        Cell::money(s.total),
        Cell::money(s.eu),
        Cell::money(s.public),
        Cell::money(s.private),
        Cell::money(s.other),
        Cell::money(input.paid),
        Cell::money(s.total - input.paid),
        Cell::money(input.paid_outside),
        Cell::Percent(share(s.eu, s.total)),
        Cell::opt_text(first_year.map(|y| y.to_string())),
        Cell::opt_text(last_year.map(|y| y.to_string())),
    ];
    let main = Table { key: "summary".into(), title: String::new(), columns, rows: vec![row], totals: None };
    let mut report = frame.report("summary", lang.pick("Summary", "Sammanfattning").into(), main);
    report.layout = Layout::Record;
    report.headline = Some(headline(lang, &sums, first_year, &input.counted));

    let status_columns = vec![
        frame.col("status", "Status", "Status", ColumnKind::Text),
        frame.col("projects", "Projects", "Projekt", ColumnKind::Count),
        frame.col("total", "Total", "Totalt", ColumnKind::Money),
        frame.col("counted", "Counted", "Räknas", ColumnKind::Text),
    ];
    let status_rows = Status::ALL
        .iter()
        .map(|st| {
            let sums = input.by_status.iter().find(|s| s.status == *st).map(|s| s.sums).unwrap_or_default();
            let counted = input.counted.contains(st);
            vec![
                Cell::text(st.label(lang)),
                Cell::Count(sums.projects),
                Cell::money(sums.total),
                Cell::text(if counted { lang.pick("yes", "ja") } else { lang.pick("no", "nej") }),
            ]
        })
        .collect();
    report.sections.push(Table {
        key: "statuses".into(),
        title: lang.pick("Projects by status", "Projekt per status").into(),
        columns: status_columns,
        rows: status_rows,
        totals: None,
    });
    report
}

/// The headline sentence: "Since 2015: 163 projects, 1 034 567 890 kr turned over, of
/// which 402 345 000 kr from the EU."
pub fn headline(lang: Lang, s: &Sums, first_year: Option<i64>, counted: &[Status]) -> String {
    if s.projects == 0 && s.total == 0 {
        return lang.pick("No projects match.", "Inga projekt matchar.").into();
    }
    let since = match first_year {
        Some(first) => format!("{} {first}", lang.pick("Since", "Sedan")),
        None => lang.pick("In all", "Totalt").to_string(),
    };
    let total = Money(s.total).display_kronor(lang);
    let eu = Money(s.eu).display_kronor(lang);
    let turned_over =
        counted.len() == Status::TURNED_OVER.len() && Status::TURNED_OVER.iter().all(|st| counted.contains(st));
    let what = if turned_over {
        lang.pick("turned over", "omsatt").to_string()
    } else {
        let names: Vec<&str> = counted.iter().map(|st| st.label(lang)).collect();
        format!("{} {}", lang.pick("in status", "med status"), names.join(", "))
    };
    match lang {
        Lang::En => format!(
            "{since}: {} project{}, {total} kr {what}, of which {eu} kr from the EU.",
            s.projects,
            if s.projects == 1 { "" } else { "s" }
        ),
        Lang::Sv => format!("{since}: {} projekt, {total} kr {what}, varav {eu} kr från EU.", s.projects),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(lang: Lang) -> Frame {
        Frame { lang, filters: Vec::new(), as_of: None }
    }

    fn input() -> Input {
        let sums = Sums {
            projects: 163,
            total: 103_456_789_000,
            eu: 40_234_500_000,
            public: 40_000_000_000,
            private: 23_222_289_000,
            other: 0,
        };
        // Applied projects are listed by status but not counted in the figures.
        let applied = Sums { projects: 5, total: 999, eu: 0, public: 999, private: 0, other: 0 };
        Input {
            by_status: vec![
                StatusSums { status: Status::Applied, sums: applied, first_year: Some(2011), last_year: Some(2026) },
                StatusSums { status: Status::Granted, sums, first_year: Some(2015), last_year: Some(2026) },
            ],
            counted: Status::TURNED_OVER.to_vec(),
            paid: 50_000_000_000,
            paid_outside: 0,
        }
    }

    #[test]
    fn headline_in_both_languages() {
        assert_eq!(
            build(&frame(Lang::En), &input()).headline.unwrap(),
            "Since 2015: 163 projects, 1,034,567,890 kr turned over, of which 402,345,000 kr from the EU."
        );
        assert_eq!(
            build(&frame(Lang::Sv), &input()).headline.unwrap(),
            "Sedan 2015: 163 projekt, 1 034 567 890 kr omsatt, varav 402 345 000 kr från EU."
        );
    }

    #[test]
    fn figures_are_computed_before_rendering() {
        let r = build(&frame(Lang::En), &input());
        let row = &r.main.rows[0];
        assert_eq!(row[7], Cell::money(103_456_789_000 - 50_000_000_000));
        assert_eq!(row[8], Cell::money(0));
        assert_eq!(row[9], Cell::Percent(crate::report::share(40_234_500_000, 103_456_789_000)));
        assert_eq!(row[10], Cell::text("2015"));
        let statuses = &r.sections[0];
        assert_eq!(statuses.rows.len(), 7);
        assert_eq!(statuses.rows[2][1], Cell::Count(163));
        assert_eq!(statuses.rows[0][3], Cell::text("no"));
    }

    #[test]
    fn no_projects_says_so() {
        let mut i = input();
        i.by_status.clear();
        assert_eq!(build(&frame(Lang::En), &i).headline.unwrap(), "No projects match.");
    }
}
