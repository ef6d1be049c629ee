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

/// The finding itself: what is missing, from which release, and the two ways on. When the
/// project's oldest Python is what keeps anyio below the release (no anyio that has it installs
/// there), the way on is a newer Python floor, and the finding says so.
pub fn too_old(ctx: &Ctx, codemod: &'static str, at: usize, api: Api, what: &str) -> Finding {
    let since = api.since();
    let target = ctx.targets.anyio;
    let python = ctx.targets.python;
    let needs_python = crate::target::python_floor_of_anyio(since);
    if needs_python > python {
        // The project's anyio requirement binds too when it is below what its Python installs.
        let requirement = target < crate::target::newest_anyio_for(python);
        let raise = if requirement {
            format!(
                "Python >= {needs_python} and anyio >= {since} (or run with `--target-python {needs_python} --target-anyio {since}`)"
            )
        } else {
            format!(
                "Python >= {needs_python} (`requires-python`, or `--target-python {needs_python}` for this run)"
            )
        };
        return Finding::manual(
            codemod,
            "anyio-too-old",
            at,
            format!(
                "the migration needs {what}, which anyio has from {since} on; the project allows anyio {target}, which does not have it, and anyio {since} installs on Python {needs_python} and later, where the project supports Python {python}"
            ),
            format!(
                "migrate it by hand for anyio {target}, or once the project requires {raise}, run the migration again"
            ),
        );
    }
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
