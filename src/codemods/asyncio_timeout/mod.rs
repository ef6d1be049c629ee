//! asyncio-timeout: `wait_for`, `asyncio.timeout`/`timeout_at` and `async_timeout` → anyio's `fail_after` / `fail_at` / `move_on_after` (spec §5).

use super::shared::messages::PATCH_HINT;
use super::shared::timeouts::{TimeoutKind, patched_asyncio};
use super::{Captures, Ctx};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Finding, Outcome};
use tree_sitter::Node;

mod blocks;
mod imports;
mod wait_for;

use blocks::plan_timeout;
use imports::{conditional_import, plan_import};
use wait_for::plan_wait_for;

const ID: &str = "asyncio-timeout";

messages!("asyncio-timeout", pub(super));

pub(super) const TASK_FIX: &str = "time out the work itself: `with anyio.fail_after(t):` around `await <the coroutine call the task runs>` (a plain coroutine object can be awaited there as it is)\n\
or keep the handle and cancel it on timeout (wait_for did): `try:` / `with anyio.fail_after(t): await handle` / `except TimeoutError: handle.cancel(); raise`";

const VALUE_FIX: &str = "wrap the timed work in a coroutine function and pass that instead:\n\
async def timed():\n    with anyio.fail_after(t):\n        return await f()";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(import) = caps.get("import") {
        return plan_import(ctx, import);
    }
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if let Some((target, api)) = patched_asyncio(ctx, call, &["wait_for", "timeout", "timeout_at"])
    {
        let replacement = if api == "wait_for" {
            "`with anyio.fail_after(t):` around the awaited call"
        } else {
            "`with anyio.fail_after(...)` / `anyio.fail_at(...)`"
        };
        return vec![manual(
            target,
            "test-patch",
            &format!(
                "this test patches `asyncio.{api}`: a migrated call ({replacement}) would bypass the patch, so the calls it reaches in the code of this run are left as they are, each reported where it is"
            ),
            PATCH_HINT,
        )];
    }
    let Some(path) = ctx
        .qualified(callee)
        .or_else(|| backport_of(ctx, callee, call))
    else {
        return conditional_import(ctx, callee, callee);
    };
    // The project is `async_timeout` itself: its own API, which its tests exercise, stays.
    if TimeoutKind::of(&path).is_some_and(|k| k.package) && (ctx.first_party)("async_timeout") {
        return Vec::new();
    }
    let is_timeout = path == "asyncio.wait_for" || TimeoutKind::of(&path).is_some();
    // anyio 3's scopes raised TimeoutError on exit once the deadline had passed, even when
    // nothing inside was cancelled (asyncio finishes the block).
    if is_timeout
        && let Err(finding) = crate::codemods::shared::release::require(
            ctx,
            ID,
            call.start_byte(),
            crate::target::api::Api::ScopeExitWithoutCheckpoint,
            "a timeout scope that ends normally when its deadline passed without a checkpoint",
        )
    {
        return vec![finding.into()];
    }
    if path == "asyncio.wait_for" {
        return plan_wait_for(ctx, call);
    }
    match TimeoutKind::of(&path) {
        Some(kind) => plan_timeout(ctx, call, callee, kind),
        None => Vec::new(),
    }
}

/// `asyncio.timeout` for a name imported conditionally as `asyncio.timeout` on one path and as
/// the `async_timeout.timeout` backport on the other (`if sys.version_info >= (3, 11):` /
/// `else:`, or `try:` / `except ImportError:`), used as `async with name(delay):` with one
/// positional argument and no `as`: both become the same `with anyio.fail_after(delay):`, so
/// which import runs does not matter. `None` otherwise (the object's interfaces differ).
fn backport_of(ctx: &Ctx, callee: Node, call: Node) -> Option<String> {
    if !imports::backport_timeout(ctx, callee) {
        return None;
    }
    let plain_call = crate::codemods::call_args(call).len() == 1
        && crate::codemods::positional_args(call).len() == 1;
    let no_alias = blocks::async_with_item(ctx, call).is_ok_and(|(_, alias, _)| alias.is_none());
    (plain_call && no_alias).then(|| "asyncio.timeout".to_owned())
}

fn manual(at: Node, kind: &'static str, why: &str, fix: &str) -> Outcome {
    Finding::manual(ID, kind, at.start_byte(), why, fix).into()
}

/// `asyncio.wait_for` or a timeout factory passed around as a value.
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some(path) = ctx.qualified(reference) else {
        return Vec::new();
    };
    if path != "asyncio.wait_for" && TimeoutKind::of(&path).is_none() {
        return Vec::new();
    }
    if TimeoutKind::of(&path).is_some_and(|k| k.package) && (ctx.first_party)("async_timeout") {
        return Vec::new();
    }
    vec![manual(
        reference,
        "timeout-as-value",
        &format!(
            "{path} passed as a value: anyio's timeouts are `with` blocks, not callables that wrap an awaitable"
        ),
        VALUE_FIX,
    )]
}

/// All children (anonymous tokens included).
fn children(node: Node) -> std::vec::IntoIter<Node> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect::<Vec<_>>().into_iter()
}

fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}
