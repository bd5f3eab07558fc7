//! `spets payment add|list|remove`.

use std::io::Write;

use super::{Context, date_arg};
use crate::cli::PaymentCommand;
use crate::domain::lang::Lang;
use crate::domain::money::{Money, Unit};
use crate::domain::project::{Payment, PaymentKind, overrun_message, validate_ref};
use crate::error::{Error, Result};
use crate::render::visible;
use crate::report::{Cell, ColumnKind, Table};
use crate::store::{self, Access, View};

/// Whether a payment may be recorded: the project exists, a recovery does not make the
/// paid total negative, and (unless allowed) the paid total stays within the granted
/// total. A refusal is `(column, why)`.
pub fn check(
    v: View<'_>,
    p: &Payment,
    allow_overrun: bool,
    lang: Lang,
) -> Result<std::result::Result<(), (&'static str, String)>> {
    let Some(project) = v.project(&p.reference)? else {
        return Ok(Err(("ref", crate::tr!("no project {}", "inget projekt {}", p.reference))));
    };
    let paid = v.paid(&p.reference)?;
    let after = paid + p.signed();
    if after < 0 {
        return Ok(Err((
            "amount",
            crate::tr!(
                "a recovery of {} would make the paid total negative ({} paid so far)",
                "ett återkrav på {} skulle göra det utbetalda totalbeloppet negativt ({} utbetalt hittills)",
                p.amount.with_kr(lang),
                Money(paid).with_kr(lang)
            ),
        )));
    }
    if let Some((paid, granted)) = v.overrun(&project.project, p.signed())?
        && !allow_overrun
        && p.kind != PaymentKind::Recovery
    {
        return Ok(Err(("amount", overrun_message(&p.reference, paid, granted, lang))));
    }
    Ok(Ok(()))
}

pub fn run(ctx: &Context, command: PaymentCommand) -> Result<()> {
    let lang = ctx.lang;
    match command {
        PaymentCommand::Add { reference, date, amount, kind, funder, note, allow_overrun } => {
            validate_ref(&reference).map_err(|e| Error::value("REF", &reference, e))?;
            let date = date_arg("--date", Some(&date))?
                .ok_or_else(|| Error::usage(crate::tr!("--date is required", "--date krävs")))?;
            let amount = Money::parse(&amount).map_err(|e| Error::value("--amount", &amount, e))?;
            let kind: PaymentKind = kind.parse().map_err(|e| Error::value("--kind", &kind, e))?;
            let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            let payment = Payment {
                id: 0,
                reference: reference.clone(),
                date,
                amount,
                kind,
                funder: clean(funder),
                note: clean(note),
            };
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            if !change.now().project_exists(&reference)? {
                return Err(change.now().no_project(&reference));
            }
            if let Err((_, why)) = check(change.now(), &payment, allow_overrun, lang)? {
                return Err(Error::failed(crate::tr!(
                    "payment to {reference}: {why}",
                    "utbetalning till {reference}: {why}"
                )));
            }
            let recorded = store::payments::add(&change, &payment)?;
            if allow_overrun {
                store::projects::allow_overrun(&change, &reference)?;
            }
            let paid = change.now().paid(&reference)?;
            let granted = change.now().project(&reference)?.map_or(0, |p| p.components.total());
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {}: {} {} {} ({} {} {} {} kr).",
                lang.pick("Recorded payment", "Registrerade utbetalning"),
                recorded.id,
                Money(recorded.signed()).display(Unit::Kr, lang),
                lang.pick("kr to", "kr till"),
                visible(&reference),
                lang.pick("paid", "utbetalt"),
                Money(paid).display(Unit::Kr, lang),
                lang.pick("of", "av"),
                Money(granted).display(Unit::Kr, lang),
            )?;
            out.finish()
        }
        PaymentCommand::List { reference, as_of } => {
            let store = ctx.open(Access::Read)?;
            let snapshot = ctx.snapshot(&store, &as_of)?;
            if let Some(r) = &reference
                && !store.at(snapshot).project_exists(r)?
            {
                return Err(store.at(snapshot).no_project(r));
            }
            let payments = store.at(snapshot).payments(reference.as_deref())?;
            let frame =
                ctx.frame(&store, snapshot, reference.iter().map(|r| ("ref".to_string(), r.clone())).collect())?;
            let total: i64 = payments.iter().map(Payment::signed).sum();
            let rows = payments
                .iter()
                .map(|p| {
                    vec![
                        Cell::Count(p.id),
                        Cell::text(&p.reference),
                        Cell::text(crate::domain::date::iso(p.date)),
                        Cell::text(p.kind.label(ctx.lang)),
                        Cell::money(p.signed()),
                        Cell::opt_text(p.funder.clone()),
                        Cell::opt_text(p.note.clone()),
                    ]
                })
                .collect();
            let columns = vec![
                frame.col("id", "No.", "Nr", ColumnKind::Count),
                frame.col("ref", "Ref", "Dnr", ColumnKind::Text),
                frame.col("date", "Date", "Datum", ColumnKind::Text),
                frame.col("kind", "Kind", "Slag", ColumnKind::Text),
                frame.col("amount", "Amount", "Belopp", ColumnKind::Money),
                frame.col("funder", "Funder", "Finansiär", ColumnKind::Text).detail(),
                frame.col("note", "Note", "Notering", ColumnKind::Text).detail(),
            ];
            let totals = vec![
                Cell::text(lang.pick("Paid", "Utbetalt")),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::money(total),
                Cell::Empty,
                Cell::Empty,
            ];
            let table = Table { key: "payments".into(), title: String::new(), columns, rows, totals: Some(totals) };
            ctx.render(&frame.report("payments", lang.pick("Payments", "Utbetalningar").into(), table), None, false)
        }
        PaymentCommand::Remove { id } => {
            let mut store = ctx.open(Access::Write)?;
            let change = ctx.begin(&mut store)?;
            let removed = store::payments::remove(&change, id)?;
            change.commit()?;
            let mut out = ctx.output()?;
            writeln!(
                out.writer,
                "{} {} ({} kr, {}).",
                lang.pick("Removed payment", "Tog bort utbetalning"),
                id,
                Money(removed.signed()).display(Unit::Kr, lang),
                visible(&removed.reference)
            )?;
            out.finish()
        }
    }
}
