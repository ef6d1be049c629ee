//! A file's module-level import statements as data, read off the tree of its original text
//! while the engine has it: the project pass that follows re-exports from module to module
//! (`project::reexports`) reads them here instead of parsing every file again.

use crate::resolve::named_children;
use tree_sitter::{Node, Tree};

/// One module-level import statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopImport {
    /// `from M import a, b as c`: the text of `M` (`.pkg` for a relative one), whether it is
    /// relative, and the (imported name, bound name) pairs.
    From {
        module: String,
        relative: bool,
        names: Vec<(String, String)>,
    },
    /// `import P.M as m, ...`: the (dotted path, alias) pairs of its aliased names.
    Plain(Vec<(String, String)>),
}

/// The module-level import statements of a tree, in order (a `from` import without a module
/// name is left out).
pub fn top_imports(tree: &Tree, text: &str) -> Vec<TopImport> {
    let text_of = |n: Node| text[n.byte_range()].to_owned();
    let mut imports = Vec::new();
    for stmt in named_children(tree.root_node()) {
        match stmt.kind() {
            "import_from_statement" => {
                let Some(module) = stmt.child_by_field_name("module_name") else {
                    continue;
                };
                let mut cursor = stmt.walk();
                let mut names = Vec::new();
                for name in stmt.children_by_field_name("name", &mut cursor) {
                    let Some((imported, bound)) = crate::analysis::syntax::import_parts(name)
                    else {
                        continue;
                    };
                    names.push((text_of(imported), text_of(bound)));
                }
                imports.push(TopImport::From {
                    module: text_of(module),
                    relative: module.kind() == "relative_import",
                    names,
                });
            }
            "import_statement" => {
                let pairs = named_children(stmt)
                    .filter(|n| n.kind() == "aliased_import")
                    .filter_map(|name| {
                        let path = name.child_by_field_name("name")?;
                        let alias = name.child_by_field_name("alias")?;
                        Some((text_of(path), text_of(alias)))
                    })
                    .collect();
                imports.push(TopImport::Plain(pairs));
            }
            _ => {}
        }
    }
    imports
}
