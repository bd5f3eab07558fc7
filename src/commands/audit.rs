//! `spets audit log|verify` (completed with the audit work).

use super::Context;
use crate::cli::AuditCommand;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _c: AuditCommand) -> Result<()> {
    Err(Error::failed("audit: not yet"))
}
