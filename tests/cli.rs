//! Command-line snapshots: every `tests/cmd/*.md` file is a session of spets commands
//! with their expected output and exit status, run in a fresh folder with its own
//! database; the README's examples run the same way, so the docs cannot drift.

#[test]
fn cli_snapshots() {
    trycmd::TestCases::new()
        .env("SPETS_DB", "spets.db")
        .env("SPETS_LANG", "en")
        .env("SPETS_USER", "tester")
        .env("SPETS_CONFIG", "no-config.toml")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80")
        .case("tests/cmd/*.md")
        .case("README.md");
}
