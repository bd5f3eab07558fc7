//! Swedish all the way: under `--lang sv` every message, label and value spets prints is
//! Swedish. Each scenario runs a command as a person would (a typo, a bad value, a
//! refused change, a confirmation) and checks the exact Swedish text of some, and of
//! all that no English word is left in them. A last test reads the sources: every text
//! spets says to a person goes through `tr!`, so no new message can be English only.

mod common;

use common::Env;

/// Words of English that Swedish text never uses. A Swedish message holding one of them
/// has a part left untranslated. (Quoted input, `code` and flags are left out first.)
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "not",
    "and",
    "or",
    "with",
    "expected",
    "was",
    "were",
    "cannot",
    "unknown",
    "required",
    "missing",
    "of",
    "nothing",
    "written",
    "did",
    "you",
    "mean",
    "already",
    "exists",
    "must",
    "needs",
    "give",
    "found",
    "no",
    "project",
    "payment",
    "amount",
    "date",
    "area",
    "share",
    "added",
    "updated",
    "removed",
    "recorded",
    "error",
    "hint",
    "paid",
    "granted",
    "applied",
    "closed",
    "advance",
    "claim",
    "municipality",
    "company",
    "rows",
    "line",
];

/// The English words left in `text`, outside quotes, backticks and flags.
fn english_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut quote: Option<char> = None;
    // A usage line names commands and flags, which are English by design.
    let text: String = text.lines().filter(|l| !l.starts_with("Användning: ")).collect::<Vec<_>>().join("\n");
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '`' || c == '\'' => quote = Some(c),
            None => plain.push(c),
        }
    }
    plain
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.starts_with('-') && !w.contains('_'))
        .filter(|w| ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(String::from)
        .collect()
}

fn swedish(env: &Env) -> assert_cmd::Command {
    let mut c = env.cmd();
    c.env("SPETS_LANG", "sv");
    c
}

/// Runs `args` in Swedish expecting `code`; returns stdout and stderr together.
fn run(env: &Env, code: i32, args: &[&str]) -> String {
    let out = swedish(env).args(args).output().expect("spets runs");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "spets {args:?}:\n{text}");
    text
}

fn assert_swedish(args: &[&str], text: &str) {
    let left = english_words(text);
    assert!(left.is_empty(), "spets {args:?} left English words {left:?} in:\n{text}");
}

#[test]
fn the_checker_sees_english() {
    let env = Env::with_project();
    let text = env.fails(1, &["project", "show", "20201235"]);
    assert_eq!(english_words(&text), ["error", "no", "project", "hint", "did", "you", "mean"]);
    assert!(english_words("fel: inget projekt \"the\" `is` --not").is_empty());
}

#[test]
fn errors_are_swedish() {
    let env = Env::with_project();
    let before = env.dump();
    let exact: &[(&[&str], i32, &str)] = &[
        (&["project", "show", "20201235"], 1, "fel: inget projekt 20201235\n  tips: menade du 20201234?\n"),
        (
            &["report", "areas", "--area", "xyz"],
            2,
            "fel: --area: \"xyz\": okänt område (kända: skog, halsa, tillverkning, solel, plats, livsmedel, spel, skog-2015, valfard-2015, tillverkning-2015, upplevelser-2015, solceller-2015, tjanster-2015)\n",
        ),
        (
            &["project", "list", "--status", "foo"],
            2,
            "fel: --status: \"foo\": inte en status (väntade en av ansökt, prioriterat, beviljat, pågående, avslutat, avslaget, återkallat), eller alla\n",
        ),
        (
            &[
                "project",
                "add",
                "R2",
                "--title",
                "T",
                "--owner",
                "Karlstads universitet",
                "--area",
                "skog",
                "--funding",
                "ERUF:eu:12,5x",
            ],
            2,
            "fel: --funding: \"ERUF:eu:12,5x\": inte ett belopp (väntade t.ex. 1 234 567,50)\n",
        ),
        (
            &["project", "add", "R2", "--title", "T", "--area", "skog", "--funding", "ERUF:eu:100"],
            2,
            "fel: --owner krävs\n  tips: ange en registrerad organisation; `spets org add` registrerar en\n",
        ),
        (
            &["org", "add", "Karlstads universitet", "--kind", "university"],
            1,
            "fel: organisationen \"Karlstads universitet\" finns redan\n",
        ),
        (
            &["payment", "add", "20201234", "--date", "2023-02-30", "--amount", "5"],
            2,
            "fel: --date: \"2023-02-30\": ingen sådan dag: 2023-02 har 28 dagar\n",
        ),
        (
            &["rules", "show", "nope"],
            2,
            "fel: rules show: \"nope\": inga inbyggda regler med det namnet (de är: kohesio, kohesio-portal, projektbanken)\n",
        ),
    ];
    for (args, code, expected) in exact {
        let out = swedish(&env).args(*args).output().expect("spets runs");
        assert_eq!(out.status.code(), Some(*code), "spets {args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), *expected, "spets {args:?}");
    }
    let checked: &[(&[&str], i32)] = &[
        (&["payment", "add", "20201234", "--date", "2023-01-01", "--amount", "9000000", "--kind", "recovery"], 1),
        (&["project", "edit", "20201234", "--area", "skog:60", "--area", "halsa:30"], 2),
        (&["project", "edit", "20201234", "--end", "2019-01-01"], 2),
        (&["project", "remove", "20201299"], 1),
        (&["org", "add", "X", "--org-no", "202100-3154", "--kind", "company"], 2),
        (&["area", "rename", "skog"], 2),
        (&["config", "set", "lang", "fi"], 2),
        (&["config", "set", "colour", "red"], 2),
        (&["report", "areas", "--from", "2024-01-01", "--to", "2023-01-01"], 2),
        (&["report", "summary", "--unit", "mkr"], 2),
        (&["report", "summary", "--as-of", "igår"], 2),
        (&["report", "sumary"], 2),
        (&["report", "summary", "--stat", "x"], 2),
        (&["project", "add"], 2),
        (&["audit", "verify", "--expect", "abc"], 2),
        (&["import", "no-such-file.csv"], 1),
        (&["backup", "spets.db"], 1),
        (&["report", "funders", "--format", "svg", "--org", "Nobody"], 2),
    ];
    for (args, code) in checked {
        assert_swedish(args, &run(&env, *code, args));
    }
    assert_eq!(env.dump(), before, "a refused command changed the database");
}

#[test]
fn import_problems_are_swedish_and_import_nothing() {
    let env = Env::with_project();
    let before = env.dump();
    env.write(
        "p.csv",
        "ref,title,owner,areas,eu,decided,status\n\
         R1,,Karlstads universitet,skog,100,2024-01-01,granted\n\
         R2,T,Karlstads universitet,skog:60|halsa:30,12.345,2024-02-30,foo\n\
         R3,T,Karlstads universitet,xyz,100,,\n\
         R4,T\n",
    );
    let text = run(&env, 1, &["import", "p.csv"]);
    assert!(text.contains("p.csv:2: title: \"\": en titel krävs\n"), "{text}");
    assert!(text.contains("p.csv:3: status: \"foo\": inte en status (väntade en av ansökt,"), "{text}");
    assert!(text.contains("p.csv:5: 2 celler där rubriken har 7"), "{text}");
    assert!(text.contains("fel: p.csv: 7 problem; inget importerades\n"), "{text}");
    assert_swedish(&["import", "p.csv"], &text);
    env.write("bin.csv", b"ref,title,owner,areas,eu\n\xff\xfe,x,Karlstads universitet,skog,1\n");
    let text = run(&env, 1, &["import", "bin.csv", "--table", "projects"]);
    assert!(text.contains("försök med --encoding windows-1252"), "{text}");
    assert_swedish(&["import", "bin.csv"], &text);
    assert_eq!(env.dump(), before);
}

#[test]
fn confirmations_labels_and_values_are_swedish() {
    let env = Env::with_project();
    let steps: &[(&[&str], &str)] = &[
        (
            &["org", "add", "Testbolaget AB", "--kind", "företag"],
            "Lade till organisationen Testbolaget AB (företag).\n",
        ),
        (
            &[
                "project",
                "add",
                "R1",
                "--title",
                "T",
                "--owner",
                "Testbolaget AB",
                "--area",
                "skog",
                "--funding",
                "ERUF:eu:100",
                "--funding",
                "Kil:kommun:50",
            ],
            "Lade till projektet R1: T (150,00 kr), status ansökt: räknas inte som omsatt.\n",
        ),
        (&["project", "edit", "R1", "--status", "beviljat"], "Ändrade projektet R1.\n"),
        (
            &["payment", "add", "R1", "--date", "2024-03-01", "--amount", "60", "--kind", "förskott"],
            "Registrerade utbetalning 1: 60,00 kr till R1 (utbetalt 60,00 av 150,00 kr).\n",
        ),
    ];
    for (args, expected) in steps {
        assert_eq!(run(&env, 0, args), *expected, "spets {args:?}");
    }
    let show = run(&env, 0, &["project", "show", "R1"]);
    for line in ["\nSlag                       projekt\n", "\nStatus                     beviljat\n"] {
        assert!(show.contains(line), "{line:?} in\n{show}");
    }
    assert!(show.contains("\nKil        kommun   50,00\n"), "{show}");
    assert!(show.contains("2024-03-01  förskott"), "{show}");
    // Every Swedish word printed is accepted where the English one is.
    for (sv, en) in [
        (
            &["report", "years", "--basis", "utbetalt", "--by", "område"][..],
            &["report", "years", "--basis", "paid", "--by", "area"][..],
        ),
        (&["project", "list", "--status", "alla"][..], &["project", "list", "--status", "all"][..]),
        (&["org", "list", "--format", "csv"][..], &["org", "list", "--format", "csv"][..]),
    ] {
        assert_eq!(run(&env, 0, sv), run(&env, 0, en), "spets {sv:?}");
    }
    env.ok(&["org", "add", "Forskarna", "--kind", "forskningsinstitut"]);
    let list = run(&env, 0, &["project", "list"]);
    assert!(list.starts_with("Projekt\nstatus: alla\n"), "{list}");
    let areas = run(&env, 0, &["report", "areas", "--status", "beviljat", "--kind", "projekt"]);
    assert!(areas.contains("status: beviljat · slag: projekt\n"), "{areas}");
    for (args, text) in [
        (&["project", "show", "R1"][..], show),
        (&["project", "list"][..], list),
        (&["report", "areas"][..], areas),
        (&["org", "list"][..], run(&env, 0, &["org", "list"])),
        (&["payment", "list"][..], run(&env, 0, &["payment", "list"])),
        (&["funder", "defaults"][..], run(&env, 0, &["funder", "defaults"])),
        (&["rules", "list"][..], run(&env, 0, &["rules", "list"])),
        (&["check"][..], run(&env, 1, &["check"])),
        (&["audit", "verify"][..], run(&env, 0, &["audit", "verify"])),
    ] {
        assert_swedish(args, &text);
    }
}

#[test]
fn audit_verify_names_a_hand_edit_in_swedish() {
    let env = Env::with_project();
    let conn = rusqlite::Connection::open(&env.db).expect("open");
    conn.execute("UPDATE projects SET title = 'Falsk' WHERE ref = '20201234'", []).expect("edit by hand");
    drop(conn);
    let text = run(&env, 1, &["audit", "verify"]);
    assert!(text.contains("stämmer inte med sin hash"), "{text}");
    assert_swedish(&["audit", "verify"], &text);
}

/// Every place that hands a person a text (an error, a hint, a row's problem, a line
/// on standard error) gets it from `tr!`, never from a bare English literal.
#[test]
fn every_message_in_the_sources_has_its_swedish() {
    let sink = regex::Regex::new(
        r#"(Error::(?:usage|failed)|\.hint|\.say|\bErr|RowError::whole\(\s*[\w.]+\s*,|p\.add\(\s*"[^"]*"\s*,\s*[^,]+,|Error::value\(\s*(?:"[^"]*"|[\w.&]+)\s*,\s*[^,()]+(?:\([^()]*\))?\s*,|RowError::cell\((?:[^,()]+,){3}|decode::text\((?:[^,()]+,){2})\s*&?\(?\s*(?:format!\(\s*)?("(?:[^"\\]|\\.)*")"#,
    )
    .expect("a regex");
    let words = regex::Regex::new("^\"[^\"]* [^\"]*\"$").expect("a regex");
    let word = regex::Regex::new("[a-z]{3,}").expect("a regex");
    let placeholder = regex::Regex::new(r"\{[^{}]*\}|--[a-z-]+").expect("a regex");
    let find = |code: &str| -> Vec<String> {
        sink.captures_iter(code)
            .filter(|m| {
                let text = placeholder.replace_all(&m[2], "");
                words.is_match(&text) && word.is_match(&text)
            })
            .map(|m| m[0].to_string())
            .collect()
    };
    let mut bare = Vec::new();
    let mut files = vec![std::path::PathBuf::from("src")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).expect("a folder").map(|e| e.expect("an entry").path()));
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        bare.extend(find(code).into_iter().map(|m| format!("{}: {m}", path.display())));
    }
    assert!(bare.is_empty(), "messages without their Swedish:\n{}", bare.join("\n"));
    // The search is not blind: it finds each kind of bare message.
    let planted = [
        r#"Error::usage("no such thing")"#,
        r#"Error::failed(format!("{x}: cannot read it"))"#,
        r#".hint("give one with --db")"#,
        r#"Err("not a date (expected YYYY-MM-DD)".into())"#,
        r#"Error::value("--area", name, "no such area")"#,
        r#"RowError::cell(line, "ref", &r, "appears more than once")"#,
        r#"decode::text(at, &s, "not a number spets writes")"#,
    ];
    for p in planted {
        assert_eq!(find(p).len(), 1, "{p}");
    }
    assert!(find(r#"Error::usage(crate::tr!("no such thing", "ingen sådan sak"))"#).is_empty());
}

#[test]
fn every_report_on_the_sample_is_swedish() {
    let env = Env::new();
    let reports: &[&[&str]] = &[
        &["report", "summary"],
        &["report", "areas"],
        &["report", "years"],
        &["report", "years", "--basis", "paid", "--by", "area"],
        &["report", "funders"],
        &["report", "municipalities"],
        &["report", "actors"],
        &["report", "orgs"],
        &["report", "status"],
        &["project", "list", "--area", "skog"],
        // (`--detail` shows the recorded fields as the history holds them, and says so.)
        &["audit", "log", "--ref", "20152537"],
        &["info"],
        &["area", "list"],
        &["programme", "list"],
    ];
    for args in reports {
        let mut all = vec!["--sample"];
        all.extend_from_slice(args);
        // One organisation of the sample has an English name.
        let text = run(&env, 0, &all).replace("The Packaging Greenhouse", "").replace("The Packaging Greenh…", "");
        assert_swedish(&all, &text);
    }
}
