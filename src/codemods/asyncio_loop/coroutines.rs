//! `asyncio.iscoroutinefunction` → `inspect.iscoroutinefunction`, unless the function may rely on
//! asyncio's `_is_coroutine` marker.

use super::ID;
use super::advice::MESSAGES;
use super::producers::{class_named, is_def_name, method_named};
use crate::codemods::{Ctx, call_args};
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// `asyncio.iscoroutinefunction` (called or passed as a value) → `inspect.iscoroutinefunction`.
pub(super) fn iscoroutinefunction(ctx: &Ctx, node: Node) -> Vec<Outcome> {
    let inspect_shadowed = ctx.resolver.is_bound("inspect", node)
        && ctx.resolver.resolve_name("inspect", node).as_deref() != Some("inspect");
    if inspect_shadowed {
        return vec![Finding::manual(
            ID,
            "inspect-shadowed",
            node.start_byte(),
            "`inspect` names something else here, so `inspect.iscoroutinefunction` cannot be written in place",
            "import the module under a free name (`import inspect as _inspect`) and call `_inspect.iscoroutinefunction(f)`",
        )
        .into()];
    }
    if let Some(why) = marker_risk(ctx, node) {
        return vec![
            Finding::manual(
                ID,
                "coroutine-marker",
                node.start_byte(),
                why,
                MESSAGES.text("coroutine-marker", "fix"),
            )
            .into(),
        ];
    }
    let fix = Fix::new(
        ID,
        "iscoroutinefunction",
        node.start_byte(),
        Verdict::SafeEdge,
        vec![Edit::replace(
            node.byte_range(),
            "inspect.iscoroutinefunction",
        )],
    )
    .note(MESSAGES.text("iscoroutinefunction", "note"))
    .needs_only(&[Import::Inspect]);
    vec![fix.into()]
}

/// Where `asyncio.iscoroutinefunction` and `inspect.iscoroutinefunction` may disagree: on a
/// callable carrying asyncio's legacy `_is_coroutine` marker (asyncio says True, inspect says
/// False before Python 3.12's `markcoroutinefunction`; spec §12 F1). async-lru 2.4's
/// `@alru_cache` returns such wrappers and its tests check `asyncio.iscoroutinefunction` on
/// them (`docs/evidence/iscoroutinefunction_marker.py`). A module that names the marker, or an
/// argument that is a decorated function or method of this file, is reported; a plain
/// `async def`, a parameter or any other value keeps the SAFE (edge) rewrite.
pub(super) fn marker_risk(ctx: &Ctx, node: Node) -> Option<String> {
    if mentions_marker(ctx, ctx.tree.root_node()) {
        return Some(MESSAGES.text("coroutine-marker", "module").to_owned());
    }
    let call = ctx.parent(node).filter(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == node.id())
    })?;
    let arg = *call_args(call).first()?;
    let decorators = decorated_target(ctx, arg)?;
    Some(MESSAGES.fill(
        "coroutine-marker",
        "decorated",
        &[("name", ctx.text_of(arg)), ("decorators", &decorators)],
    ))
}

/// `_is_coroutine` named anywhere in the module (`from asyncio.coroutines import
/// _is_coroutine`, `self._is_coroutine = ...`, `"_is_coroutine"` in `__slots__`).
pub(super) fn mentions_marker(ctx: &Ctx, root: Node) -> bool {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "identifier" if ctx.text_of(n) == "_is_coroutine" => return true,
            "string" => {
                let t = ctx.text_of(n);
                let inner = t.trim_matches(|c| c == '"' || c == '\'');
                if inner == "_is_coroutine" {
                    return true;
                }
            }
            _ => stack.extend(named_children(n)),
        }
    }
    false
}

/// The decorators (other than `staticmethod` / `classmethod`) on the function or method `arg`
/// names: `f` bound once to a decorated `def f` in its scope, or `C.m` / `C().m` / `self.m` with
/// `m` a decorated method of the class `C` (the enclosing class for `self`) of this file.
pub(super) fn decorated_target(ctx: &Ctx, arg: Node) -> Option<String> {
    let def = match arg.kind() {
        "identifier" => {
            let name = ctx.text_of(arg);
            let refs = ctx.resolver.references(ctx.tree, name, arg);
            let stores: Vec<Node> = refs.into_iter().filter(|r| is_def_name(ctx, *r)).collect();
            let [store] = stores.as_slice() else {
                return None;
            };
            ctx.parent(*store)?
        }
        "attribute" => {
            let method = ctx.text_of(arg.child_by_field_name("attribute")?);
            let mut object = arg.child_by_field_name("object")?;
            if object.kind() == "call" {
                object = object.child_by_field_name("function")?;
            }
            let class = match (object.kind(), ctx.text_of(object)) {
                ("identifier", "self" | "cls") => {
                    let mut cur = ctx.parent(arg);
                    while let Some(n) = cur.filter(|n| n.kind() != "class_definition") {
                        cur = ctx.parent(n);
                    }
                    cur?
                }
                ("identifier", _) => class_named(ctx, object)?,
                _ => return None,
            };
            method_named(ctx, class, method)?
        }
        _ => return None,
    };
    let decorated = ctx
        .parent(def)
        .filter(|p| p.kind() == "decorated_definition")?;
    let names: Vec<&str> = named_children(decorated)
        .filter(|d| d.kind() == "decorator")
        .map(|d| ctx.text_of(d).trim_start_matches('@').trim())
        .filter(|d| !matches!(*d, "staticmethod" | "classmethod"))
        .collect();
    (!names.is_empty()).then(|| {
        names
            .iter()
            .map(|d| format!("`@{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}
