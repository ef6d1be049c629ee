//! A task whose failure the function handles where it awaits it:
//!
//! ```python
//! t = asyncio.create_task(request())          async with anyio.create_task_group() as tg:
//! ...                                             t = tg.create_task(_kept_failure(request()))
//! with pytest.raises(FailReply):                  ...
//!     await t                                     with pytest.raises(FailReply):
//!                                                     await _raise_kept(t)
//! ```
//!
//! asyncio's Task keeps its exception for whoever awaits it; an anyio task's exception fails
//! its group, so a handler around the await never sees it. The module helpers give the task
//! asyncio's behaviour back: `_kept_failure(coro)` returns the coroutine's value or the
//! `Exception` it raised (a cancellation still ends the task as one), and `_raise_kept(t)`
//! awaits the handle and raises that exception as it is. A failure no longer fails the group
//! (asyncio only logged one nobody awaited); one that leaves the group's block from a bare
//! await arrives in an `ExceptionGroup`, as the task's own note says of every failure.
//!
//! Preconditions (otherwise the await under a handler stays MANUAL `awaited-in-handler`): each
//! handler around such an await lies inside the block that creates the task (so inside the
//! group); the task is not cancelled by hand (anyio's `TaskCancelled` at the await is the
//! cancelled-task handlers' rule), its `result()` / `exception()` are not read, and no other
//! use of it was rewritten into a form of its own (a list's gather, a timed wait); the helpers'
//! names are free. A thread's future (`f = loop.run_in_executor(None, fn)`) keeps its failure
//! the same way: its task runs `_kept_failure(anyio.to_thread.run_sync(fn, ...))`, as asyncio's
//! future kept the exception the function raised for its awaiter.

use super::super::shared::running_loop::is_running_loop_method;
use super::super::{Ctx, positional_args};
use super::Plan;
use crate::edit::Edit;

const HELPER: &str = "_kept_failure";
const SOURCE: &str = include_str!("../../../codemods/asyncio-create-task/helpers/kept_failure.py");

/// Rewrite every await of the task for a kept failure: `false` when a precondition fails.
pub(super) fn keep(ctx: &Ctx, plan: &mut Plan) -> bool {
    let Some(coro) = positional_args(plan.call).first().copied() else {
        return false;
    };
    if plan.cancelled
        || plan.catches_cancelled
        || plan.reads_outcome.is_some()
        || !plan.notes.is_empty()
        || !plan.compounds.is_empty()
    {
        return false;
    }
    let Ok(helper) = super::super::module_helper(ctx, plan.call, HELPER, SOURCE) else {
        return false;
    };
    // Inserts around the code, which may span lines the group's wrap re-indents.
    let mut wrap = |node: tree_sitter::Node, helper: &str| {
        plan.edits
            .push(Edit::insert(node.start_byte(), format!("{helper}(")));
        plan.edits.push(Edit::insert(node.end_byte(), ")"));
    };
    // A thread's future is replaced whole when the task is started (`finish`), which wraps the
    // thread call itself.
    if is_running_loop_method(ctx, plan.call, "run_in_executor") {
        plan.thread_wrap = Some(HELPER);
    } else {
        wrap(coro, HELPER);
    }
    for u in plan.awaits.clone() {
        wrap(u, "_raise_kept");
    }
    plan.edits.extend(helper);
    plan.note("kept-failure-note");
    true
}
