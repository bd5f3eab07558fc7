//! Settings a person sets once: the per-user config file (`$XDG_CONFIG_HOME/spets/
//! config.toml`, else `~/.config/spets/config.toml`; `SPETS_CONFIG` names another) with
//! `db`, `lang`, `csv_dialect`, `unit` and `user`, and `spets config show|set|unset`.
//! A flag beats the environment (`SPETS_DB`, `SPETS_LANG`, `SPETS_USER`), which beats
//! the file, which beats the default (for the language: `LANG`).

use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Context;
use crate::cli::ConfigCommand;
use crate::error::{Error, Result};

/// The keys of the file, in the order `config show` lists them.
pub const KEYS: [&str; 5] = ["db", "lang", "csv_dialect", "unit", "user"];

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csv_dialect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// Where the file is, when there is a home to keep it in.
pub fn path() -> Option<PathBuf> {
    let env = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = env("SPETS_CONFIG") {
        return Some(p);
    }
    env("XDG_CONFIG_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".config")))
        .map(|d| d.join("spets").join("config.toml"))
}

/// Checks one value for a key; the error says what the key takes.
fn check(key: &str, value: &str) -> std::result::Result<(), String> {
    match key {
        "db" | "user" if value.trim().is_empty() => Err(crate::tr!("must not be empty", "får inte vara tom")),
        "db" | "user" => Ok(()),
        "lang" if ["en", "sv"].contains(&value) => Ok(()),
        "lang" => Err(crate::tr!("expected en or sv", "väntade en eller sv")),
        "csv_dialect" if ["plain", "excel-sv"].contains(&value) => Ok(()),
        "csv_dialect" => Err(crate::tr!("expected plain or excel-sv", "väntade plain eller excel-sv")),
        "unit" => crate::cli::unit(value).map(|_| ()),
        _ => Err(crate::tr!(
            "not a setting (the settings are: {})",
            "inte en inställning (inställningarna är: {})",
            KEYS.join(", ")
        )),
    }
}

impl Config {
    /// The file's settings; none when there is no file. A file that is not what spets
    /// wrote is an error naming it and the key.
    pub fn load() -> Result<Config> {
        let Some(path) = path() else { return Ok(Config::default()) };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => {
                return Err(Error::failed(crate::tr!(
                    "{}: cannot read the config file: {why}",
                    "{}: kan inte läsa konfigurationsfilen: {why}",
                    path.display(),
                    why = crate::error::io_reason(&e)
                )));
            }
        };
        let bad = |why: String| {
            Error::failed(format!("{}: {why}", path.display())).hint(crate::tr!(
                "spets config set KEY VALUE writes it correctly",
                "spets config set NYCKEL VÄRDE skriver den rätt"
            ))
        };
        let config: Config = toml::from_str(&text).map_err(|e| bad(e.message().to_string()))?;
        for key in KEYS {
            if let Some(v) = config.get(key) {
                check(key, &v).map_err(|why| bad(format!("{key}: {v:?}: {why}")))?;
            }
        }
        Ok(config)
    }

    pub fn get(&self, key: &str) -> Option<String> {
        match key {
            "db" => self.db.as_ref().map(|p| p.display().to_string()),
            "lang" => self.lang.clone(),
            "csv_dialect" => self.csv_dialect.clone(),
            "unit" => self.unit.clone(),
            "user" => self.user.clone(),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: Option<String>) {
        match key {
            "db" => self.db = value.map(PathBuf::from),
            "lang" => self.lang = value,
            "csv_dialect" => self.csv_dialect = value,
            "unit" => self.unit = value,
            _ => self.user = value,
        }
    }
}

pub fn run(ctx: &Context, command: &ConfigCommand) -> Result<()> {
    let path = path().ok_or_else(|| {
        Error::failed(crate::tr!(
            "there is no home folder to keep a config file in (set HOME)",
            "det finns ingen hemmapp att ha en konfigurationsfil i (sätt HOME)"
        ))
    })?;
    match command {
        ConfigCommand::Show => {
            let config = Config::load()?;
            let mut out = ctx.output()?;
            writeln!(out.writer, "{}", path.display())?;
            for key in KEYS {
                match config.get(key) {
                    Some(v) => writeln!(out.writer, "{key} = {v}")?,
                    None => writeln!(out.writer, "{}", crate::tr!("{key} (not set)", "{key} (inte satt)"))?,
                }
            }
            out.finish()
        }
        ConfigCommand::Set { key, value } => {
            check(key, value).map_err(|why| Error::value(key, value, why))?;
            write(&path, key, Some(value.clone()))
        }
        ConfigCommand::Unset { key } => {
            if !KEYS.contains(&key.as_str()) {
                return Err(Error::value(
                    "KEY",
                    key,
                    crate::tr!(
                        "not a setting (the settings are: {})",
                        "inte en inställning (inställningarna är: {})",
                        KEYS.join(", ")
                    ),
                ));
            }
            write(&path, key, None)
        }
    }
}

/// Sets or clears one key, keeping the others. A broken file is rewritten only from
/// what could be read of it: nothing, so a `set` always repairs it.
fn write(path: &std::path::Path, key: &str, value: Option<String>) -> Result<()> {
    let mut config = Config::load().unwrap_or_default();
    config.set(key, value);
    let text = toml::to_string(&config).map_err(|e| {
        Error::failed(crate::tr!("cannot write the config: {e}", "kan inte skriva konfigurationen: {e}"))
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::failed(format!("{}: {e}", dir.display())))?;
    }
    std::fs::write(path, text).map_err(|e| {
        Error::failed(crate::tr!(
            "{}: cannot write: {why}",
            "{}: kan inte skriva: {why}",
            path.display(),
            why = crate::error::io_reason(&e)
        ))
    })
}
