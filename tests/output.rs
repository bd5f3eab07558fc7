//! Output to pipes: a reader that stops early (`| head`) is not an error, and nothing
//! but the result goes anywhere when spets is not talking to a terminal.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use common::Env;

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let env = Env::new();
    let mut child = common::process(&env.db)
        .args(["--sample", "audit", "log", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spets starts");
    let mut first = [0u8; 16];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    // The reading end is closed here, long before the 800 kB of output are written.
    let out = child.wait_with_output().expect("spets ends");
    assert_eq!(&first[..1], b"{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn an_import_on_a_pipe_shows_no_progress_bar() {
    let env = Env::new();
    let file = env.write("p.csv", common::portfolio(20_000, 1));
    let out = env.cmd().args(["import", file.to_str().unwrap()]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "stderr must stay empty on a pipe");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{}: 20000 rows of projects: added 20000, updated 0, unchanged 0; 500 new organisations\n\
             New organisations: Företag 0 AB (company), Företag 1 AB (company), Företag 2 AB (company), Företag 3 AB (company), \
             Företag 4 AB (company), Företag 5 AB (company), Företag 6 AB (company), Företag 7 AB (company), Företag 8 AB (company), \
             Företag 9 AB (company) and 490 more\n",
            file.display()
        )
    );
}

/// `spets completions bash | head -5` panicked with exit 134: every command that
/// writes output ends quietly with success when its reader has gone.
#[test]
fn every_subcommand_into_a_closed_pipe_is_quiet_success() {
    let env = Env::new();
    let commands: &[&[&str]] = &[
        &["completions", "bash"],
        &["info"],
        &["area", "list"],
        &["org", "list"],
        &["org", "show", "Karlstads universitet"],
        &["project", "list"],
        &["project", "show", "20152537"],
        &["payment", "list"],
        &["export", "projects"],
        &["export", "funding"],
        &["export", "payments"],
        &["report", "summary"],
        &["report", "areas"],
        &["report", "years"],
        &["report", "funders"],
        &["report", "orgs"],
        &["report", "actors"],
        &["report", "municipalities"],
        &["report", "status"],
        &["programme", "list"],
        &["check"],
        &["audit", "log"],
        &["audit", "verify"],
        &["rules", "list"],
        &["rules", "show", "kohesio"],
        &[
            "compare",
            concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/projektbanken.csv"),
            "--rules",
            "projektbanken",
            "--rate",
            "EUR=11.4765",
        ],
        &["--help"],
    ];
    for args in commands {
        let mut child = common::process(&env.db)
            .arg("--sample")
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spets starts");
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("spets ends");
        let code = out.status.code();
        // `check` exits 1 when it has findings, `compare` when anything differs; the
        // sample has some.
        let expected =
            if ["check", "compare"].contains(&args[0]) { [Some(0), Some(1)].contains(&code) } else { code == Some(0) };
        assert!(expected, "{args:?}: exit {code:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

/// `-o FILE` replaced whatever was at the path: as root, `export -o /dev/full` turned
/// the device into a regular file; a symlink was replaced by a file; a read-only file
/// was overwritten; a 0600 file came back 0644; a FIFO was replaced. Now spets writes
/// like a normal program.
#[cfg(unix)]
#[test]
fn output_files_keep_what_they_are() {
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    let env = Env::with_project();
    let expected = env.ok(&["export", "projects"]);

    // A symlink is written through: it stays a link, its target gets the content.
    let target = env.path("real.csv");
    std::fs::write(&target, "old").unwrap();
    let link = env.path("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    env.ok(&["export", "projects", "-o", link.to_str().unwrap()]);
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), expected);

    // A 0600 file keeps its mode (and, when root can, its owner).
    let private = env.path("private.csv");
    std::fs::write(&private, "old").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&private, Some(12345), Some(12345)).unwrap();
    }
    env.ok(&["export", "projects", "-o", private.to_str().unwrap()]);
    let meta = std::fs::metadata(&private).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (12345, 12345));
    }
    assert_eq!(std::fs::read_to_string(&private).unwrap(), expected);

    // A read-only file is refused and keeps its content, even for root.
    let locked = env.path("locked.csv");
    std::fs::write(&locked, "keep me").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let err = env.fails(1, &["export", "projects", "-o", locked.to_str().unwrap()]);
    assert_eq!(
        err,
        format!(
            "error: {}: the file is read-only; nothing was written\n  hint: make it writable, or write to another file\n",
            locked.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "keep me");

    // A FIFO is written into, and stays a FIFO.
    let fifo = env.path("pipe");
    let name = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    env.ok(&["export", "projects", "-o", fifo.to_str().unwrap()]);
    assert_eq!(reader.join().unwrap(), expected);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A device that cannot take the output: the write fails, the device stays.
    let full = Path::new("/dev/full");
    if full.exists() {
        let out = env.cmd().args(["export", "projects", "-o", "/dev/full"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: /dev/full: cannot write: "));
        assert!(std::fs::metadata(full).unwrap().file_type().is_char_device());
    }
}

/// Right-to-left overrides and zero-width characters reached the terminal raw in `org
/// list`, `report orgs`, `project show` and `audit log`.
#[test]
fn names_are_shown_not_obeyed_in_every_table() {
    let env = Env::new();
    let name = "Evil\u{202e}BA\u{200b}";
    env.ok(&["org", "add", name, "--kind", "company"]);
    env.ok(&[
        "project",
        "add",
        "P1",
        "--title",
        "T\u{2066}x",
        "--owner",
        name,
        "--area",
        "skog",
        "--funding",
        "ERUF:eu:1",
        "--decided",
        "2020-01-01",
    ]);
    for args in [&["org", "list"][..], &["report", "orgs"], &["project", "show", "P1"], &["audit", "log"]] {
        let out = env.ok(args);
        assert!(out.contains("Evil<U+202E>BA<U+200B>"), "{args:?}: {out}");
        assert!(!out.contains('\u{202e}') && !out.contains('\u{200b}') && !out.contains('\u{2066}'), "{args:?}");
    }
}

/// A narrow table says which columns it left out, and never leaves out the mark of an
/// in-kind line; `report areas` names its areas (the code stays in CSV and JSON).
#[test]
fn nothing_is_dropped_from_a_table_without_saying_so() {
    let env = Env::new();
    let shown = env.ok(&["--sample", "project", "show", "NYPS 20152100"]);
    let line = shown.lines().find(|l| l.starts_with("Karlstads universitet  university")).unwrap();
    assert!(line.ends_with("in kind"), "{shown}");
    let mut narrow = env.cmd();
    let out = narrow.env("COLUMNS", "40").args(["--sample", "project", "show", "NYPS 20152100"]).output().unwrap();
    let narrow = String::from_utf8(out.stdout).unwrap();
    assert!(narrow.lines().any(|l| l.contains("Karlstads") && l.ends_with("in kind")), "{narrow}");
    let list = env.ok(&["--sample", "project", "list", "--area", "spel"]);
    assert!(
        list.contains("Left out to fit the terminal: Owner, Kind, Decided, Areas. A wider terminal, or\n--format csv, shows every column.\n"),
        "{list}"
    );
    let areas = env.ok(&["--sample", "report", "areas"]);
    assert!(areas.contains("\nForest-base…    34 "), "{areas}");
    assert!(!areas.contains("skog"), "{areas}");
    let sv = env.ok(&["--sample", "--lang", "sv", "report", "areas"]);
    assert!(sv.contains("\nSkoglig bioeko…    34 "), "{sv}");
    let csv = env.ok(&["--sample", "report", "areas", "--format", "csv"]);
    assert!(csv.starts_with("area,name,") && csv.contains("\r\nskog,Forest-based bioeconomy,34,"), "{csv}");
}

/// A writing command asked for JSON answers with the change it made (its number and
/// entries), not a sentence; one that changed nothing says so.
#[test]
fn write_commands_answer_in_json() {
    let env = Env::new();
    let org: serde_json::Value = serde_json::from_str(&env.ok(&[
        "org",
        "add",
        "Karlstads universitet",
        "--kind",
        "university",
        "--format",
        "json",
    ]))
    .unwrap();
    // Change 1 set the database up; the organisation is change 2.
    assert_eq!(org["change"], 2);
    assert_eq!(org["entries"], serde_json::json!([{"entity": "org", "key": "1", "action": "add"}]));
    assert_eq!(org["head"].as_str().map(str::len), Some(64));
    let add = [
        "project",
        "add",
        "P1",
        "--title",
        "T",
        "--owner",
        "Karlstads universitet",
        "--area",
        "skog",
        "--funding",
        "ERUF:eu:100",
        "--format",
        "json",
    ];
    let project: serde_json::Value = serde_json::from_str(&env.ok(&add)).unwrap();
    assert_eq!(project["change"], 3);
    assert_eq!(project["entries"][0]["key"], "P1");
    let payment: serde_json::Value = serde_json::from_str(&env.ok(&[
        "payment",
        "add",
        "P1",
        "--date",
        "2024-01-01",
        "--amount",
        "10",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!((payment["change"].as_i64(), payment["entries"][0]["entity"].as_str()), (Some(4), Some("payment")));
    let same: serde_json::Value =
        serde_json::from_str(&env.ok(&["project", "edit", "P1", "--title", "T", "--format", "json"])).unwrap();
    assert_eq!(same, serde_json::json!({"change": null, "entries": [], "entries_total": 0}));
}
