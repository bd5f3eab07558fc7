//! A command line that explains itself: global options apart in every `--help`, real
//! examples at the end of it, a manual page per command, and suggestions where a
//! person mistypes (a project's reference, a unit).

mod common;

use common::Env;

#[test]
fn global_options_have_their_own_heading() {
    let env = Env::new();
    let help = env.ok(&["project", "add", "--help"]);
    let global = help.find("Global options:").expect("the heading");
    // The command's own options come first, the global ones under their heading.
    assert!(help.find("--title").unwrap() < global, "{help}");
    for flag in ["--db", "--sample", "--format", "--lang", "--user"] {
        assert!(help.find(&format!("\n      {flag}")).is_some_and(|at| at > global), "{flag}: {help}");
    }
    assert!(help.trim_end().contains("Examples:\n  spets project add 20201234"), "{help}");
}

#[test]
fn every_command_has_a_manual_page() {
    let env = Env::new();
    let page = env.ok(&["man", "project", "add"]);
    assert!(page.contains(".TH spets-project-add 1"), "{page}");
    assert!(page.contains("\\-\\-title"), "{page}");
    let dir = env.path("man");
    std::fs::create_dir(&dir).unwrap();
    env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    let pages: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    for expected in ["spets.1", "spets-import.1", "spets-report-html.1", "spets-project-list.1", "spets-man.1"] {
        assert!(pages.contains(&expected.to_string()), "{expected}: {pages:?}");
    }
    assert_eq!(
        env.fails(2, &["man", "project", "nosuch"]),
        "error: man: \"project nosuch\": no such command (spets --help lists them)\n"
    );
}

#[test]
fn a_mistyped_reference_or_unit_gets_a_suggestion() {
    let env = Env::new();
    assert_eq!(
        env.fails(1, &["--sample", "project", "show", "2015253"]),
        "error: no project 2015253\n  hint: did you mean 20152537?\n"
    );
    let err = env.fails(1, &["--sample", "payment", "add", "NYPS 2015210", "--date", "2024-01-01", "--amount", "1"]);
    assert!(err.ends_with("error: no project NYPS 2015210\n  hint: did you mean NYPS 20152100?\n"), "{err}");
    assert_eq!(env.fails(1, &["--sample", "project", "show", "zzzz"]), "error: no project zzzz\n");
    let err = env.fails(2, &["--sample", "report", "areas", "--unit", "Mkr"]);
    assert!(err.starts_with("error: invalid value 'Mkr' for '--unit <UNIT>': not a unit: expected kr, tkr, mnkr or mdkr; did you mean mnkr?\n"), "{err}");
    assert!(env.ok(&["--sample", "report", "areas", "--unit", "MNKR"]).contains("Amounts in mnkr."));
}

#[test]
fn project_list_counts_like_people_and_shows_every_status() {
    let env = Env::new();
    env.ok(&["org", "add", "Karlstads universitet", "--kind", "university"]);
    for (reference, status) in [("X10", "granted"), ("X3", "applied"), ("X2", "rejected")] {
        env.ok(&[
            "project",
            "add",
            reference,
            "--title",
            "T",
            "--owner",
            "Karlstads universitet",
            "--area",
            "skog",
            "--funding",
            "ERUF:eu:100",
            "--status",
            status,
        ]);
    }
    let csv = env.ok(&["project", "list", "--format", "csv"]);
    let refs: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(refs, ["X2", "X3", "X10"]);
    let table = env.ok(&["project", "list"]);
    assert!(table.contains("status: all"), "{table}");
    let counted = env.ok(&["project", "list", "--status", "granted", "--format", "csv"]);
    assert_eq!(counted.lines().count(), 2);
}

/// Every Swedish word spets prints is accepted where the English one is.
#[test]
fn swedish_words_are_accepted_where_english_ones_are() {
    let env = Env::new();
    for (sv, en) in [("beviljat", "granted"), ("Pågående,avslutat", "ongoing,closed"), ("återkallat", "withdrawn")] {
        assert_eq!(
            env.ok(&["--sample", "report", "summary", "--status", sv, "--format", "csv"]),
            env.ok(&["--sample", "report", "summary", "--status", en, "--format", "csv"]),
            "{sv}"
        );
    }
    env.ok(&["org", "add", "Karlstads universitet", "--kind", "university"]);
    env.ok(&[
        "project",
        "add",
        "F1",
        "--title",
        "Förstudie",
        "--owner",
        "Karlstads universitet",
        "--area",
        "skog",
        "--kind",
        "förstudie",
        "--status",
        "beviljat",
        "--funding",
        "Karlstads kommun:kommun:100",
    ]);
    env.ok(&["payment", "add", "F1", "--date", "2024-01-01", "--amount", "10", "--kind", "förskott"]);
    let shown = env.ok(&["project", "show", "F1", "--format", "json"]);
    assert!(shown.contains("\"kind\": \"pre-study\"") && shown.contains("\"status\": \"granted\""), "{shown}");
    let funding = env.ok(&["export", "funding"]);
    assert!(funding.contains("F1,Karlstads kommun,municipality,100.00,"), "{funding}");
    assert!(env.ok(&["export", "payments"]).contains("F1,2024-01-01,10.00,advance,"));
}
