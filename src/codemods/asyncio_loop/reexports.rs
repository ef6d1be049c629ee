//! Re-exports: the module-level names a file binds to an asyncio API this codemod reports, for
//! the project pass that follows calls through them from other modules.

use super::advice::{reexportable_names, reexported_api};
use crate::codemods::Ctx;
use crate::resolve::named_children;
use tree_sitter::Node;

/// A module-level name bound to an asyncio API asyncio-loop reports, found while the file is
/// migrated (with the first pass's tree): the name, the API's path and the line.
#[derive(Debug, Clone)]
pub struct Reexport {
    pub name: String,
    pub path: String,
    pub line: usize,
}

/// The module-level names this file binds to an asyncio API asyncio-loop reports: simple
/// assignments (also inside module-level `if` / `try`) and imports from asyncio.
pub fn exports_of(ctx: &Ctx) -> Vec<Reexport> {
    let text = ctx.text;
    if !text.contains("asyncio") || !reexportable_names().any(|n| text.contains(n)) {
        return Vec::new();
    }
    let mut exports = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(block) = stack.pop() {
        for stmt in named_children(block) {
            match stmt.kind() {
                "if_statement" | "try_statement" | "else_clause" | "elif_clause"
                | "except_clause" | "finally_clause" | "block" => stack.push(stmt),
                "expression_statement" => {
                    let Some(assign) = named_children(stmt).next() else {
                        continue;
                    };
                    if assign.kind() != "assignment" {
                        continue;
                    }
                    let (Some(left), Some(right)) = (
                        assign.child_by_field_name("left"),
                        assign.child_by_field_name("right"),
                    ) else {
                        continue;
                    };
                    if left.kind() == "identifier" {
                        add_reexport(ctx, &mut exports, left, right);
                    }
                }
                "import_from_statement" => {
                    let mut cursor = stmt.walk();
                    for name in stmt.children_by_field_name("name", &mut cursor) {
                        // `from asyncio import x` names a one-part dotted name.
                        let bound = match name.kind() {
                            "aliased_import" => name.child_by_field_name("alias"),
                            _ => named_children(name)
                                .next()
                                .filter(|_| name.named_child_count() == 1),
                        };
                        if let Some(bound) = bound.filter(|b| b.kind() == "identifier") {
                            add_reexport(ctx, &mut exports, bound, bound);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    exports
}

pub(super) fn add_reexport(ctx: &Ctx, exports: &mut Vec<Reexport>, name: Node, value: Node) {
    let Some(path) = ctx.qualified(value) else {
        return;
    };
    if reexported_api(&path).is_some() {
        let line = name.start_position().row + 1;
        let name = ctx.text_of(name).to_owned();
        // The binding seen last wins, as it did in a map keyed by name.
        exports.retain(|r: &Reexport| r.name != name);
        exports.push(Reexport { name, path, line });
    }
}
