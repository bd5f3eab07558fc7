//! `spets check` (completed with the audit work).

use super::Context;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};

pub fn run(_ctx: &Context, _args: &CheckArgs) -> Result<()> {
    Err(Error::failed("check: not yet"))
}
