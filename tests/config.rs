//! The per-user config file: what it sets, and that a flag beats the environment, which
//! beats the file, which beats the default.

mod common;

use common::Env;

/// `spets` with the config file in the test's folder and none of the test environment's
/// own settings, so the file is what decides.
fn bare(env: &Env) -> assert_cmd::Command {
    let mut c = env.cmd();
    c.env("SPETS_CONFIG", env.path("config.toml"))
        .env_remove("SPETS_DB")
        .env_remove("SPETS_LANG")
        .env_remove("SPETS_USER");
    c.env("HOME", env.dir.path()).env("LANG", "C");
    c
}

fn out(mut c: impl std::borrow::BorrowMut<assert_cmd::Command>, args: &[&str]) -> (Option<i32>, String, String) {
    let o = c.borrow_mut().args(args).output().unwrap();
    (o.status.code(), String::from_utf8(o.stdout).unwrap(), String::from_utf8(o.stderr).unwrap())
}

#[test]
fn settings_apply_below_flags_and_the_environment() {
    let env = Env::new();
    for (key, value) in
        [("lang", "sv"), ("csv_dialect", "excel-sv"), ("unit", "mnkr"), ("user", "Karin"), ("db", "mine.db")]
    {
        assert_eq!(out(bare(&env), &["config", "set", key, value]).0, Some(0));
    }
    let (_, shown, _) = out(bare(&env), &["config", "show"]);
    assert_eq!(
        shown,
        format!(
            "{}\ndb = mine.db\nlang = sv\ncsv_dialect = excel-sv\nunit = mnkr\nuser = Karin\n",
            env.path("config.toml").display()
        )
    );
    // Language: the file, then SPETS_LANG over it, then the flag over that.
    assert!(out(bare(&env), &["--sample", "report", "summary"]).1.starts_with("Sammanfattning\n"));
    assert!(out(bare(&env).env("SPETS_LANG", "en"), &["--sample", "report", "summary"]).1.starts_with("Summary\n"));
    assert!(
        out(bare(&env).env("SPETS_LANG", "en"), &["--lang", "sv", "--sample", "report", "summary"])
            .1
            .starts_with("Sammanfattning\n")
    );
    // Unit and CSV dialect.
    assert!(out(bare(&env), &["--sample", "report", "areas"]).1.contains("Belopp i mnkr."));
    assert!(out(bare(&env), &["--sample", "report", "areas", "--unit", "kr"]).1.contains("Belopp i kr."));
    assert!(out(bare(&env), &["--sample", "export", "payments"]).1.starts_with("\u{feff}ref;date;amount"));
    assert!(
        out(bare(&env), &["--sample", "--csv-dialect", "plain", "export", "payments"]).1.starts_with("ref,date,amount")
    );
    // Database and user: the first write creates mine.db, recorded as Karin's.
    assert_eq!(out(bare(&env), &["org", "add", "Karlstads universitet"]).0, Some(0));
    assert!(env.path("mine.db").exists());
    let log = out(bare(&env), &["audit", "log", "--format", "csv"]).1;
    assert!(log.lines().last().unwrap().contains(";Karin;"), "{log}");
    let (_, _, _) = out(bare(&env).env("SPETS_USER", "Olle"), &["org", "add", "Paper Province"]);
    assert!(out(bare(&env), &["audit", "log", "--format", "csv"]).1.lines().last().unwrap().contains(";Olle;"));
    // SPETS_DB over the file, --db over both.
    out(bare(&env).env("SPETS_DB", env.path("env.db")), &["org", "add", "X"]);
    assert!(env.path("env.db").exists());
    out(
        bare(&env).env("SPETS_DB", env.path("env.db")),
        &["--db", env.path("flag.db").to_str().unwrap(), "org", "add", "X"],
    );
    assert!(env.path("flag.db").exists());
    assert_eq!(out(bare(&env), &["config", "unset", "db"]).0, Some(0));
    assert!(!out(bare(&env), &["config", "show"]).1.contains("mine.db"));
}

#[test]
fn a_bad_setting_is_refused_and_a_broken_file_named() {
    let env = Env::new();
    let (code, _, err) = out(bare(&env), &["config", "set", "lang", "de"]);
    assert_eq!((code, err.as_str()), (Some(2), "error: lang: \"de\": expected en or sv\n"));
    let (code, _, err) = out(bare(&env), &["config", "set", "colour", "red"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("not a setting (the settings are: db, lang, csv_dialect, unit, user)"), "{err}");
    assert!(!env.path("config.toml").exists(), "nothing written");
    let (code, _, err) = out(bare(&env), &["config", "set", "unit", "Mkr"]);
    assert_eq!(
        (code, err.as_str()),
        (Some(2), "error: unit: \"Mkr\": not a unit: expected kr, tkr, mnkr or mdkr; did you mean mnkr?\n")
    );
    env.write("config.toml", "lang = \"fr\"\n");
    let (code, _, err) = out(bare(&env), &["--sample", "report", "summary"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: {}: lang: \"fr\": expected en or sv\n  hint: spets config set KEY VALUE writes it correctly\n",
            env.path("config.toml").display()
        )
    );
    // `spets config` itself still works, and repairs it.
    assert_eq!(out(bare(&env), &["config", "set", "lang", "en"]).0, Some(0));
    assert!(out(bare(&env), &["--sample", "report", "summary"]).1.starts_with("Summary\n"));
}
