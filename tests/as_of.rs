//! `--as-of`: every report, `project show` and `project list` give, byte for byte, what
//! they gave at that moment, whatever was edited, imported, paid, renamed or removed
//! since.

mod common;

use common::Env;

fn load_sample(env: &Env) {
    for name in ["orgs", "projects", "funding", "payments"] {
        let path = format!("{}/fixtures/{name}.csv", env!("CARGO_MANIFEST_DIR"));
        env.ok(&["import", &path]);
    }
    env.ok(&["programme", "set", "ERUF Norra Mellansverige 2021–2027", "--eu-cap", "40"]);
}

/// The commands compared, each in the formats people and programs read.
fn commands(reference: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let reports: [&[&str]; 14] = [
        &["report", "summary"],
        &["report", "areas"],
        &["report", "years"],
        &["report", "years", "--basis", "start"],
        &["report", "years", "--basis", "prorata"],
        &["report", "years", "--basis", "paid"],
        &["report", "years", "--by", "area"],
        &["report", "funders"],
        &["report", "orgs", "--top", "10"],
        &["report", "actors"],
        &["report", "actors", "--by", "combination"],
        &["report", "municipalities"],
        &["report", "status", "--status", "all"],
        &["report", "areas", "--area", "spel", "--fund", "ERUF"],
    ];
    for r in reports {
        for format in ["table", "csv", "json"] {
            let mut c: Vec<String> = r.iter().map(|s| s.to_string()).collect();
            c.extend(["--format".to_string(), format.to_string()]);
            out.push(c);
        }
    }
    for format in ["table", "json"] {
        out.push(vec!["project".into(), "show".into(), reference.into(), "--format".into(), format.into()]);
        out.push(vec![
            "project".into(),
            "list".into(),
            "--status".into(),
            "all".into(),
            "--format".into(),
            format.into(),
        ]);
    }
    out.push(vec!["check".into(), "--format".into(), "csv".into()]);
    out
}

fn run(env: &Env, args: &[String], as_of: Option<&str>) -> Vec<u8> {
    let mut c = env.cmd();
    c.args(args);
    if let Some(t) = as_of {
        c.args(["--as-of", t]);
    }
    let out = c.output().unwrap();
    assert!(out.status.code() == Some(0) || args[0] == "check", "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn every_report_reproduces_its_past_byte_for_byte() {
    let env = Env::new();
    load_sample(&env);
    let info: serde_json::Value = serde_json::from_str(&env.ok(&["info", "--format", "json"])).unwrap();
    let moment = info["as_of"]["at"].as_str().unwrap().to_string();
    let list = env.ok(&["project", "list", "--format", "csv"]);
    let reference = list.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let commands = commands(&reference);
    let before: Vec<Vec<u8>> = commands.iter().map(|c| run(&env, c, None)).collect();

    // Then the portfolio moves on: an edit, an import, a payment, renames, a removal.
    env.ok(&[
        "project",
        "edit",
        &reference,
        "--status",
        "closed",
        "--area",
        "spel:50",
        "--area",
        "skog:50",
        "--funding",
        "ERUF:eu:1 000 000",
        // The plan now falls below what was paid: recorded as an allowed overrun.
        "--allow-overrun",
    ]);
    let more = env.write(
        "more.csv",
        "ref,title,owner,areas,eu,decided,municipalities\nNY-1,Nytt projekt,Ny AB,plats,12345678,2026-11-20,Kil\n",
    );
    env.ok(&["import", more.to_str().unwrap()]);
    let second = list.lines().nth(2).unwrap().split(',').next().unwrap().to_string();
    env.ok(&["payment", "add", &second, "--date", "2026-11-25", "--amount", "1", "--allow-overrun"]);
    env.ok(&["org", "edit", "Karlstads universitet", "--name", "Karlstad University"]);
    env.ok(&["area", "rename", "spel", "--code", "games", "--en", "Games"]);
    env.ok(&["programme", "set", "ERUF Norra Mellansverige 2021–2027", "--eu-cap", "10"]);
    let third = list.lines().nth(3).unwrap().split(',').next().unwrap().to_string();
    env.ok(&["project", "remove", &third, "--force"]);

    let mut changed = 0;
    for (c, old) in commands.iter().zip(&before) {
        // Now `--area spel` names an area that has been renamed; as of then, it was called so.
        let now = env.cmd().args(c).output().unwrap().stdout;
        if &now != old {
            changed += 1;
        }
        let then = run(&env, c, Some(&moment));
        assert!(
            then == *old,
            "{c:?} --as-of {moment} differs:\n{}\n---\n{}",
            String::from_utf8_lossy(old),
            String::from_utf8_lossy(&then)
        );
    }
    assert!(
        changed > commands.len() / 2,
        "the changes should show in most reports now ({changed} of {})",
        commands.len()
    );
    assert_eq!(
        env.fails(1, &["project", "show", "NY-1", "--as-of", &moment]),
        "error: no project NY-1\n  hint: it may not have existed at that moment\n"
    );
    // Before anything was recorded there is nothing.
    let empty = env.ok(&["report", "summary", "--as-of", "2000-01-01", "--format", "csv"]);
    assert_eq!(
        empty,
        "projects,total,eu,public,private,other,paid,remaining,paid_outside,cofinancing_rate,first_year,last_year\r\n0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,,,\r\n"
    );
    assert_eq!(
        env.fails(2, &["report", "summary", "--as-of", "igår"]),
        "error: --as-of: \"igår\": not a moment (expected YYYY-MM-DD or e.g. 2026-11-27T18:11:16Z)\n"
    );
}
