//! Waits for a task the function puts in a group, through asyncio: `await asyncio.wait([t])`
//! becomes `await t.wait()`, `await asyncio.gather(t1, t2)` of tasks started here `[await t1,
//! await t2]`, and `await asyncio.wait_for(t, timeout)`:
//!
//! ```python
//! t = asyncio.create_task(fetch())        async with anyio.create_task_group() as tg:
//! await feed()                                t = tg.create_task(fetch())
//! result = await asyncio.wait_for(t, 1)       await feed()
//!                                             with anyio.fail_after(1):
//!                                                 result = await t
//! ```
//!
//! On the normal path the same value. On the deadline asyncio cancelled the task and raised
//! `TimeoutError` here; now `fail_after` raises `TimeoutError` here, which leaves the group's
//! block (no handler around the wait in the function, as for every await of a task), so the
//! group cancels the task (and any other task of the group) and raises an `ExceptionGroup`
//! holding it.
//!
//! Preconditions of the timed wait: `t` is the first of exactly two arguments (the timeout second, or
//! `timeout=`), the call is awaited, and the await is a whole one-line statement of its own
//! (no comment): an expression statement, the value of an assignment, a `return`, or, in test
//! code (run with assertions on), the left side of a comparison that is an `assert`'s
//! condition or that condition itself.

use super::super::{Ctx, call_args, positional_args};
use super::Plan;
use crate::analysis::syntax::{field_is, own_statement};
use crate::edit::Edit;
use crate::resolve::has_comment;
use tree_sitter::Node;

/// `u`, the task, handed to the asyncio function `callee` in a wait with an anyio form: `await
/// asyncio.wait_for(t, x)` as a statement (`with anyio.fail_after(x): await t`), `await
/// asyncio.wait([t])` (`await t.wait()`), `await asyncio.gather(t1, t2)` of tasks started here
/// (`[await t1, await t2]`). `true` once the edits are in `plan`.
pub(super) fn waits<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>, callee: &str) -> bool {
    match callee {
        "asyncio.wait_for" => rewrite(ctx, plan, u),
        "asyncio.wait" => wait_alone(ctx, plan, u),
        "asyncio.gather" => gathered_tasks(ctx, plan, u),
        _ => false,
    }
}

/// The edits for `u` (the task) as the first argument of `asyncio.wait_for`, when the wait
/// takes one of the forms above: `true` once they are in `plan`.
fn rewrite<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>) -> bool {
    let Some(call) = call_of_argument(ctx, u) else {
        return false;
    };
    let Some(timeout) = timeout_of(ctx, call, u) else {
        return false;
    };
    let Some(awaited) = ctx.parent(call).filter(|a| a.kind() == "await") else {
        return false;
    };
    let Some(statement) = waiting_statement(ctx, awaited) else {
        return false;
    };
    let text = ctx.text_of(statement);
    if text.contains('\n')
        || has_comment(statement)
        || !super::super::on_own_line(ctx.text, statement)
    {
        return false;
    }
    plan.delivers(ctx, awaited);
    let start = statement.start_byte();
    let call_range = call.start_byte() - start..call.end_byte() - start;
    let body = format!(
        "{}{}{}",
        &text[..call_range.start],
        ctx.text_of(u),
        &text[call_range.end..]
    );
    plan.compound(
        statement,
        Some(format!("with anyio.fail_after({})", ctx.text_of(timeout))),
        body,
    );
    plan.note("timed-wait-note");
    true
}

/// The call `u` is an argument of.
fn call_of_argument<'t>(ctx: &Ctx<'t>, u: Node<'t>) -> Option<Node<'t>> {
    ctx.parent(u)
        .filter(|a| a.kind() == "argument_list")
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call")
}

/// `asyncio.wait_for(u, timeout)` / `asyncio.wait_for(u, timeout=...)`, nothing else: the
/// timeout.
fn timeout_of<'t>(ctx: &Ctx<'t>, call: Node<'t>, u: Node<'t>) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    if !ctx.is(callee, "asyncio.wait_for") {
        return None;
    }
    let args = call_args(call);
    let positional = positional_args(call);
    if args.len() != 2 || positional.first().is_none_or(|p| p.id() != u.id()) {
        return None;
    }
    match positional.get(1) {
        Some(timeout) => Some(*timeout),
        None => args
            .iter()
            .find(|a| {
                a.kind() == "keyword_argument"
                    && a.child_by_field_name("name")
                        .is_some_and(|n| ctx.text_of(n) == "timeout")
            })
            .and_then(|k| k.child_by_field_name("value")),
    }
}

/// The statement the await is all of: `await ...`, `x = await ...`, `return await ...`, or in
/// test code `assert await ...` / `assert await ... == v`.
fn waiting_statement<'t>(ctx: &Ctx<'t>, awaited: Node<'t>) -> Option<Node<'t>> {
    let parent = ctx.parent(awaited)?;
    let statement = match parent.kind() {
        "expression_statement" | "return_statement" | "assert_statement" => parent,
        "assignment" if field_is(parent, "right", awaited) => ctx.parent(parent)?,
        "comparison_operator"
            if parent
                .named_child(0)
                .is_some_and(|l| l.id() == awaited.id()) =>
        {
            ctx.parent(parent)
                .filter(|a| a.kind() == "assert_statement")?
        }
        _ => return None,
    };
    if statement.kind() == "assert_statement"
        && (!ctx.path.is_some_and(crate::source::is_test_code)
            || statement
                .named_child(0)
                .is_none_or(|c| !c.byte_range().contains(&awaited.start_byte())))
    {
        return None;
    }
    (statement.kind() != "expression_statement" || statement.named_child_count() == 1)
        .then_some(statement)
        .filter(|s| ctx.parent(*s).is_some_and(|b| b.kind() == "block"))
}

/// `await asyncio.wait([t])` (a list, set or tuple of the task alone, no other argument) as a
/// whole statement: `await t.wait()`, which waits for the task however it ended, as
/// asyncio.wait did. `true` once the edit is in `plan`.
fn wait_alone<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>) -> bool {
    let Some(display) = ctx
        .parent(u)
        .filter(|d| matches!(d.kind(), "list" | "set" | "tuple") && d.named_child_count() == 1)
    else {
        return false;
    };
    let Some(call) = ctx
        .parent(display)
        .filter(|a| a.kind() == "argument_list" && a.named_child_count() == 1)
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call")
    else {
        return false;
    };
    let Some(awaited) = ctx.parent(call).filter(|a| a.kind() == "await") else {
        return false;
    };
    if own_statement(ctx.resolver, awaited).is_none()
        || has_comment(call)
        || !call
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.wait"))
    {
        return false;
    }
    plan.edits.push(Edit::replace(
        awaited.byte_range(),
        format!("await {}.wait()", ctx.text_of(u)),
    ));
    true
}

/// `await asyncio.gather(t1, t2, ...)` where every argument is a plain name bound once in the
/// function to a task it starts (no `*`): `[await t1, await t2, ...]`, the same results in the
/// same order once every task finished; `await asyncio.gather(t, return_exceptions=True)` of one
/// task as a one-line statement of its own, `await t.wait()`: the task waited for however it
/// ended, as gather did (of several, each `.wait()` would need every task in a group, which
/// another task's own plan may refuse). `true` once the edit is in `plan`.
fn gathered_tasks<'t>(ctx: &Ctx<'t>, plan: &mut Plan<'t>, u: Node<'t>) -> bool {
    let Some(call) = call_of_argument(ctx, u) else {
        return false;
    };
    let Some(awaited) = ctx.parent(call).filter(|a| a.kind() == "await") else {
        return false;
    };
    let args = call_args(call);
    let positional = positional_args(call);
    let all_tasks = positional
        .iter()
        .all(|a| a.kind() == "identifier" && started_here(ctx, plan.func, *a));
    // `return_exceptions=True`, the only keyword taken: its list is then discarded (a
    // statement), and each task is waited for however it ended.
    let waited = match args.len() - positional.len() {
        0 => false,
        1 => {
            let keyword = crate::codemods::keyword_arg(call, ctx.text, "return_exceptions");
            if keyword.is_none_or(|v| ctx.text_of(v) != "True") {
                return false;
            }
            true
        }
        _ => return false,
    };
    if positional.is_empty()
        || !all_tasks
        || has_comment(call)
        || !call
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.gather"))
    {
        return false;
    }
    if waited {
        // One task: `.wait()` is anyio's handle's, so the statement may name no other task,
        // which its own plan might leave asyncio's.
        let Some(statement) =
            super::one_line_statement(ctx, awaited).filter(|_| positional.len() == 1)
        else {
            return false;
        };
        plan.compound(statement, None, format!("await {}.wait()", ctx.text_of(u)));
        plan.note("waited-tasks-note");
        return true;
    }
    let awaits: Vec<String> = args
        .iter()
        .map(|a| format!("await {}", ctx.text_of(*a)))
        .collect();
    // As a statement of one line, one await per line; otherwise the list of the values.
    match super::one_line_statement(ctx, awaited) {
        Some(statement) => plan.compound(statement, None, awaits.join("\n")),
        None => plan.edits.push(Edit::replace(
            awaited.byte_range(),
            format!("[{}]", awaits.join(", ")),
        )),
    }
    plan.delivers(ctx, awaited);
    plan.note("gathered-tasks-note");
    true
}

/// `name` is bound once, in `func`, by `name = <a task creation>` (`asyncio.create_task`,
/// `ensure_future`, the running loop's `create_task`).
fn started_here(ctx: &Ctx, func: Node, name: Node) -> bool {
    let text = ctx.text_of(name);
    if ctx.resolver.defining_scope(text, name) != Some(func.id()) {
        return false;
    }
    crate::analysis::exceptions::single_binding_call(ctx.code(), name)
        .and_then(|c| c.child_by_field_name("function"))
        .is_some_and(|f| super::creator(ctx, f).is_some_and(|c| c != super::Creator::Executor))
}
