//! asyncio-timeout: `wait_for`, `asyncio.timeout`/`timeout_at` and `async_timeout` → anyio's `fail_after` / `fail_at` / `move_on_after` (spec §5).

use super::shared::block::{self, Refusal};
use super::shared::messages::PATCH_HINT;
use super::shared::statements::{
    claim, comments_in, indent_line_starts, unwrap_call, wrap_statement,
};
use super::shared::timeouts::{
    TimeoutKind, is_task_call, keep_running_fix, patched_asyncio, shield_argument,
};
use super::{
    Captures, Ctx, awaited_by, call_args, enclosing_statement, fresh_name, keyword_arg,
    non_negative_literal, on_own_line, positional_args,
};
use crate::analysis::syntax::{
    awaits_in, descendants, is_statement_value, only_await, outer_parentheses,
};
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use std::ops::Range;
use tree_sitter::Node;

const ID: &str = "asyncio-timeout";

const TASK_FIX: &str = "time out the work itself: `with anyio.fail_after(t):` around `await <the coroutine call the task runs>` (a plain coroutine object can be awaited there as it is)\n\
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
            &format!(
                "this test patches `asyncio.{api}`: once the code under test is migrated it calls {replacement} instead, so the patch no longer takes effect"
            ),
            PATCH_HINT,
        )];
    }
    let Some(path) = ctx.qualified(callee) else {
        return conditional_import(ctx, callee, callee);
    };
    if path == "asyncio.wait_for" {
        return plan_wait_for(ctx, call);
    }
    match TimeoutKind::of(&path) {
        Some(kind) => plan_timeout(ctx, call, callee, kind),
        None => Vec::new(),
    }
}

fn manual(at: Node, why: &str, fix: &str) -> Outcome {
    Finding::manual(ID, at.start_byte(), why, fix).into()
}

/// `asyncio.wait_for` or a timeout factory passed around as a value.
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some(path) = ctx.qualified(reference) else {
        return Vec::new();
    };
    if path != "asyncio.wait_for" && TimeoutKind::of(&path).is_none() {
        return Vec::new();
    }
    vec![manual(
        reference,
        &format!(
            "{path} passed as a value: anyio's timeouts are `with` blocks, not callables that wrap an awaitable"
        ),
        VALUE_FIX,
    )]
}

// ---------------------------------------------------------------- wait_for

/// `(fut, timeout)` of a `wait_for` call, when those are exactly its arguments.
fn wait_for_args<'t>(ctx: &Ctx, call: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
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

fn plan_wait_for(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let Some((fut, timeout)) = wait_for_args(ctx, call) else {
        return vec![manual(
            call,
            "asyncio.wait_for called with unpacked or unknown arguments",
            "`with anyio.fail_after(timeout):` around `await <the awaited call>`",
        )];
    };
    if let Some(inner) = shield_argument(ctx, fut) {
        return vec![manual(
            call,
            "asyncio.wait_for(asyncio.shield(...)) times out the wait but keeps the work running; `with anyio.fail_after(t): with anyio.CancelScope(shield=True): ...` cannot interrupt the work and may raise no TimeoutError at all",
            &keep_running_fix(ctx, inner, Some(timeout)),
        )];
    }
    if fut.kind() != "call" || is_task_call(ctx, fut) {
        return vec![manual(
            call,
            "asyncio.wait_for on a Task or Future (or a value that may be one): on timeout it cancelled that task, `with anyio.fail_after(t): await handle` would leave it running",
            TASK_FIX,
        )];
    }
    let no_timeout = timeout.kind() == "none";
    let Some(awaited) = awaited_by(call) else {
        if no_timeout {
            return inline_without_timeout(ctx, call, fut);
        }
        return vec![manual(
            call,
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
            "an argument of asyncio.wait_for awaits: under `fail_after` that await would be timed too",
            "evaluate the awaited argument into a variable first, then re-run",
        )];
    }
    let top = outer_parentheses(awaited);
    let Some(stmt) = enclosing_statement(top) else {
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

/// `asyncio.wait_for(f(), None)` → `f()`: no deadline, and `wait_for` awaited it inline.
fn inline_without_timeout(ctx: &Ctx, call: Node, fut: Node) -> Vec<Outcome> {
    let (mut edits, comments) = unwrap_call(ctx, call, fut, None);
    if !comments.is_empty() {
        let Some(stmt) = enclosing_statement(call) else {
            return Vec::new();
        };
        match block::insert_before(ctx, stmt, &comments) {
            Ok(edit) => edits.push(edit),
            Err(why) => {
                return vec![manual(
                    call,
                    why,
                    "replace `asyncio.wait_for(f(), None)` with `f()`",
                )];
            }
        }
    }
    vec![
        Fix::new(ID, call.start_byte(), Verdict::Safe, edits)
            .needs_only(&[])
            .into(),
    ]
}

/// When the deadline passes, asyncio delivers one `CancelledError`; anyio's scope keeps
/// cancelling every await inside it (spec §10, B3). aiotools' `gather_safe` under
/// `asyncio.timeout(0.35)` waits for its cancelled children in its own `__aexit__`: under
/// `anyio.fail_after` that wait is cancelled again and the children's cleanup is cut short.
const LEVEL_NOTE: &str = "after the deadline the cancellation is level-triggered: awaits made while handling it (cleanup in `except CancelledError` / `finally`, also in the code the block calls, such as an asyncio task group or scope waiting for its cancelled children) are cancelled again unless shielded, where asyncio delivered one CancelledError";

/// The note for a `wait_for` turned into a `fail_after` / `move_on_after` block.
fn wait_for_note(ctx: &Ctx, timeout: Node, swallowed: bool) -> String {
    let mut note = format!(
        "wait_for → anyio timeout block: the coroutine now runs in the caller's task, so its ContextVar changes are visible afterwards (Python <= 3.11 ran it in a separate task); {LEVEL_NOTE}",
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

/// `await wait_for(f(), t)` / `x = await ...` / `return await ...` → a `fail_after` block.
fn statement_form(ctx: &Ctx, call: Node, fut: Node, timeout: Node, stmt: Node) -> Vec<Outcome> {
    let (inner, comments) = unwrap_call(ctx, call, fut, Some(&timeout.byte_range()));
    let header = format!("with anyio.fail_after({}):", ctx.text_of(timeout));
    match wrap_statement(ctx, stmt, &header, &comments, inner) {
        Ok(edits) => vec![
            Fix::new(ID, call.start_byte(), Verdict::SafeEdge, edits)
                .note(wait_for_note(ctx, timeout, false))
                .into(),
        ],
        Err(why) => vec![manual(
            call,
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
fn move_on_form(ctx: &Ctx, call: Node, fut: Node, timeout: Node, stmt: Node) -> Option<Outcome> {
    let body = stmt.parent()?;
    let try_stmt = body.parent().filter(|p| p.kind() == "try_statement")?;
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
    Some(
        Fix::new(ID, call.start_byte(), Verdict::SafeEdge, edits)
            .note(wait_for_note(ctx, timeout, true))
            .into(),
    )
}

/// `except TimeoutError: pass` (or asyncio's `TimeoutError`, or a tuple of them; `as e` allowed).
fn ignores_timeout(ctx: &Ctx, handler: Node) -> bool {
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
fn is_timeout_class(ctx: &Ctx, node: Node) -> bool {
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
fn whole_lines(ctx: &Ctx, node: Node) -> Option<Range<usize>> {
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
fn hoist(ctx: &Ctx, call: Node, fut: Node, timeout: Node, top: Node, stmt: Node) -> Vec<Outcome> {
    if let Err(why) = hoistable(ctx, top, stmt) {
        return vec![manual(
            call,
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
        Fix::new(ID, call.start_byte(), Verdict::Unsafe, edits)
            .note("wait_for inside a larger expression: hoisted into `with anyio.fail_after(...)` before the statement, so the timed wait now runs before the statement's other sub-expressions (evaluation order changed)")
            .into(),
    ]
}

/// Every `asyncio.wait_for(...)` call inside `node`.
fn wait_for_calls<'t>(ctx: &Ctx, node: Node<'t>) -> Vec<Node<'t>> {
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
fn will_hoist(ctx: &Ctx, call: Node, stmt: Node) -> bool {
    let Some((fut, timeout)) = wait_for_args(ctx, call) else {
        return false;
    };
    let Some(awaited) = awaited_by(call) else {
        return false;
    };
    fut.kind() == "call"
        && timeout.kind() != "none"
        && shield_argument(ctx, fut).is_none()
        && !is_task_call(ctx, fut)
        && awaits_in(call).is_empty()
        && hoistable(ctx, outer_parentheses(awaited), stmt).is_ok()
}

/// Can the await `top` be evaluated before `stmt` without changing whether (or how often) it
/// runs?
fn hoistable(ctx: &Ctx, top: Node, stmt: Node) -> Result<(), Refusal> {
    if !on_own_line(ctx.text, stmt) {
        return Err("asyncio.wait_for in a statement that shares its line");
    }
    let within = |field: Option<Node>| field.is_some_and(|f| contains(f, top));
    let evaluated_once = match stmt.kind() {
        "expression_statement" | "return_statement" | "raise_statement" => true,
        "if_statement" => within(stmt.child_by_field_name("condition")),
        "for_statement" => within(stmt.child_by_field_name("right")),
        "with_statement" => within(named_children(stmt).find(|c| c.kind() == "with_clause")),
        _ => false,
    };
    if !evaluated_once {
        return Err(
            "asyncio.wait_for in a condition that is evaluated again or only sometimes (`while`, `elif`, ...): it cannot be moved before the statement",
        );
    }
    let mut child = top;
    let mut cur = top.parent();
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
        cur = n.parent();
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

// ---------------------------------------------------------------- timeout blocks

/// `async with asyncio.timeout(t) as cm:` → `with anyio.fail_after(t) as cm:`, with the uses of
/// `cm` mapped onto anyio's `CancelScope`.
fn plan_timeout(ctx: &Ctx, call: Node, callee: Node, kind: TimeoutKind) -> Vec<Outcome> {
    let name = kind.spelling();
    let fix_text = format!("`with {}(...) as cm:` directly", kind.replacement());
    let (item, alias, with_stmt) = match async_with_item(call) {
        Ok(found) => found,
        Err(why) => return vec![manual(call, &format!("{name}(...) {why}"), &fix_text)],
    };
    let positional = positional_args(call);
    let keyword = keyword_arg(call, ctx.text, kind.parameter());
    if call_args(call).len() != 1 || (positional.len() != 1 && keyword.is_none()) {
        return vec![manual(
            call,
            &format!("{name}(...) called with unpacked or unknown arguments"),
            &fix_text,
        )];
    }
    if let Some(closing) = closes_async_generator(ctx, with_stmt) {
        return vec![manual(
            closing,
            &format!(
                "`{}(...)` closes an async generator inside the {name}(...) block: its cleanup runs after the deadline, and under anyio every await of that cleanup is cancelled again (asyncio delivered one CancelledError), so the generator's cleanup (e.g. a task group waiting for its children) is cut short or retried",
                closing
                    .child_by_field_name("function")
                    .map_or("aclosing", |f| ctx.text_of(f))
            ),
            CLOSING_HINT,
        )];
    }
    let mut item_edits = vec![Edit::replace(callee.byte_range(), kind.replacement())];
    if let Some(value) = keyword
        && kind.at
        && !kind.package
        && let Some(key) = value.parent().and_then(|kw| kw.child_by_field_name("name"))
    {
        // asyncio.timeout_at(when=...) → anyio.fail_at(deadline=...).
        item_edits.push(Edit::replace(key.byte_range(), "deadline"));
    }
    let mut uses = CmUses::default();
    if let Some(alias) = alias {
        let target = named_children(alias).find(|c| c.kind() != "comment");
        let Some(target) = target.filter(|t| t.kind() == "identifier") else {
            return vec![manual(
                call,
                &format!("the {name}(...) object is stored in something other than a plain name"),
                &fix_text,
            )];
        };
        if let Err(why) = cm_uses(ctx, target, kind, &mut uses) {
            return vec![manual(call, &why, CM_FIX)];
        }
    }
    let mut edits = std::mem::take(&mut uses.edits);
    match header_edits(ctx, with_stmt, item, item_edits) {
        Ok(more) => edits.extend(more),
        Err(why) => {
            return vec![manual(
                call,
                why,
                &format!(
                    "split the `async with` into nested blocks and use `with {}(...)` for the timeout",
                    kind.replacement()
                ),
            )];
        }
    }
    let mut fix = Fix::new(ID, call.start_byte(), Verdict::SafeEdge, edits)
        .note(timeout_note(kind, &uses.notes));
    if uses.math {
        fix = fix.with_imports(&[Import::Math]);
    }
    vec![fix.into()]
}

/// The `with_item` a timeout call is, its `as` target, and the `async with` statement.
fn async_with_item(call: Node) -> Result<(Node, Option<Node>, Node), &'static str> {
    const NOT_AN_ITEM: &str =
        "is not used directly as an `async with` item: anyio's timeouts are plain `with` blocks";
    let parent = call.parent().ok_or(NOT_AN_ITEM)?;
    let (item, alias) = match parent.kind() {
        "with_item" => (parent, None),
        "as_pattern" if parent.named_child(0).is_some_and(|c| c.id() == call.id()) => {
            let item = parent
                .parent()
                .filter(|g| g.kind() == "with_item")
                .ok_or(NOT_AN_ITEM)?;
            (item, parent.child_by_field_name("alias"))
        }
        _ => return Err(NOT_AN_ITEM),
    };
    let with_stmt = item
        .parent()
        .and_then(|clause| clause.parent())
        .filter(|w| w.kind() == "with_statement")
        .ok_or(NOT_AN_ITEM)?;
    if children(with_stmt)
        .next()
        .is_none_or(|c| c.kind() != "async")
    {
        return Err("in a plain `with`: it is an async context manager");
    }
    Ok((item, alias, with_stmt))
}

/// `async with` → `with` for a single item; nested blocks for several.
fn header_edits(
    ctx: &Ctx,
    with_stmt: Node,
    item: Node,
    item_edits: Vec<Edit>,
) -> Result<Vec<Edit>, Refusal> {
    let items: Vec<Node> = item
        .parent()
        .map(|clause| {
            named_children(clause)
                .filter(|c| c.kind() == "with_item")
                .collect()
        })
        .unwrap_or_default();
    if items.len() == 1 {
        let (Some(async_kw), Some(with_kw)) =
            (children(with_stmt).next(), children(with_stmt).nth(1))
        else {
            return Err("unexpected `async with` shape");
        };
        let mut edits = vec![Edit::delete(async_kw.start_byte()..with_kw.start_byte())];
        edits.extend(item_edits);
        return Ok(edits);
    }
    let k = items
        .iter()
        .position(|i| i.id() == item.id())
        .ok_or("unexpected `async with` shape")?;
    let new_item = crate::edit::splice_within(ctx.text, item.byte_range(), &item_edits);
    split_with(ctx, with_stmt, &items, k, &new_item)
}

const CLOSING_HINT: &str = "close the generator outside the timeout block (`async with aclosing(ag) as ag:` around `with anyio.fail_after(t):`), or shield its cleanup (`with anyio.CancelScope(shield=True): await ag.aclose()`), then use `with anyio.fail_after(t):`";

/// An `aclosing(...)` item among the block's own items or in an `async with` of its body (not
/// in a nested function): aiotools' `test_as_completed_safe_timeout_in_middle` closes its
/// `as_completed_safe()` generator inside `asyncio.timeout(0.15)`; under `anyio.fail_after`
/// the generator's task scope, waiting for its cancelled children, is cancelled over and over
/// (the test went from 0.01 s to 20 s, and sometimes hung).
fn closes_async_generator<'t>(ctx: &Ctx, with_stmt: Node<'t>) -> Option<Node<'t>> {
    let mut stack = vec![with_stmt];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "call"
                if n.parent()
                    .is_some_and(|p| matches!(p.kind(), "with_item" | "as_pattern")) =>
            {
                let closing = n.child_by_field_name("function").is_some_and(|f| {
                    let name = match f.kind() {
                        "attribute" => f
                            .child_by_field_name("attribute")
                            .map_or("", |a| ctx.text_of(a)),
                        _ => ctx.text_of(f),
                    };
                    name == "aclosing"
                });
                if closing {
                    return Some(n);
                }
            }
            _ => {}
        }
        stack.extend(named_children(n));
    }
    None
}

fn timeout_note(kind: TimeoutKind, extra: &[&str]) -> String {
    let mut note = format!(
        "{} → {}: a plain `with`; the timed-out body sees the backend's cancellation exception (trio.Cancelled on trio); {LEVEL_NOTE}",
        kind.spelling(),
        kind.replacement()
    );
    if kind.at {
        note.push_str("; the deadline is read on anyio.current_time()'s clock, whose origin on trio is not loop.time()'s");
    }
    for e in extra {
        note.push_str("; ");
        note.push_str(e);
    }
    note
}

const CM_FIX: &str = "anyio's CancelScope offers: `cm.deadline` (read or assign; inf when there is none), `cm.cancel_called` (the deadline fired), `cm.cancelled_caught`, `cm.cancel()`; rewrite the other uses by hand";

/// The rewritten uses of a timeout object, and what they change.
#[derive(Default)]
struct CmUses {
    edits: Vec<Edit>,
    notes: Vec<&'static str>,
    math: bool,
}

/// Map the uses of the timeout object bound to `target` (up to the next `with ... as` of
/// the same name) onto `CancelScope`: `when()` → `deadline`, `reschedule(x)` → `deadline = x`,
/// `expired()` → `cancel_called`.
fn cm_uses(ctx: &Ctx, target: Node, kind: TimeoutKind, out: &mut CmUses) -> Result<(), String> {
    let name = ctx.text_of(target);
    let refs = ctx.resolver.references(ctx.tree, name, target);
    let is_with_binding = |n: Node| {
        n.parent().is_some_and(|p| p.kind() == "as_pattern_target")
            && n.parent()
                .and_then(|p| p.parent())
                .and_then(|p| p.parent())
                .is_some_and(|p| p.kind() == "with_item")
    };
    let mut owner: Option<usize> = None;
    for r in refs {
        if is_with_binding(r) {
            owner = Some(r.id());
            continue;
        }
        if owner.is_none() {
            return Err(format!(
                "`{name}` is used before the {} block binds it",
                kind.spelling()
            ));
        }
        if owner != Some(target.id()) {
            continue;
        }
        map_use(ctx, r, name, kind, out)?;
    }
    Ok(())
}

fn map_use(
    ctx: &Ctx,
    ident: Node,
    name: &str,
    kind: TimeoutKind,
    out: &mut CmUses,
) -> Result<(), String> {
    let escapes = || {
        format!("the timeout object `{name}` is used in a way anyio's CancelScope does not support")
    };
    let attr = ident
        .parent()
        .filter(|p| {
            p.kind() == "attribute"
                && p.child_by_field_name("object")
                    .is_some_and(|o| o.id() == ident.id())
        })
        .ok_or_else(escapes)?;
    let member = attr
        .child_by_field_name("attribute")
        .map(|a| ctx.text_of(a))
        .unwrap_or_default();
    let call = attr.parent().filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == attr.id())
    });
    let unsupported = || format!("`{name}.{member}` has no anyio CancelScope equivalent");
    let Some(call) = call else {
        return map_attribute(attr, name, member, kind, out).ok_or_else(unsupported);
    };
    if !comments_in(ctx, call.byte_range(), None).is_empty() {
        return Err(format!("a comment inside `{name}.{member}(...)`"));
    }
    let args = call_args(call);
    let statement = call
        .parent()
        .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1);
    match (member, args.as_slice()) {
        ("when", []) => {
            out.edits
                .push(Edit::replace(call.byte_range(), format!("{name}.deadline")));
            push_note(
                out,
                "`cm.when()` → `cm.deadline` is inf, not None, without a deadline",
            );
        }
        ("expired", []) => {
            // cancel_called, not cancelled_caught: like expired() it is set as soon as the
            // deadline fires, inside the block too, and when the body swallows the cancellation.
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.cancel_called"),
            ));
        }
        ("reschedule" | "update", [arg])
            if statement && (member == "reschedule" || kind.package) =>
        {
            let value = match arg.kind() {
                "keyword_argument" => arg.child_by_field_name("value").ok_or_else(unsupported)?,
                "list_splat" | "dictionary_splat" => return Err(unsupported()),
                _ => *arg,
            };
            let text = if value.kind() == "none" {
                out.math = true;
                "math.inf".to_owned()
            } else {
                // Arithmetic and number literals are never None; a name or a call may be.
                if !matches!(
                    value.kind(),
                    "binary_operator" | "integer" | "float" | "unary_operator"
                ) {
                    push_note(
                        out,
                        "`cm.deadline = x` raises TypeError when x is None (reschedule(None) removed the deadline)",
                    );
                }
                ctx.text_of(value).to_owned()
            };
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline = {text}"),
            ));
        }
        ("reject", []) if statement && kind.package => {
            out.math = true;
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline = math.inf"),
            ));
        }
        ("shift", [delay]) if statement && kind.package && delay.kind() != "keyword_argument" => {
            push_note(
                out,
                "`cm.deadline += d` on a timeout without deadline leaves it inf (shift() raised RuntimeError)",
            );
            out.edits.push(Edit::replace(
                call.byte_range(),
                format!("{name}.deadline += {}", ctx.text_of(*delay)),
            ));
        }
        _ => return Err(unsupported()),
    }
    Ok(())
}

/// `cm.expired` / `cm.deadline` read as properties (`async_timeout`'s spelling).
fn map_attribute(
    attr: Node,
    name: &str,
    member: &str,
    kind: TimeoutKind,
    out: &mut CmUses,
) -> Option<()> {
    match member {
        "expired" if kind.package => {
            out.edits.push(Edit::replace(
                attr.byte_range(),
                format!("{name}.cancel_called"),
            ));
        }
        "deadline" if kind.package => {
            push_note(out, "`cm.deadline` is inf, not None, without a deadline");
        }
        _ => return None,
    }
    Some(())
}

fn push_note(out: &mut CmUses, note: &'static str) {
    if !out.notes.contains(&note) {
        out.notes.push(note);
    }
}

/// `async with a, asyncio.timeout(t), b:` → nested `async with a:` / `with fail_after(t):` /
/// `async with b:` blocks (the same meaning), the body indented to match.
fn split_with(
    ctx: &Ctx,
    with_stmt: Node,
    items: &[Node],
    k: usize,
    new_item: &str,
) -> Result<Vec<Edit>, Refusal> {
    let (Some(colon), Some(body)) = (
        children(with_stmt).find(|c| c.kind() == ":"),
        with_stmt.child_by_field_name("body"),
    ) else {
        return Err("unexpected `async with` shape");
    };
    if !comments_in(ctx, with_stmt.start_byte()..colon.end_byte(), None).is_empty() {
        return Err("a comment inside a multi-item `async with` header");
    }
    if body.start_position().row == colon.start_position().row
        || !ctx.text[line_start(ctx.text, with_stmt.start_byte())..with_stmt.start_byte()]
            .trim()
            .is_empty()
    {
        return Err("the `async with` shares its line with its body or another statement");
    }
    let indent = line_indent(ctx.text, with_stmt.start_byte());
    let step = block::step_for(ctx, indent);
    let join = |nodes: &[Node]| {
        nodes
            .iter()
            .map(|n| ctx.text_of(*n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut headers = Vec::new();
    if k > 0 {
        headers.push(format!("async with {}:", join(&items[..k])));
    }
    headers.push(format!("with {new_item}:"));
    if k + 1 < items.len() {
        headers.push(format!("async with {}:", join(&items[k + 1..])));
    }
    let mut text = String::new();
    for (depth, header) in headers.iter().enumerate() {
        if depth > 0 {
            text.push('\n');
            text.push_str(indent);
            text.push_str(&step.repeat(depth));
        }
        text.push_str(header);
    }
    // From the line start: an outer fix that indents this line clashes with ours (see `claim`).
    let mut edits = vec![Edit::replace(
        line_start(ctx.text, with_stmt.start_byte())..colon.end_byte(),
        format!("{indent}{text}"),
    )];
    let body_start = line_start(ctx.text, body.start_byte());
    edits.extend(indent_line_starts(
        ctx,
        body_start,
        body.end_byte(),
        &step.repeat(headers.len() - 1),
    ));
    Ok(edits)
}

// ---------------------------------------------------------------- async_timeout import

/// `import async_timeout` (or `from async_timeout import timeout`) left without a reference
/// after the rewrites: the engine's import pass only removes asyncio imports.
/// A name bound to a timeout API by one of several conditional imports (aiojobs: `from asyncio
/// import timeout as asyncio_timeout` on 3.11+, `from async_timeout import ...` before): which
/// one runs is decided when the program runs, so neither the calls nor the imports are
/// rewritten. Reported at each call and at each such import (`at`).
fn conditional_import(ctx: &Ctx, name: Node, at: Node) -> Vec<Outcome> {
    super::conditional_import(
        ctx,
        ID,
        name,
        at,
        |c| c == "asyncio.wait_for" || TimeoutKind::of(c).is_some(),
        "anyio replaces them all (`with anyio.fail_after(delay):` for timeout(delay), `with anyio.fail_at(when):` for timeout_at(when)): replace each call and delete the conditional imports",
    )
    .into_iter()
    .collect()
}

fn plan_import(ctx: &Ctx, import: Node) -> Vec<Outcome> {
    if import.kind() == "import_from_statement" {
        let conditional: Vec<Outcome> = super::from_import_bound_names(import)
            .into_iter()
            .flat_map(|n| conditional_import(ctx, n, import))
            .collect();
        if !conditional.is_empty() {
            return conditional;
        }
    }
    let mut bound = Vec::new();
    match import.kind() {
        "import_statement" => {
            for n in named_children(import) {
                let (path, alias) = match n.kind() {
                    "dotted_name" => (n, n),
                    "aliased_import" => match (
                        n.child_by_field_name("name"),
                        n.child_by_field_name("alias"),
                    ) {
                        (Some(p), Some(a)) => (p, a),
                        _ => return Vec::new(),
                    },
                    _ => continue,
                };
                if ctx.text_of(path) != "async_timeout" {
                    return Vec::new();
                }
                bound.push(ctx.text_of(alias));
            }
        }
        "import_from_statement" => {
            let module = import.child_by_field_name("module_name");
            if module.is_none_or(|m| ctx.text_of(m) != "async_timeout") {
                return Vec::new();
            }
            let mut cursor = import.walk();
            for n in import.children_by_field_name("name", &mut cursor) {
                let alias = match n.kind() {
                    "aliased_import" => n.child_by_field_name("alias"),
                    _ => Some(n),
                };
                let Some(alias) = alias else {
                    return Vec::new();
                };
                bound.push(ctx.text_of(alias));
            }
        }
        _ => return Vec::new(),
    }
    // Only once our rewrites are in the file: an import unused from the start is not ours.
    let rewritten = ctx.text.contains("anyio.fail_a") || ctx.text.contains("anyio.move_on_a");
    if bound.is_empty() || !rewritten {
        return Vec::new();
    }
    let used = bound.iter().any(|name| {
        ctx.resolver
            .references(ctx.tree, name, import)
            .iter()
            .any(|r| !contains(import, *r))
            || mentioned_in_code_string(ctx, name)
    });
    let Some(lines) = whole_lines(ctx, import).filter(|_| !used) else {
        return Vec::new();
    };
    let alone_in_block = import.parent().is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    if alone_in_block || !comments_in(ctx, lines.clone(), None).is_empty() {
        return Vec::new();
    }
    vec![
        Fix::new(
            ID,
            import.start_byte(),
            Verdict::Safe,
            vec![Edit::delete(lines)],
        )
        .needs_only(&[])
        .into(),
    ]
}

/// A string that mentions `word` and may be code (an annotation, `__all__`, a doctest): prose
/// docstrings do not count.
fn mentioned_in_code_string(ctx: &Ctx, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    descendants(ctx.tree.root_node()).into_iter().any(|s| {
        let text = ctx.text_of(s);
        let docstring = s
            .parent()
            .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
            && !text.contains(">>>");
        s.kind() == "string"
            && !docstring
            && text.match_indices(word).any(|(i, _)| {
                !text[..i].chars().next_back().is_some_and(is_ident)
                    && !text[i + word.len()..].chars().next().is_some_and(is_ident)
            })
    })
}

/// All children (anonymous tokens included).
fn children(node: Node) -> std::vec::IntoIter<Node> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect::<Vec<_>>().into_iter()
}

fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}
