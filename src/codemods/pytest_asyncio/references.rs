//! References: `pytest.mark.asyncio`, `pytest_asyncio.fixture`, other `pytest_asyncio.X`.

use super::imports::is_pytest_asyncio_import;
use super::{ID, MESSAGES};
use crate::analysis::syntax::import_parts;
use crate::codemods::{Ctx, call_args, has_comment};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::{kind, named_children};
use crate::source::line_start;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// References: `pytest.mark.asyncio`, `pytest_asyncio.fixture`, other `pytest_asyncio.X`

pub(super) fn plan_reference(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    if let Some(lookup) = plugin_lookup(ctx, node) {
        return vec![lookup];
    }
    // Resolution first: every identifier and attribute comes here, and most resolve to
    // nothing at the cost of a lookup.
    let Some(path) = ctx.qualified(node) else {
        return Vec::new();
    };
    // A binding is no use: `pytest_asyncio = None` in the `except ImportError:` that makes
    // the import optional.
    if !is_expression_use(ctx, node)
        || crate::analysis::bindings::is_binding_site(ctx.resolver, node)
    {
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
                "pytest-asyncio-api",
                node.start_byte(),
                MESSAGES.fill("pytest-asyncio-api", "problem", &[("path", &path)]),
                MESSAGES.text("pytest-asyncio-api", "advice"),
            )
            .blocking()
            .into(),
        ];
    }
    Vec::new()
}

/// An expression that is a whole reference: not the object of a longer attribute chain (the
/// chain is looked at instead), not a member or keyword name, not inside an import.
pub(super) fn is_expression_use(ctx: &Ctx, node: Node) -> bool {
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
pub(super) fn plan_marker(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let Some(attr) = node.child_by_field_name("attribute") else {
        return Vec::new();
    };
    let mut edits = vec![Edit::replace(attr.byte_range(), "anyio")];
    let call = ctx.parent(node).filter(|p| p.kind() == "call").filter(|p| {
        p.child_by_field_name("function")
            .is_some_and(|f| f.id() == node.id())
    });
    let Some(call) = call else {
        return vec![fix(node, "asyncio-marker", Verdict::Safe, edits, None)];
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
            Some(scope) if !function_scope => MESSAGES.fill(
                "asyncio-marker",
                "scope-note",
                &[("dropped", &dropped.join(", ")), ("scope", scope)],
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
    vec![fix(node, "asyncio-marker", verdict, edits, review)]
}

/// `@pytest_asyncio.fixture(...)` → `@pytest.fixture(...)` without `loop_scope=`.
pub(super) fn plan_fixture_decorator(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let Some((name, import)) = pytest_name(ctx, node) else {
        return vec![
            Finding::manual(
                ID,
                "pytest-shadowed",
                node.start_byte(),
                "`pytest_asyncio.fixture` cannot become `pytest.fixture` here: the name `pytest` means something else in this scope",
                "use `pytest.fixture` (without `loop_scope=`) with pytest imported under a free name",
            ).blocking()
            .into(),
        ];
    };
    let mut edits = vec![Edit::replace(node.byte_range(), format!("{name}.fixture"))];
    edits.extend(import);
    let call = ctx.parent(node).filter(|p| p.kind() == "call").filter(|p| {
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
                        "loop-scope-comment",
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
    vec![fix(node, "fixture-decorator", Verdict::Safe, edits, None)]
}

/// `loop_scope="x",` as the only argument: the trailing comma goes too.
pub(super) fn trailing_comma_end(ctx: &Ctx, arg: Node) -> usize {
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
pub fn pytest_name(ctx: &Ctx, node: Node) -> Option<(String, Option<Edit>)> {
    let module = ctx.tree.root_node();
    for stmt in named_children(module).filter(|s| s.kind() == "import_statement") {
        for n in named_children(stmt) {
            let Some((path, alias)) = import_parts(n) else {
                continue;
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
    // Where isort puts it in the leading import block, else at the top of the imports.
    let (at, line) = crate::imports::sections::place(
        ctx.tree.root_node(),
        ctx.text,
        "pytest",
        &[],
        &|_: &str| false,
    )
    .unwrap_or_else(|| (import_point(ctx), "import pytest\n".to_owned()));
    Some(("pytest".to_owned(), Some(Edit::shared_insert(at, line))))
}

/// Where `import pytest` goes: in place of the module's `pytest_asyncio` import (which goes away
/// once unused), else at the top of the import block.
pub(super) fn import_point(ctx: &Ctx) -> usize {
    let module = ctx.tree.root_node();
    if let Some(s) = named_children(module).find(|s| is_pytest_asyncio_import(ctx, *s)) {
        return line_start(ctx.text, s.start_byte());
    }
    import_point_in(module, ctx.text)
}

/// What new code in `scope` that names `asyncio` needs: `Some(None)` when `asyncio` is the module
/// there already, `Some(Some(edit))` the `import asyncio` to add when the name is free, `None`
/// when it means something else.
pub fn asyncio_import(ctx: &Ctx, scope: Node) -> Option<Option<Edit>> {
    match ctx.resolver.resolve_name("asyncio", scope).as_deref() {
        Some("asyncio") => Some(None),
        Some(_) => None,
        None if ctx.resolver.is_bound("asyncio", scope) => None,
        None => {
            let module = ctx.tree.root_node();
            let (at, line) =
                crate::imports::sections::place(module, ctx.text, "asyncio", &[], &|_: &str| false)
                    .unwrap_or_else(|| {
                        (
                            import_point_in(module, ctx.text),
                            "import asyncio\n".to_owned(),
                        )
                    });
            Some(Some(Edit::insert(at, line)))
        }
    }
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

pub(super) fn next_line(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1)
}

pub(super) fn fix(
    node: Node,
    kind: &'static str,
    verdict: Verdict,
    edits: Vec<Edit>,
    review: Option<String>,
) -> Outcome {
    let fix = Fix::new(ID, kind, node.start_byte(), verdict, edits).needs_only(&[]);
    match review {
        Some(n) => fix.note(n).into(),
        None => fix.into(),
    }
}

/// `config.pluginmanager.getplugin("asyncio")` (or `hasplugin`, or by its module's name
/// `pytest_asyncio`): code that looks pytest-asyncio's plugin up at run time, as a pytest plugin
/// built on it does. Once the suite runs on anyio's plugin the lookup finds nothing (`None`,
/// `False`), so the suite stays on pytest-asyncio (found on a fake-time plugin whose every
/// test then failed with an `AttributeError` on `None`).
fn plugin_lookup(ctx: &Ctx, node: Node) -> Option<Outcome> {
    if node.kind() != "attribute" {
        return None;
    }
    let method = node.child_by_field_name("attribute")?;
    if !matches!(ctx.text_of(method), "getplugin" | "hasplugin") {
        return None;
    }
    let call = ctx.parent(node).filter(|p| p.kind() == "call")?;
    let first = crate::codemods::call_args(call).into_iter().next()?;
    let plugin = ctx.text_of(first).trim_matches(['"', '\'']);
    if first.kind() != "string" || !matches!(plugin, "asyncio" | "pytest_asyncio") {
        return None;
    }
    Some(
        Finding::manual(
            ID,
            "plugin-lookup",
            call.start_byte(),
            MESSAGES.fill("plugin-lookup", "problem", &[("call", ctx.text_of(call))]),
            MESSAGES.text("plugin-lookup", "advice"),
        )
        .blocking()
        .into(),
    )
}
