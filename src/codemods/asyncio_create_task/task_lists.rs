//! Tasks that are only gathered, right away:
//!
//! ```python
//! tasks = [asyncio.create_task(work(x)) for x in items]
//! results = await asyncio.gather(*tasks)
//!
//! tasks = []
//! for x in items:
//!     tasks.append(asyncio.create_task(work(x)))
//! await asyncio.gather(*tasks)
//!
//! await asyncio.gather(asyncio.create_task(a()), *[asyncio.create_task(b(x)) for x in xs])
//! ```
//!
//! gather wraps each coroutine in a task itself, in the same order, so the list (or the
//! argument) can be the coroutine: `tasks = [work(x) for x in items]`, which asyncio-gather
//! then migrates like any list of coroutines. The tasks ran no earlier before: nothing runs
//! between making them and the gather (no await, async for or yield; the gather is the next
//! statement, with nothing awaited before it there), so each starts at the same moment, in the
//! same order.
//!
//! Preconditions: the task is one call that provably makes a coroutine (the awaitable kinds),
//! with no `name=` / `context=`, and it is
//! - an argument of `asyncio.gather(...)`, or the element of a comprehension (no `async for`,
//!   no `await`) that is `*` an argument of it; or
//! - the element of a list comprehension assigned to a plain name, or the argument of
//!   `name.append(...)` as a statement of a `for` loop's body (no `async for`, no await or
//!   yield in the loop, no `else:`) whose list is made by `name = []` earlier in the block; in
//!   an `async def`, where the name's only other use is `*name` as the only positional
//!   argument of `await asyncio.gather(...)` (keywords: `return_exceptions` only) in the next
//!   statement of that block (after the comprehension's or the loop's), an expression
//!   statement, an assignment or a `return` of that await; or
//! - the value of `name = ...`, one of a run of such statements (each on a line of its own,
//!   with no comment) that the gather of exactly those names, in that order, follows
//!   (`t1 = asyncio.create_task(a())`, `t2 = asyncio.create_task(b())`, `await
//!   asyncio.gather(t1, t2)`), each name used nowhere else: the statements go, the gather gets
//!   the coroutines (`await asyncio.gather(a(), b())`), one fix at the run's first task. A
//!   `def` that runs nothing when defined (no decorator, default or annotation) may stand
//!   between them, when it binds no name a coroutine made before it uses.

use super::super::{Ctx, call_args, enclosing_function, is_async_def, positional_args};
use crate::analysis::awaitable::{Awaitable, of_call};
use crate::analysis::syntax::own_statement;
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// The fix for tasks that are only gathered, right away, if `call` (a task creation) makes
/// one of them.
pub(super) fn plan(ctx: &Ctx, call: Node) -> Option<Vec<Outcome>> {
    let coro = only_coroutine(ctx, call)?;
    if let Some(run) = named_run(ctx, call) {
        return Some(run);
    }
    let unwrap = || -> Outcome {
        Fix::new(
            super::ID,
            "task-list-gathered",
            call.start_byte(),
            Verdict::Safe,
            vec![Edit::replace(call.byte_range(), ctx.text_of(coro))],
        )
        .into()
    };
    if gather_argument(ctx, call) || appended_in_loop(ctx, call) {
        return Some(vec![unwrap()]);
    }
    let (name, statement) = comprehension_list(ctx, call)?;
    let others = other_uses(ctx, name, statement)?;
    let [only] = others[..] else {
        return None;
    };
    is_splat_of(ctx, only, gathered_next(ctx, name, statement)?).then(|| vec![unwrap()])
}

/// `name = [call for ...]`: the task creation `call` is the element of a list comprehension
/// (with nothing to suspend in it) that is the whole value of a plain assignment statement:
/// `name` and that statement.
pub(super) fn comprehension_list<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
) -> Option<(Node<'t>, Node<'t>)> {
    let comprehension = ctx.parent(call).filter(|p| {
        p.kind() == "list_comprehension"
            && p.child_by_field_name("body")
                .is_some_and(|b| b.id() == call.id())
    })?;
    if has_suspension(comprehension) {
        return None;
    }
    let assignment = ctx.parent(comprehension).filter(|a| {
        a.kind() == "assignment"
            && a.child_by_field_name("right")
                .is_some_and(|r| r.id() == comprehension.id())
            && a.child_by_field_name("type").is_none()
    })?;
    let name = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let statement = own_statement(ctx.resolver, assignment)?;
    Some((name, statement))
}

/// The coroutine call of a task creation that takes it alone (no `name=` / `context=`), when
/// the awaitable kinds show it makes a coroutine.
fn only_coroutine<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let [coro] = positional_args(call)[..] else {
        return None;
    };
    (call_args(call).len() == 1
        && coro.kind() == "call"
        && of_call(ctx.code(), coro) == Awaitable::Coroutine)
        .then_some(coro)
}

/// `name = asyncio.create_task(c)` (or `ensure_future`) as a statement on a line of its own
/// with no comment, `c` a coroutine call it takes alone: (the statement, `name`, the creation,
/// `c`).
fn named_task<'t>(ctx: &Ctx<'t>, stmt: Node<'t>) -> Option<NamedTask<'t>> {
    let assignment = stmt
        .named_child(0)
        .filter(|_| stmt.kind() == "expression_statement" && stmt.named_child_count() == 1)
        .filter(|a| a.kind() == "assignment" && a.child_by_field_name("type").is_none())?;
    let name = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "identifier")?;
    let call = assignment
        .child_by_field_name("right")
        .filter(|r| r.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    if !(ctx.is(callee, "asyncio.create_task") || ctx.is(callee, "asyncio.ensure_future")) {
        return None;
    }
    let start = crate::source::line_start(ctx.text, stmt.start_byte());
    let end = crate::source::line_end(ctx.text, stmt.end_byte());
    if ctx.text[start..end].trim() != ctx.text_of(stmt) {
        return None;
    }
    Some((stmt, name, call, only_coroutine(ctx, call)?))
}

/// A `def` / `async def` that runs nothing when it is defined: no decorator, no default value,
/// no annotation (each is evaluated there). Named tasks may stand on either side of one (a test
/// defines a task's coroutine function just before starting it).
fn quiet_def(node: Node) -> bool {
    node.kind() == "function_definition"
        && node.child_by_field_name("return_type").is_none()
        && node
            .child_by_field_name("parameters")
            .is_some_and(|params| {
                named_children(params).all(|p| matches!(p.kind(), "identifier" | "comment"))
            })
}

type NamedTask<'t> = (Node<'t>, Node<'t>, Node<'t>, Node<'t>);

/// A run of named tasks gathered right away (`t1 = asyncio.create_task(a())`, `t2 = ...`,
/// then `await asyncio.gather(t1, t2)`, each name used nowhere else): the fix at the run's
/// first task deletes the statements and gives the gather the coroutines; at the others,
/// nothing (that fix covers them).
fn named_run(ctx: &Ctx, call: Node) -> Option<Vec<Outcome>> {
    let stmt = ctx
        .parent(call)
        .and_then(|a| ctx.parent(a))
        .filter(|s| named_task(ctx, *s).is_some_and(|(_, _, c, _)| c.id() == call.id()))?;
    let mut first = stmt;
    let mut prev = stmt.prev_named_sibling();
    while let Some(p) = prev {
        if named_task(ctx, p).is_some() {
            first = p;
        } else if !quiet_def(p) {
            break;
        }
        prev = p.prev_named_sibling();
    }
    let mut run: Vec<NamedTask> = Vec::new();
    let mut next = Some(first);
    while let Some(n) = next {
        if let Some(task) = named_task(ctx, n) {
            run.push(task);
        } else if quiet_def(n) {
            // The coroutines of the tasks before it are now made after it: it must not bind
            // a name they use.
            let name = n.child_by_field_name("name").map(|d| ctx.text_of(d))?;
            if run
                .iter()
                .any(|(_, _, _, coro)| crate::imports::mentions(ctx.text_of(*coro), name))
            {
                return None;
            }
        } else {
            break;
        }
        next = n.next_named_sibling();
    }
    let gather = awaited_gather(ctx, next?)?;
    if gather
        .child_by_field_name("arguments")
        .is_none_or(has_suspension)
    {
        return None;
    }
    let args: Vec<Node> = call_args(gather)
        .into_iter()
        .filter(|a| a.kind() != "keyword_argument")
        .collect();
    let names_match = args.len() == run.len()
        && args.iter().zip(&run).all(|(arg, (statement, name, _, _))| {
            arg.kind() == "identifier"
                && ctx.text_of(*arg) == ctx.text_of(*name)
                && other_uses(ctx, *name, *statement)
                    .is_some_and(|uses| matches!(uses[..], [only] if only.id() == arg.id()))
        });
    if !names_match {
        return None;
    }
    if run[0].0.id() != stmt.id() {
        return Some(Vec::new());
    }
    let mut edits: Vec<Edit> = run
        .iter()
        .map(|(statement, _, _, _)| {
            let start = crate::source::line_start(ctx.text, statement.start_byte());
            let mut end =
                (crate::source::line_end(ctx.text, statement.end_byte()) + 1).min(ctx.text.len());
            // A blank line after it goes too where one is left above it (or the block's
            // header is), so the statements around keep their spacing.
            let next_end = crate::source::line_end(ctx.text, end);
            let blank_after = (next_end < ctx.text.len()
                && ctx.text[end..next_end].trim().is_empty())
            .then_some(next_end + 1);
            let blank_above = statement.prev_named_sibling().is_none()
                || ctx.text[..start]
                    .trim_end_matches([' ', '\t'])
                    .ends_with("\n\n");
            if let Some(after) = blank_after.filter(|_| blank_above) {
                end = after;
            }
            Edit::delete(start..end)
        })
        .collect();
    edits.extend(
        args.iter()
            .zip(&run)
            .map(|(arg, (_, _, _, coro))| Edit::replace(arg.byte_range(), ctx.text_of(*coro))),
    );
    let at = run[0].2.start_byte();
    Some(vec![
        Fix::new(super::ID, "task-list-gathered", at, Verdict::Safe, edits).into(),
    ])
}

/// The uses of the list `name` (bound at `name`) other than that binding, when all are inside
/// the `async def` holding `statement`, a statement of a block.
fn other_uses<'t>(ctx: &Ctx<'t>, name: Node<'t>, statement: Node<'t>) -> Option<Vec<Node<'t>>> {
    let func = enclosing_function(ctx.resolver, statement).filter(|f| is_async_def(*f))?;
    ctx.parent(statement).filter(|b| b.kind() == "block")?;
    let inside = |n: &Node| n.start_byte() >= func.start_byte() && n.end_byte() <= func.end_byte();
    let others: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, ctx.text_of(name), name)
        .into_iter()
        .filter(|r| r.id() != name.id())
        .collect();
    others.iter().all(inside).then_some(others)
}

/// The gather of `*name` that the statement after `statement` is, if it is one.
fn gathered_next<'t>(ctx: &Ctx<'t>, name: Node, statement: Node<'t>) -> Option<Node<'t>> {
    gathered_only_by(ctx, name, statement.next_named_sibling()?)
}

/// `used` is `*used` as an argument of the call `gather`.
fn is_splat_of(ctx: &Ctx, used: Node, gather: Node) -> bool {
    ctx.parent(used)
        .filter(|s| s.kind() == "list_splat")
        .and_then(|s| ctx.parent(s))
        .and_then(|a| ctx.parent(a))
        .is_some_and(|c| c.id() == gather.id())
}

/// `call` is an argument of `asyncio.gather(...)`, or the element of a comprehension that is
/// `*` an argument of it, with nothing to suspend among the arguments.
fn gather_argument(ctx: &Ctx, call: Node) -> bool {
    let mut args = ctx.parent(call);
    if let Some(comprehension) = ctx.parent(call).filter(|p| {
        matches!(p.kind(), "list_comprehension" | "generator_expression")
            && p.child_by_field_name("body")
                .is_some_and(|b| b.id() == call.id())
    }) {
        if has_suspension(comprehension) {
            return false;
        }
        args = ctx
            .parent(comprehension)
            .filter(|s| s.kind() == "list_splat")
            .and_then(|s| ctx.parent(s));
    }
    args.filter(|a| a.kind() == "argument_list" && !has_suspension(*a))
        .and_then(|a| ctx.parent(a))
        .and_then(|c| c.child_by_field_name("function"))
        .is_some_and(|f| ctx.is(f, "asyncio.gather"))
}

/// `name.append(call)` as a statement of a `for` loop's body (nothing to suspend in the loop,
/// no `else:`), `name = []` earlier in the loop's block, and the loop followed by the gather
/// of `*name`, the list's only use besides the appends in that loop's body.
fn appended_in_loop(ctx: &Ctx, call: Node) -> bool {
    let Some(append) = ctx
        .parent(call)
        .filter(|a| a.kind() == "argument_list" && a.named_child_count() == 1)
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call")
    else {
        return false;
    };
    let Some(body) = statement_block(ctx, append) else {
        return false;
    };
    let Some(for_loop) = ctx.parent(body).filter(|f| {
        f.kind() == "for_statement"
            && f.child_by_field_name("body")
                .is_some_and(|b| b.id() == body.id())
            && plain_for(*f)
    }) else {
        return false;
    };
    let Some(receiver) = appended_to(ctx, append) else {
        return false;
    };
    if has_suspension(for_loop) {
        return false;
    }
    let Some(binding) = empty_list_before(ctx, for_loop, ctx.text_of(receiver)) else {
        return false;
    };
    let (Some(gather), Some(others)) = (
        gathered_next(ctx, binding, for_loop),
        other_uses(ctx, binding, for_loop),
    ) else {
        return false;
    };
    let appends_here = |u: &Node| {
        ctx.parent(*u)
            .filter(|a| a.kind() == "attribute")
            .and_then(|a| ctx.parent(a))
            .filter(|c| appended_to(ctx, *c).is_some_and(|r| r.id() == u.id()))
            .and_then(|s| statement_block(ctx, s))
            .is_some_and(|b| b.id() == body.id())
    };
    let splats = others
        .iter()
        .filter(|u| is_splat_of(ctx, **u, gather))
        .count();
    splats == 1
        && others
            .iter()
            .all(|u| is_splat_of(ctx, *u, gather) || appends_here(u))
}

/// `for_loop`, a `for` statement, is sync (no `async for`) and has no `else:`.
pub(super) fn plain_for(for_loop: Node) -> bool {
    for_loop.child_by_field_name("alternative").is_none()
        && for_loop.child(0).is_some_and(|c| c.kind() == "for")
}

/// The block `call` is a statement of (an expression statement of that call alone).
pub(super) fn statement_block<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    own_statement(ctx.resolver, call)
        .and_then(|s| ctx.parent(s))
        .filter(|b| b.kind() == "block")
}

/// `name.append(x)`: the receiver `name`, a plain name.
pub(super) fn appended_to<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let callee = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")?;
    let receiver = callee
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")?;
    let method = callee.child_by_field_name("attribute")?;
    (ctx.text_of(method) == "append").then_some(receiver)
}

/// The name bound by `name = []`, the last statement binding `name` before `stmt` in its block.
pub(super) fn empty_list_before<'t>(ctx: &Ctx<'t>, stmt: Node<'t>, name: &str) -> Option<Node<'t>> {
    let mut cur = stmt.prev_named_sibling();
    while let Some(prev) = cur {
        let assignment = prev
            .named_child(0)
            .filter(|a| prev.kind() == "expression_statement" && a.kind() == "assignment");
        let left = assignment.and_then(|a| a.child_by_field_name("left"));
        if left.is_some_and(|l| l.kind() == "identifier" && ctx.text_of(l) == name) {
            let empty = assignment
                .filter(|a| a.child_by_field_name("type").is_none())
                .and_then(|a| a.child_by_field_name("right"))
                .is_some_and(|r| r.kind() == "list" && r.named_child_count() == 0);
            return left.filter(|_| empty);
        }
        cur = prev.prev_named_sibling();
    }
    None
}

/// `stmt` is `await asyncio.gather(*name)` (as a statement, the value of an assignment, or
/// returned), with `return_exceptions=` the only keyword: that gather call.
fn gathered_only_by<'t>(ctx: &Ctx<'t>, name: Node, stmt: Node<'t>) -> Option<Node<'t>> {
    let call = awaited_gather(ctx, stmt)?;
    let args = call_args(call);
    let splats: Vec<&Node> = args
        .iter()
        .filter(|a| a.kind() != "keyword_argument")
        .collect();
    let [splat] = splats[..] else {
        return None;
    };
    (splat.kind() == "list_splat"
        && splat
            .named_child(0)
            .is_some_and(|n| n.kind() == "identifier" && ctx.text_of(n) == ctx.text_of(name)))
    .then_some(call)
}

/// `stmt` is `await asyncio.gather(...)` (as a statement, the value of an assignment, or
/// returned) with `return_exceptions=` its only keyword: that gather call.
fn awaited_gather<'t>(ctx: &Ctx<'t>, stmt: Node<'t>) -> Option<Node<'t>> {
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
    let keywords_ok = call_args(call)
        .iter()
        .filter(|a| a.kind() == "keyword_argument")
        .all(|k| {
            k.child_by_field_name("name")
                .is_some_and(|n| ctx.text_of(n) == "return_exceptions")
        });
    (ctx.is(callee, "asyncio.gather") && keywords_ok).then_some(call)
}

/// `await`, `async for` (an async comprehension) or `yield` anywhere in `node`.
pub(super) fn has_suspension(node: Node) -> bool {
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
