//! Hostile text in refs, titles, organisation names and notes — quotes, SQL, Excel
//! formulas, control characters, any Unicode — is stored and shown verbatim (control
//! characters shown as symbols on a terminal, never obeyed), exported neutralised, and
//! round-trips through export and import exactly.

use proptest::prelude::*;

use crate::common::Env;

struct Hostile {
    reference: String,
    title: String,
    owner: String,
    notes: String,
}

/// Records `h` with the command line, as a person would.
fn record(env: &Env, h: &Hostile) {
    env.ok(&["org", "add", "--kind=company", "--", &h.owner]);
    env.ok(&[
        "project",
        "add",
        &format!("--title={}", h.title),
        &format!("--owner={}", h.owner),
        &format!("--notes={}", h.notes),
        "--area=skog",
        "--funding=ERUF:eu:1000",
        "--",
        &h.reference,
    ]);
}

fn shown(env: &Env, reference: &str) -> serde_json::Value {
    let out = env.ok(&["project", "show", "--format=json", "--", reference]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    json["rows"][0].clone()
}

/// Checks `h` comes back verbatim, then that exporting, importing the export into an
/// empty database and exporting again gives the same bytes and the same record.
fn round_trip(h: &Hostile) -> String {
    let env = Env::new();
    record(&env, h);
    let row = shown(&env, &h.reference);
    // A reference is kept in its one normal form (trimmed, NFC); everything else verbatim.
    assert_eq!(row["ref"], spets::domain::project::normal_ref(&h.reference).as_str());
    assert_eq!(row["title"], h.title.as_str());
    assert_eq!(row["owner"], h.owner.as_str());
    assert_eq!(row["notes"], h.notes.as_str());

    let first = env.ok(&["export", "projects"]);
    let copy = Env::new();
    let file = copy.write("projects.csv", &first);
    copy.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(copy.ok(&["export", "projects"]), first);
    // The same record, except that the copy says which file it was read from.
    let mut copied = shown(&copy, &h.reference);
    assert_eq!(copied["read_from"], format!("{}:2", file.display()).as_str());
    copied["read_from"] = row["read_from"].clone();
    assert_eq!(copied, row);
    first
}

/// Text as it arrives from the command line or a file: trimmed, no NUL.
fn text(max: usize) -> impl Strategy<Value = String> {
    let hostile = prop_oneof![
        Just("'; DROP TABLE projects; --".to_string()),
        Just("=HYPERLINK(\"http://example.com\",\"klicka\")".to_string()),
        Just("\"Citat\", 'apostrof' och \\\\ snedstreck".to_string()),
        Just("röd\u{1b}[31m text\u{7}\u{8}\r\nny rad\ttab".to_string()),
        Just("+46 54 123 @SUM(A1) -1".to_string()),
        Just("👩‍🔬 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{202e}baklänges\u{202c} Ω ẞ ǅ".to_string()),
        any::<String>(),
    ];
    proptest::collection::vec(hostile, 1..3).prop_filter_map("blank or too long", move |parts| {
        let s: String = parts.concat().replace('\0', "").trim().chars().take(max).collect();
        let s = s.trim().to_string();
        (!s.is_empty()).then_some(s)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_text_round_trips(
        // At most 64 characters in its normal form, which can be longer than the text
        // typed: NFC writes some letters (U+0A5E, say) as two.
        reference in text(64).prop_filter("longer than 64 in NFC", |r| {
            spets::domain::project::normal_ref(r).chars().count() <= 64
        }),
        title in text(300),
        owner in text(200).prop_map(|s| s.replace('|', "/").trim().to_string()).prop_filter("blank", |s| !s.is_empty()),
        notes in text(500),
    ) {
        round_trip(&Hostile { reference, title, owner, notes });
    }
}

#[test]
fn hostile_text_is_stored_verbatim_exported_neutralised_and_shown_not_obeyed() {
    let h = Hostile {
        reference: "'; DROP TABLE projects; --".into(),
        title: "=HYPERLINK(\"http://example.com\",\"klicka\")".into(),
        owner: "\"Citat\" AB\u{1b}[31m, röd".into(),
        notes: "@SUM(A1)\nandra raden\u{7}".into(),
    };
    let export = round_trip(&h);
    assert_eq!(
        export.lines().nth(1).expect("a row").split(",,").next().expect("cells"),
        "'; DROP TABLE projects; --,\"'=HYPERLINK(\"\"http://example.com\"\",\"\"klicka\"\")\",\"\"\"Citat\"\" AB\u{1b}[31m, röd\"",
        "{export}"
    );
    assert!(export.contains("\"'@SUM(A1)\nandra raden\u{7}\""), "{export}");

    let env = Env::new();
    record(&env, &h);
    let table = env.ok(&["project", "show", "--", &h.reference]);
    assert!(!table.contains('\u{1b}') && !table.contains('\u{7}'), "a control character reached the terminal");
    assert!(table.contains("Owner                 \"Citat\" AB\u{241b}[31m, röd"), "{table}");
    assert!(table.contains("Notes                 @SUM(A1) andra raden\u{2407}"), "{table}");
    assert_eq!(crate::common::count(&env.db, "SELECT count(*) FROM projects"), 1, "the table is there");
}
