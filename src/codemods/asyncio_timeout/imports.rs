//! `import async_timeout` / `from async_timeout import timeout`: removed once nothing uses it.

use super::wait_for::whole_lines;
use super::{ID, contains};
use crate::analysis::syntax::descendants;
use crate::codemods::Ctx;
use crate::codemods::shared::statements::comments_in;
use crate::codemods::shared::timeouts::TimeoutKind;
use crate::edit::{Edit, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

// ---------------------------------------------------------------- async_timeout import

/// `import async_timeout` (or `from async_timeout import timeout`) left without a reference
/// after the rewrites: the engine's import pass only removes asyncio imports.
/// A name bound to a timeout API by one of several conditional imports (aiojobs: `from asyncio
/// import timeout as asyncio_timeout` on 3.11+, `from async_timeout import ...` before): which
/// one runs is decided when the program runs, so neither the calls nor the imports are
/// rewritten. Reported at each call and at each such import (`at`).
pub(super) fn conditional_import(ctx: &Ctx, name: Node, at: Node) -> Vec<Outcome> {
    crate::codemods::conditional_import(
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

pub(super) fn plan_import(ctx: &Ctx, import: Node) -> Vec<Outcome> {
    if import.kind() == "import_from_statement" {
        let conditional: Vec<Outcome> = crate::codemods::from_import_bound_names(import)
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
            "unused-import",
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
pub(super) fn mentioned_in_code_string(ctx: &Ctx, word: &str) -> bool {
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
