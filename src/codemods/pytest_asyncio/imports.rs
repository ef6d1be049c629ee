//! `import pytest_asyncio`: removed once nothing uses it (it fails once pytest-asyncio is gone).

use super::references::{fix, next_line};
use crate::codemods::{Ctx, has_comment};
use crate::edit::{Edit, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::line_start;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// `import pytest_asyncio`: removed once nothing uses it (it fails once pytest-asyncio is gone)

pub(super) fn is_pytest_asyncio_import(ctx: &Ctx, stmt: Node) -> bool {
    !bound_names(ctx, stmt).is_empty()
}

/// The names an import statement binds to `pytest_asyncio` (or something in it), with the node
/// that binds each.
pub(super) fn bound_names<'t>(ctx: &Ctx, stmt: Node<'t>) -> Vec<(String, Node<'t>)> {
    crate::imports::module_bindings(stmt, ctx.text, "pytest_asyncio")
}

pub(super) fn plan_import(ctx: &Ctx, stmt: Node) -> Option<Outcome> {
    let bound = bound_names(ctx, stmt);
    if bound.is_empty() {
        return None;
    }
    let unused: Vec<bool> = bound.iter().map(|(n, _)| uses(ctx, n) == 0).collect();
    if !unused.contains(&true) {
        return None;
    }
    let names = crate::imports::name_nodes(stmt);
    let edit = if unused.iter().filter(|u| **u).count() == names.len() {
        delete_statement(ctx, stmt)
    } else {
        if has_comment(stmt) {
            return None;
        }
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
    Some(fix(stmt, "unused-import", Verdict::Safe, vec![edit], None))
}

/// Uses of a module-level name outside import statements.
pub(super) fn uses(ctx: &Ctx, name: &str) -> usize {
    let mut count = 0;
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "import_statement" | "import_from_statement" => continue,
            "identifier"
                if ctx.text_of(n) == name
                    && !ctx.resolver.is_member_name(n)
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
pub(super) fn delete_statement(ctx: &Ctx, stmt: Node) -> Edit {
    let alone_in_block = ctx.parent(stmt).is_some_and(|p| {
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
