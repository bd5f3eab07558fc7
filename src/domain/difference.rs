//! How two versions of a project differ, field by field, as text a person reads:
//! `status: granted → ongoing`. Used by an import's dry run (what a newer edition of a
//! list would change) and by `spets compare` (a file against the database).

use super::area::format_share;
use super::date::iso;
use super::money::Money;
use super::project::{FunderKind, Project};

/// One field that differs, with its value before and after, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// What the text of ids needs: organisation and area names, municipalities.
pub struct Namer<'a> {
    pub org: &'a dyn Fn(i64) -> String,
    pub area: &'a dyn Fn(i64) -> String,
    pub municipalities: &'a [String],
}

/// The groups of fields [`differences`] compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fields {
    /// Everything recorded about a project except where it was read from.
    All,
    /// What a published list and a register are compared on: amounts, dates, status
    /// and areas.
    Compared,
}

fn opt(v: Option<&str>) -> String {
    v.unwrap_or("").to_string()
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(iso).unwrap_or_default()
}

/// The project's total and EU amount in SEK.
pub fn amounts(p: &Project) -> (Money, Money) {
    let total = p.funding.iter().map(|l| l.amount.0).sum();
    let eu = p.funding.iter().filter(|l| l.kind == FunderKind::Eu).map(|l| l.amount.0).sum();
    (Money(total), Money(eu))
}

fn areas(p: &Project, n: &Namer<'_>) -> String {
    p.areas
        .iter()
        .map(|a| {
            if p.areas.len() == 1 && a.share_bp == 10_000 {
                (n.area)(a.area_id)
            } else {
                format!("{}:{}", (n.area)(a.area_id), format_share(a.share_bp, '.'))
            }
        })
        .collect::<Vec<_>>()
        .join("|")
}

fn funding(p: &Project) -> String {
    p.funding
        .iter()
        .map(|l| {
            let foreign = l.foreign.as_ref().map_or(String::new(), |f| {
                crate::tr!(" ({} {} at {})", " ({} {} kurs {})", f.original.plain(), f.currency.as_str(), f.rate.text())
            });
            format!(
                "{} {} {}{foreign}{}",
                l.kind.as_str(),
                l.funder,
                l.amount.plain(),
                if l.in_kind { " in kind" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The fields of `which` in which `new` differs from `old`, in the projects CSV's order.
pub fn differences(old: &Project, new: &Project, which: Fields, n: &Namer<'_>) -> Vec<Difference> {
    let lang = super::lang::messages();
    let mut out = Vec::new();
    let mut push = |field: &'static str, a: String, b: String| {
        if a != b {
            out.push(Difference { field, old: a, new: b });
        }
    };
    let all = which == Fields::All;
    if all {
        push("title", old.title.clone(), new.title.clone());
        push("owner", (n.org)(old.owner), (n.org)(new.owner));
        push("kind", old.kind.label(lang).into(), new.kind.label(lang).into());
        push("parent", opt(old.parent.as_deref()), opt(new.parent.as_deref()));
        push("programme", opt(old.programme.as_deref()), opt(new.programme.as_deref()));
        push("fund", opt(old.fund.as_deref()), opt(new.fund.as_deref()));
    }
    push("status", old.status.label(lang).into(), new.status.label(lang).into());
    push("decided", date(old.decided), date(new.decided));
    push("start", date(old.start), date(new.start));
    push("end", date(old.end), date(new.end));
    if all {
        let m = |p: &Project| super::municipality::names(p.municipalities, n.municipalities).join("|");
        push("municipalities", m(old), m(new));
    }
    push("areas", areas(old, n), areas(new, n));
    if all {
        let partners = |p: &Project| p.partners.iter().map(|o| (n.org)(*o)).collect::<Vec<_>>().join("|");
        push("partners", partners(old), partners(new));
    }
    let (old_total, old_eu) = amounts(old);
    let (new_total, new_eu) = amounts(new);
    push("total", old_total.plain(), new_total.plain());
    push("eu", old_eu.plain(), new_eu.plain());
    if all {
        if old_total == new_total && old_eu == new_eu {
            push("funding", funding(old), funding(new));
        }
        push("notes", opt(old.notes.as_deref()), opt(new.notes.as_deref()));
        let flag = |b: bool| if b { crate::tr!("yes", "ja") } else { String::new() };
        push("overrun", flag(old.overrun_allowed), flag(new.overrun_allowed));
        push("source", opt(old.provenance.source.as_deref()), opt(new.provenance.source.as_deref()));
        push("source_id", opt(old.provenance.source_id.as_deref()), opt(new.provenance.source_id.as_deref()));
    }
    out
}
