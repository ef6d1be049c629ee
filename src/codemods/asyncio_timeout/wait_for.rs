//! `await asyncio.wait_for(aw, t)` → a `fail_after` / `move_on_after` block around the await,
//! hoisted to a statement of its own where the value is used in an expression.

use super::{ID, TASK_FIX, VALUE_FIX, children, contains, manual};
use crate::analysis::syntax::{
    awaits_in, descendants, is_statement_value, only_await, outer_parentheses,
};
use crate::codemods::shared::block::{self, Refusal};
use crate::codemods::shared::statements::{claim, comments_in, unwrap_call, wrap_statement};
use crate::codemods::shared::timeouts::{
    coroutine_name, is_task_call, keep_running_fix, shield_argument,
};
use crate::codemods::{
    Ctx, awaited_by, call_args, enclosing_statement, fresh_name, keyword_arg, non_negative_literal,
    on_own_line, positional_args,
};
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use std::ops::Range;
use tree_sitter::Node;

// ---------------------------------------------------------------- wait_for

/// `(fut, timeout)` of a `wait_for` call, when those are exactly its arguments.
pub(super) fn wait_for_args<'t>(ctx: &Ctx, call: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let positional = positional_args(call);
    let fut = positional
        .first()
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "fut"))?;
    let timeout = positional
        .get(1)
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "timeout"))?;
    (call_args(call).len() == 2).then_some((fut, timeout))
}

pub(super) fn plan_wait_for(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let Some((fut, timeout)) = wait_for_args(ctx, call) else {
        return vec![manual(
            call,
            "unknown-arguments",
            "asyncio.wait_for called with unpacked or unknown arguments",
            "`with anyio.fail_after(timeout):` around `await <the awaited call>`",
        )];
    };
    if let Some(inner) = shield_argument(ctx, fut) {
        return vec![manual(
            call,
            "shielded-wait",
            "asyncio.wait_for(asyncio.shield(...)) times out the wait but keeps the work running; `with anyio.fail_after(t): with anyio.CancelScope(shield=True): ...` cannot interrupt the work and may raise no TimeoutError at all",
            &keep_running_fix(ctx, inner, Some(timeout)),
        )];
    }
    if !timed_like_a_call(ctx, fut) {
        return vec![manual(
            call,
            "wait-for-task",
            "asyncio.wait_for on a Task or Future (or a value that may be one): on timeout it cancelled that task and raised TimeoutError; `with anyio.fail_after(t): await handle` would leave a task group's handle running, and around an asyncio Task whose outcome a done callback reads first it raises CancelledError instead of TimeoutError (docs/evidence/wait_for_task_cancelled.py)",
            TASK_FIX,
        )];
    }
    let no_timeout = timeout.kind() == "none";
    let Some(awaited) = awaited_by(ctx.resolver, call) else {
        if no_timeout {
            return inline_without_timeout(ctx, call, fut);
        }
        return vec![manual(
            call,
            "not-awaited",
            "asyncio.wait_for(...) is not awaited here: its awaitable is passed on (to gather, create_task, ...), so it cannot become a `with` block",
            VALUE_FIX,
        )];
    };
    if no_timeout {
        return inline_without_timeout(ctx, call, fut);
    }
    if !awaits_in(call).is_empty() {
        return vec![manual(
            call,
            "awaiting-argument",
            "an argument of asyncio.wait_for awaits: under `fail_after` that await would be timed too",
            "evaluate the awaited argument into a variable first, then re-run",
        )];
    }
    let top = outer_parentheses(ctx.resolver, awaited);
    let Some(stmt) = enclosing_statement(ctx.resolver, top) else {
        return Vec::new();
    };
    if is_statement_value(stmt, top) && only_await(stmt, awaited) {
        if let Some(fix) = move_on_form(ctx, call, fut, timeout, stmt) {
            return vec![fix];
        }
        return statement_form(ctx, call, fut, timeout, stmt);
    }
    hoist(ctx, call, fut, timeout, top, stmt)
}

/// `fut` is a call that makes no Task or Future by name (`is_task_call`), or a name bound to a
/// coroutine object awaited nowhere else (`coroutine_name`): a `fail_after` block around its
/// await times what `wait_for` timed.
fn timed_like_a_call(ctx: &Ctx, fut: Node) -> bool {
    (fut.kind() == "call" && !is_task_call(ctx, fut))
        || coroutine_name(ctx, fut)
        || anyio_future_name(ctx, fut)
}

/// `fut`, a name of the `async def` holding it bound once, to anyio's Future (`anyio.Future()`,
/// or the `_Future()` helper asyncio-sync-primitives writes below anyio 4.15), and rebound by
/// no nested function (`nonlocal`). Awaiting it in a `fail_after` block waits for its result;
/// on the deadline the wait is cancelled and the Future stays pending, which the Future's own
/// rewrite notes (asyncio's Future was cancelled with its waiter).
fn anyio_future_name(ctx: &Ctx, fut: Node) -> bool {
    use crate::analysis::scopes::single_assignment;
    use crate::codemods::shared::FUTURE_HELPER;
    if fut.kind() != "identifier" {
        return false;
    }
    let Some((owner, _, value)) = single_assignment(ctx.code(), fut) else {
        return false;
    };
    let callee = value.child_by_field_name("function");
    let made = value.kind() == "call"
        && crate::codemods::call_args(value).is_empty()
        && callee.is_some_and(|f| match ctx.text_of(f) {
            // Before the run adds `import anyio`, the name is unbound.
            "anyio.Future" => ctx.is(f, "anyio.Future") || !ctx.resolver.is_bound("anyio", f),
            helper if helper == FUTURE_HELPER => named_children(ctx.tree.root_node()).any(|d| {
                d.kind() == "class_definition"
                    && d.child_by_field_name("name")
                        .is_some_and(|n| ctx.text_of(n) == FUTURE_HELPER)
            }),
            _ => false,
        });
    let name = ctx.text_of(fut);
    let rebound = descendants(owner).iter().any(|n| {
        n.kind() == "nonlocal_statement" && named_children(*n).any(|c| ctx.text_of(c) == name)
    });
    crate::analysis::syntax::is_async_def(owner) && made && !rebound
}

/// `asyncio.wait_for(f(), None)` → `f()`: no deadline, and `wait_for` awaited it inline.
pub(super) fn inline_without_timeout(ctx: &Ctx, call: Node, fut: Node) -> Vec<Outcome> {
    let (mut edits, comments) = unwrap_call(ctx, call, fut, None);
    if !comments.is_empty() {
        let Some(stmt) = enclosing_statement(ctx.resolver, call) else {
            return Vec::new();
        };
        match block::insert_before(ctx, stmt, &comments) {
            Ok(edit) => edits.push(edit),
            Err(why) => {
                return vec![manual(
                    call,
                    "unusual-layout",
                    why,
                    "replace `asyncio.wait_for(f(), None)` with `f()`",
                )];
            }
        }
    }
    vec![
        Fix::new(ID, "no-timeout", call.start_byte(), Verdict::Safe, edits)
            .needs_only(&[])
            .into(),
    ]
}

/// When the deadline passes, asyncio delivers one `CancelledError`; anyio's scope keeps
/// cancelling every await inside it (spec §10, B3). aiotools' `gather_safe` under
/// `asyncio.timeout(0.35)` waits for its cancelled children in its own `__aexit__`: under
/// `anyio.fail_after` that wait is cancelled again and the children's cleanup is cut short.
/// The scope re-cancels the block's task on every iteration, and a task awaiting an asyncio
/// task passes each cancel on to it, so a shield inside that task does not hold
/// (`codemods/asyncio-timeout/examples/shield_in_asyncio_task.py`; seed 16 index 7939).
pub(super) const LEVEL_NOTE: &str = "after the deadline the cancellation is level-triggered: awaits made while handling it or after swallowing it (cleanup in `except CancelledError` / `finally`, also in the code the block calls, such as an asyncio task group, gather or scope waiting for its cancelled children) are cancelled again unless shielded (a shield inside an asyncio task the block awaits does not hold: each cancellation of the awaiting task is passed on to that task), where asyncio delivered one CancelledError";

/// The note for a `wait_for` turned into a `fail_after` / `move_on_after` block. Python 3.11's
/// `wait_for` returns the result when its inner future is done by the time a cancellation of
/// the caller is handled, so a cancel arriving in the iteration where the coroutine finishes
/// is lost (`scripts/difftest/findings/wait_for_cancel_lost.py`; the differential tester's
/// seed 13 index 4334). It also ran the coroutine in a task of its own, started an iteration
/// after the call and heard from an iteration after it ended, so other tasks' work in those
/// iterations now comes in another order (`scripts/difftest/findings/wait_for_runs_in_a_task.py`;
/// seed 15 indices 4708, 5261, 7330, 8417). Cancelled while it waited, it cancelled the
/// coroutine's task, waited for it and raised the `CancelledError` whatever the coroutine did
/// with it (`codemods/asyncio-timeout/examples/swallowed_cancel_raised.py`; seed 16 index 7632).
pub(super) fn wait_for_note(ctx: &Ctx, timeout: Node, swallowed: bool) -> String {
    let mut note = format!(
        "wait_for → anyio timeout block: the coroutine now runs in the caller's task, so its ContextVar changes are visible afterwards (Python <= 3.11 ran it in a separate task, started an event-loop iteration later and heard from an iteration after it ended, so what other tasks do in those iterations can now come in another order; and it dropped a cancellation of the caller that arrived as the coroutine finished: the caller ran on, where the block delivers it; and a cancellation of the caller while it waited was raised even when the coroutine caught and swallowed it, where now the coroutine's handler decides and the caller runs on); {LEVEL_NOTE}",
    );
    let text = ctx.text_of(timeout);
    let positive = non_negative_literal(text)
        && text
            .replace('_', "")
            .parse::<f64>()
            .map_or(true, |v| v > 0.0);
    if !positive {
        note.push_str(
            "; a timeout <= 0 around work that never reaches a checkpoint no longer times out",
        );
    }
    if swallowed {
        note.push_str("; a TimeoutError raised by the awaited call itself is no longer swallowed");
    }
    note
}

/// The verdict of a `wait_for` turned into a timeout block: UNSAFE when the awaited call waits
/// for another task's signal (`done.wait()`, `cond.wait_for(p)`, `queue.get()`, `queue.join()`,
/// `lock.acquire()`) and the project runs on Python <= 3.11. There `wait_for` heard of the wait's
/// end an event-loop iteration after it, so the signalling task had run on (code after its
/// `set()`, its end and done-callbacks) before the caller looked; the block resumes the caller
/// first, as Python 3.12's `wait_for` does (`scripts/difftest/findings/
/// wait_for_signal_then_task_end.py`: a corpus test that read a done-callback's log).
fn block_verdict(ctx: &Ctx, fut: Node) -> (Verdict, Option<String>) {
    if ctx.targets.python >= crate::target::Version(3, 12, 0) {
        return (Verdict::SafeEdge, None);
    }
    let signal = (fut.kind() == "call")
        .then(|| fut.child_by_field_name("function"))
        .flatten()
        // A method of an object, not a module's function (`asyncio.wait_for(...)` nested).
        .filter(|f| {
            f.kind() == "attribute"
                && !ctx
                    .qualified(*f)
                    .is_some_and(|q| q.starts_with("asyncio.") || q.starts_with("anyio."))
        })
        .and_then(|f| f.child_by_field_name("attribute"))
        .is_some_and(|m| match ctx.text_of(m) {
            "wait" | "wait_for" => true,
            "get" | "join" | "acquire" => call_args(fut).is_empty(),
            _ => false,
        });
    if signal {
        let why = format!(
            "`{}` waits for another task's signal: on Python <= 3.11 (which the project supports) wait_for resumed the caller an event-loop iteration after the signal, when the signalling task had run on (its code after the signal, its end and its done-callbacks); the block resumes the caller first, as wait_for does on Python 3.12: code here that looks at what that task did next may see it not done yet",
            ctx.text_of(fut)
        );
        return (Verdict::Unsafe, Some(why));
    }
    (Verdict::SafeEdge, None)
}

/// A `wait_for` rewrite's fix with its verdict and note.
fn block_fix(
    ctx: &Ctx,
    kind: &'static str,
    call: Node,
    fut: Node,
    edits: Vec<Edit>,
    note: String,
) -> Outcome {
    let (verdict, why) = block_verdict(ctx, fut);
    let note = match why {
        Some(why) => format!("{why}; {note}"),
        None => note,
    };
    Fix::new(ID, kind, call.start_byte(), verdict, edits)
        .note(note)
        .into()
}

/// `await wait_for(f(), t)` / `x = await ...` / `return await ...` → a `fail_after` block.
pub(super) fn statement_form(
    ctx: &Ctx,
    call: Node,
    fut: Node,
    timeout: Node,
    stmt: Node,
) -> Vec<Outcome> {
    let (inner, comments) = unwrap_call(ctx, call, fut, Some(&timeout.byte_range()));
    let header = format!("with anyio.fail_after({}):", ctx.text_of(timeout));
    match wrap_statement(ctx, stmt, &header, &comments, inner) {
        Ok(edits) => vec![block_fix(
            ctx,
            "wait-for",
            call,
            fut,
            edits,
            wait_for_note(ctx, timeout, false),
        )],
        Err(why) => vec![manual(
            call,
            "unusual-layout",
            why,
            &format!(
                "put the statement on its own line, or write `with anyio.fail_after({}):` around `await {}` by hand",
                ctx.text_of(timeout),
                ctx.text_of(fut)
            ),
        )],
    }
}

/// `try: await wait_for(f(), t)` + `except TimeoutError: pass` (nothing else) → a
/// `move_on_after` block. With `finally:` the `try` stays for it; with `else:` (which runs
/// only when no timeout happened) the plain `fail_after` rewrite keeps the handler instead.
pub(super) fn move_on_form(
    ctx: &Ctx,
    call: Node,
    fut: Node,
    timeout: Node,
    stmt: Node,
) -> Option<Outcome> {
    let body = ctx.parent(stmt)?;
    let try_stmt = ctx.parent(body).filter(|p| p.kind() == "try_statement")?;
    if try_stmt.child_by_field_name("body")?.id() != body.id()
        || named_children(body).any(|s| s.kind() != "comment" && s.id() != stmt.id())
        || !on_own_line(ctx.text, stmt)
    {
        return None;
    }
    let clauses: Vec<Node> = named_children(try_stmt)
        .filter(|c| c.kind().ends_with("_clause"))
        .collect();
    let handlers: Vec<Node> = clauses
        .iter()
        .copied()
        .filter(|c| c.kind() == "except_clause")
        .collect();
    let finally = clauses.iter().any(|c| c.kind() == "finally_clause");
    let [handler] = handlers.as_slice() else {
        return None;
    };
    if clauses.iter().any(|c| c.kind() == "else_clause") || !ignores_timeout(ctx, *handler) {
        return None;
    }
    let lines = whole_lines(ctx, *handler)?;
    let (inner, mut comments) = unwrap_call(ctx, call, fut, Some(&timeout.byte_range()));
    comments.extend(comments_in(ctx, lines.clone(), None));
    let header = format!("with anyio.move_on_after({}):", ctx.text_of(timeout));
    let mut edits = if finally {
        wrap_statement(ctx, stmt, &header, &comments, inner).ok()?
    } else {
        // `try:` becomes the header; the statement already sits one step in. The edit starts
        // at the line start so that other line-level edits clash with it (see `claim`).
        let colon = children(try_stmt).find(|c| c.kind() == ":")?;
        let indent = line_indent(ctx.text, try_stmt.start_byte());
        let mut text = String::new();
        for line in comments.iter().chain([&header]) {
            text.push_str(indent);
            text.push_str(line);
            text.push('\n');
        }
        text.pop();
        let mut edits = inner;
        edits.push(Edit::replace(
            line_start(ctx.text, try_stmt.start_byte())..colon.end_byte(),
            text,
        ));
        edits
    };
    edits.push(Edit::delete(lines));
    Some(block_fix(
        ctx,
        "move-on",
        call,
        fut,
        edits,
        wait_for_note(ctx, timeout, true),
    ))
}

/// `except TimeoutError: pass` (or asyncio's `TimeoutError`, or a tuple of them; `as e` allowed).
pub(super) fn ignores_timeout(ctx: &Ctx, handler: Node) -> bool {
    if children(handler).any(|c| c.kind() == "*") {
        return false;
    }
    let Some(mut value) = handler.child_by_field_name("value") else {
        return false;
    };
    if value.kind() == "as_pattern" {
        let Some(inner) = value.named_child(0) else {
            return false;
        };
        value = inner;
    }
    let Some(block) = named_children(handler).find(|c| c.kind() == "block") else {
        return false;
    };
    is_timeout_class(ctx, value)
        && named_children(block).all(|s| {
            s.kind() == "comment"
                || s.kind() == "pass_statement"
                || (s.kind() == "expression_statement"
                    && s.named_child(0).is_some_and(|e| e.kind() == "ellipsis"))
        })
}

/// The builtin `TimeoutError`, asyncio's, or a tuple of them.
pub(super) fn is_timeout_class(ctx: &Ctx, node: Node) -> bool {
    match node.kind() {
        "tuple" | "parenthesized_expression" => {
            let items: Vec<Node> = named_children(node)
                .filter(|c| c.kind() != "comment")
                .collect();
            !items.is_empty() && items.iter().all(|i| is_timeout_class(ctx, *i))
        }
        "identifier"
            if ctx.text_of(node) == "TimeoutError"
                && !ctx.resolver.is_bound("TimeoutError", node) =>
        {
            true
        }
        _ => ctx.is(node, "asyncio.TimeoutError"),
    }
}

/// The lines `node` spans, newline included, when nothing else shares them.
pub(super) fn whole_lines(ctx: &Ctx, node: Node) -> Option<Range<usize>> {
    let start = line_start(ctx.text, node.start_byte());
    let rest = &ctx.text[node.end_byte()..];
    let eol = rest
        .find('\n')
        .map_or(ctx.text.len(), |i| node.end_byte() + i + 1);
    let after = ctx.text[node.end_byte()..eol].trim();
    (ctx.text[start..node.start_byte()].trim().is_empty()
        && (after.is_empty() || after.starts_with('#')))
    .then_some(start..eol)
}

/// `print(await wait_for(f(), t))` → the wait in a `fail_after` block before the statement,
/// its value in a temporary.
pub(super) fn hoist(
    ctx: &Ctx,
    call: Node,
    fut: Node,
    timeout: Node,
    top: Node,
    stmt: Node,
) -> Vec<Outcome> {
    if let Err(why) = hoistable(ctx, top, stmt) {
        return vec![manual(
            call,
            "cannot-hoist",
            why,
            &format!(
                "compute it in its own statement first:\nwith anyio.fail_after({}):\n    value = await {}",
                ctx.text_of(timeout),
                ctx.text_of(fut)
            ),
        )];
    }
    // Left to right: an earlier wait_for of this statement is hoisted first (next pass for us).
    if wait_for_calls(ctx, stmt).into_iter().any(|other| {
        other.start_byte() < call.start_byte()
            && other.end_byte() <= call.start_byte()
            && will_hoist(ctx, other, stmt)
    }) {
        return Vec::new();
    }
    let temp = fresh_name(ctx.text, "wait_result");
    let (_, mut lines) = unwrap_call(ctx, call, fut, Some(&timeout.byte_range()));
    lines.push(format!("with anyio.fail_after({}):", ctx.text_of(timeout)));
    lines.push(format!("\t{temp} = await {}", ctx.text_of(fut)));
    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = block::step_for(ctx, indent);
    let mut text = String::new();
    for line in &lines {
        let depth = line.chars().take_while(|c| *c == '\t').count();
        text.push_str(indent);
        text.push_str(&step.repeat(depth));
        text.push_str(&line[depth..]);
        text.push('\n');
    }
    text.push_str(indent);
    // The new lines go in the edit that claims the statement's first line (see `claim`).
    let edits = if top.start_byte() == stmt.start_byte() {
        text.push_str(&temp);
        vec![Edit::replace(
            line_start(ctx.text, stmt.start_byte())..top.end_byte(),
            text,
        )]
    } else {
        let (range, first) = claim(ctx, stmt);
        text.push_str(first);
        vec![
            Edit::replace(range, text),
            Edit::replace(top.byte_range(), temp),
        ]
    };
    vec![
        Fix::new(ID, "wait-for-hoisted", call.start_byte(), Verdict::Unsafe, edits)
            .note("wait_for inside a larger expression: hoisted into `with anyio.fail_after(...)` before the statement, so the timed wait now runs before the statement's other sub-expressions (evaluation order changed)")
            .into(),
    ]
}

/// Every `asyncio.wait_for(...)` call inside `node`.
pub(super) fn wait_for_calls<'t>(ctx: &Ctx, node: Node<'t>) -> Vec<Node<'t>> {
    descendants(node)
        .into_iter()
        .filter(|n| {
            n.kind() == "call"
                && n.child_by_field_name("function")
                    .is_some_and(|f| ctx.is(f, "asyncio.wait_for"))
        })
        .collect()
}

/// Would `call` (another `wait_for` of `stmt`) be hoisted in this pass?
pub(super) fn will_hoist(ctx: &Ctx, call: Node, stmt: Node) -> bool {
    let Some((fut, timeout)) = wait_for_args(ctx, call) else {
        return false;
    };
    let Some(awaited) = awaited_by(ctx.resolver, call) else {
        return false;
    };
    timed_like_a_call(ctx, fut)
        && timeout.kind() != "none"
        && shield_argument(ctx, fut).is_none()
        && awaits_in(call).is_empty()
        && hoistable(ctx, outer_parentheses(ctx.resolver, awaited), stmt).is_ok()
}

/// Can the await `top` be evaluated before `stmt` without changing whether (or how often) it
/// runs?
pub(super) fn hoistable(ctx: &Ctx, top: Node, stmt: Node) -> Result<(), Refusal> {
    if !on_own_line(ctx.text, stmt) {
        return Err("asyncio.wait_for in a statement that shares its line");
    }
    let within = |field: Option<Node>| field.is_some_and(|f| contains(f, top));
    let evaluated_once = match stmt.kind() {
        "expression_statement" | "return_statement" | "raise_statement" => true,
        "if_statement" => within(stmt.child_by_field_name("condition")),
        "for_statement" => within(stmt.child_by_field_name("right")),
        "with_statement" => within(named_children(stmt).find(|c| c.kind() == "with_clause")),
        // The condition runs once, and only while assertions are on: pytest runs a suite with
        // them on, `python -O` skips the assertion (and the wait in it), which hoisted would run.
        "assert_statement" if within(named_children(stmt).find(|c| c.kind() != "comment")) => {
            if !ctx.path.is_some_and(crate::source::is_test_code) {
                return Err(
                    "asyncio.wait_for in an `assert` outside test code: under `python -O` the assertion, and the wait in it, does not run at all, and moved before it the wait would",
                );
            }
            true
        }
        _ => false,
    };
    if !evaluated_once {
        return Err(
            "asyncio.wait_for in a condition that is evaluated again or only sometimes (`while`, `elif`, ...): it cannot be moved before the statement",
        );
    }
    let mut child = top;
    let mut cur = ctx.parent(top);
    while let Some(n) = cur {
        if n.id() == stmt.id() {
            break;
        }
        let refused = match n.kind() {
            "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                Some("asyncio.wait_for inside a comprehension: it runs once per item")
            }
            "conditional_expression" => {
                Some("asyncio.wait_for inside a conditional expression: it runs only on one branch")
            }
            "boolean_operator"
                if n.child_by_field_name("right")
                    .is_some_and(|r| r.id() == child.id()) =>
            {
                Some("asyncio.wait_for on the right of `and`/`or`: it runs only sometimes")
            }
            "comparison_operator"
                if named_children(n)
                    .position(|c| c.id() == child.id())
                    .is_some_and(|i| i >= 2) =>
            {
                Some("asyncio.wait_for inside a chained comparison: it runs only sometimes")
            }
            _ => None,
        };
        if let Some(why) = refused {
            return Err(why);
        }
        child = n;
        cur = ctx.parent(n);
    }
    if descendants(stmt)
        .iter()
        .any(|n| n.kind() == "named_expression")
    {
        return Err(
            "asyncio.wait_for in a statement with `:=`: moving it may read a name before it is bound",
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::edit::Verdict;
    use crate::target::{Targets, Version};

    /// The verdicts of the `wait_for` rewrites of `src`, for a project whose oldest Python is
    /// `python`.
    fn verdicts(src: &str, python: Version) -> Vec<Verdict> {
        let targets = Targets {
            python,
            ..Targets::default()
        };
        crate::engine::migrate_alone(super::ID, src, targets)
            .applied
            .iter()
            .map(|f| f.fix.verdict)
            .collect()
    }

    #[test]
    fn a_wait_for_a_signal_is_unsafe_only_where_python_3_11_runs() {
        let src = "import asyncio\nasync def f(ev, client):\n    await asyncio.wait_for(ev.wait(), 1)\n    await asyncio.wait_for(client.get(1), 1)\n";
        assert_eq!(
            verdicts(src, Version(3, 11, 0)),
            [Verdict::Unsafe, Verdict::SafeEdge]
        );
        assert_eq!(
            verdicts(src, Version(3, 12, 0)),
            [Verdict::SafeEdge, Verdict::SafeEdge]
        );
    }
}
