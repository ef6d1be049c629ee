//! Exceptions caught: where an exception raised at a node can be caught, which classes an
//! `except` clause names, and whether a cancellation handler swallows the cancellation or
//! awaits outside a shield.

use super::Code;
use super::syntax::{any_item_call, field_is, item_pattern, keyword_arg, last_name};
use crate::resolve::named_children;
use tree_sitter::Node;

const TARGET: &str = "asyncio.CancelledError";

/// `node` is where an exception it raises can be caught within `region`: in the body of a
/// `try` with an `except` clause, or of `with suppress(...)` / `with pytest.raises(...)`
/// (`assertRaises`, ...).
pub fn under_except(code: Code, node: Node, region: Node) -> bool {
    !catchers(code, node, region).is_empty()
}

/// The statements that can catch an exception `node` raises, innermost first, up to `region`:
/// each `try` with an `except` clause and each `with suppress(...)` / `with pytest.raises(...)`
/// (`assertRaises`, ...) whose body holds `node`.
pub fn catchers<'t>(code: Code<'t>, node: Node<'t>, region: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut cur = node;
    while let Some(parent) = code.parent(cur) {
        if parent.id() == region.id() {
            break;
        }
        if field_is(parent, "body", cur) && catches_its_body(code.text, parent) {
            out.push(parent);
        }
        cur = parent;
    }
    out
}

/// `stmt` catches an exception its body raises: a `try` with an `except` clause, or a
/// `with suppress(...)` / `with pytest.raises(...)` / `with self.assertRaises(...)`.
pub fn catches_its_body(text: &str, stmt: Node) -> bool {
    match stmt.kind() {
        "try_statement" => named_children(stmt).any(|c| c.kind() == "except_clause"),
        "with_statement" => catching_with(text, stmt),
        _ => false,
    }
}

/// `with suppress(...)`, `with pytest.raises(...)`, `with self.assertRaises(...)` (or a method
/// named after it, or a function of the file whose every `return` gives one of those).
fn catching_with(text: &str, with: Node) -> bool {
    let Some(clause) = named_children(with).find(|c| c.kind() == "with_clause") else {
        return false;
    };
    named_children(clause).any(|item| {
        let call = item_pattern(item)
            .and_then(|p| p.named_child(0))
            .or_else(|| item.named_child(0))
            .filter(|c| c.kind() == "call");
        let name = call
            .and_then(|c| c.child_by_field_name("function"))
            .and_then(|f| last_name(text, f));
        // `assertRaises`, `assertRaisesRegex`, and a test's own helper named after them
        // (`self.assertRaisesShut()`, which returns `self.assertRaises(Shut)`: found on a
        // queue library outside the corpus), or one of the file that returns one.
        name.is_some_and(|n| catching_name(n) || helper_returns_catcher(text, with, n))
    })
}

/// `suppress`, `raises`, `assertRaises*`: a call that gives a handler of the classes it takes.
pub fn catching_name(name: &str) -> bool {
    matches!(name, "suppress" | "raises") || name.starts_with("assertRaises")
}

/// A function of the file named `name` (a method too) whose every `return` gives a call of a
/// catching name (`return pytest.raises(Timeout)`, `return self.assertRaises(E)`): a helper
/// that hands out the handler.
fn helper_returns_catcher(text: &str, with: Node, name: &str) -> bool {
    let def = format!("def {name}(");
    if !text.contains(&def) {
        return false;
    }
    // Only where the file defines the name: no resolver holds these nodes (`callers` asks too).
    let mut root = with;
    while let Some(p) = crate::source::walk_parent(root) {
        root = p;
    }
    text.match_indices(&def).any(|(at, _)| {
        let Some(func) = root
            .descendant_for_byte_range(at, at + 3)
            .and_then(crate::source::walk_parent)
            .filter(|f| f.kind() == "function_definition")
        else {
            return false;
        };
        every_return_calls(func, |f| last_name(text, f).is_some_and(catching_name))
    })
}

/// The classes an `except` clause names: its value without `as x`, tuple elements one by one.
pub fn caught_types(clause: Node) -> Vec<Node> {
    let mut cursor = clause.walk();
    let values: Vec<Node> = clause
        .children_by_field_name("value", &mut cursor)
        .collect();
    let mut out = Vec::new();
    for value in values {
        let value = if value.kind() == "as_pattern" {
            value.named_child(0).unwrap_or(value)
        } else {
            value
        };
        let mut inner = value;
        while inner.kind() == "parenthesized_expression" {
            match named_children(inner).find(|c| c.kind() != "comment") {
                Some(c) => inner = c,
                None => break,
            }
        }
        if inner.kind() == "tuple" {
            out.extend(named_children(inner).filter(|c| c.kind() != "comment"));
        } else {
            out.push(inner);
        }
    }
    out
}

/// `block` (outside nested functions) holds a handler that can catch a cancellation: `except`
/// with no class, `BaseException`, `asyncio.CancelledError` or anyio's class, or a `with
/// suppress(...)` / `pytest.raises(...)` of one of those.
pub fn catches_cancellation(code: Code, block: Node) -> bool {
    let cancellation = |n: Node| {
        code.is(n, TARGET)
            || code.is(n, "asyncio.exceptions.CancelledError")
            || is_anyio_cancelled(code, n)
            || (code.text_of(n) == "BaseException" && code.qualified(n).is_none())
    };
    let mut stack = vec![block];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "except_clause" => {
                let types = caught_types(n);
                if types.is_empty() || types.iter().any(|t| cancellation(*t)) {
                    return true;
                }
            }
            "call" => {
                let catching = n.child_by_field_name("function").is_some_and(|f| {
                    code.is(f, "contextlib.suppress") || code.is(f, "pytest.raises")
                });
                let classes =
                    super::syntax::call_args(n)
                        .into_iter()
                        .flat_map(|a| match a.kind() {
                            "tuple" => named_children(a).collect(),
                            _ => vec![a],
                        });
                if catching && classes.into_iter().any(cancellation) {
                    return true;
                }
            }
            _ => {}
        }
        stack.extend(named_children(n));
    }
    false
}

/// `asyncio.CancelledError`, or `anyio.get_cancelled_exc_class()` (what asyncio-cancelled-error
/// writes for it, also before the import pass has added `import anyio`).
pub fn is_cancellation_class(code: Code, node: Node) -> bool {
    code.is(node, TARGET) || is_anyio_cancelled(code, node)
}

/// `anyio.get_cancelled_exc_class()`, also before the import pass has added `import anyio`.
pub fn is_anyio_cancelled(code: Code, node: Node) -> bool {
    node.kind() == "call"
        && node
            .child_by_field_name("function")
            .is_some_and(|f| is_anyio(code, f, "anyio.get_cancelled_exc_class"))
}

/// `node` is `path` (an `anyio.X` chain): resolved, or our own text while `anyio` is unbound.
pub fn is_anyio(code: Code, node: Node, path: &str) -> bool {
    code.is(node, path) || (code.text_of(node) == path && !code.resolver.is_bound("anyio", node))
}

/// An `except CancelledError:` in `func` (not in a nested function) that awaits outside a
/// shield and does not re-raise on every path: this pass leaves it (MANUAL), and under anyio
/// that await is cancelled again at once (spec §10 B3), where asyncio let it run.
pub fn awaiting_cancel_handler<'t>(code: Code, func: Node<'t>) -> Option<Node<'t>> {
    let mut stack: Vec<Node> = func.child_by_field_name("body").into_iter().collect();
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "except_clause"
                if caught_types(n)
                    .iter()
                    .any(|t| is_cancellation_class(code, *t)) =>
            {
                if let Some(block) = clause_block(n)
                    && awaits(code, block)
                    && swallows(code, block, bound_name(code, n))
                {
                    return Some(n);
                }
            }
            _ => {}
        }
        stack.extend(named_children(n));
    }
    None
}

/// The first handler `awaiting_cancel_handler` finds in the `async def` `def` or in an `async
/// def` it awaits, directly or through others: `await f(...)` outside nested functions, `f` a
/// name bound only by that `def`, or a method of a class of this file on an instance of it
/// (`awaited_def`; other modules' code is not followed). With the names of the functions from
/// `def` to the one holding the handler.
pub fn reached_cancel_handler<'t>(
    code: Code<'t>,
    def: Node<'t>,
) -> Option<(Node<'t>, Vec<&'t str>)> {
    first_reached(code, def, awaiting_cancel_handler)
}

/// The first wait of code this file does not show (`unseen_wait`) in the `async def` `def` or
/// in an `async def` of this file it awaits, followed as `reached_cancel_handler` follows them.
/// `shown` names parameters of `def` that the call starting it passes a shown object (an
/// asyncio or anyio one, `is_shown_object`).
pub fn reached_unseen_wait<'t>(
    code: Code<'t>,
    def: Node<'t>,
    shown: &[&str],
) -> Option<(Node<'t>, Vec<&'t str>)> {
    first_reached(code, def, |code, func| {
        let params = if func.id() == def.id() { shown } else { &[] };
        unseen_wait(code, func, params)
    })
}

/// What `found` finds first in `def` or the `async def`s of this file it awaits by name,
/// breadth first, with the chain of function names from `def` to the one it is in.
fn first_reached<'t>(
    code: Code<'t>,
    def: Node<'t>,
    found: impl Fn(Code<'t>, Node<'t>) -> Option<Node<'t>>,
) -> Option<(Node<'t>, Vec<&'t str>)> {
    let name_of = |d: Node<'t>| {
        d.child_by_field_name("name")
            .map_or("?", |n| code.text_of(n))
    };
    let mut queue = std::collections::VecDeque::from([(def, vec![name_of(def)])]);
    let mut seen = vec![def.id()];
    while let Some((func, chain)) = queue.pop_front() {
        if let Some(hit) = found(code, func) {
            return Some((hit, chain));
        }
        let mut stack: Vec<Node> = func.child_by_field_name("body").into_iter().collect();
        while let Some(n) = stack.pop() {
            match n.kind() {
                "function_definition" | "lambda" | "class_definition" => continue,
                "await" => {
                    if let Some(next) = awaited_def(code, n)
                        && !seen.contains(&next.id())
                    {
                        seen.push(next.id());
                        let mut longer = chain.clone();
                        longer.push(name_of(next));
                        queue.push_back((next, longer));
                    }
                }
                _ => {}
            }
            stack.extend(named_children(n));
        }
    }
    None
}

/// `await f(...)`, `f` a name bound only by a `def` of this file, or `await x.m(...)`, `x` a name
/// bound once to an instance of a class of this file with an undecorated method `m`: that
/// `def`.
fn awaited_def<'t>(code: Code<'t>, awaited: Node<'t>) -> Option<Node<'t>> {
    let callee = named_children(awaited)
        .next()
        .map(strip_parens)
        .filter(|c| c.kind() == "call")
        .and_then(|c| c.child_by_field_name("function"))?;
    called_def(code, callee)
}

/// The `def` of this file a call of `callee` runs: a function bound only by it, or the
/// undecorated method of a class of this file on `self` in a method of that class or on a name
/// bound only to instances of it (`awaitable::method_def`). (A subclass in another module
/// could override the method `self.m()` calls; that code is not seen.)
pub fn called_def<'t>(code: Code<'t>, callee: Node<'t>) -> Option<Node<'t>> {
    match callee.kind() {
        "identifier" => {
            super::awaitable::definition(code, callee).filter(|d| d.kind() == "function_definition")
        }
        "attribute" => {
            let object = callee.child_by_field_name("object")?;
            let method = code.text_of(callee.child_by_field_name("attribute")?);
            super::awaitable::method_def(code, object, method)
                .filter(|d| code.parent(*d).is_some_and(|p| p.kind() == "block"))
        }
        _ => None,
    }
}

/// The call `name` is bound to, when an assignment of a call is its only binding.
pub fn single_binding_call<'t>(code: Code<'t>, name: Node<'t>) -> Option<Node<'t>> {
    (name.kind() == "identifier")
        .then(|| super::awaitable::assigned_value(code, name))
        .flatten()
        .filter(|c| c.kind() == "call")
}

/// In `func` (not in nested functions), an `await`, `async with` or `async for` whose waiting
/// runs code this file does not show, which may catch a cancellation and wait again (as
/// `asyncio.Condition.wait()` re-acquires its lock): under anyio's cancellation, delivered
/// again at every wait until the task ends, such code can spin for ever. Shown: a call of an
/// `async def` of this file (followed by `first_reached`), a function of asyncio or anyio whose
/// call arguments are shown too, a method of a name bound once to an asyncio or anyio object
/// that is no `Condition`, and a value that is no call (a Future, a task); `async with` of such
/// calls or names. Anything else is the wait returned.
fn unseen_wait<'t>(code: Code<'t>, func: Node<'t>, params: &[&str]) -> Option<Node<'t>> {
    let shown_name = |n: Node| {
        is_shown_object(code, n)
            || (n.kind() == "identifier"
                && params.contains(&code.text_of(n))
                && code.resolver.defining_scope(code.text_of(n), n) == Some(func.id()))
    };
    let mut stack: Vec<Node> = func.child_by_field_name("body").into_iter().collect();
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => continue,
            "await"
                if named_children(n)
                    .next()
                    .is_some_and(|value| !shown_value(code, value, &shown_name)) =>
            {
                return Some(n);
            }
            "with_statement" if n.child(0).is_some_and(|c| c.kind() == "async") => {
                let items = named_children(n)
                    .filter(|c| c.kind() == "with_clause")
                    .flat_map(named_children);
                for item in items {
                    let value = item
                        .child_by_field_name("value")
                        .or_else(|| item.named_child(0));
                    let value = match value {
                        Some(v) if v.kind() == "as_pattern" => v.named_child(0),
                        other => other,
                    };
                    if value.is_none_or(|v| !(shown_value(code, v, &shown_name) || shown_name(v))) {
                        return Some(n);
                    }
                }
            }
            "for_statement" if n.child(0).is_some_and(|c| c.kind() == "async") => return Some(n),
            "for_in_clause" if n.child(0).is_some_and(|c| c.kind() == "async") => return Some(n),
            _ => {}
        }
        stack.extend(named_children(n));
    }
    None
}

/// Builtins of numbers that `shown_value` looks through.
const NUMBER_BUILTINS: &[&str] = &["abs", "float", "int", "max", "min", "round"];

/// An awaited value whose waiting this file shows (`unseen_wait`).
fn shown_value(code: Code, value: Node, shown_name: &dyn Fn(Node) -> bool) -> bool {
    let value = strip_parens(value);
    if value.kind() != "call" {
        return !matches!(value.kind(), "await" | "conditional_expression")
            || named_children(value).all(|v| shown_value(code, v, shown_name));
    }
    let Some(callee) = value.child_by_field_name("function") else {
        return false;
    };
    // Code of this file, which `first_reached` follows.
    if called_def(code, callee).is_some() {
        return true;
    }
    let arguments_shown = || {
        super::syntax::call_args(value).into_iter().all(|a| {
            let a = match a.kind() {
                "keyword_argument" => a.child_by_field_name("value"),
                "list_splat" | "dictionary_splat" => a.named_child(0),
                _ => Some(a),
            };
            a.is_some_and(|a| a.kind() != "call" || shown_value(code, a, shown_name))
        })
    };
    if code.qualified(callee).is_some_and(|q| asyncio_or_anyio(&q)) {
        return arguments_shown();
    }
    // `max(0, delay)` (the sleep rewrite writes it): a number builtin the module does not
    // rebind returns one of its arguments or a number, nothing that waits.
    if callee.kind() == "identifier"
        && NUMBER_BUILTINS.contains(&code.text_of(callee))
        && !code.resolver.is_bound(code.text_of(callee), callee)
    {
        return arguments_shown();
    }
    // `ev.wait()`, `lock.acquire()` on an asyncio or anyio object.
    callee.kind() == "attribute"
        && callee.child_by_field_name("object").is_some_and(shown_name)
        && arguments_shown()
}

/// `name` is bound once to an asyncio or anyio object other than a `Condition` (whose `wait()`
/// re-acquires its lock through every cancellation): what a task's coroutine may be handed and
/// wait on.
pub fn is_shown_object(code: Code, name: Node) -> bool {
    single_binding_call(code, name).is_some_and(|c| makes_shown_object(code, c))
}

/// A name of asyncio's or anyio's own API.
fn asyncio_or_anyio(q: &str) -> bool {
    q.starts_with("asyncio.") || q.starts_with("anyio.")
}

/// A class or function of asyncio or anyio that makes an object other than a `Condition`.
fn makes_shown(q: &str) -> bool {
    asyncio_or_anyio(q) && !q.ends_with("Condition")
}

/// `call` makes an asyncio or anyio object other than a `Condition`: it calls such a class or
/// function, or a `def` of this file whose every `return` returns such a call (a factory).
fn makes_shown_object(code: Code, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    if let Some(q) = code.qualified(callee) {
        return makes_shown(&q);
    }
    let Some(def) = (callee.kind() == "identifier")
        .then(|| super::awaitable::definition(code, callee))
        .flatten()
        .filter(|d| d.kind() == "function_definition")
    else {
        return false;
    };
    every_return_calls(def, |f| code.qualified(f).is_some_and(|q| makes_shown(&q)))
}

/// Every `return` of a function's own body (not of functions or classes nested in it; at
/// least one) gives a call whose callee passes `callee`, and the body does not yield (a
/// generator's `return` gives its caller no value): a factory of what those calls make.
fn every_return_calls(func: Node, callee: impl Fn(Node) -> bool) -> bool {
    let mut returns = Vec::new();
    let mut stack: Vec<Node> = func.child_by_field_name("body").into_iter().collect();
    while let Some(n) = stack.pop() {
        match n.kind() {
            "function_definition" | "lambda" | "class_definition" => {}
            "return_statement" => returns.push(n),
            "yield" => return false,
            _ => stack.extend(named_children(n)),
        }
    }
    !returns.is_empty()
        && returns.iter().all(|r| {
            r.named_child(0)
                .filter(|v| v.kind() == "call")
                .and_then(|v| v.child_by_field_name("function"))
                .is_some_and(&callee)
        })
}

fn strip_parens(mut node: Node) -> Node {
    while node.kind() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}

/// The name bound by `except ... as name`.
pub fn bound_name<'a>(code: Code<'a>, clause: Node) -> Option<&'a str> {
    let value = clause.child_by_field_name("value")?;
    let alias = value.child_by_field_name("alias")?;
    let name = named_children(alias).find(|c| c.kind() == "identifier")?;
    Some(code.text_of(name))
}

/// The block of an `except`/`finally` clause.
pub fn clause_block(clause: Node) -> Option<Node> {
    named_children(clause).find(|c| c.kind() == "block")
}

/// How control can leave a statement: by falling through to the next one, or by leaving the
/// handler some other way than re-raising (return, break, continue, raising something else).
#[derive(Clone, Copy)]
struct Flow {
    falls_through: bool,
    escapes: bool,
}

const NORMAL: Flow = Flow {
    falls_through: true,
    escapes: false,
};

/// Some path through the handler body does not end in `raise` / `raise <bound name>`.
pub fn swallows(code: Code, block: Node, bound: Option<&str>) -> bool {
    let flow = block_flow(code, block, bound, false);
    flow.falls_through || flow.escapes
}

fn block_flow(code: Code, block: Node, bound: Option<&str>, in_loop: bool) -> Flow {
    let mut escapes = false;
    for stmt in named_children(block).filter(|c| c.kind() != "comment") {
        let f = stmt_flow(code, stmt, bound, in_loop);
        escapes |= f.escapes;
        if !f.falls_through {
            return Flow {
                falls_through: false,
                escapes,
            };
        }
    }
    Flow {
        falls_through: true,
        escapes,
    }
}

fn stmt_flow(code: Code, stmt: Node, bound: Option<&str>, in_loop: bool) -> Flow {
    let sub = |n: Node| block_flow(code, n, bound, in_loop);
    match stmt.kind() {
        "raise_statement" => Flow {
            falls_through: false,
            escapes: !is_reraise(code, stmt, bound),
        },
        "return_statement" => Flow {
            falls_through: false,
            escapes: true,
        },
        // Inside a loop of the handler these only leave the loop; otherwise they leave the handler.
        "break_statement" | "continue_statement" => Flow {
            falls_through: false,
            escapes: !in_loop,
        },
        "if_statement" => {
            let mut branches = Vec::new();
            let mut has_else = false;
            if let Some(b) = stmt.child_by_field_name("consequence") {
                branches.push(sub(b));
            }
            let mut cursor = stmt.walk();
            for alt in stmt.children_by_field_name("alternative", &mut cursor) {
                has_else |= alt.kind() == "else_clause";
                let body = alt
                    .child_by_field_name("body")
                    .or_else(|| alt.child_by_field_name("consequence"));
                if let Some(b) = body {
                    branches.push(sub(b));
                }
            }
            Flow {
                falls_through: !has_else || branches.iter().any(|f| f.falls_through),
                escapes: branches.iter().any(|f| f.escapes),
            }
        }
        "with_statement" => stmt.child_by_field_name("body").map_or(NORMAL, sub),
        "for_statement" | "while_statement" => {
            // The loop may run zero times, so it falls through; breaks stay inside it.
            let body = stmt
                .child_by_field_name("body")
                .map_or(NORMAL, |b| block_flow(code, b, bound, true));
            let alternative = stmt
                .child_by_field_name("alternative")
                .and_then(|a| a.child_by_field_name("body").or_else(|| clause_block(a)))
                .map_or(NORMAL, sub);
            Flow {
                falls_through: true,
                escapes: body.escapes || alternative.escapes,
            }
        }
        "try_statement" => try_flow(code, stmt, bound, in_loop),
        "match_statement" => {
            let mut escapes = false;
            let mut stack = vec![stmt];
            while let Some(n) = stack.pop() {
                if n.kind() == "case_clause" {
                    if let Some(b) = n.child_by_field_name("consequence") {
                        escapes |= sub(b).escapes;
                    }
                    continue;
                }
                stack.extend(named_children(n));
            }
            Flow {
                falls_through: true,
                escapes,
            }
        }
        _ => NORMAL,
    }
}

/// A nested `try`: a `finally` that re-raises decides; otherwise the body (then `else`) or any
/// handler may be the path taken.
fn try_flow(code: Code, stmt: Node, bound: Option<&str>, in_loop: bool) -> Flow {
    let sub = |n: Node| block_flow(code, n, bound, in_loop);
    let body = stmt.child_by_field_name("body").map_or(NORMAL, sub);
    let mut handlers = Vec::new();
    let mut else_flow = None;
    let mut finally_flow = None;
    for c in named_children(stmt) {
        let block = clause_block(c).map_or(NORMAL, sub);
        match c.kind() {
            "except_clause" => handlers.push(block),
            "else_clause" => {
                else_flow = Some(c.child_by_field_name("body").map_or(block, sub));
            }
            "finally_clause" => finally_flow = Some(block),
            _ => {}
        }
    }
    if let Some(f) = finally_flow
        && !f.falls_through
    {
        return f;
    }
    let after_body = match else_flow {
        Some(e) if body.falls_through => e,
        _ => body,
    };
    Flow {
        falls_through: after_body.falls_through || handlers.iter().any(|h| h.falls_through),
        escapes: body.escapes
            || after_body.escapes
            || handlers.iter().any(|h| h.escapes)
            || finally_flow.is_some_and(|f| f.escapes),
    }
}

/// `raise` or `raise <bound name>` (no `from`).
fn is_reraise(code: Code, stmt: Node, bound: Option<&str>) -> bool {
    let parts: Vec<Node> = named_children(stmt)
        .filter(|c| c.kind() != "comment")
        .collect();
    match parts.as_slice() {
        [] => true,
        [e] => e.kind() == "identifier" && Some(code.text_of(*e)) == bound,
        _ => false,
    }
}

/// `node` awaits (an `await`, `async with`, `async for`) outside nested functions and outside
/// an existing shield.
pub fn awaits(code: Code, node: Node) -> bool {
    match node.kind() {
        "await" => return true,
        "function_definition" | "lambda" | "class_definition" => return false,
        "with_statement" | "for_statement" | "for_in_clause"
            if node.child(0).is_some_and(|c| c.kind() == "async") =>
        {
            return true;
        }
        "with_statement" if is_shield(code, node) => return false,
        _ => {}
    }
    named_children(node).any(|c| awaits(code, c))
}

/// `with anyio.CancelScope(shield=True):` (what this codemod emits).
fn is_shield(code: Code, with: Node) -> bool {
    any_item_call(with, |n| {
        n.child_by_field_name("function")
            .is_some_and(|f| is_anyio(code, f, "anyio.CancelScope"))
            && keyword_arg(n, code.text, "shield").is_some_and(|v| v.kind() == "true")
    })
}
