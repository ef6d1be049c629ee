//! pytest-asyncio: pytest-asyncio's markers, fixtures and event-loop plumbing → anyio's pytest
//! plugin (spec §13). Configuration and dependency files are edited by `crate::project`.

use super::{Captures, Ctx, call_args, has_comment, is_async_def, is_member_name};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::{kind, named_children};
use crate::source::line_start;
use tree_sitter::Node;

pub const ID: &str = "pytest-asyncio";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(node) = caps.get("ref") {
        return plan_reference(ctx, node);
    }
    if let Some(stmt) = caps.get("import") {
        return plan_import(ctx, stmt).into_iter().collect();
    }
    if let Some(def) = caps.get("decorated") {
        return plan_decorated(ctx, def);
    }
    if let Some(func) = caps.get("func") {
        return plan_function(ctx, func);
    }
    if let Some(class) = caps.get("class") {
        return plan_class(ctx, class);
    }
    Vec::new()
}

// ---------------------------------------------------------------------------------------------
// References: `pytest.mark.asyncio`, `pytest_asyncio.fixture`, other `pytest_asyncio.X`

fn plan_reference(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    // Resolution first: every identifier and attribute comes here, and most resolve to
    // nothing at the cost of a lookup.
    let Some(path) = ctx.qualified(node) else {
        return Vec::new();
    };
    if !is_expression_use(ctx, node) {
        return Vec::new();
    }
    if path == "pytest.mark.asyncio" {
        return plan_marker(ctx, node);
    }
    if path == "pytest_asyncio.fixture" {
        return plan_fixture_decorator(ctx, node);
    }
    if path == "pytest_asyncio" || path.starts_with("pytest_asyncio.") {
        return vec![
            Finding::manual(
                ID,
                node.start_byte(),
                format!("`{path}` belongs to pytest-asyncio, which anyio's plugin replaces: it fails once pytest-asyncio is uninstalled"),
                "remove it: anyio's plugin runs async tests marked `@pytest.mark.anyio` (or every async test with `anyio_mode = auto`); `is_async_test(item)` → `item.get_closest_marker(\"anyio\") is not None`",
            ).blocking()
            .into(),
        ];
    }
    Vec::new()
}

/// An expression that is a whole reference: not the object of a longer attribute chain (the
/// chain is looked at instead), not a member or keyword name, not inside an import.
fn is_expression_use(ctx: &Ctx, node: Node) -> bool {
    let Some(parent) = ctx.parent(node) else {
        return false;
    };
    match kind(parent) {
        "keyword_argument" => parent
            .child_by_field_name("name")
            .is_none_or(|n| n.id() != node.id()),
        "attribute"
        | "dotted_name"
        | "aliased_import"
        | "import_statement"
        | "import_from_statement" => false,
        _ => true,
    }
}

/// `@pytest.mark.asyncio` → `@pytest.mark.anyio`; marker arguments are dropped (anyio ignores
/// them; a shared `loop_scope` is what changes).
fn plan_marker(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let Some(attr) = node.child_by_field_name("attribute") else {
        return Vec::new();
    };
    let mut edits = vec![Edit::replace(attr.byte_range(), "anyio")];
    let call = node.parent().filter(|p| p.kind() == "call").filter(|p| {
        p.child_by_field_name("function")
            .is_some_and(|f| f.id() == node.id())
    });
    let Some(call) = call else {
        return vec![fix(node, Verdict::Safe, edits, None)];
    };
    let Some(args) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    edits.push(Edit::delete(args.byte_range()));
    let dropped: Vec<String> = call_args(call)
        .iter()
        .map(|a| ctx.text_of(*a).to_owned())
        .collect();
    let loop_scope = call_args(call).into_iter().find_map(|a| {
        let key = a.child_by_field_name("name")?;
        let value = a.child_by_field_name("value")?;
        matches!(ctx.text_of(key), "loop_scope" | "scope").then(|| ctx.text_of(value).to_owned())
    });
    let function_scope = loop_scope
        .as_deref()
        .is_some_and(|v| matches!(v, "\"function\"" | "'function'"));
    let mut review = None;
    let mut verdict = Verdict::Safe;
    if !(dropped.is_empty() || function_scope && dropped.len() == 1) {
        verdict = Verdict::Unsafe;
        review = Some(match &loop_scope {
            Some(scope) if !function_scope => format!(
                "marker argument dropped ({}): anyio gives each test its own event loop; tests share one only while a higher-scoped async fixture keeps it running, so tests that relied on a {scope} loop need review",
                dropped.join(", ")
            ),
            _ => format!(
                "marker arguments dropped ({}): anyio's marker takes none",
                dropped.join(", ")
            ),
        });
    }
    if has_comment(args) {
        verdict = Verdict::Unsafe;
        let extra = "a comment inside the marker's arguments was removed with them";
        review = Some(review.map_or_else(|| extra.to_owned(), |n| format!("{n}; {extra}")));
    }
    vec![fix(node, verdict, edits, review)]
}

/// `@pytest_asyncio.fixture(...)` → `@pytest.fixture(...)` without `loop_scope=`.
fn plan_fixture_decorator(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let Some((name, import)) = pytest_name(ctx, node) else {
        return vec![
            Finding::manual(
                ID,
                node.start_byte(),
                "`pytest_asyncio.fixture` cannot become `pytest.fixture` here: the name `pytest` means something else in this scope",
                "use `pytest.fixture` (without `loop_scope=`) with pytest imported under a free name",
            ).blocking()
            .into(),
        ];
    };
    let mut edits = vec![Edit::replace(node.byte_range(), format!("{name}.fixture"))];
    edits.extend(import);
    let call = node.parent().filter(|p| p.kind() == "call").filter(|p| {
        p.child_by_field_name("function")
            .is_some_and(|f| f.id() == node.id())
    });
    if let Some(call) = call {
        let args = call_args(call);
        for (i, a) in args.iter().enumerate() {
            let is_loop_scope = a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|k| ctx.text_of(k) == "loop_scope");
            if !is_loop_scope {
                continue;
            }
            // Up to the next argument, or back to the previous one when it is the last.
            let range = match (args.get(i + 1), i.checked_sub(1).map(|j| args[j])) {
                (Some(next), _) => a.start_byte()..next.start_byte(),
                (None, Some(prev)) => prev.end_byte()..a.end_byte(),
                (None, None) => a.start_byte()..trailing_comma_end(ctx, *a),
            };
            if ctx.text[range.clone()].contains('#') {
                return vec![
                    Finding::manual(
                        ID,
                        a.start_byte(),
                        "`loop_scope=` must go (pytest.fixture rejects it), but a comment sits next to it",
                        "delete `loop_scope=...` by hand and use `pytest.fixture`",
                    ).blocking()
                    .into(),
                ];
            }
            edits.push(Edit::delete(range));
        }
    }
    vec![fix(node, Verdict::Safe, edits, None)]
}

/// `loop_scope="x",` as the only argument: the trailing comma goes too.
fn trailing_comma_end(ctx: &Ctx, arg: Node) -> usize {
    let rest = &ctx.text[arg.end_byte()..];
    let trimmed = rest.trim_start();
    if trimmed.starts_with(',') {
        arg.end_byte() + (rest.len() - trimmed.len()) + 1
    } else {
        arg.end_byte()
    }
}

/// The name pytest is imported under (and the edit that imports it when it is not imported),
/// `None` when `pytest` is taken by something else where `node` is.
fn pytest_name(ctx: &Ctx, node: Node) -> Option<(String, Option<Edit>)> {
    let module = ctx.tree.root_node();
    for stmt in named_children(module).filter(|s| s.kind() == "import_statement") {
        for n in named_children(stmt) {
            let (path, alias) = match n.kind() {
                "dotted_name" => (n, n),
                "aliased_import" => match (
                    n.child_by_field_name("name"),
                    n.child_by_field_name("alias"),
                ) {
                    (Some(p), Some(a)) => (p, a),
                    _ => continue,
                },
                _ => continue,
            };
            let alias_text = ctx.text_of(alias).to_owned();
            if ctx.text_of(path) == "pytest"
                && ctx.resolver.resolve_name(&alias_text, node).as_deref() == Some("pytest")
            {
                return Some((alias_text, None));
            }
        }
    }
    if ctx.resolver.is_bound("pytest", node) {
        return None;
    }
    let at = import_point(ctx);
    Some((
        "pytest".to_owned(),
        Some(Edit::shared_insert(at, "import pytest\n")),
    ))
}

/// Where `import pytest` goes: in place of the module's `pytest_asyncio` import (which goes away
/// once unused), else at the top of the import block.
fn import_point(ctx: &Ctx) -> usize {
    let module = ctx.tree.root_node();
    if let Some(s) = named_children(module).find(|s| is_pytest_asyncio_import(ctx, *s)) {
        return line_start(ctx.text, s.start_byte());
    }
    import_point_in(module, ctx.text)
}

/// The top of a module's import block: after a docstring and `from __future__` imports.
pub fn import_point_in(module: Node, text: &str) -> usize {
    let mut after = None;
    let doc = crate::imports::docstring(module).map(|d| d.id());
    for s in named_children(module) {
        let docstring = doc == Some(s.id());
        match s.kind() {
            "comment" => {}
            "future_import_statement" => after = Some(s),
            _ if docstring => after = Some(s),
            _ => return line_start(text, s.start_byte()),
        }
    }
    after.map_or(text.len(), |s| next_line(text, s.end_byte()))
}

fn next_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

fn fix(node: Node, verdict: Verdict, edits: Vec<Edit>, review: Option<String>) -> Outcome {
    let fix = Fix::new(ID, node.start_byte(), verdict, edits).needs_only(&[]);
    match review {
        Some(n) => fix.note(n).into(),
        None => fix.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// `import pytest_asyncio`: removed once nothing uses it (it fails once pytest-asyncio is gone)

fn is_pytest_asyncio_import(ctx: &Ctx, stmt: Node) -> bool {
    !bound_names(ctx, stmt).is_empty()
}

/// The names an import statement binds to `pytest_asyncio` (or something in it), with the node
/// that binds each.
fn bound_names<'t>(ctx: &Ctx, stmt: Node<'t>) -> Vec<(String, Node<'t>)> {
    crate::imports::module_bindings(stmt, ctx.text, "pytest_asyncio")
}

fn plan_import(ctx: &Ctx, stmt: Node) -> Option<Outcome> {
    let bound = bound_names(ctx, stmt);
    if bound.is_empty() {
        return None;
    }
    let unused: Vec<bool> = bound.iter().map(|(n, _)| uses(ctx, n) == 0).collect();
    if !unused.contains(&true) {
        return None;
    }
    let all_names = if stmt.kind() == "import_from_statement" {
        let mut cursor = stmt.walk();
        stmt.children_by_field_name("name", &mut cursor).count()
    } else {
        named_children(stmt)
            .filter(|n| matches!(n.kind(), "dotted_name" | "aliased_import"))
            .count()
    };
    let edit = if unused.iter().filter(|u| **u).count() == all_names {
        delete_statement(ctx, stmt)
    } else {
        if has_comment(stmt) {
            return None;
        }
        let names: Vec<Node> = if stmt.kind() == "import_from_statement" {
            let mut cursor = stmt.walk();
            stmt.children_by_field_name("name", &mut cursor).collect()
        } else {
            named_children(stmt)
                .filter(|n| matches!(n.kind(), "dotted_name" | "aliased_import"))
                .collect()
        };
        let removed = |n: &Node| {
            bound
                .iter()
                .zip(&unused)
                .any(|((_, b), u)| *u && b.id() == n.id())
        };
        let kept: Vec<&str> = names
            .iter()
            .filter(|n| !removed(n))
            .map(|n| ctx.text_of(*n))
            .collect();
        let (first, last) = (names.first()?, names.last()?);
        Edit::replace(first.start_byte()..last.end_byte(), kept.join(", "))
    };
    Some(fix(stmt, Verdict::Safe, vec![edit], None))
}

/// Uses of a module-level name outside import statements.
fn uses(ctx: &Ctx, name: &str) -> usize {
    let mut count = 0;
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "import_statement" | "import_from_statement" => continue,
            "identifier"
                if ctx.text_of(n) == name
                    && !is_member_name(n)
                    && ctx.resolver.refers_to_module_scope(name, n) =>
            {
                count += 1;
            }
            _ => {}
        }
        stack.extend(named_children(n));
    }
    count
}

/// Delete a statement with its line, or put `pass` in its place when it is the only statement
/// of its block (an import inside `try:`).
fn delete_statement(ctx: &Ctx, stmt: Node) -> Edit {
    let alone_in_block = stmt.parent().is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    let start = line_start(ctx.text, stmt.start_byte());
    let own_line = ctx.text[start..stmt.start_byte()].trim().is_empty()
        && ctx.text[stmt.end_byte()..next_line(ctx.text, stmt.end_byte())]
            .trim()
            .is_empty();
    if alone_in_block || !own_line {
        Edit::replace(stmt.byte_range(), "pass")
    } else {
        Edit::delete(start..next_line(ctx.text, stmt.end_byte()))
    }
}

// ---------------------------------------------------------------------------------------------
// Fixture definitions: `event_loop` deleted, `event_loop_policy` reported, `anyio_backend`
// widened to session scope.

/// The fixture decorator of a decorated definition (`@pytest.fixture`,
/// `@pytest.fixture(...)`, `@pytest_asyncio.fixture...`): the decorator's expression.
pub(crate) fn fixture_decorator<'t>(ctx: &Ctx, def: Node<'t>) -> Option<Node<'t>> {
    named_children(def)
        .filter(|d| d.kind() == "decorator")
        .filter_map(|d| d.named_child(0))
        .find(|e| {
            let callee = if e.kind() == "call" {
                e.child_by_field_name("function")
            } else {
                Some(*e)
            };
            callee
                .is_some_and(|c| ctx.is(c, "pytest.fixture") || ctx.is(c, "pytest_asyncio.fixture"))
        })
}

/// The name a fixture is requested by: `name="..."`, else the function's name.
fn fixture_name(ctx: &Ctx, decorator: Node, func: Node) -> Option<String> {
    if decorator.kind() == "call"
        && let Some(name) = super::keyword_arg(decorator, ctx.text, "name")
    {
        let text = ctx.text_of(name);
        let inner = text.trim_matches(|c| c == '"' || c == '\'');
        return (name.kind() == "string" && !inner.is_empty()).then(|| inner.to_owned());
    }
    func.child_by_field_name("name")
        .map(|n| ctx.text_of(n).to_owned())
}

fn plan_decorated(ctx: &Ctx, def: Node) -> Vec<Outcome> {
    let Some(func) = def
        .child_by_field_name("definition")
        .filter(|d| d.kind() == "function_definition")
    else {
        return Vec::new();
    };
    let Some(decorator) = fixture_decorator(ctx, def) else {
        return Vec::new();
    };
    let Some(name) = func.child_by_field_name("name").map(|n| ctx.text_of(n)) else {
        return Vec::new();
    };
    match name {
        "event_loop" if default_event_loop(ctx, func) => {
            vec![fix(def, Verdict::Safe, vec![delete_definition(ctx, def)], None)]
        }
        "event_loop" => vec![
            Finding::manual(
                ID,
                def.start_byte(),
                "an `event_loop` fixture that does more than make, yield and close a plain new loop: on pytest-asyncio before 1.0 it chooses the loop every test runs on (a loop class, uvloop, debug mode, a policy), which anyio's plugin never asks for",
                "choose the loop in the `anyio_backend` fixture instead: `return (\"asyncio\", {\"loop_factory\": make_loop})` (or `{\"use_uvloop\": True}`, `{\"debug\": True}`), then delete this fixture",
            )
            .blocking()
            .into(),
        ],
        "event_loop_policy" => vec![
            Finding::manual(
                ID,
                def.start_byte(),
                "an `event_loop_policy` fixture picks pytest-asyncio's loop: anyio's plugin never asks for it",
                "choose the loop in the `anyio_backend` fixture instead:\n@pytest.fixture(scope=\"session\")\ndef anyio_backend():\n    return (\"asyncio\", {\"use_uvloop\": True})   # or {\"loop_factory\": my_loop_factory}",
            ).blocking()
            .into(),
        ],
        "anyio_backend" => widen_scope(ctx, decorator).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// An `event_loop` fixture that only makes a plain new loop, hands it out and closes it (what
/// pytest-asyncio's own fixture did): deleting it changes nothing. Its statements may be a
/// docstring, `loop = asyncio.new_event_loop()` (or `asyncio.get_event_loop_policy()
/// .new_event_loop()`), `yield loop` / `return loop`, and `loop.close()`.
fn default_event_loop(ctx: &Ctx, func: Node) -> bool {
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let made = |value: Node| {
        value.kind() == "call"
            && value.child_by_field_name("function").is_some_and(|f| {
                ctx.is(f, "asyncio.new_event_loop")
                    || f.kind() == "attribute"
                        && f.child_by_field_name("attribute")
                            .is_some_and(|a| ctx.text_of(a) == "new_event_loop")
                        && f.child_by_field_name("object").is_some_and(|o| {
                            o.kind() == "call"
                                && o.child_by_field_name("function")
                                    .is_some_and(|g| ctx.is(g, "asyncio.get_event_loop_policy"))
                        })
            })
            && call_args(value).is_empty()
    };
    let mut loop_name: Option<&str> = None;
    named_children(body).all(|stmt| {
        let inner = named_children(stmt).next();
        match (stmt.kind(), inner.map(|n| n.kind())) {
            ("comment" | "pass_statement", _) | ("expression_statement", Some("string")) => true,
            ("expression_statement", Some("assignment")) => {
                let a = inner.unwrap_or(stmt);
                let (Some(left), Some(right)) = (
                    a.child_by_field_name("left"),
                    a.child_by_field_name("right"),
                ) else {
                    return false;
                };
                let fresh = left.kind() == "identifier" && loop_name.is_none() && made(right);
                if fresh {
                    loop_name = Some(ctx.text_of(left));
                }
                fresh
            }
            ("expression_statement", Some("yield")) | ("return_statement", _) => {
                let value = if stmt.kind() == "return_statement" {
                    inner
                } else {
                    inner.and_then(|y| named_children(y).next())
                };
                value.is_some_and(|v| loop_name == Some(ctx.text_of(v)) || made(v))
            }
            ("expression_statement", Some("call")) => inner.is_some_and(|c| {
                c.child_by_field_name("function").is_some_and(|f| {
                    f.kind() == "attribute"
                        && f.child_by_field_name("attribute")
                            .is_some_and(|m| ctx.text_of(m) == "close")
                        && f.child_by_field_name("object")
                            .is_some_and(|o| loop_name == Some(ctx.text_of(o)))
                })
            }),
            _ => false,
        }
    })
}

/// Delete a decorated definition with its lines and the blank lines after it.
fn delete_definition(ctx: &Ctx, def: Node) -> Edit {
    let alone_in_block = def.parent().is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    if alone_in_block {
        return Edit::replace(def.byte_range(), "pass");
    }
    let mut start = line_start(ctx.text, def.start_byte());
    let mut end = next_line(ctx.text, def.end_byte());
    while end < ctx.text.len() {
        let next = next_line(ctx.text, end);
        if !ctx.text[end..next].trim().is_empty() {
            break;
        }
        end = next;
    }
    if end >= ctx.text.len() {
        // Last in the file: the blank lines before it go instead.
        while start > 0 {
            let prev = line_start(ctx.text, start - 1);
            if !ctx.text[prev..start].trim().is_empty() {
                break;
            }
            start = prev;
        }
    }
    Edit::delete(start..end)
}

/// `anyio_backend` with a narrower scope than the session: module- and session-scoped async
/// fixtures fail with `ScopeMismatch` (spec §13, S5b/S5e).
fn widen_scope(ctx: &Ctx, decorator: Node) -> Option<Outcome> {
    let note = "anyio_backend widened to session scope: module- and session-scoped async fixtures need it (ScopeMismatch otherwise); a fixture it requests must allow session scope";
    let edit = if decorator.kind() == "call" {
        match super::keyword_arg(decorator, ctx.text, "scope") {
            Some(v) if matches!(ctx.text_of(v), "\"session\"" | "'session'") => return None,
            Some(v) => Edit::replace(v.byte_range(), "\"session\""),
            None => {
                let args = decorator.child_by_field_name("arguments")?;
                let first = call_args(decorator).into_iter().next();
                match first {
                    Some(a) => Edit::insert(a.start_byte(), "scope=\"session\", "),
                    None => Edit::insert(args.start_byte() + 1, "scope=\"session\""),
                }
            }
        }
    } else {
        Edit::insert(decorator.end_byte(), "(scope=\"session\")")
    };
    Some(fix(
        decorator,
        Verdict::SafeEdge,
        vec![edit],
        Some(note.to_owned()),
    ))
}

// ---------------------------------------------------------------------------------------------
// Functions: tests requesting `event_loop`/`event_loop_policy`; sync tests requesting an
// async fixture of the same module.

/// The head of the fixture a loop-factory hook becomes (after `@pytest.fixture`): it asks for
/// the `anyio_backend` fixture it overrides. The project pass turns it into the root fixture
/// when the root conftest.py is this one (`project::merge_loop_factory_override`).
pub const LOOP_FACTORY_OVERRIDE: &str = "(scope=\"session\")\ndef anyio_backend(anyio_backend):\n";

/// The same head for a hook that reads pytest's `config`: pytest's own session fixture
/// `pytestconfig` is that object.
pub const LOOP_FACTORY_CONFIG_OVERRIDE: &str =
    "(scope=\"session\")\ndef anyio_backend(anyio_backend, pytestconfig):\n";

/// The name a hook that reads `config` is renamed to (pytest validates only `pytest_*` names).
const HOOK_HELPER: &str = "_asyncio_loop_factories";

/// `pytest_asyncio_loop_factories` hooks → a fixture that overrides `anyio_backend` in the same
/// conftest and adds the factory to the asyncio backend's options of the fixture it overrides
/// (the root one the run writes), so the other backends keep running. Two shapes:
/// - `return {"name": Factory}` alone, the parameters unused: the factory goes in the fixture;
/// - a body that reads `config` (never `item`: a choice per test has no session-wide
///   equivalent) and whose every `return` gives a one-entry dict display, the last statement
///   among them, so every path that does not raise returns one factory: the hook is kept under
///   the name `_asyncio_loop_factories` and the fixture calls it with `config=pytestconfig`
///   (and `item=None` when it declares `item`).
///
/// Several factories, a hook that reads `item`, a comment inside: MANUAL (reported by the
/// caller).
fn loop_factory_fixture(ctx: &Ctx, func: Node) -> Option<Outcome> {
    if super::has_comment(func) || ctx.resolver.is_bound("anyio_backend", func) {
        return None;
    }
    let params: Vec<Node> = func
        .child_by_field_name("parameters")
        .map(|p| named_children(p).collect())
        .unwrap_or_default();
    let names: Vec<&str> = params.iter().map(|n| ctx.text_of(*n)).collect();
    if params.iter().any(|p| p.kind() != "identifier")
        || names.iter().any(|n| !matches!(*n, "config" | "item"))
    {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let statements: Vec<Node> = named_children(body).collect();
    let uses = |name: &str| {
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && ctx.text_of(n) == name && names.contains(&name) {
                return true;
            }
            stack.extend(named_children(n));
        }
        false
    };
    let (pytest, import) = pytest_name(ctx, func)?;
    if let [ret] = statements[..]
        && let Some((key, value)) = one_factory(ret)
        && !uses("config")
        && !uses("item")
    {
        let text = format!(
            "@{pytest}.fixture{LOOP_FACTORY_OVERRIDE}    # pytest-asyncio's loop factory {key} (its pytest_asyncio_loop_factories hook), given to\n    # anyio's asyncio backend; the other backends run as they are.\n{OVERRIDE_PROLOGUE}    return name, {{**options, \"loop_factory\": {factory}}}",
            key = ctx.text_of(key),
            factory = ctx.text_of(value),
        );
        let mut edits = vec![Edit::replace(func.byte_range(), text)];
        edits.extend(import);
        return Some(fix(
            func,
            Verdict::SafeEdge,
            edits,
            Some("pytest_asyncio_loop_factories hook → an `anyio_backend` fixture giving the factory to anyio's asyncio backend (`loop_factory`): every anyio test of this folder on the asyncio backend runs on that loop, as pytest-asyncio ran each asyncio test; the other backends run as they are".to_owned()),
        ));
    }
    if uses("item") || ctx.resolver.is_bound(HOOK_HELPER, func) {
        return None;
    }
    let returns = returns_of(body);
    if !returns
        .iter()
        .any(|r| Some(r.id()) == statements.last().map(Node::id))
        || !returns.iter().all(|r| one_factory(*r).is_some())
    {
        return None;
    }
    let args: Vec<&str> = names
        .iter()
        .map(|n| {
            if *n == "config" {
                "config=pytestconfig"
            } else {
                "item=None"
            }
        })
        .collect();
    let fixture = format!(
        "\n\n\n@{pytest}.fixture{LOOP_FACTORY_CONFIG_OVERRIDE}    # pytest-asyncio's loop factory (its hook, renamed {HOOK_HELPER}), given to\n    # anyio's asyncio backend; the other backends run as they are.\n{OVERRIDE_PROLOGUE}    (factory,) = {HOOK_HELPER}({}).values()\n    return name, {{**options, \"loop_factory\": factory}}",
        args.join(", "),
    );
    let mut edits = vec![
        Edit::replace(func.child_by_field_name("name")?.byte_range(), HOOK_HELPER),
        Edit::insert(func.end_byte(), fixture),
    ];
    edits.extend(import);
    Some(fix(
        func,
        Verdict::SafeEdge,
        edits,
        Some("pytest_asyncio_loop_factories hook that reads pytest's config → renamed `_asyncio_loop_factories` and called by an `anyio_backend` fixture (with `config=pytestconfig`) that gives its factory to anyio's asyncio backend: every anyio test of this folder on the asyncio backend runs on that loop, as pytest-asyncio ran each asyncio test; the other backends run as they are".to_owned()),
    ))
}

/// The fixture's first lines: the backend it overrides, as a name and its options.
const OVERRIDE_PROLOGUE: &str = "    name, options = (anyio_backend, {}) if isinstance(anyio_backend, str) else anyio_backend\n    if name != \"asyncio\":\n        return anyio_backend\n";

/// `return {"name": factory}`: the key (a plain string) and the factory.
fn one_factory(ret: Node) -> Option<(Node, Node)> {
    let dict = ret
        .named_child(0)
        .filter(|d| ret.kind() == "return_statement" && d.kind() == "dictionary")?;
    let [pair] = named_children(dict).collect::<Vec<_>>()[..] else {
        return None;
    };
    let (key, value) = (
        pair.child_by_field_name("key")?,
        pair.child_by_field_name("value")?,
    );
    let plain_string = key.kind() == "string"
        && named_children(key)
            .all(|c| matches!(c.kind(), "string_start" | "string_content" | "string_end"));
    plain_string.then_some((key, value))
}

/// The `return` statements of a function body (not of functions nested in it).
fn returns_of(body: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "return_statement" => out.push(n),
            "function_definition" | "lambda" | "class_definition" => {}
            _ => stack.extend(named_children(n)),
        }
    }
    out
}

/// pytest-asyncio's port fixtures and anyio's equivalents (same call shape).
const PORT_FIXTURES: &[(&str, &str)] = &[
    ("unused_tcp_port", "free_tcp_port"),
    ("unused_tcp_port_factory", "free_tcp_port_factory"),
    ("unused_udp_port", "free_udp_port"),
    ("unused_udp_port_factory", "free_udp_port_factory"),
];

/// pytest-aiohttp's fixtures: that plugin runs on pytest-asyncio.
const AIOHTTP_FIXTURES: &[&str] = &[
    "aiohttp_client",
    "aiohttp_server",
    "aiohttp_raw_server",
    "aiohttp_client_cls",
];

fn plan_function(ctx: &Ctx, func: Node) -> Vec<Outcome> {
    let Some(name) = func.child_by_field_name("name").map(|n| ctx.text_of(n)) else {
        return Vec::new();
    };
    let parent = ctx.parent(func);
    let decorated = parent.filter(|p| kind(*p) == "decorated_definition");
    let module_level = parent.is_some_and(|p| kind(p) == "module")
        || decorated
            .and_then(|p| ctx.parent(p))
            .is_some_and(|p| kind(p) == "module");
    if module_level
        && name == "pytest_asyncio_loop_factories"
        && decorated.is_none()
        && let Some(outcome) = loop_factory_fixture(ctx, func)
    {
        return vec![outcome];
    }
    if module_level && name.starts_with("pytest_asyncio_") {
        return vec![
            Finding::manual(
                ID,
                func.start_byte(),
                format!("`{name}` implements a pytest-asyncio hook: without pytest-asyncio pytest stops with \"unknown hook\" (PluginValidationError)"),
                if name == "pytest_asyncio_loop_factories" {
                    // The one-factory hook that ignores its arguments is rewritten.
                    "replace the hook by an `anyio_backend` fixture that gives each factory to the asyncio backend, parametrised when there are several: `@pytest.fixture(scope=\"session\", params=[(\"asyncio\", {\"loop_factory\": f}) for f in (f1, f2)])` / `def anyio_backend(request): return request.param`; a choice per test item becomes a marker or a fixture of its own"
                } else {
                    "remove the hook; choose the event loop in the `anyio_backend` fixture instead: `return (\"asyncio\", {\"loop_factory\": my_loop_factory})`"
                },
            ).blocking()
            .into(),
        ];
    }
    let fixture = decorated.and_then(|d| fixture_decorator(ctx, d));
    let is_test = name.starts_with("test");
    if !is_test && fixture.is_none() {
        return Vec::new();
    }
    if matches!(name, "event_loop" | "event_loop_policy") && fixture.is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (param, pname) in parameters(ctx, func) {
        if let Some((_, anyio_name)) = PORT_FIXTURES.iter().find(|(p, _)| *p == pname) {
            out.extend(rename_parameter(ctx, param, &pname, anyio_name));
            continue;
        }
        if AIOHTTP_FIXTURES.contains(&pname.as_str()) {
            out.push(
                Finding::manual(
                    ID,
                    param.start_byte(),
                    format!("requests pytest-aiohttp's `{pname}` fixture: pytest-aiohttp runs on pytest-asyncio, so this test keeps needing it (asyncio only)"),
                    "keep pytest-asyncio for these tests, or build the client in an anyio test (asyncio backend) with aiohttp's `aiohttp.test_utils.TestServer` / `TestClient` as async context managers",
                ).blocking()
                .into(),
            );
            continue;
        }
        match pname.as_str() {
            "event_loop" => out.push(
                Finding::manual(
                    ID,
                    param.start_byte(),
                    "requests pytest-asyncio's `event_loop` fixture, which anyio's plugin does not have (fixture 'event_loop' not found)",
                    "drop the parameter; in an async test use `asyncio.get_running_loop()` (asyncio backend only) or anyio's own APIs (`anyio.to_thread.run_sync` for run_in_executor, a task group for create_task, `anyio.sleep`); a sync test that calls `event_loop.run_until_complete(f())` becomes `anyio.run(f)`",
                ).blocking()
                .into(),
            ),
            "event_loop_policy" => out.push(
                Finding::manual(
                    ID,
                    param.start_byte(),
                    "requests pytest-asyncio's `event_loop_policy` fixture, which anyio's plugin does not have",
                    "drop the parameter and choose the loop in `anyio_backend`: `return (\"asyncio\", {\"loop_factory\": ...})` or `{\"use_uvloop\": True}`",
                ).blocking()
                .into(),
            ),
            _ => {}
        }
    }
    if is_test && is_async_def(func) {
        out.extend(loop_handler_finding(ctx, func).map(Outcome::from));
    }
    // `sync_test_outcomes` looks only at parameters of a sync test: the module's fixtures (a
    // walk over the module) are looked up only for one.
    if is_test && fixture.is_none() && !is_async_def(func) && !parameters(ctx, func).is_empty() {
        out.extend(sync_test_outcomes(ctx, func, &fixture_names(ctx, true), ""));
    }
    out
}

/// An async test that fails an asyncio Future by hand or watches asyncio's own logger: what
/// asyncio logs through the loop's exception handler ("exception was never retrieved", errors
/// in loop callbacks), anyio's plugin re-raises in the test (asyncio backend).
fn loop_handler_finding(ctx: &Ctx, func: Node) -> Option<Finding> {
    let body = func.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let mut stack = vec![body];
    let mut spot = None;
    while let Some(node) = stack.pop() {
        let hit = match node.kind() {
            "call" => node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "attribute")
                .and_then(|f| f.child_by_field_name("attribute"))
                .is_some_and(|a| {
                    let method = ctx.text_of(a);
                    method == "set_exception"
                        || (method == "getLogger" && asyncio_literal(ctx, call_args(node).first()))
                }),
            "keyword_argument" => {
                node.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == "logger")
                    && asyncio_literal(ctx, node.child_by_field_name("value").as_ref())
            }
            // Nested functions are other code; their own tests are checked on their own.
            "function_definition" | "class_definition" | "lambda" => false,
            _ => {
                stack.extend(node.named_children(&mut cursor));
                false
            }
        };
        if hit && spot.is_none_or(|s: Node| node.start_byte() < s.start_byte()) {
            spot = Some(node);
        }
        if node.kind() == "call" || node.kind() == "keyword_argument" {
            stack.extend(node.named_children(&mut cursor));
        }
    }
    let spot = spot?;
    Some(Finding::manual(
        ID,
        spot.start_byte(),
        "this test fails an asyncio Future by hand or checks asyncio's own logger: on the asyncio backend, anyio's pytest plugin re-raises in the test every exception that reaches the event loop's exception handler (\"Future exception was never retrieved\", an error in a loop callback), where pytest-asyncio only logged it",
        "retrieve the exception before the test ends (`fut.exception()`, or await the task), or keep this test on pytest-asyncio; anyio's plugin offers no switch for this",
    ))
}

fn asyncio_literal(ctx: &Ctx, node: Option<&Node>) -> bool {
    node.is_some_and(|n| {
        n.kind() == "string"
            && matches!(
                ctx.text_of(*n).trim_matches(|c| c == '"' || c == '\''),
                "asyncio"
            )
    })
}

/// `unused_tcp_port` → anyio's `free_tcp_port` (and the factory and UDP variants): the
/// parameter and every use of it in the function.
fn rename_parameter(ctx: &Ctx, param: Node, old: &str, new: &str) -> Option<Outcome> {
    let func = super::enclosing_function(param)?;
    if ctx.resolver.is_bound(new, param) || ctx.text[func.byte_range()].contains(new) {
        return Some(
            Finding::manual(
                ID,
                param.start_byte(),
                format!("requests pytest-asyncio's `{old}` fixture, which anyio's plugin does not have, and `{new}` (anyio's equivalent) is already used here"),
                format!("use anyio's `{new}` fixture under a free name, or `{new}_factory()` for a second port"),
            ).blocking()
            .into(),
        );
    }
    let edits: Vec<Edit> = ctx
        .resolver
        .references(ctx.tree, old, param)
        .into_iter()
        .filter(|n| n.start_byte() >= func.start_byte() && n.end_byte() <= func.end_byte())
        .map(|n| Edit::replace(n.byte_range(), new))
        .collect();
    Some(fix(
        param,
        Verdict::Safe,
        edits,
        Some(format!(
            "pytest-asyncio's `{old}` fixture → anyio's `{new}`"
        )),
    ))
}

/// A sync test requesting one of `asyncs` (async fixtures; `origin` says where they live):
/// anyio's plugin sets up async fixtures only for tests that use its `anyio_backend` fixture,
/// so the test gets `@pytest.mark.usefixtures("anyio_backend")` (SAFE: the fixtures run in
/// anyio's runner before the test body, as pytest-asyncio ran them in its loop; async generator
/// fixtures and module / session scopes included, `tests/projects/sync_test_async_fixture`).
/// MANUAL when `pytest` cannot be named there or a comment sits where the mark goes.
fn sync_test_outcomes(ctx: &Ctx, func: Node, asyncs: &[String], origin: &str) -> Vec<Outcome> {
    let Some(name) = func.child_by_field_name("name").map(|n| ctx.text_of(n)) else {
        return Vec::new();
    };
    if !name.starts_with("test") || is_async_def(func) {
        return Vec::new();
    }
    let params = parameters(ctx, func);
    if params.iter().any(|(_, p)| p == "anyio_backend") {
        return Vec::new();
    }
    let Some((param, pname)) = params.into_iter().find(|(_, p)| asyncs.contains(p)) else {
        return Vec::new();
    };
    let holder = ctx
        .parent(func)
        .filter(|p| kind(*p) == "decorated_definition")
        .unwrap_or(func);
    if ctx.text_of(holder).contains("anyio_backend") {
        return Vec::new();
    }
    let why = format!(
        "sync test `{name}` requests the async fixture `{pname}`{origin}: anyio's plugin runs async fixtures only for tests that use its `anyio_backend` fixture"
    );
    let Some((pytest, import)) = pytest_name(ctx, func) else {
        return vec![
            Finding::manual(
                ID,
                param.start_byte(),
                format!("{why}, and the name `pytest` means something else here"),
                format!("mark the test `@pytest.mark.usefixtures(\"anyio_backend\")`, or make it `async def {name}(...)`"),
            )
            .blocking()
            .into(),
        ];
    };
    let indent = crate::source::line_indent(ctx.text, holder.start_byte());
    let mut edits = vec![Edit::insert(
        holder.start_byte(),
        format!("@{pytest}.mark.usefixtures(\"anyio_backend\")\n{indent}"),
    )];
    edits.extend(import);
    vec![fix(
        param,
        Verdict::Safe,
        edits,
        Some(format!(
            "{why}: marked `@pytest.mark.usefixtures(\"anyio_backend\")`, so anyio's plugin sets the fixture up before the sync test runs (on each backend of `anyio_backend`)"
        )),
    )]
}

/// Sync tests of a module that request async fixtures of a `conftest.py` (`asyncs`), unless
/// the module defines a fixture of that name itself: each is marked to use `anyio_backend`
/// (see `sync_test_outcomes`; positions in `ctx`'s text).
pub fn conftest_fixture_outcomes(ctx: &Ctx, asyncs: &[String], conftest: &str) -> Vec<Outcome> {
    let own = fixture_names(ctx, false);
    let asyncs: Vec<String> = asyncs
        .iter()
        .filter(|a| !own.contains(a))
        .cloned()
        .collect();
    if asyncs.is_empty() {
        return Vec::new();
    }
    let origin = format!(" (defined in {conftest})");
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "module" | "block" => stack.extend(named_children(n)),
            "class_definition" => stack.extend(n.child_by_field_name("body")),
            "decorated_definition" => stack.extend(n.child_by_field_name("definition")),
            "function_definition" => {
                let is_fixture = ctx
                    .parent(n)
                    .filter(|p| p.kind() == "decorated_definition")
                    .and_then(|d| fixture_decorator(ctx, d))
                    .is_some();
                if !is_fixture {
                    out.extend(sync_test_outcomes(ctx, n, &asyncs, &origin));
                }
            }
            _ => {}
        }
    }
    let at = |o: &Outcome| match o {
        Outcome::Fix(f) => f.at,
        Outcome::Finding(f) => f.at,
    };
    out.sort_by_key(at);
    out
}

/// Plain parameter names of a function, with their nodes.
fn parameters<'t>(ctx: &Ctx, func: Node<'t>) -> Vec<(Node<'t>, String)> {
    let Some(params) = func.child_by_field_name("parameters") else {
        return Vec::new();
    };
    named_children(params)
        .filter_map(|p| {
            let name = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" => named_children(p).find(|c| c.kind() == "identifier"),
                _ => None,
            }?;
            Some((name, ctx.text_of(name).to_owned()))
        })
        .collect()
}

/// Names of the fixtures (the async ones only, with `only_async`) defined in this module, at
/// module level or in a class.
pub fn fixture_names(ctx: &Ctx, only_async: bool) -> Vec<String> {
    // A fixture's decorator resolves to `pytest.fixture` or `pytest_asyncio.fixture`: without
    // an import from either there is none, and no walk over the module.
    if !ctx.resolver.imports_from("pytest") && !ctx.resolver.imports_from("pytest_asyncio") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match kind(n) {
            "module" | "block" => stack.extend(named_children(n)),
            "class_definition" => stack.extend(n.child_by_field_name("body")),
            "decorated_definition" => {
                let Some(def) = n.child_by_field_name("definition") else {
                    continue;
                };
                if kind(def) == "class_definition" {
                    stack.extend(def.child_by_field_name("body"));
                    continue;
                }
                if only_async && !is_async_def(def) {
                    continue;
                }
                if let Some(dec) = fixture_decorator(ctx, n)
                    && let Some(name) = fixture_name(ctx, dec, def)
                {
                    out.push(name);
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// `class T(unittest.IsolatedAsyncioTestCase)`

fn plan_class(ctx: &Ctx, class: Node) -> Vec<Outcome> {
    let Some(bases) = class.child_by_field_name("superclasses") else {
        return Vec::new();
    };
    let Some(base) = named_children(bases).find(|b| ctx.is(*b, "unittest.IsolatedAsyncioTestCase"))
    else {
        return Vec::new();
    };
    let name = class
        .child_by_field_name("name")
        .map_or("TestX", |n| ctx.text_of(n));
    vec![
        Finding::manual(
            ID,
            base.start_byte(),
            "`unittest.IsolatedAsyncioTestCase` runs every test in its own asyncio loop: it keeps passing without pytest-asyncio, but only on asyncio, never on anyio's trio backend",
            format!("rewrite it as a pytest class run by anyio's plugin:\n@pytest.mark.anyio\nclass {name}:\n    @pytest.fixture(autouse=True)\n    async def _setup(self):\n        ...  # asyncSetUp body\n        yield\n        ...  # asyncTearDown body\n\n    async def test_x(self):\n        assert a == b  # self.assertEqual(a, b)"),
        )
        .into(),
    ]
}
