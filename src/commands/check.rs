//! `spets check`: the reconciliation and rule checks; exit 1 when anything is found.

use super::Context;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::report::check;
use crate::store::Access;

pub fn run(ctx: &Context, args: &CheckArgs) -> Result<()> {
    let store = ctx.open(Access::Read)?;
    let snapshot = ctx.snapshot(&store, &args.as_of)?;
    let facts = store.at(snapshot).facts()?;
    let findings = check::findings(&facts, ctx.lang);
    let frame = ctx.frame(&store, snapshot, Vec::new())?;
    ctx.render(&check::build(&frame, &findings), None, false)?;
    if findings.is_empty() {
        Ok(())
    } else {
        // The findings are the output; the exit code says there were some.
        Err(Error::silent())
    }
}
