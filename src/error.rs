//! The one error type. Every message names the input, the value and what was expected,
//! so that a finance officer can act on it without reading code. The kind decides the
//! exit code: a usage error exits 2, a failure 1, and a closed pipe quietly 0.

use std::fmt;

/// How an error ends the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// What was typed is not valid: exit 2.
    Usage,
    /// The command ran but failed or found problems: exit 1.
    Failure,
    /// The database could not be opened or written (its file, its folder, read-only):
    /// exit 1, and the store says which.
    Access,
    /// The reader of our output went away (`spets report areas | head`): exit 0, quietly.
    BrokenPipe,
}

#[derive(Debug, thiserror::Error)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    /// Lines printed before the message (each bad row of an import, say).
    pub details: Vec<String>,
    pub hints: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error { kind: Kind::Usage, message: message.into(), details: Vec::new(), hints: Vec::new() }
    }

    pub fn failed(message: impl Into<String>) -> Error {
        Error { kind: Kind::Failure, message: message.into(), details: Vec::new(), hints: Vec::new() }
    }

    /// A database that could not be opened or written: a failure of [`Kind::Access`].
    pub fn access(message: impl Into<String>) -> Error {
        Error { kind: Kind::Access, ..Error::failed(message) }
    }

    /// A bad value given for a flag or argument: `--amount: "12,5x": not an amount`.
    pub fn value(input: &str, value: &str, why: impl fmt::Display) -> Error {
        Error::usage(format!("{input}: {value:?}: {why}"))
    }

    /// A failure whose output already said everything (the findings of `spets check`):
    /// exit 1, print nothing more.
    pub fn silent() -> Error {
        Error::failed("")
    }

    pub fn details(mut self, details: Vec<String>) -> Error {
        self.details = details;
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hints.push(hint.into());
        self
    }

    /// Prefixes the message with where it happened.
    pub fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }

    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Usage => 2,
            Kind::Failure | Kind::Access => 1,
            Kind::BrokenPipe => 0,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return Error { kind: Kind::BrokenPipe, message: String::new(), details: Vec::new(), hints: Vec::new() };
        }
        Error::failed(io_reason(&e))
    }
}

/// What the system says about a failed file operation, in the language of messages
/// (the system's own text is English; the common cases have Swedish words).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if crate::domain::lang::messages() == crate::domain::lang::Lang::En {
        return e.to_string();
    }
    match e.kind() {
        K::NotFound => "filen eller mappen finns inte".into(),
        K::PermissionDenied => "åtkomst nekad".into(),
        K::AlreadyExists => "finns redan".into(),
        K::IsADirectory => "är en mapp".into(),
        K::NotADirectory => "är inte en mapp".into(),
        K::StorageFull => "disken är full".into(),
        K::ReadOnlyFilesystem => "filsystemet är skrivskyddat".into(),
        _ => e.to_string(),
    }
}
