//! asyncio-timeout-error: `asyncio.TimeoutError` → the builtin `TimeoutError` (spec §5).

use super::{Captures, Ctx, has_comment, is_class_check_argument};
use crate::analysis::bindings::is_reference;
use crate::analysis::exceptions::catching_name;
use crate::analysis::syntax::last_name;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

const ID: &str = "asyncio-timeout-error";
const TARGET: &str = "asyncio.TimeoutError";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(import) = caps.get("import") {
        return plan_import(ctx, import);
    }
    let Some(reference) = caps.get("ref") else {
        return Vec::new();
    };
    // Resolution first: it is a lookup, `is_reference` climbs the tree.
    if !ctx.is(reference, TARGET) || !is_reference(ctx.resolver, reference) {
        return Vec::new();
    }
    // `from asyncio import TimeoutError` then `except TimeoutError`: the text is already right;
    // the import is what has to go (see `plan_import`).
    if ctx.text_of(reference) == "TimeoutError" {
        return Vec::new();
    }
    if let Some(site) = produced_before_3_11(ctx, reference) {
        return vec![producer_finding(ctx, reference.start_byte(), site).into()];
    }
    if let Some(why) = builtin_hidden(ctx, reference) {
        return vec![
            Finding::manual(
                ID,
                "builtin-shadowed",
                reference.start_byte(),
                why,
                "catch the builtin that anyio's timeouts raise: `builtins.TimeoutError` (with `import builtins`), or rename what hides the name",
            )
            .into(),
        ];
    }
    if ctx.targets.python < crate::target::Version(3, 11, 0) && matched(ctx, reference) {
        return catch_both(ctx, reference);
    }
    let edits = match dedup_tuple(ctx, reference) {
        Some(edits) => edits,
        None => vec![Edit::replace(reference.byte_range(), "TimeoutError")],
    };
    vec![
        Fix::new(
            ID,
            "timeout-error",
            reference.start_byte(),
            Verdict::Safe,
            edits,
        )
        .needs_only(&[])
        .into(),
    ]
}

/// A reference an exception is matched against: an `except` clause's class (alone, in its
/// tuple, before `as`), a class check's class (`isinstance`, `assertIsInstance`), or what
/// `pytest.raises` / `assertRaises*` / `suppress` take.
fn matched(ctx: &Ctx, reference: Node) -> bool {
    let mut node = reference;
    let mut parent = ctx.parent(node);
    while let Some(p) = parent.filter(|p| matches!(p.kind(), "tuple" | "parenthesized_expression"))
    {
        node = p;
        parent = ctx.parent(p);
    }
    let Some(parent) = parent else {
        return false;
    };
    match parent.kind() {
        "except_clause" | "except_group_clause" => true,
        "as_pattern" => ctx
            .parent(parent)
            .is_some_and(|p| matches!(p.kind(), "except_clause" | "except_group_clause")),
        "argument_list" => {
            is_class_check_argument(ctx, node)
                || ctx
                    .parent(parent)
                    .and_then(|call| call.child_by_field_name("function"))
                    .and_then(|f| last_name(ctx.text, f))
                    .is_some_and(catching_name)
                    && parent.named_child(0) == Some(node)
        }
        _ => false,
    }
}

/// Before Python 3.11 asyncio's `TimeoutError` is not the builtin: anyio's timeouts raise the
/// builtin, while what stays on asyncio (a `wait_for` left for manual migration, a library
/// such as aiohttp) still raises asyncio's. A handler has to catch both there:
/// `except asyncio.TimeoutError` → `except (TimeoutError, asyncio.TimeoutError)`, within a
/// tuple `TimeoutError, asyncio.TimeoutError`; a tuple that already names the builtin is left
/// as it is. Found on a probe of unseen projects: an HTTP client's retries stopped on 3.10
/// (aiohttp's timeouts passed the rewritten handler), and tests whose `wait_for` stayed.
fn catch_both(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let text = ctx.text_of(reference);
    let tuple = ctx.parent(reference).filter(|p| p.kind() == "tuple");
    let edit = match tuple {
        Some(tuple) => {
            let has_builtin = named_children(tuple).any(|e| {
                e.kind() == "identifier"
                    && ctx.text_of(e) == "TimeoutError"
                    && !ctx.resolver.is_bound("TimeoutError", e)
            });
            if has_builtin {
                return Vec::new();
            }
            Edit::replace(reference.byte_range(), format!("TimeoutError, {text}"))
        }
        None => Edit::replace(reference.byte_range(), format!("(TimeoutError, {text})")),
    };
    vec![
        Fix::new(
            ID,
            "timeout-error-both",
            reference.start_byte(),
            Verdict::Safe,
            vec![edit],
        )
        .note(format!(
            "before Python 3.11 (which the project supports) `{text}` is not the builtin TimeoutError that anyio's timeouts raise: the handler now catches both, as what stays on asyncio (a wait_for left as it is, a library such as aiohttp) still raises asyncio's; on 3.11+ they are one class"
        ))
        .needs_only(&[])
        .into(),
    ]
}

/// Why the name `TimeoutError` at `node` would not be the builtin, if it would not be.
fn builtin_hidden(ctx: &Ctx, node: Node) -> Option<&'static str> {
    if !ctx.resolver.is_bound("TimeoutError", node) {
        return None;
    }
    // A from-import of asyncio's own TimeoutError is removed by `plan_import`.
    let imported = ctx.resolver.resolve_name("TimeoutError", node);
    if imported.is_some_and(|p| is_asyncio_timeout(&p)) {
        return None;
    }
    Some(
        "the name `TimeoutError` is bound to something else here, so `TimeoutError` would not mean the builtin",
    )
}

fn is_asyncio_timeout(path: &str) -> bool {
    matches!(
        path,
        "asyncio.TimeoutError" | "asyncio.exceptions.TimeoutError"
    )
}

/// In an `except (...)` tuple or the class tuple of `isinstance`/`issubclass`, a second
/// `TimeoutError` is noise: keep the first timeout element (rewritten) and delete the others.
/// `None` when there is nothing to deduplicate (or a comment sits where we would delete).
fn dedup_tuple(ctx: &Ctx, reference: Node) -> Option<Vec<Edit>> {
    let tuple = ctx.parent(reference).filter(|p| p.kind() == "tuple")?;
    if !is_class_tuple(ctx, tuple) {
        return None;
    }
    let elements: Vec<Node> = named_children(tuple)
        .filter(|n| n.kind() != "comment")
        .collect();
    let is_timeout = |n: Node| {
        (is_reference(ctx.resolver, n) && ctx.is(n, TARGET))
            || (n.kind() == "identifier"
                && ctx.text_of(n) == "TimeoutError"
                && !ctx.resolver.is_bound("TimeoutError", n))
    };
    let timeouts: Vec<usize> = (0..elements.len())
        .filter(|&i| is_timeout(elements[i]))
        .collect();
    let (&first, rest) = timeouts.split_first()?;
    if rest.is_empty() {
        return None;
    }
    if timeouts.len() == elements.len() && !has_comment(tuple) {
        // `except (asyncio.TimeoutError, TimeoutError)` → `except TimeoutError`.
        return Some(vec![Edit::replace(tuple.byte_range(), "TimeoutError")]);
    }
    let mut edits = Vec::new();
    if ctx.text_of(elements[first]) != "TimeoutError" {
        edits.push(Edit::replace(elements[first].byte_range(), "TimeoutError"));
    }
    for &i in rest {
        // From the end of the previous element: takes this element's leading comma with it.
        let range = elements[i - 1].end_byte()..elements[i].end_byte();
        if ctx.text[range.clone()].contains('#') {
            return None;
        }
        edits.push(Edit::delete(range));
    }
    Some(edits)
}

/// A tuple that only lists exception classes: `except (A, B)` or `isinstance(x, (A, B))`.
fn is_class_tuple(ctx: &Ctx, tuple: Node) -> bool {
    let Some(parent) = ctx.parent(tuple) else {
        return false;
    };
    match parent.kind() {
        "except_clause" => true,
        "as_pattern" => ctx
            .parent(parent)
            .is_some_and(|p| p.kind() == "except_clause"),
        "argument_list" => is_class_check_argument(ctx, tuple),
        _ => false,
    }
}

/// `from asyncio import TimeoutError` (or `asyncio.exceptions`): on 3.10 that name is not the
/// builtin, so the import has to go for `except TimeoutError` to catch anyio's timeouts.
fn plan_import(ctx: &Ctx, import: Node) -> Vec<Outcome> {
    let mut cursor = import.walk();
    let names: Vec<Node> = import.children_by_field_name("name", &mut cursor).collect();
    let Some(index) = names.iter().position(|n| binds_asyncio_timeout(ctx, *n)) else {
        return Vec::new();
    };
    let scope = scope_of(ctx, import);
    // An import nobody reads here may be a re-export (`from .errors import TimeoutError`).
    if !has_load_reference(ctx, scope, "TimeoutError") || mentions_in_string(ctx, "TimeoutError") {
        return Vec::new();
    }
    if let Some(site) = producer_in(ctx, scope) {
        return vec![producer_finding(ctx, names[index].start_byte(), site).into()];
    }
    let edits = if names.len() == 1 {
        delete_statement(ctx, import)
    } else if has_comment(import) {
        return vec![
            Finding::manual(
                ID,
                "commented-import",
                names[index].start_byte(),
                "asyncio's `TimeoutError` is imported by name: on Python 3.10 it hides the builtin that anyio raises",
                "remove `TimeoutError` from this import so that `TimeoutError` means the builtin",
            )
            .into(),
        ];
    } else {
        let kept: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != index)
            .map(|(_, n)| ctx.text_of(*n))
            .collect();
        let (Some(first), Some(last)) = (names.first(), names.last()) else {
            return Vec::new();
        };
        vec![Edit::replace(
            first.start_byte()..last.end_byte(),
            kept.join(", "),
        )]
    };
    vec![
        Fix::new(
            ID,
            "from-import",
            names[index].start_byte(),
            Verdict::Safe,
            edits,
        )
        .needs_only(&[])
        .into(),
    ]
}

/// `TimeoutError` or `TimeoutError as TimeoutError` imported from asyncio.
fn binds_asyncio_timeout(ctx: &Ctx, name: Node) -> bool {
    let (path, alias) = match name.kind() {
        "dotted_name" => (name, name),
        "aliased_import" => {
            let (Some(p), Some(a)) = (
                name.child_by_field_name("name"),
                name.child_by_field_name("alias"),
            ) else {
                return false;
            };
            (p, a)
        }
        _ => return false,
    };
    ctx.text_of(path) == "TimeoutError"
        && ctx.text_of(alias) == "TimeoutError"
        && ctx
            .resolver
            .resolve_name("TimeoutError", name)
            .is_some_and(|p| is_asyncio_timeout(&p))
}

/// The function (or module) whose names a statement binds.
fn scope_of<'t>(ctx: &Ctx<'t>, node: Node<'t>) -> Node<'t> {
    let mut cur = node;
    while let Some(parent) = ctx.parent(cur) {
        if matches!(parent.kind(), "function_definition" | "module") {
            return parent;
        }
        cur = parent;
    }
    cur
}

/// A load of `name` in `scope` (nested functions included: they see the import too).
/// Where `reference` makes asyncio's class reach other code, when the project supports a
/// Python before 3.11 (where asyncio's `TimeoutError` is not the builtin): `raise
/// asyncio.TimeoutError(...)` or a base class. Callers that catch `asyncio.TimeoutError`
/// (other packages, not migrated) would no longer catch the builtin there.
fn produced_before_3_11(ctx: &Ctx, reference: Node) -> Option<&'static str> {
    if ctx.targets.python >= crate::target::Version(3, 11, 0) {
        return None;
    }
    let parent = ctx.parent(reference)?;
    // `raise X` / `raise X(...)`: the raised value is the statement's first child.
    let is_raised_by = |stmt: Node, value: Node| {
        stmt.kind() == "raise_statement"
            && stmt.named_child(0).is_some_and(|v| v.id() == value.id())
    };
    let raised = match parent.kind() {
        "raise_statement" => is_raised_by(parent, reference),
        "call" => {
            parent
                .child_by_field_name("function")
                .is_some_and(|f| f.id() == reference.id())
                && ctx.parent(parent).is_some_and(|r| is_raised_by(r, parent))
        }
        _ => false,
    };
    if raised {
        // Caught by a handler of the same function, it never reaches a caller.
        return (!caught_here(ctx, reference)).then_some("raised");
    }
    match parent.kind() {
        "argument_list"
            if ctx
                .parent(parent)
                .is_some_and(|c| c.kind() == "class_definition") =>
        {
            Some("a base class")
        }
        // Test code hands its values to the code under test, whose handlers are migrated too.
        _ if ctx.path.is_some_and(crate::source::is_test_code) => None,
        _ => handed_on(ctx, reference, parent),
    }
}

/// A reference not raised here that still makes asyncio's class reach other code: an instance
/// made and kept (stored, returned, `fut.set_exception(asyncio.TimeoutError())`), the class
/// handed to what raises it (`set_exception` / `throw`, `side_effect=`), returned, or bound to
/// a name that is raised or called (`EXC = asyncio.TimeoutError`, then `raise EXC`). Matching
/// an exception against it (`except`, `isinstance`, a comparison, an annotation, a tuple of
/// classes, a call's argument such as a retry policy's classes) hands nothing on. Found on a
/// probe of unseen projects: a mock library stored `asyncio.TimeoutError(...)` to raise in its
/// users' code.
fn handed_on(ctx: &Ctx, reference: Node, parent: Node) -> Option<&'static str> {
    const HANDED_ON: &str = "handed on as a value (it may be raised elsewhere)";
    if parent.kind() == "call"
        && parent
            .child_by_field_name("function")
            .is_some_and(|f| f.id() == reference.id())
    {
        return Some("created (the instance is raised or handed on elsewhere)");
    }
    if ctx.ancestors(reference).any(|a| a.kind() == "type") {
        return None;
    }
    let mut node = reference;
    let mut container = parent;
    while container.kind() == "parenthesized_expression" {
        node = container;
        container = ctx.parent(container)?;
    }
    match container.kind() {
        "argument_list" => ctx
            .parent(container)
            .is_some_and(|call| hands_to_raiser(ctx, call))
            .then_some(HANDED_ON),
        "keyword_argument" => container
            .child_by_field_name("name")
            .is_some_and(|n| ctx.text_of(n) == "side_effect")
            .then_some(HANDED_ON),
        "assignment" if container.child_by_field_name("right") == Some(node) => {
            let left = container
                .child_by_field_name("left")
                .filter(|l| l.kind() == "identifier")?;
            ctx.resolver
                .references(ctx.tree, ctx.text_of(left), left)
                .into_iter()
                .any(|r| r.id() != left.id() && alias_raised(ctx, r))
                .then_some(HANDED_ON)
        }
        // Tuples and lists of classes are matched against exceptions.
        "except_clause"
        | "except_group_clause"
        | "as_pattern"
        | "comparison_operator"
        | "tuple"
        | "list"
        | "set" => None,
        _ => Some(HANDED_ON),
    }
}

/// `fut.set_exception(...)`, `coro.throw(...)`: the call raises what it is given.
fn hands_to_raiser(ctx: &Ctx, call: Node) -> bool {
    call.child_by_field_name("function")
        .and_then(|f| last_name(ctx.text, f))
        .is_some_and(|name| matches!(name, "set_exception" | "throw"))
}

/// A use of a name bound to the class that raises it or makes an instance: `raise EXC`,
/// `EXC(...)`, `fut.set_exception(EXC)`.
fn alias_raised(ctx: &Ctx, name: Node) -> bool {
    let Some(parent) = ctx.parent(name) else {
        return false;
    };
    match parent.kind() {
        "raise_statement" => true,
        "call" => parent
            .child_by_field_name("function")
            .is_some_and(|f| f.id() == name.id()),
        "argument_list" => ctx
            .parent(parent)
            .is_some_and(|call| hands_to_raiser(ctx, call)),
        _ => false,
    }
}

/// `node` lies in the body of a `try` of its function (or module) with a handler that catches
/// a timeout (`TimeoutError`, asyncio's, `Exception`, `BaseException`, `OSError` or a bare
/// `except:`), or of a `with suppress(...)` / `pytest.raises(...)`.
fn caught_here(ctx: &Ctx, node: Node) -> bool {
    let region =
        crate::codemods::enclosing_function(ctx.resolver, node).unwrap_or(ctx.tree.root_node());
    let catchers = crate::analysis::exceptions::catchers(ctx.code(), node, region);
    // `with pytest.raises(...)` / `suppress(...)` around the raise: the test or the code
    // expects it there, and its class is rewritten with the raise.
    if catchers.iter().any(|c| c.kind() == "with_statement") {
        return true;
    }
    catchers
        .into_iter()
        .filter(|c| c.kind() == "try_statement")
        .flat_map(|t| {
            named_children(t)
                .filter(|c| c.kind() == "except_clause")
                .collect::<Vec<_>>()
        })
        .any(|clause| {
            let types = crate::analysis::exceptions::caught_types(clause);
            types.is_empty()
                || types.iter().any(|t| {
                    ctx.is(*t, TARGET)
                        || matches!(
                            ctx.text_of(*t),
                            "TimeoutError" | "Exception" | "BaseException" | "OSError"
                        )
                })
        })
}

/// A use of the name `TimeoutError` in `scope` that [`produced_before_3_11`] names.
fn producer_in(ctx: &Ctx, scope: Node) -> Option<&'static str> {
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier"
            && ctx.text_of(n) == "TimeoutError"
            && is_reference(ctx.resolver, n)
            && let Some(site) = produced_before_3_11(ctx, n)
        {
            return Some(site);
        }
        stack.extend(named_children(n));
    }
    None
}

fn producer_finding(ctx: &Ctx, at: usize, site: &str) -> Finding {
    let python = ctx.targets.python;
    Finding::manual(
        ID,
        "raised-before-3-11",
        at,
        format!(
            "asyncio.TimeoutError is {site} here, and the project supports Python {python}: before 3.11 it is not the builtin TimeoutError, so code that catches `asyncio.TimeoutError` (callers not migrated, other packages) would no longer catch the builtin"
        ),
        "keep raising asyncio's class while Python < 3.11 is supported (anyio's own timeouts raise the builtin, so migrated callers catch both: `except (TimeoutError, asyncio.TimeoutError)`), or raise the builtin once the project requires Python >= 3.11",
    )
}

fn has_load_reference(ctx: &Ctx, scope: Node, name: &str) -> bool {
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" && ctx.text_of(n) == name && is_reference(ctx.resolver, n) {
            return true;
        }
        stack.extend(named_children(n));
    }
    false
}

/// A string literal that is exactly `word`: an `__all__` entry or a string annotation.
fn mentions_in_string(ctx: &Ctx, word: &str) -> bool {
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "string" {
            if ctx.text_of(n).trim_matches(['"', '\'']) == word {
                return true;
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    false
}

/// Delete a statement and its line; `pass` keeps a block that would become empty valid.
fn delete_statement(ctx: &Ctx, stmt: Node) -> Vec<Edit> {
    let text = ctx.text;
    let start = crate::source::line_start(text, stmt.start_byte());
    let end = text[stmt.end_byte()..]
        .find('\n')
        .map_or(text.len(), |i| stmt.end_byte() + i + 1);
    let alone = text[start..stmt.start_byte()].trim().is_empty()
        && text[stmt.end_byte()..end].trim().is_empty();
    let only_in_block = ctx.parent(stmt).is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    if alone && !only_in_block {
        vec![Edit::delete(start..end)]
    } else {
        vec![Edit::replace(stmt.byte_range(), "pass")]
    }
}
