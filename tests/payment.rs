//! `spets payment`: recording what was paid, refusing what would not add up.

mod common;

use common::Env;

#[test]
fn an_overrun_is_refused_naming_both_figures_unless_allowed() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-01-15", "--amount", "6 000 000", "--kind", "advance"]);
    let before = env.dump();
    assert_eq!(
        env.fails(1, &["payment", "add", "20201234", "--date", "2021-06-01", "--amount", "2 000 000,01"]),
        "error: payment to 20201234: project 20201234 would be paid 8,000,000.01 kr, above its granted 8,000,000.00 kr (--allow-overrun records it as an allowed overrun)\n"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.ok(&[
            "payment",
            "add",
            "20201234",
            "--date",
            "2021-06-01",
            "--amount",
            "2 000 000,01",
            "--allow-overrun",
            "--note",
            "Beslut 2021-05-30"
        ]),
        "Recorded payment 2: 2,000,000.01 kr to 20201234 (paid 8,000,000.01 of 8,000,000.00 kr).\n"
    );
    let show = env.ok(&["project", "show", "20201234"]);
    assert!(show.contains("Paid                  8,000,000.01 kr\nRemaining to pay             -0.01 kr\n"), "{show}");
    assert!(show.contains("Overrun: paid exceeds the granted total by 0.01 kr."), "{show}");
}

#[test]
fn a_recovery_reduces_what_was_paid_but_never_below_zero() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-01-15", "--amount", "100 000"]);
    env.ok(&["payment", "add", "20201234", "--date", "2022-03-01", "--amount", "25 000", "--kind", "recovery"]);
    let before = env.dump();
    assert_eq!(
        env.fails(
            1,
            &["payment", "add", "20201234", "--date", "2022-04-01", "--amount", "75 000,01", "--kind", "recovery"]
        ),
        "error: payment to 20201234: a recovery of 75,000.01 kr would make the paid total negative (75,000.00 kr paid so far)\n"
    );
    assert_eq!(env.dump(), before);
    assert_eq!(
        env.ok(&["payment", "list", "20201234", "--format", "csv"]),
        "id,ref,date,kind,amount,funder,note\r\n1,20201234,2021-01-15,claim,100000.00,,\r\n2,20201234,2022-03-01,recovery,-25000.00,,\r\n"
    );
    let summary: serde_json::Value = serde_json::from_str(&env.ok(&["report", "summary", "--format", "json"])).unwrap();
    assert_eq!(
        (summary["rows"][0]["paid"].as_str(), summary["rows"][0]["remaining"].as_str()),
        (Some("75000.00"), Some("7925000.00"))
    );
}

#[test]
fn bad_payments_are_refused_with_the_value_and_the_reason() {
    let env = Env::with_project();
    let before = env.dump();
    for (args, code, expected) in [
        (vec!["payment", "add", "NOPE", "--date", "2021-01-01", "--amount", "1"], 1, "error: no project NOPE\n"),
        (
            vec!["payment", "add", "20201234", "--date", "2021-02-30", "--amount", "1"],
            2,
            "error: --date: \"2021-02-30\": no such day: 2021-02 has 28 days\n",
        ),
        (
            vec!["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "-1"],
            2,
            "error: --amount: \"-1\": negative amounts are not accepted (a repayment is a payment of kind recovery)\n",
        ),
        (
            vec!["payment", "add", "20201234", "--date", "2021-02-01", "--amount", "1", "--kind", "refund"],
            2,
            "error: --kind: \"refund\": not a payment kind (expected one of advance, claim, final, recovery)\n",
        ),
        (vec!["payment", "remove", "7"], 1, "error: no payment number 7\n"),
    ] {
        assert_eq!(env.fails(code, &args), expected, "{args:?}");
        assert_eq!(env.dump(), before, "{args:?}");
    }
}

#[test]
fn importing_payments_checks_each_projects_total_after_the_file() {
    let env = Env::with_project();
    // A recovery dated before the payment it reduces is fine within one file.
    let good = env.write("pay.csv", "ref,date,amount,kind,funder,note\n20201234,2021-06-01,10000,recovery,,Återkrav\n20201234,2021-01-01,50000,advance,Tillväxtverket,\n20201234,2021-01-01,50000,advance,Tillväxtverket,\n");
    assert_eq!(
        env.ok(&["import", good.to_str().unwrap()]),
        format!("{}: 3 rows of payments: added 3, updated 0, unchanged 0\n", good.display())
    );
    let after = env.dump();
    assert_eq!(
        env.ok(&["import", good.to_str().unwrap()]),
        format!("{}: 3 rows of payments: added 0, updated 0, unchanged 3\n", good.display())
    );
    assert_eq!(env.dump(), after, "re-importing payments wrote something");
    let bad = env.write(
        "bad.csv",
        "ref,date,amount,kind,funder,note\n\
         NOPE,2021-01-01,1,claim,,\n\
         20201234,2021-13-01,1,claim,,\n\
         20201234,2021-01-01,tio,claim,,\n\
         20201234,2021-01-01,1,refund,,\n\
         20201234,2021-03-01,7910000.01,claim,,\n",
    );
    let f = bad.display();
    // The overrun quoted the ref as the `amount` value and wrote Swedish numbers under
    // --lang en; bad rows came out of line order.
    assert_eq!(
        env.fails(1, &["import", bad.to_str().unwrap()]),
        format!(
            "{f}:2: ref: \"NOPE\": no such project\n\
             {f}:3: date: \"2021-13-01\": no month 13 (expected YYYY-MM-DD)\n\
             {f}:4: amount: \"tio\": not an amount (expected e.g. 1 234 567,50)\n\
             {f}:5: kind: \"refund\": not a payment kind (expected one of advance, claim, final, recovery)\n\
             {f}:6: amount: \"7910000.01\": with this file, project 20201234 would be paid 8,000,000.01 kr, above its granted 8,000,000.00 kr (--allow-overrun records it as an allowed overrun)\n\
             error: {f}: 5 problems; nothing was imported\n"
        )
    );
    assert_eq!(env.dump(), after);
    let negative = env.write("neg.csv", "ref,date,amount,kind\n20201234,2022-01-01,90000.01,recovery\n");
    assert!(env.fails(1, &["import", negative.to_str().unwrap()]).contains(
        ":2: amount: \"90000.01\": with this file, project 20201234's paid total would be negative (-0.01 kr)\n"
    ));
    assert_eq!(env.dump(), after);
}

/// A payment above the granted total was refused, but a funding change that took the
/// granted total below what was paid went through silently (`Remaining to pay
/// -3,060,000.00 kr`), and then the database's own export could not be imported back.
/// The rule now holds both ways, and an allowed overrun is recorded on the project, so
/// the export imports back without flags.
#[test]
fn the_overrun_rule_holds_both_ways_and_the_export_imports_back() {
    let env = Env::with_project();
    env.ok(&["payment", "add", "20201234", "--date", "2021-01-15", "--amount", "5 000 000"]);
    let before = env.dump();
    let refusal = "project 20201234 would be paid 5,000,000.00 kr, above its granted 4,000,000.00 kr (--allow-overrun records it as an allowed overrun)";
    assert_eq!(
        env.fails(1, &["project", "edit", "20201234", "--funding", "ERUF:eu:4000000"]),
        format!("error: {refusal}\n")
    );
    let funding = env.write("f.csv", "ref,funder,kind,amount\n20201234,ERUF,eu,4000000\n");
    let err = env.fails(1, &["import", funding.to_str().unwrap()]);
    assert!(err.starts_with(&format!("{}:2: ref: \"20201234\": {refusal}\n", funding.display())), "{err}");
    let projects = env.write(
        "p.csv",
        "ref,title,owner,areas,eu,region\n20201234,Digital vård,Karlstads universitet,halsa:60|spel:40,4000000,\n",
    );
    let err = env.fails(1, &["import", projects.to_str().unwrap()]);
    assert!(err.starts_with(&format!("{}:2: ref: \"20201234\": {refusal}\n", projects.display())), "{err}");
    assert_eq!(env.dump(), before, "a refused plan changed the database");

    // Allowed, the overrun is part of the record...
    env.ok(&["project", "edit", "20201234", "--funding", "ERUF:eu:4000000", "--allow-overrun"]);
    let shown = env.ok(&["export", "projects"]);
    assert!(shown.lines().nth(1).unwrap().ends_with(",yes,,"), "{shown}");
    // ...so all four tables of the database import back into an empty one without
    // extra flags, and export again byte for byte.
    let copy = Env::new();
    let mut exported = Vec::new();
    for table in ["orgs", "projects", "funding", "payments"] {
        let text = env.ok(&["export", table]);
        let file = copy.write(&format!("{table}.csv"), &text);
        copy.ok(&["import", file.to_str().unwrap(), "--table", table]);
        exported.push(text);
    }
    for (table, text) in ["orgs", "projects", "funding", "payments"].iter().zip(&exported) {
        assert_eq!(&copy.ok(&["export", table]), text, "{table}");
    }
}
