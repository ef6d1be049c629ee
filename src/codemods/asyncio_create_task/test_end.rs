//! A task a test leaves behind: started in an `async def test_*` and never awaited or cancelled
//! there (`asyncio.create_task(helper())` as a statement, or a name never awaited). A group
//! around its work would wait for it at the test's end, where pytest-asyncio cancelled every
//! task the test left when it closed the test's loop. The group here spans from the creation to
//! the end of the test's body and cancels its own scope as its last statement: the task is
//! cancelled when the body ends, as pytest-asyncio cancelled it a little later, after the test's
//! fixtures were torn down (the note says so).
//!
//! ```text
//! async def test_x():                              async def test_x():
//!     asyncio.create_task(feed(queue))                 async with anyio.create_task_group() as tg:
//!     assert await queue.get() == 1                        tg.create_task(feed(queue))
//!                                                          assert await queue.get() == 1
//!                                                          tg.cancel_scope.cancel()
//! ```
//!
//! Preconditions (else the finding that stopped the task stands):
//! - the file is a pytest test module (`test_*.py`, `*_test.py`) and the function an `async def`
//!   whose name starts with `test`, at module level or in the body of a class whose name starts
//!   with `Test`, without a fixture or `xfail` decorator (an `xfail(raises=E)` would not match the
//!   `ExceptionGroup` a failure now arrives in);
//! - the file says nothing of a loop scope (`loop_scope`): a test on a module- or
//!   session-scoped loop left its tasks running into the next tests. (When the suite moves to
//!   anyio's plugin, pytest-asyncio's rewrite drops the marker's `loop_scope` in the same run,
//!   UNSAFE, as anyio gives each test a loop of its own: the next pass no longer sees it, and
//!   what the test leaves ends with it either way. A suite kept on pytest-asyncio keeps it.)
//! - the test does not read the task's outcome (`t.result()`, `t.exception()`: a failure it
//!   inspects would fail the group instead; found on a cancel-scope library's test that reads
//!   the `TimeoutError` its task ended with);
//! - the creation's statement is a statement of the test's own body (not nested in a block; or of
//!   the block of such a group made for another task, which it then joins), and the body has no
//!   `return` (a `return` would end the group without the cancel, which would
//!   then wait for the task);
//! - the task is cancelled at the end, so the checks of a cancelled task apply (the caller's): its
//!   coroutine is a call of an `async def` of this file whose code waits only on what the file
//!   shows, and reaches no handler of the cancellation that awaits; and it raises nothing of its
//!   own when cancelled (`raises_when_cancelled`: a `raise X` in a `finally:` or a handler of
//!   the cancellation), which would fail the group where asyncio logged it.

use super::{Ctx, Plan, is_async_def};
use crate::edit::Edit;
use crate::resolve::named_children;
use crate::source::line_indent;
use tree_sitter::Node;

/// Whether the task `call` starts, by the statement `first` of `func`, may get a group that
/// ends, and cancels, with the test's body (the module's documentation).
pub(super) fn applies(ctx: &Ctx, func: Node, first: Node, call: Node) -> bool {
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let name = func
        .child_by_field_name("name")
        .map_or("", |n| ctx.text_of(n));
    let decorated = ctx
        .parent(func)
        .filter(|d| d.kind() == "decorated_definition");
    // A decorator's callee ends in `fixture` (`pytest.fixture`, `pytest_asyncio.fixture`) or
    // `xfail` (`pytest.mark.xfail`), called or not.
    let decorated_as = |last: &str| {
        decorated.is_some_and(|d| {
            named_children(d)
                .filter(|c| c.kind() == "decorator")
                .filter_map(|c| c.named_child(0))
                .any(|e| {
                    let callee = if e.kind() == "call" {
                        e.child_by_field_name("function").unwrap_or(e)
                    } else {
                        e
                    };
                    let text = ctx.text_of(callee);
                    text == last || text.ends_with(&format!(".{last}"))
                })
        })
    };
    let holder = ctx.parent(decorated.unwrap_or(func));
    let placed = match holder.map(|h| h.kind()) {
        Some("module") => true,
        Some("block") => holder
            .and_then(|b| ctx.parent(b))
            .filter(|c| c.kind() == "class_definition")
            .and_then(|c| c.child_by_field_name("name"))
            .is_some_and(|n| ctx.text_of(n).starts_with("Test")),
        _ => false,
    };
    ctx.path.is_some_and(crate::source::is_test_module)
        && is_async_def(func)
        && name.starts_with("test")
        && placed
        && !decorated_as("fixture")
        && !decorated_as("xfail")
        && !ctx.text.contains("loop_scope")
        && ctx
            .parent(first)
            .is_some_and(|b| b.id() == body.id() || is_test_end_group(ctx, b, body))
        && !has_own_return(body)
        && !raises_when_cancelled(ctx, call)
}

/// `block` is the block of a group this rewrite made: `async with ... as NAME:`, a statement of
/// the test's own `body`, whose last statement is `NAME.cancel_scope.cancel()`. A task started
/// in it (a later pass) joins that group, which ends and cancels with the test.
fn is_test_end_group(ctx: &Ctx, block: Node, body: Node) -> bool {
    let Some(with) = ctx.parent(block).filter(|w| w.kind() == "with_statement") else {
        return false;
    };
    let Some(name) = crate::codemods::shared::tasks::group_of_block(ctx, block) else {
        return false;
    };
    let last = named_children(block).rfind(|s| s.kind() != "comment");
    ctx.parent(with).is_some_and(|b| b.id() == body.id())
        && last.is_some_and(|s| ctx.text_of(s) == format!("{name}.cancel_scope.cancel()"))
}

/// The task's coroutine (`f(...)`, `f` an `async def` of this file) raises an exception of its
/// own when it is cancelled: a `raise X` in a `finally:`, or in a handler of a `try` that can
/// catch the cancellation. The group's cancel at the test's end (or a loop-wide cancel the test
/// makes) would then fail the group, where asyncio only logged what a task nobody awaited
/// raised (found on a job service's test whose task raises in its `finally:`).
fn raises_when_cancelled(ctx: &Ctx, call: Node) -> bool {
    let Some(coro) = crate::codemods::positional_args(call).first().copied() else {
        return false;
    };
    let Some(def) = coro
        .child_by_field_name("function")
        .filter(|f| f.kind() == "identifier")
        .and_then(|f| crate::analysis::awaitable::definition(ctx.code(), f))
    else {
        return false;
    };
    let Some(body) = def.child_by_field_name("body") else {
        return false;
    };
    crate::analysis::syntax::own_nodes(body)
        .filter(|n| n.kind() == "raise_statement" && n.named_child(0).is_some())
        .any(|raise| {
            ctx.ancestors(raise)
                .take_while(|a| a.id() != def.id())
                .any(|a| match a.kind() {
                    "finally_clause" => true,
                    "except_clause" => ctx.parent(a).is_some_and(|t| {
                        crate::analysis::exceptions::catches_cancellation(ctx.code(), t)
                    }),
                    _ => false,
                })
        })
}

/// A `return` or `yield` of the function whose body is `body` (not of a nested one).
fn has_own_return(body: Node) -> bool {
    crate::analysis::syntax::own_nodes(body)
        .any(|n| matches!(n.kind(), "return_statement" | "yield"))
}

/// The plan, now ending with the test's body: its last statement is the group's last, the task
/// counts as cancelled (the group's cancel at the end), and the note says when it is.
pub(super) fn extend(plan: &mut Plan) {
    let Some(last) = plan
        .func
        .child_by_field_name("body")
        .and_then(|b| named_children(b).rfind(|s| s.kind() != "comment"))
    else {
        return;
    };
    plan.last = last;
    plan.cancelled = true;
    plan.note(NOTE);
}

/// The note's part that marks a plan as ending with the test (`extend`).
const NOTE: &str = "test-end-note";

/// Whether `plan` ends with the test's body (`extend` made it).
pub(super) fn ends_with_test(plan: &Plan) -> bool {
    plan.notes.contains(&NOTE)
}

/// The group's last statement, `NAME.cancel_scope.cancel()`, at the end of the line where the
/// test's body ends, one step in from the creation: the task cancelled where the test ends.
pub(super) fn cancel_at_end(ctx: &Ctx, plan: &Plan, group: &str) -> Edit {
    let from = plan.last.end_byte();
    let end = ctx.text[from..]
        .find('\n')
        .map_or(ctx.text.len(), |i| from + i);
    let end = if ctx.text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    let indent = format!(
        "{}{}",
        line_indent(ctx.text, plan.first.start_byte()),
        super::block_step(ctx, plan.first)
    );
    Edit::insert(end, format!("\n{indent}{group}.cancel_scope.cancel()"))
}
