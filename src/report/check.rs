//! (filled in with the audit work)
