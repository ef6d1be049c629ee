//! pytest-asyncio's recipe for running every test in one session loop (its how-to guide "Run
//! all tests in the session in the same event loop"): a `pytest_collection_modifyitems` hook
//! that gives each async test `pytest.mark.asyncio(loop_scope="session")`, found through
//! `pytest_asyncio.is_async_test`. anyio's plugin has no loop scope: the hook is deleted
//! (UNSAFE, with the marker argument's note: tests share a loop only while a higher-scoped async
//! fixture keeps it running, which a session-scoped async fixture, the usual reason for the
//! recipe, does for the whole session).
//!
//! Recognised only when the hook does nothing else. Each statement of its body (a docstring
//! aside) is one of:
//! - `tests = (item for item in items if is_async_test(item))` (or a list comprehension);
//! - `marker = pytest.mark.asyncio(...)`;
//! - `for t in tests: t.add_marker(marker, ...)` over such a comprehension or its name, the
//!   marker given by name or written out, or `for item in items: if is_async_test(item):
//!   item.add_marker(...)`.
//!
//! Anything else (another marker, another statement) leaves the hook alone, and its use of
//! `is_async_test` stays a blocker.

use super::MESSAGES;
use super::references::fix;
use crate::analysis::syntax::working_statements;
use crate::codemods::{Ctx, call_args};
use crate::edit::{Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// The deletion of the hook `func` (its definition `def`, with decorators) when it is the recipe.
pub(super) fn plan(ctx: &Ctx, func: Node, def: Node) -> Option<Outcome> {
    let body = func.child_by_field_name("body")?;
    let mut tests: Vec<&str> = Vec::new();
    let mut markers: Vec<&str> = Vec::new();
    let mut marked = false;
    for s in working_statements(body) {
        match s.kind() {
            "expression_statement" => {
                let a = s.named_child(0).filter(|a| a.kind() == "assignment")?;
                let name = a
                    .child_by_field_name("left")
                    .filter(|l| l.kind() == "identifier")?;
                let value = a.child_by_field_name("right")?;
                if is_marker(ctx, value) {
                    markers.push(ctx.text_of(name));
                } else if async_tests(ctx, value) {
                    tests.push(ctx.text_of(name));
                } else {
                    return None;
                }
            }
            "for_statement" => {
                if !marks_each(ctx, s, &tests, &markers) {
                    return None;
                }
                marked = true;
            }
            _ => return None,
        }
    }
    if !marked {
        return None;
    }
    Some(fix(
        def,
        "session-loop-hook",
        Verdict::Unsafe,
        vec![super::fixtures::delete_definition(ctx, def)],
        Some(MESSAGES.text("session-loop-hook", "note").to_owned()),
    ))
}

/// `pytest.mark.asyncio(...)` (called: a marker with its loop scope).
fn is_marker(ctx: &Ctx, node: Node) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "pytest.mark.asyncio"))
}

/// `(x for x in items if is_async_test(x))` or the list comprehension: the async tests.
fn async_tests(ctx: &Ctx, node: Node) -> bool {
    if !matches!(node.kind(), "generator_expression" | "list_comprehension") {
        return false;
    }
    let Some(var) = node
        .child_by_field_name("body")
        .filter(|b| b.kind() == "identifier")
    else {
        return false;
    };
    let clauses: Vec<Node> = named_children(node).skip(1).collect();
    let [for_in, cond] = clauses[..] else {
        return false;
    };
    for_in.kind() == "for_in_clause"
        && for_in
            .child_by_field_name("left")
            .is_some_and(|l| ctx.text_of(l) == ctx.text_of(var))
        && cond.kind() == "if_clause"
        && cond
            .named_child(0)
            .is_some_and(|c| is_async_test_of(ctx, c, ctx.text_of(var)))
}

/// `is_async_test(var)`, pytest-asyncio's.
fn is_async_test_of(ctx: &Ctx, node: Node, var: &str) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "pytest_asyncio.is_async_test"))
        && matches!(call_args(node)[..], [a] if ctx.text_of(a) == var)
}

/// `for t in TESTS: t.add_marker(MARKER, ...)`, or over any iterable with the body
/// `if is_async_test(t): t.add_marker(MARKER, ...)`.
fn marks_each(ctx: &Ctx, stmt: Node, tests: &[&str], markers: &[&str]) -> bool {
    let (Some(var), Some(over), Some(body)) = (
        stmt.child_by_field_name("left")
            .filter(|l| l.kind() == "identifier"),
        stmt.child_by_field_name("right"),
        stmt.child_by_field_name("body"),
    ) else {
        return false;
    };
    if stmt.child_by_field_name("alternative").is_some() {
        return false;
    }
    let var = ctx.text_of(var);
    let [only] = working_statements(body)[..] else {
        return false;
    };
    let filtered = tests.contains(&ctx.text_of(over)) || async_tests(ctx, over);
    if filtered {
        return adds_marker(ctx, only, var, markers);
    }
    // `if is_async_test(t): t.add_marker(...)`, no `else`.
    let (Some(cond), Some(then)) = (
        only.child_by_field_name("condition"),
        only.child_by_field_name("consequence"),
    ) else {
        return false;
    };
    let plain_if =
        only.kind() == "if_statement" && only.child_by_field_name("alternative").is_none();
    let [add] = working_statements(then)[..] else {
        return false;
    };
    plain_if && is_async_test_of(ctx, cond, var) && adds_marker(ctx, add, var, markers)
}

/// `var.add_marker(MARKER, ...)` as a statement, MARKER a marker name or written out.
fn adds_marker(ctx: &Ctx, stmt: Node, var: &str, markers: &[&str]) -> bool {
    let Some(call) = stmt
        .named_child(0)
        .filter(|_| stmt.kind() == "expression_statement")
    else {
        return false;
    };
    let Some((object, method)) = crate::analysis::syntax::method_call(call) else {
        return false;
    };
    let marker = call_args(call)
        .first()
        .is_some_and(|m| markers.contains(&ctx.text_of(*m)) || is_marker(ctx, *m));
    ctx.text_of(object) == var && ctx.text_of(method) == "add_marker" && marker
}
