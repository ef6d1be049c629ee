//! asyncio-cancelled-error: `except asyncio.CancelledError` → `anyio.get_cancelled_exc_class()`, with shielded awaits (spec §10).

use super::{
    Captures, Ctx, enclosing_function, is_async_def, is_class_check_argument, on_own_line,
};
use crate::analysis::bindings::{is_binding_site, is_reference};
use crate::analysis::exceptions::{
    awaits, bound_name, caught_types, clause_block, is_cancellation_class, swallows,
};
use crate::analysis::syntax::{awaits_in, yields_in};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use tree_sitter::Node;

const ID: &str = "asyncio-cancelled-error";

messages!("asyncio-cancelled-error");

const TARGET: &str = "asyncio.CancelledError";
const CANCELLED: &str = "anyio.get_cancelled_exc_class()";
const SHIELD: &str = "with anyio.CancelScope(shield=True):";

const SWALLOW_FIX: &str = "re-raise it: end every path through the handler with `raise`\n\
or, to abandon only a sub-step: run that step in `with anyio.CancelScope() as scope:` and call `scope.cancel()`, or use `with anyio.move_on_after(delay):`";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(clause) = caps.get("clause") {
        return plan_clause(ctx, clause);
    }
    if let (Some(call), Some(object)) = (caps.get("cancel"), caps.get("object")) {
        return plan_task_cancel(ctx, call, object);
    }
    let Some(reference) = caps.get("ref") else {
        return Vec::new();
    };
    // Resolution first: it is a lookup, `is_reference` climbs the tree.
    if !ctx.is(reference, TARGET) || !is_reference(ctx.resolver, reference) {
        return Vec::new();
    }
    plan_reference(ctx, reference)
}

// ---------------------------------------------------------------- except clauses

fn plan_clause(ctx: &Ctx, clause: Node) -> Vec<Outcome> {
    let types = caught_types(clause);
    let cancelled: Vec<Node> = types
        .iter()
        .copied()
        .filter(|t| ctx.is(*t, TARGET))
        .collect();
    let Some(block) = clause_block(clause) else {
        return Vec::new();
    };
    if cancelled.is_empty() {
        return plan_catch_all(ctx, clause, &types, block);
    }
    if !in_async_def(ctx, clause) {
        return vec![
            Finding::manual(
                ID,
                "caught-outside-async",
                clause.start_byte(),
                MESSAGES.text("caught-outside-async", "problem"),
                MESSAGES.text("caught-outside-async", "advice"),
            )
            .into(),
        ];
    }
    let swallowed = swallows(ctx.code(), block, bound_name(ctx.code(), clause));
    if swallowed && (!ends_its_coroutine(ctx, clause) || cleanup_awaits(ctx, clause, block)) {
        return vec![
            Finding::manual(
                ID,
                "swallowed",
                clause.start_byte(),
                MESSAGES.text("swallowed", "problem"),
                SWALLOW_FIX,
            )
            .into(),
        ];
    }
    let mut edits: Vec<Edit> = cancelled
        .iter()
        .map(|t| Edit::replace(t.byte_range(), CANCELLED))
        .collect();
    let (mut verdict, mut notes) = if swallowed {
        (
            Verdict::Unsafe,
            vec![MESSAGES.text("swallowed", "note-at-end").to_owned()],
        )
    } else {
        (Verdict::Safe, Vec::new())
    };
    match shield_edits(ctx, block, clause) {
        Ok(more) => edits.extend(more),
        Err(why) => {
            verdict = Verdict::Unsafe;
            notes.push(format!("awaits in this handler are not shielded ({why}): under anyio they are cancelled at once; put them in `{SHIELD}`"));
        }
    }
    if let Some(finally) = finally_of(ctx, clause) {
        let Some(finally_block) = clause_block(finally) else {
            return Vec::new();
        };
        match shield_edits(ctx, finally_block, finally) {
            Ok(more) if more.is_empty() => {}
            Ok(more) => {
                edits.extend(more);
                verdict = verdict.max(Verdict::SafeEdge);
                notes.push(MESSAGES.text("except-clause", "finally-note").to_owned());
            }
            Err(why) => {
                verdict = Verdict::Unsafe;
                notes.push(format!("awaits in the `finally:` are not shielded ({why}): under anyio they are cancelled at once; put them in `{SHIELD}`"));
            }
        }
    }
    let at = cancelled[0].start_byte();
    let mut fix = if swallowed {
        Fix::new(ID, "swallowed-at-end", at, verdict, edits)
    } else {
        Fix::new(ID, "except-clause", at, verdict, edits)
    };
    if !notes.is_empty() {
        fix = fix.note(notes.join("; "));
    }
    vec![fix.into()]
}

/// A bare `except:` or `except BaseException:` also catches the cancellation: report it when
/// it can swallow it and the `try` body awaits (otherwise nothing can be cancelled there).
fn plan_catch_all(ctx: &Ctx, clause: Node, types: &[Node], block: Node) -> Vec<Outcome> {
    let bare = clause.child_by_field_name("value").is_none();
    let catches_base = types.iter().any(|t| {
        super::is_builtin(ctx, *t, "BaseException") || ctx.is(*t, "builtins.BaseException")
    });
    if !(bare || catches_base) || earlier_clause_catches_cancellation(ctx, clause) {
        return Vec::new();
    }
    let Some(try_body) = ctx
        .parent(clause)
        .and_then(|t| t.child_by_field_name("body"))
    else {
        return Vec::new();
    };
    if !awaits(ctx.code(), try_body) || !swallows(ctx.code(), block, bound_name(ctx.code(), clause))
    {
        return Vec::new();
    }
    let what = if bare {
        "`except:`"
    } else {
        "`except BaseException`"
    };
    vec![
        Finding::manual(
            ID,
            "catch-all",
            clause.start_byte(),
            MESSAGES.fill("catch-all", "problem", &[("what", what)]),
            format!("let the cancellation through first: add `except anyio.get_cancelled_exc_class(): raise` before this handler\nor {SWALLOW_FIX}"),
        )
        .into(),
    ]
}

/// A previous handler of the same `try` already takes the cancellation.
fn earlier_clause_catches_cancellation(ctx: &Ctx, clause: Node) -> bool {
    let mut cur = clause.prev_named_sibling();
    while let Some(c) = cur {
        if c.kind() == "except_clause"
            && caught_types(c)
                .iter()
                .any(|t| is_cancellation_class(ctx.code(), *t))
        {
            return true;
        }
        cur = c.prev_named_sibling();
    }
    false
}

/// The `finally:` of the `try` that owns `clause`.
fn finally_of<'t>(ctx: &Ctx<'t>, clause: Node<'t>) -> Option<Node<'t>> {
    let try_stmt = ctx.parent(clause)?;
    named_children(try_stmt).find(|c| c.kind() == "finally_clause")
}

fn in_async_def(ctx: &Ctx, node: Node) -> bool {
    enclosing_function(ctx.resolver, node).is_some_and(is_async_def)
}

// ---------------------------------------------------------------- swallowing

/// The swallowing handler's coroutine ends after its `try` without another checkpoint: the
/// `try` is a statement of the `async def`'s own body (not nested in a `with` or another
/// `try`), or of a loop there that the handler leaves (`statement_of_body`); the `try` body
/// awaits, and only calls (so the cancellation caught is this task's, not that of a Task or
/// Future it awaits or whose `result()` it reads); nothing after that statement awaits; the
/// function is not a generator.
fn ends_its_coroutine(ctx: &Ctx, clause: Node) -> bool {
    let Some(try_stmt) = ctx.parent(clause) else {
        return false;
    };
    let Some(func) = enclosing_function(ctx.resolver, clause) else {
        return false;
    };
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    if yields_in(body) {
        return false;
    }
    let Some(top) = statement_of_body(ctx, try_stmt, clause, body) else {
        return false;
    };
    let Some(try_body) = try_stmt.child_by_field_name("body") else {
        return false;
    };
    if !awaits(ctx.code(), try_body) || awaits_an_object(try_body) {
        return false;
    }
    let mut next = top.next_named_sibling();
    while let Some(stmt) = next {
        if awaits(ctx.code(), stmt) {
            return false;
        }
        next = stmt.next_named_sibling();
    }
    true
}

/// The statement of the function's `body` the swallowing path of `clause` leaves through:
/// its `try` itself, or a `while` / `for` loop (not `async for`) whose body holds the `try`
/// and which the handler leaves: its last statement is `break` or `return`, and it has no
/// `continue`.
fn statement_of_body<'t>(
    ctx: &Ctx<'t>,
    try_stmt: Node<'t>,
    clause: Node<'t>,
    body: Node,
) -> Option<Node<'t>> {
    let parent = ctx.parent(try_stmt)?;
    if parent.id() == body.id() {
        return Some(try_stmt);
    }
    let loop_stmt = ctx
        .parent(parent)
        .filter(|l| matches!(l.kind(), "while_statement" | "for_statement"))
        .filter(|l| l.child(0).is_none_or(|c| c.kind() != "async"))
        .filter(|l| {
            l.child_by_field_name("body")
                .is_some_and(|b| b.id() == parent.id())
        })
        .filter(|l| ctx.parent(*l).is_some_and(|p| p.id() == body.id()))?;
    let block = clause_block(clause)?;
    let last = named_children(block).rfind(|c| c.kind() != "comment")?;
    let leaves = matches!(last.kind(), "break_statement" | "return_statement")
        && !crate::analysis::syntax::descendants(block)
            .iter()
            .any(|n| n.kind() == "continue_statement");
    leaves.then_some(loop_stmt)
}

/// The handler (or the `finally:` of its `try`) awaits. A swallowing handler that awaits is
/// left MANUAL: the shield the rewrite would add keeps a second asyncio cancellation from
/// interrupting that await, which asyncio let through (aiojobs' `test_job_close_timeout` waits
/// for exactly that).
fn cleanup_awaits(ctx: &Ctx, clause: Node, block: Node) -> bool {
    awaits(ctx.code(), block)
        || finally_of(ctx, clause)
            .and_then(clause_block)
            .is_some_and(|b| awaits(ctx.code(), b))
}

/// An `await` of something other than a call (`await task`, `await self._fut`): the
/// `CancelledError` caught may be that Task's or Future's own, not this task's cancellation.
fn awaits_an_object(node: Node) -> bool {
    awaits_in(node)
        .into_iter()
        .any(|a| named_children(a).next().is_none_or(|v| v.kind() != "call"))
}

// ---------------------------------------------------------------- shields

/// Wrap the statements of `block` from the first that awaits to the last in
/// `with anyio.CancelScope(shield=True):`. Empty when nothing awaits.
fn shield_edits(ctx: &Ctx, block: Node, clause: Node) -> Result<Vec<Edit>, &'static str> {
    let stmts: Vec<Node> = named_children(block)
        .filter(|c| c.kind() != "comment")
        .collect();
    let awaiting: Vec<usize> = (0..stmts.len())
        .filter(|&i| awaits(ctx.code(), stmts[i]))
        .collect();
    let (Some(&first), Some(&last)) = (awaiting.first(), awaiting.last()) else {
        return Ok(Vec::new());
    };
    let (first, last) = (stmts[first], stmts[last]);
    let text = ctx.text;
    if line_start(text, block.start_byte()) <= clause.start_byte() {
        return Err("the block is on the clause's line");
    }
    if !on_own_line(text, first) || !on_own_line(text, last) {
        return Err("a statement shares its line");
    }
    let indent = line_indent(text, first.start_byte());
    let unit = indent_step(ctx, clause, indent);
    let start = line_start(text, first.start_byte());
    let mut edits = vec![Edit::insert(start, format!("{indent}{SHIELD}\n{unit}"))];
    let mut pos = start;
    while let Some(i) = text[pos..last.end_byte()].find('\n') {
        pos += i + 1;
        let line = &text[pos..text[pos..].find('\n').map_or(text.len(), |j| pos + j)];
        if line.trim().is_empty() || inside_string(ctx, pos) {
            continue;
        }
        edits.push(Edit::insert(pos, unit));
    }
    Ok(edits)
}

/// One indentation step: the file's unit, unless it mixes tabs and spaces with this block.
fn indent_step<'a>(ctx: &'a Ctx, clause: Node, body_indent: &'a str) -> &'a str {
    let unit = ctx.indent_unit;
    let tabs = body_indent.starts_with('\t');
    if body_indent.is_empty() || tabs == unit.starts_with('\t') {
        return unit;
    }
    let clause_indent = line_indent(ctx.text, clause.start_byte());
    body_indent
        .strip_prefix(clause_indent)
        .filter(|s| !s.is_empty())
        .unwrap_or(unit)
}

/// A line that starts inside a multi-line string: indenting it would change the string.
fn inside_string(ctx: &Ctx, pos: usize) -> bool {
    let mut cur = ctx.tree.root_node().descendant_for_byte_range(pos, pos);
    while let Some(n) = cur {
        if n.kind() == "string" && n.start_byte() < pos {
            return true;
        }
        cur = ctx.parent(n);
    }
    false
}

// ---------------------------------------------------------------- other references

fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    // Except clauses are planned as a whole (`plan_clause`).
    if in_except_types(ctx, reference) {
        return Vec::new();
    }
    if is_raised(ctx, reference) {
        return vec![
            Finding::manual(
                ID,
                "raised",
                reference.start_byte(),
                MESSAGES.text("raised", "problem"),
                MESSAGES.text("raised", "advice"),
            )
            .into(),
        ];
    }
    if is_class_check_argument(ctx, reference) {
        if in_async_def(ctx, reference) {
            return vec![
                Fix::new(
                    ID,
                    "isinstance-check",
                    reference.start_byte(),
                    Verdict::Safe,
                    vec![Edit::replace(reference.byte_range(), CANCELLED)],
                )
                .into(),
            ];
        }
        return vec![
            Finding::manual(
                ID,
                "check-outside-async",
                reference.start_byte(),
                "asyncio.CancelledError checked outside `async def`: `anyio.get_cancelled_exc_class()` needs a running event loop",
                "do the check in async code, against `anyio.get_cancelled_exc_class()`",
            )
            .into(),
        ];
    }
    if in_async_def(ctx, reference) && expected_by_pytest_raises(ctx, reference) {
        return vec![
            Fix::new(
                ID,
                "pytest-raises",
                reference.start_byte(),
                Verdict::SafeEdge,
                vec![Edit::replace(reference.byte_range(), CANCELLED)],
            )
            .note(MESSAGES.text("pytest-raises", "note"))
            .into(),
        ];
    }
    vec![
        Finding::manual(
            ID,
            "used-as-value",
            reference.start_byte(),
            MESSAGES.text("used-as-value", "problem"),
            MESSAGES.text("used-as-value", "advice"),
        )
        .into(),
    ]
}

/// `reference` (or the tuple it is in) is the expected exception of `pytest.raises(...)`.
fn expected_by_pytest_raises(ctx: &Ctx, reference: Node) -> bool {
    super::class_argument(ctx, reference).is_some_and(|(callee, arg, args)| {
        ctx.is(callee, "pytest.raises") && args.first().is_some_and(|a| a.id() == arg.id())
    })
}

/// `reference` is one of the classes an `except` clause names.
fn in_except_types(ctx: &Ctx, reference: Node) -> bool {
    let mut cur = ctx.parent(reference);
    while let Some(p) = cur.filter(|p| matches!(p.kind(), "tuple" | "parenthesized_expression")) {
        cur = ctx.parent(p);
    }
    cur.is_some_and(|p| {
        p.kind() == "except_clause"
            || (p.kind() == "as_pattern"
                && ctx.parent(p).is_some_and(|e| e.kind() == "except_clause"))
    })
}

/// `raise asyncio.CancelledError` or `raise asyncio.CancelledError(...)`.
fn is_raised(ctx: &Ctx, reference: Node) -> bool {
    let mut node = reference;
    if let Some(call) = ctx.parent(node).filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == reference.id())
    }) {
        node = call;
    }
    ctx.parent(node).is_some_and(|p| {
        p.kind() == "raise_statement" && p.named_child(0).is_some_and(|c| c.id() == node.id())
    })
}

// ---------------------------------------------------------------- task.cancel()

/// `task.cancel()` where `task` is provably an asyncio Task: `asyncio.current_task()`, or a
/// name bound once in its function, by `asyncio.create_task(...)` / `ensure_future(...)`.
fn plan_task_cancel(ctx: &Ctx, call: Node, object: Node) -> Vec<Outcome> {
    let is_task = match object.kind() {
        "call" => object
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.current_task")),
        "identifier" => bound_once_to_task(ctx, object),
        _ => false,
    };
    if !is_task {
        return Vec::new();
    }
    vec![
        Finding::manual(
            ID,
            "task-cancel",
            call.start_byte(),
            MESSAGES.text("task-cancel", "problem"),
            MESSAGES.text("task-cancel", "advice"),
        )
        .into(),
    ]
}

fn bound_once_to_task(ctx: &Ctx, name_node: Node) -> bool {
    let name = ctx.text_of(name_node);
    let scope = enclosing_function(ctx.resolver, name_node).unwrap_or_else(|| ctx.tree.root_node());
    if scope.kind() == "lambda" {
        return false;
    }
    let mut stores = Vec::new();
    let mut stack: Vec<Node> = named_children(scope).collect();
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" && ctx.text_of(n) == name && is_binding_site(ctx.resolver, n) {
            stores.push(n);
        }
        match n.kind() {
            // Nested scopes bind their own names; a nested def's name is bound here.
            "function_definition" | "class_definition" => {
                if let Some(inner) = n.child_by_field_name("name")
                    && ctx.text_of(inner) == name
                {
                    stores.push(inner);
                }
            }
            "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {}
            _ => stack.extend(named_children(n)),
        }
    }
    let [store] = stores.as_slice() else {
        return false;
    };
    let Some(assignment) = ctx.parent(*store).filter(|p| p.kind() == "assignment") else {
        return false;
    };
    let is_left = assignment
        .child_by_field_name("left")
        .is_some_and(|l| l.id() == store.id());
    let value = assignment.child_by_field_name("right");
    is_left
        && value.is_some_and(|v| {
            v.kind() == "call"
                && v.child_by_field_name("function").is_some_and(|f| {
                    ctx.is(f, "asyncio.create_task") || ctx.is(f, "asyncio.ensure_future")
                })
        })
}
