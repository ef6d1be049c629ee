//! Rewrites whose form needs an anyio release the target does not have: the one MANUAL
//! finding they all give (`target::api` says which release brought what).

use crate::codemods::Ctx;
use crate::edit::Finding;
use crate::target::api::Api;

/// `Err` with the MANUAL finding when the target anyio lacks `api`; `what` says what the
/// rewrite would have written (`anyio.gather()`, "`tg.create_task()` and its `TaskHandle`").
pub fn require(
    ctx: &Ctx,
    codemod: &'static str,
    at: usize,
    api: Api,
    what: &str,
) -> Result<(), Finding> {
    if ctx.targets.has(api) {
        return Ok(());
    }
    Err(too_old(ctx, codemod, at, api, what))
}

/// The finding itself: what is missing, from which release, and the two ways on.
pub fn too_old(ctx: &Ctx, codemod: &'static str, at: usize, api: Api, what: &str) -> Finding {
    let since = api.since();
    let target = ctx.targets.anyio;
    Finding::manual(
        codemod,
        "anyio-too-old",
        at,
        format!(
            "the migration needs {what}, which anyio has from {since} on; the project allows anyio {target}, which does not have it"
        ),
        format!(
            "migrate it by hand for anyio {target}, or require anyio>={since} in the project (or run with `--target-anyio {since}`, which raises the requirement) and run the migration again"
        ),
    )
}
