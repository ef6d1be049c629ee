//! A list of tasks that is only gathered, right away:
//!
//! ```python
//! tasks = [asyncio.create_task(work(x)) for x in items]
//! results = await asyncio.gather(*tasks)
//! ```
//!
//! gather wraps each coroutine in a task itself, in the same order, so the list can hold the
//! coroutines: `tasks = [work(x) for x in items]`, which asyncio-gather then migrates like any
//! list of coroutines. The tasks ran no earlier before: nothing runs between the statement
//! that makes them and the gather (the next statement, with nothing awaited before the gather
//! in it), so each starts at the same moment, in the same order.
//!
//! Preconditions: the call is the element of a list comprehension (not `async for`, no `await`
//! in it) assigned to a plain name by a statement of an `async def`'s block; the task is one
//! call that provably makes a coroutine (the awaitable kinds), with no `name=` / `context=`;
//! the name's only other use is `*name` as the only positional argument of
//! `await asyncio.gather(...)` (keywords: `return_exceptions` only) in the next statement of
//! that block, which is an expression statement, an assignment or a `return` of that await.

use super::super::{Ctx, call_args, enclosing_function, is_async_def, positional_args};
use crate::analysis::awaitable::{Awaitable, of_call};
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// The fix for a task list that is only gathered, if `call` (a task creation) is the element
/// of one.
pub(super) fn plan(ctx: &Ctx, call: Node) -> Option<Outcome> {
    let [coro] = positional_args(call)[..] else {
        return None;
    };
    if call_args(call).len() != 1
        || coro.kind() != "call"
        || of_call(ctx.code(), coro) != Awaitable::Coroutine
    {
        return None;
    }
    let comprehension = call
        .parent()
        .filter(|p| p.kind() == "list_comprehension")
        .filter(|p| {
            p.child_by_field_name("body")
                .is_some_and(|b| b.id() == call.id())
        })?;
    if has_suspension(comprehension) {
        return None;
    }
    let assignment = comprehension
        .parent()
        .filter(|a| a.kind() == "assignment")
        .filter(|a| {
            a.child_by_field_name("right")
                .is_some_and(|r| r.id() == comprehension.id())
                && a.child_by_field_name("type").is_none()
        })?;
    let name = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let statement = assignment
        .parent()
        .filter(|s| s.kind() == "expression_statement" && s.named_child_count() == 1)?;
    let func = enclosing_function(call).filter(|f| is_async_def(*f))?;
    statement.parent().filter(|b| b.kind() == "block")?;
    let next = statement.next_named_sibling()?;
    let gather = gathered_only_by(ctx, name, next)?;
    let others: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, ctx.text_of(name), name)
        .into_iter()
        .filter(|r| r.id() != name.id())
        .collect();
    let [only] = others[..] else {
        return None;
    };
    let splat_of_gather = only
        .parent()
        .filter(|s| s.kind() == "list_splat")
        .and_then(|s| s.parent())
        .and_then(|a| a.parent())
        .is_some_and(|c| c.id() == gather.id());
    let inside = |n: Node| n.start_byte() >= func.start_byte() && n.end_byte() <= func.end_byte();
    if !splat_of_gather || !inside(only) {
        return None;
    }
    let fix = Fix::new(
        super::ID,
        "task-list-gathered",
        call.start_byte(),
        Verdict::Safe,
        vec![Edit::replace(call.byte_range(), ctx.text_of(coro))],
    );
    Some(fix.into())
}

/// `stmt` is `await asyncio.gather(*name)` (as a statement, the value of an assignment, or
/// returned), with `return_exceptions=` the only keyword: that gather call.
fn gathered_only_by<'t>(ctx: &Ctx<'t>, name: Node, stmt: Node<'t>) -> Option<Node<'t>> {
    let value = match stmt.kind() {
        "expression_statement" if stmt.named_child_count() == 1 => {
            let inner = stmt.named_child(0)?;
            match inner.kind() {
                "assignment" => inner.child_by_field_name("right")?,
                _ => inner,
            }
        }
        "return_statement" => stmt.named_child(0)?,
        _ => return None,
    };
    let call = Some(value)
        .filter(|v| v.kind() == "await")
        .and_then(|v| v.named_child(0))
        .filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    if !ctx.is(callee, "asyncio.gather") {
        return None;
    }
    let args = call_args(call);
    let splats: Vec<&Node> = args
        .iter()
        .filter(|a| a.kind() != "keyword_argument")
        .collect();
    let [splat] = splats[..] else {
        return None;
    };
    let keywords_ok = args
        .iter()
        .filter(|a| a.kind() == "keyword_argument")
        .all(|k| {
            k.child_by_field_name("name")
                .is_some_and(|n| ctx.text_of(n) == "return_exceptions")
        });
    (keywords_ok
        && splat.kind() == "list_splat"
        && splat
            .named_child(0)
            .is_some_and(|n| n.kind() == "identifier" && ctx.text_of(n) == ctx.text_of(name)))
    .then_some(call)
}

/// `await`, `async for` (an async comprehension) or `yield` anywhere in `node`.
fn has_suspension(node: Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if matches!(n.kind(), "await" | "yield") {
            return true;
        }
        if n.kind() == "for_in_clause" && n.child(0).is_some_and(|c| c.kind() == "async") {
            return true;
        }
        stack.extend(named_children(n));
    }
    false
}
