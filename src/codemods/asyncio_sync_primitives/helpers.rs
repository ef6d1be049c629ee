//! Helpers of the use analysis: `locked()`, inspections, parameters followed into functions.

use super::MESSAGES;
use super::constructors::constructor_edits;
use super::scopes::constructor_kind;
use super::targets::{Bound, Target, bindings, class_of_method, methods, receiver};
use super::{ID, Kind, MAX_FOLLOW_DEPTH};
use crate::codemods::{Ctx, call_args, has_comment, positional_args};
use crate::edit::{Edit, Fix, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// Every binding of the target is `None` or a constructor call (`(kind, is asyncio's, the call)`)
/// that `accept` takes, and there is at least one: then every object the target holds is one
/// the rewrite makes, so its uses may be respelled.
pub(super) fn only_constructors(
    ctx: &Ctx,
    target: &Target,
    accept: impl Fn(Kind, bool, Node) -> bool,
) -> bool {
    let bound = bindings(ctx, target);
    bound.iter().any(|b| matches!(b, Bound::Value(_)))
        && bound.iter().all(|b| match b {
            Bound::Value(v) if v.kind() == "none" => true,
            Bound::Value(v) => {
                let call = if v.kind() == "parenthesized_expression" {
                    named_children(*v).next()
                } else {
                    Some(*v)
                };
                match (constructor_kind(ctx, *v), call) {
                    (Some((kind, asyncio)), Some(call)) => accept(kind, asyncio, call),
                    _ => false,
                }
            }
            Bound::Other => false,
        })
}

/// Every binding of the target is a semaphore constructor that gets (or got) rewritten, or
/// None: `x.locked()` may then become `x.value == 0`.
pub(super) fn only_semaphores(ctx: &Ctx, target: &Target) -> bool {
    only_constructors(ctx, target, |kind, asyncio, call| {
        kind.is_semaphore()
            && (!asyncio
                || call
                    .child_by_field_name("function")
                    .is_some_and(|f| constructor_edits(ctx, call, f, kind).is_ok()))
    })
}

/// `sem.locked()` → `sem.value == 0` (parenthesized where an operator around it would bind
/// differently, e.g. `sem.locked() == x`).
pub(super) fn locked_fix(ctx: &Ctx, call: Node, object: Node, member: Node) -> Option<Fix> {
    let args = call.child_by_field_name("arguments")?;
    if !call_args(call).is_empty() || has_comment(args) {
        return None;
    }
    let safe_context = comparison_stands_bare(ctx, call);
    let edit = if safe_context {
        Edit::replace(member.start_byte()..call.end_byte(), "value == 0")
    } else {
        Edit::replace(
            call.byte_range(),
            format!("({}.value == 0)", ctx.text_of(object)),
        )
    };
    Some(
        Fix::new(
            ID,
            "locked-call",
            call.start_byte(),
            Verdict::Safe,
            vec![edit],
        )
        .needs_only(&[]),
    )
}

/// Can a comparison (`x.value == 0`, `f.status is not S`) replace `node` without parentheses?
/// Where its parent binds looser than a comparison, or is a statement or a list element.
pub(super) fn comparison_stands_bare(ctx: &Ctx, node: Node) -> bool {
    ctx.parent(node).is_some_and(|p| {
        matches!(
            p.kind(),
            "if_statement"
                | "elif_clause"
                | "while_statement"
                | "assert_statement"
                | "return_statement"
                | "expression_statement"
                | "assignment"
                | "argument_list"
                | "keyword_argument"
                | "not_operator"
                | "boolean_operator"
                | "conditional_expression"
                | "parenthesized_expression"
                | "lambda"
                | "expression_list"
                | "tuple"
                | "list"
                | "set"
                | "pair"
        )
    })
}

/// `self.ev.clear()` as a statement of its own line in a block → `if self.ev.is_set():` /
/// `self.ev = anyio.Event()`: a set Event has released its waiters, and every later use reads
/// the attribute afresh (the caller checked: an attribute bound only to Event constructors,
/// with no other reference), so the fresh Event is the reset one; an Event not set stays
/// (asyncio's `clear()` did nothing then).
pub(super) fn clear_fix(ctx: &Ctx, call: Node, recv: &str) -> Option<Fix> {
    let stmt = crate::analysis::syntax::own_statement(ctx.resolver, call)?;
    if !call_args(call).is_empty()
        || has_comment(stmt)
        || ctx.parent(stmt).is_none_or(|b| b.kind() != "block")
        || !crate::codemods::on_own_line(ctx.text, stmt)
    {
        return None;
    }
    let indent = crate::source::line_indent(ctx.text, stmt.start_byte());
    let text = format!(
        "if {recv}.is_set():\n{indent}{}{recv} = anyio.Event()",
        ctx.indent_unit
    );
    Some(
        Fix::new(
            ID,
            "event-reset",
            call.start_byte(),
            Verdict::SafeEdge,
            vec![Edit::replace(stmt.byte_range(), text)],
        )
        .note(MESSAGES.text("event-reset", "note")),
    )
}

/// Calls that only look at an object: passing it there is not an escape.
pub(super) fn is_inspection(ctx: &Ctx, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    let name = ctx.text_of(callee);
    matches!(
        name,
        "isinstance" | "issubclass" | "print" | "repr" | "str" | "id" | "type" | "hash" | "bool"
    ) && !ctx.resolver.is_bound(name, callee)
}

/// The `await` around a call (for quoting), or the call.
pub(super) fn outer_await<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Node<'t> {
    crate::codemods::awaited_by(ctx.resolver, call).unwrap_or(call)
}

/// How the value of `x.acquire()` / `x.wait()` is used: asyncio's return True whenever they
/// return, anyio's return None.
pub(super) enum ValueUse<'t> {
    /// Dropped by an expression statement, or never awaited here.
    Unused,
    /// `assert await x.wait()` (or `... is True`, `... == True`) in test code: the assertion
    /// always held, so the statement `await x.wait()` (the `await`) does the same.
    Asserted { stmt: Node<'t>, awaited: Node<'t> },
    /// A condition decides on it (`if`, `while`, `not`, `and` / `or`, a conditional
    /// expression, any other assertion): the code is certain to go the other way.
    Tested { test: Node<'t>, awaited: Node<'t> },
    /// Passed on (assigned, returned, an argument): whoever reads it may see None.
    Passed,
}

/// How the result of `x.acquire()` / `x.wait()` is used. Awaiting it, or handing it to
/// `wait_for`/`shield`/`gather`/`create_task`, passes the value on; a statement drops it.
pub(super) fn value_use<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> ValueUse<'t> {
    let up = |n| parent_through_parens(ctx, n);
    let mut node = call;
    let mut wrapped = false;
    let parent = loop {
        let Some(parent) = up(node) else {
            return ValueUse::Unused;
        };
        if parent.kind() == "await" {
            node = parent;
            continue;
        }
        if parent.kind() == "argument_list"
            && let Some(outer) = ctx.parent(parent).filter(|c| c.kind() == "call")
            && outer
                .child_by_field_name("function")
                .and_then(|f| ctx.qualified(f))
                .is_some_and(|q| {
                    matches!(
                        q.as_str(),
                        "asyncio.wait_for"
                            | "asyncio.shield"
                            | "asyncio.gather"
                            | "asyncio.create_task"
                            | "asyncio.ensure_future"
                    )
                })
        {
            node = outer;
            wrapped = true;
            continue;
        }
        break parent;
    };
    if parent.kind() == "expression_statement" {
        return ValueUse::Unused;
    }
    if node.kind() != "await" {
        return ValueUse::Passed;
    }
    let awaited = node;
    let tested = |test| ValueUse::Tested { test, awaited };
    match tested_by(ctx, node) {
        Some((stmt, true)) if !wrapped && ctx.path.is_some_and(crate::source::is_test_code) => {
            ValueUse::Asserted { stmt, awaited }
        }
        Some((_, _)) => tested(node),
        // `ok = await x.wait()`, then `assert ok`: the variable's value is tested.
        None if parent.kind() == "assignment"
            && parent.child_by_field_name("right") == Some(node) =>
        {
            parent
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")
                .and_then(|name| {
                    ctx.resolver
                        .references(ctx.tree, ctx.text_of(name), name)
                        .into_iter()
                        .filter(|r| r.start_byte() > node.end_byte())
                        .find(|r| tested_by(ctx, *r).is_some())
                })
                .map_or(ValueUse::Passed, tested)
        }
        None => ValueUse::Passed,
    }
}

/// The parent of `node` that is not a parenthesized expression.
fn parent_through_parens<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut p = ctx.parent(node)?;
    while p.kind() == "parenthesized_expression" {
        p = ctx.parent(p)?;
    }
    Some(p)
}

/// The statement or expression that decides on the value of `node` (an `assert`, an `if` /
/// `elif` / `while` condition, a conditional expression's condition, `not`, `and` / `or`),
/// through parentheses and a comparison with True; with whether it is an `assert` whose
/// test is exactly that value.
fn tested_by<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Option<(Node<'t>, bool)> {
    let up = |n| parent_through_parens(ctx, n);
    let mut node = node;
    let mut parent = up(node)?;
    // `await x.wait() is True`: the comparison's value is the one tested.
    if parent.kind() == "comparison_operator"
        && parent.child_count() == 3
        && parent
            .child(1)
            .is_some_and(|op| matches!(op.kind(), "is" | "=="))
        && named_children(parent).any(|c| c.kind() == "true")
    {
        node = parent;
        parent = up(parent)?;
    }
    let decides = match parent.kind() {
        "assert_statement" => {
            return (parent.named_child(0) == Some(node)).then_some((parent, true));
        }
        "if_statement" | "elif_clause" | "while_statement" => {
            parent.child_by_field_name("condition") == Some(node)
        }
        "conditional_expression" => parent.named_child(1) == Some(node),
        "not_operator" | "boolean_operator" => true,
        _ => false,
    };
    decides.then_some((parent, false))
}

/// `acquire()` in `__aenter__` and `release()` in `__aexit__` of one class run in the same task
/// (the one running the `async with`).
pub(super) fn context_manager_pair(
    ctx: &Ctx,
    acquirer: Option<Node>,
    releaser: Option<Node>,
) -> bool {
    let name = |f: Option<Node>| {
        f.and_then(|f| f.child_by_field_name("name"))
            .map(|n| ctx.text_of(n).to_owned())
    };
    let class = |f: Option<Node>| f.and_then(|f| class_of_method(ctx, f)).map(|c| c.id());
    matches!(
        (name(acquirer).as_deref(), name(releaser).as_deref()),
        (Some("__aenter__"), Some("__aexit__")) | (Some("__enter__"), Some("__exit__"))
    ) && class(acquirer).is_some()
        && class(acquirer) == class(releaser)
}

/// An argument passed to a function defined in this file: the parameter it lands in.
/// Handles `f(x)`, `f(k=x)`, `self.method(x)` and `tg.start_soon(f, x)`.
pub(super) fn parameter_target<'t>(ctx: &Ctx<'t>, arg: Node<'t>) -> Option<Target<'t>> {
    let (keyword, list) = match ctx.parent(arg)? {
        p if p.kind() == "keyword_argument" => (
            Some(ctx.text_of(p.child_by_field_name("name")?)),
            ctx.parent(p)?,
        ),
        p => (None, p),
    };
    let call = ctx.parent(list).filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let positional = positional_args(call);
    if call_args(call)
        .iter()
        .any(|a| matches!(a.kind(), "list_splat" | "dictionary_splat"))
    {
        return None;
    }
    let mut index = positional.iter().position(|a| a.id() == arg.id());
    let mut function = callee;
    if callee.kind() == "attribute"
        && callee
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "start_soon")
    {
        function = *positional.first()?;
        index = index.and_then(|i| i.checked_sub(1));
    }
    let (def, skip_self) = function_definition(ctx, function)?;
    let params = def.child_by_field_name("parameters")?;
    let mut positional_params = Vec::new();
    let mut all_params = Vec::new();
    let mut keyword_only = false;
    for p in named_children(params) {
        if matches!(p.kind(), "keyword_separator" | "list_splat_pattern") {
            keyword_only = true;
        }
        if let Some(name) = crate::analysis::syntax::parameter_name(p) {
            if !keyword_only {
                positional_params.push(name);
            }
            all_params.push(name);
        }
    }
    if skip_self && !positional_params.is_empty() {
        positional_params.remove(0);
    }
    let name = match (keyword, index) {
        (Some(k), _) => all_params.into_iter().find(|p| ctx.text_of(*p) == k)?,
        (None, Some(i)) => *positional_params.get(i)?,
        (None, None) => return None,
    };
    Some(Target::Name {
        scope: def,
        name: ctx.text_of(name).to_owned(),
    })
}

/// The `def` a callee names in this file: a plain name defined once (not imported), or
/// `self.method` of the enclosing class. The flag says the receiver takes the first parameter.
pub(super) fn function_definition<'t>(
    ctx: &Ctx<'t>,
    function: Node<'t>,
) -> Option<(Node<'t>, bool)> {
    match function.kind() {
        "identifier" => {
            if ctx.qualified(function).is_some() {
                return None;
            }
            let name = ctx.text_of(function);
            let mut found = Vec::new();
            let mut stack = vec![ctx.tree.root_node()];
            while let Some(n) = stack.pop() {
                if n.kind() == "function_definition"
                    && n.child_by_field_name("name")
                        .is_some_and(|x| ctx.text_of(x) == name)
                {
                    found.push(n);
                }
                push_children(&mut stack, n);
            }
            // Several defs of the name (a `coro` in each test): the one the call sees, the only
            // def of the name in the scope the name resolves to there.
            if found.len() > 1 {
                let scope = ctx.resolver.defining_scope(name, function);
                found.retain(|def| {
                    let owner = ctx
                        .ancestors(*def)
                        .find(|a| {
                            matches!(
                                a.kind(),
                                "function_definition" | "class_definition" | "lambda"
                            )
                        })
                        .map_or(ctx.tree.root_node().id(), |a| a.id());
                    Some(owner) == scope
                });
            }
            match found.as_slice() {
                [def] if class_of_method(ctx, *def).is_none() => Some((*def, false)),
                [] => class_init(ctx, name, 0).map(|init| (init, true)),
                _ => None,
            }
        }
        "attribute" => {
            let object = function.child_by_field_name("object")?;
            let method = ctx.text_of(function.child_by_field_name("attribute")?);
            let recv = ctx.text_of(object);
            let class = ctx
                .ancestors(function)
                .filter(|a| a.kind() == "function_definition")
                .find_map(|f| class_of_method(ctx, f).filter(|_| receiver(ctx, f) == Some(recv)))?;
            let def = methods(class).find(|m| {
                m.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == method)
            })?;
            receiver(ctx, def).map(|_| (def, true))
        }
        _ => None,
    }
}

/// `Class(...)` for a class defined once in this file: its `__init__`, or the one it inherits
/// from a single base class of this file (asyncio-dgram passes its Event to
/// `Protocol(recvq, excq, drained)`, whose `pause_writing` calls `self._drained.clear()`).
pub(super) fn class_init<'t>(ctx: &Ctx<'t>, name: &str, depth: usize) -> Option<Node<'t>> {
    if depth > MAX_FOLLOW_DEPTH {
        return None;
    }
    let mut found = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "class_definition"
            && n.child_by_field_name("name")
                .is_some_and(|x| ctx.text_of(x) == name)
        {
            found.push(n);
        }
        push_children(&mut stack, n);
    }
    let [class] = found.as_slice() else {
        return None;
    };
    if let Some(init) = methods(*class).find(|m| {
        m.child_by_field_name("name")
            .is_some_and(|n| ctx.text_of(n) == "__init__")
    }) {
        return receiver(ctx, init).map(|_| init);
    }
    let bases: Vec<Node> = class
        .child_by_field_name("superclasses")
        .map(|b| named_children(b).collect())
        .unwrap_or_default();
    match bases.as_slice() {
        [base] if base.kind() == "identifier" => class_init(ctx, ctx.text_of(*base), depth + 1),
        _ => None,
    }
}

/// Source text for a note: one line, at most 60 characters.
pub(super) fn snippet(ctx: &Ctx, node: Node) -> String {
    let text = ctx.text_of(node);
    let line = text.lines().next().unwrap_or("").trim();
    let mut out: String = line.chars().take(60).collect();
    if out.len() < text.trim().len() {
        out.push_str("...");
    }
    out
}

/// Push a node's named children with one cursor walk (`named_child(i)` is linear in `i`, so
/// indexing every child of a long module body would be quadratic).
pub(super) fn push_children<'t>(stack: &mut Vec<Node<'t>>, node: Node<'t>) {
    let mut cursor = node.walk();
    stack.extend(node.named_children(&mut cursor));
}
