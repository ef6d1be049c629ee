//! `import async_timeout` / `from async_timeout import timeout`: removed once nothing uses it.

use super::wait_for::whole_lines;
use super::{ID, contains};
use crate::analysis::syntax::{descendants, import_parts};
use crate::codemods::Ctx;
use crate::codemods::shared::statements::comments_in;
use crate::codemods::shared::timeouts::TimeoutKind;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
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

/// `name` (used at `at`) is bound only by imports, as `asyncio.timeout` on one path and as
/// `async_timeout.timeout` on another: the backport and the API it backports.
pub(super) fn backport_timeout(ctx: &Ctx, name: Node) -> bool {
    // An import's bound name is a one-part dotted name.
    if !matches!(name.kind(), "identifier" | "dotted_name") || ctx.text_of(name).contains('.') {
        return false;
    }
    let candidates = ctx.resolver.import_candidates(ctx.text_of(name), name);
    let is = |path: &str| candidates.iter().any(|c| c == path);
    is("asyncio.timeout")
        && is("async_timeout.timeout")
        && candidates
            .iter()
            .all(|c| c == "asyncio.timeout" || c == "async_timeout.timeout")
}

pub(super) fn plan_import(ctx: &Ctx, import: Node) -> Vec<Outcome> {
    if import.kind() == "import_from_statement" {
        if is_backport_import(ctx, import) {
            return plan_backport_import(ctx, import);
        }
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
                let Some((path, alias)) = import_parts(n) else {
                    continue;
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
    let alone_in_block = ctx.parent(import).is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    if alone_in_block
        || crate::analysis::syntax::probes_import(ctx.resolver, import, ctx.text)
        || !comments_in(ctx, lines.clone(), None).is_empty()
    {
        return Vec::new();
    }
    unused_import(import, lines)
}

/// The SAFE deletion of `range`, the lines of an import (or of the statement holding the
/// imports) left unused by the rewrites, reported at `import`.
fn unused_import(import: Node, range: std::ops::Range<usize>) -> Vec<Outcome> {
    vec![
        Fix::new(
            ID,
            "unused-import",
            import.start_byte(),
            Verdict::Safe,
            vec![Edit::delete(range)],
        )
        .needs_only(&[])
        .into(),
    ]
}

/// A `from ... import` whose names are all of the backport pair (`backport_timeout`).
fn is_backport_import(ctx: &Ctx, stmt: Node) -> bool {
    if stmt.kind() != "import_from_statement" {
        return false;
    }
    let names = crate::codemods::from_import_bound_names(stmt);
    !names.is_empty() && names.iter().all(|n| backport_timeout(ctx, *n))
}

/// An import of the timeout backport pair (`backport_timeout`). While its name is used (in
/// the settled pass: a use the call planner could not rewrite), the import is reported as
/// before. Once nothing uses it, the statement that chooses between the imports (`if
/// sys.version_info >= ...:` / `else:`, or `try:` / `except ImportError:`) is deleted whole,
/// from its first import, when it holds nothing but such imports (and comments); when its
/// branches hold other code too, each such import goes alone if every branch keeps a
/// statement.
fn plan_backport_import(ctx: &Ctx, import: Node) -> Vec<Outcome> {
    let names = crate::codemods::from_import_bound_names(import);
    // Findings of the settled pass only are reported: a use still there then is one the call
    // planner could not rewrite.
    for name in &names {
        let refs = ctx.resolver.references(ctx.tree, ctx.text_of(*name), *name);
        // The other conditional imports bind the name too: they are not uses.
        let used = refs.into_iter().any(|r| {
            crate::analysis::syntax::enclosing_statement(ctx.resolver, r)
                .is_none_or(|s| s.kind() != "import_from_statement")
        });
        if used || mentioned_in_code_string(ctx, ctx.text_of(*name)) {
            return conditional_import(ctx, *name, import);
        }
    }
    // Only once our rewrites are in the file: a name unused from the start is not ours.
    if !ctx.text.contains("anyio.fail_a") {
        return Vec::new();
    }
    let Some(chooser) = choosing_statement(ctx, import) else {
        // A branch with other code too (`from typing import Self` beside it): the import
        // alone goes, when every block keeps a statement.
        if let Some(lines) = whole_lines(ctx, import).filter(|_| blocks_keep_code(ctx, import)) {
            // First in its block: the blank lines after it go too, so the block does not open
            // with one.
            let mut end = lines.end;
            if import.prev_named_sibling().is_none() {
                while let Some(eol) = ctx.text[end..].find('\n')
                    && ctx.text[end..end + eol].trim().is_empty()
                {
                    end += eol + 1;
                }
            }
            return unused_import(import, lines.start..end);
        }
        return vec![
            Finding::manual(
                ID,
                "backport-import-left",
                import.start_byte(),
                format!(
                    "`{}` is no longer used (its `async with` blocks are now `anyio.fail_after` blocks), but deleting its imports would leave a branch of the statement that chooses between them empty (or an import shares its line)",
                    ctx.text_of(names[0])
                ),
                "delete the conditional imports of it by hand",
            )
            .into(),
        ];
    };
    // One deletion, planned from the chooser's first import.
    let first = descendants(chooser)
        .into_iter()
        .find(|n| n.kind() == "import_from_statement");
    if first.is_none_or(|f| f.id() != import.id()) {
        return Vec::new();
    }
    let Some(lines) = whole_lines(ctx, chooser) else {
        return Vec::new();
    };
    // Between two gaps of blank lines, the one before goes too: the gap after stays.
    let (mut start, end) = (lines.start, lines.end);
    let gap_after = ctx.text[end..].starts_with('\n') || ctx.text[end..].starts_with("\r\n");
    if gap_after && ctx.text[..start].ends_with("\n\n") {
        start -= 1;
    } else if gap_after && ctx.text[..start].ends_with("\n\r\n") {
        start -= 2;
    }
    unused_import(import, start..end)
}

/// Every block of the `if` / `try` statement around `import` keeps a statement once its
/// imports of backport names are gone (the blocks it sits in directly, up to that statement).
fn blocks_keep_code(ctx: &Ctx, import: Node) -> bool {
    let Some(chooser) = chooser_of(ctx, import) else {
        return false;
    };
    descendants(chooser)
        .into_iter()
        .filter(|n| n.kind() == "block")
        .filter(|b| {
            // Only the chooser's own branches, not blocks nested in them.
            ctx.parent(*b).is_some_and(|p| {
                p.id() == chooser.id() || ctx.parent(p).is_some_and(|pp| pp.id() == chooser.id())
            })
        })
        .all(|b| named_children(b).any(|s| s.kind() != "comment" && !is_backport_import(ctx, s)))
}

/// The nearest `if` / `try` statement whose branch holds `import` (through its blocks and its
/// `else` / `elif` / `except` clauses).
fn chooser_of<'t>(ctx: &Ctx<'t>, import: Node<'t>) -> Option<Node<'t>> {
    let mut cur = ctx.parent(import)?;
    while !matches!(cur.kind(), "if_statement" | "try_statement") {
        if !matches!(
            cur.kind(),
            "block" | "else_clause" | "elif_clause" | "except_clause"
        ) {
            return None;
        }
        cur = ctx.parent(cur)?;
    }
    Some(cur)
}

/// The `if` / `try` statement whose branches are the conditional imports around `import`: every
/// block in it holds only `from ... import` statements of backport names, the `try` has only
/// `except ImportError` / `ModuleNotFoundError` clauses and no `finally:`. Comments in it go
/// with it: they are about the choice.
fn choosing_statement<'t>(ctx: &Ctx<'t>, import: Node<'t>) -> Option<Node<'t>> {
    let chooser = chooser_of(ctx, import)?;
    let mut ok = true;
    for n in descendants(chooser) {
        match n.kind() {
            "finally_clause" => ok = false,
            "block" => {
                ok &= named_children(n)
                    .filter(|s| s.kind() != "comment")
                    .all(|s| is_backport_import(ctx, s));
            }
            "except_clause" => {
                ok &= n.child_by_field_name("value").is_some_and(|v| {
                    matches!(ctx.text_of(v), "ImportError" | "ModuleNotFoundError")
                });
            }
            _ => {}
        }
    }
    ok.then_some(chooser)
}

/// A string that mentions `word` and may be code (an annotation, `__all__`, a doctest): prose
/// docstrings do not count.
pub(super) fn mentioned_in_code_string(ctx: &Ctx, word: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    descendants(ctx.tree.root_node()).into_iter().any(|s| {
        let text = ctx.text_of(s);
        let docstring = crate::analysis::syntax::own_statement(ctx.resolver, s).is_some()
            && !text.contains(">>>");
        s.kind() == "string"
            && !docstring
            && text.match_indices(word).any(|(i, _)| {
                !text[..i].chars().next_back().is_some_and(is_ident)
                    && !text[i + word.len()..].chars().next().is_some_and(is_ident)
            })
    })
}
