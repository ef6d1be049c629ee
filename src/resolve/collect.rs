//! The one walk over a tree that builds a `Resolver` (`Resolver::new`): each scope's bindings
//! (definitions, assignments, parameters, loop targets, imports, `global`), each named node's
//! lookup chain and parent, and the variables, attribute and keyword names and strings, by
//! name. The questions a codemod asks are answered in `resolve` itself, from what it records.

use super::{Binding, Resolver, Scope, fields, is_scope, kind, named_children};
use tree_sitter::{Node, TreeCursor};

impl<'a> Resolver<'a> {
    fn scope(&mut self, id: usize) -> &mut Scope {
        self.scopes.entry(id).or_default()
    }

    /// Record the bindings of the node at `cursor`, its lookup chain (`chain`) and its
    /// variables, then its children's; the cursor ends where it started. One cursor walks the
    /// whole tree: a list of each node's children costs a cursor and a vector per node.
    pub(super) fn collect(&mut self, cursor: &mut TreeCursor<'a>, scope: usize, chain: u32) {
        let node = cursor.node();
        self.chain_of.insert(node.id(), chain);
        let mut scope = scope;
        match kind(node) {
            "function_definition" | "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let name = self.text(name);
                    self.scope(scope).bind(name, Binding::Other);
                }
                let inner = self.scope(node.id());
                inner.is_class = kind(node) == "class_definition";
                scope = node.id();
            }
            "lambda"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => {
                self.scope(node.id());
                scope = node.id();
            }
            "import_statement" => self.collect_import(node, scope),
            "import_from_statement" => self.collect_from_import(node, scope),
            "global_statement" | "nonlocal_statement" => {
                let names: Vec<String> = named_children(node)
                    .filter(|c| kind(*c) == "identifier")
                    .map(|c| self.text(c).to_owned())
                    .collect();
                if kind(node) == "global_statement" {
                    self.scope(scope).globals.extend(names);
                }
            }
            "parameters" | "lambda_parameters" => self.bind_parameters(node, scope),
            "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                if let Some(target) = node.child_by_field_name("left")
                    && !self.is_import_fallback(node, target)
                {
                    self.bind_target(target, scope);
                }
            }
            "named_expression" | "as_pattern" => {
                let field = if kind(node) == "as_pattern" {
                    "alias"
                } else {
                    "name"
                };
                if let Some(target) = node.child_by_field_name(field) {
                    self.bind_target(target, scope);
                }
            }
            "except_clause" => {
                if let Some(alias) = node.child_by_field_name("alias") {
                    self.bind_target(alias, scope);
                }
            }
            _ => {}
        }
        // The chain of the children this node opens a scope for (see `opens_scope_for`).
        let (inner, opens) = self.inner_chain(node, chain);
        let member = self.member_of(node);
        if !cursor.goto_first_child() {
            return;
        }
        loop {
            let child = cursor.node();
            if !child.is_named() {
                if cursor.goto_next_sibling() {
                    continue;
                }
                break;
            }
            self.parents.insert(child.id(), node);
            self.index_child(node, child, member);
            let child_chain = if opens.includes(child) { inner } else { chain };
            self.collect(cursor, scope, child_chain);
            if !cursor.goto_next_sibling() {
                break;
            }
        }
        cursor.goto_parent();
    }

    /// The member-name child of an attribute (`x.name`) or a keyword argument (`name=...`);
    /// an attribute's object and name are recorded.
    fn member_of(&mut self, node: Node<'a>) -> Option<usize> {
        match kind(node) {
            "attribute" => {
                let attr = node.child_by_field_id(fields().attribute);
                if let (Some(object), Some(attr)) = (node.child_by_field_id(fields().object), attr)
                {
                    self.attributes.insert(node.id(), (object, attr));
                }
                attr
            }
            "keyword_argument" => node.child_by_field_id(fields().name),
            _ => None,
        }
        .map(|m| m.id())
    }

    /// Index `child` of `node`: a variable, attribute name or keyword name, or a string.
    fn index_child(&mut self, node: Node<'a>, child: Node<'a>, member: Option<usize>) {
        match kind(child) {
            "identifier" => {
                let text = self.text(child);
                let index = if member != Some(child.id()) {
                    &mut self.variables
                } else if kind(node) == "attribute" {
                    &mut self.attribute_names
                } else {
                    &mut self.keyword_names
                };
                index.entry(text).or_default().push(child);
            }
            "string" => self.strings.push(child),
            _ => {}
        }
    }

    /// The lookup chain inside `node` when it opens a scope, and which children it opens it
    /// for. Class bodies are visible only to code directly in them, so an enclosing class
    /// is dropped from the chain of anything nested deeper.
    fn inner_chain(&mut self, node: Node, chain: u32) -> (u32, Opens) {
        let opens = match kind(node) {
            "function_definition" => Opens::Fields(
                node.child_by_field_id(fields().body).map(|b| b.id()),
                node.child_by_field_id(fields().parameters).map(|p| p.id()),
            ),
            "class_definition" => {
                Opens::Fields(node.child_by_field_id(fields().body).map(|b| b.id()), None)
            }
            _ if is_scope(node) => Opens::All,
            _ => return (chain, Opens::None),
        };
        if node.id() == self.root_id {
            return (chain, opens);
        }
        let mut inner = vec![node.id()];
        inner.extend(
            self.chains[chain as usize]
                .iter()
                .filter(|id| !self.scopes[*id].is_class),
        );
        self.chains.push(inner);
        ((self.chains.len() - 1) as u32, opens)
    }

    fn bind_parameters(&mut self, params: Node, scope: usize) {
        for p in named_children(params) {
            let name = match kind(p) {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    named_children(p).find(|c| kind(*c) == "identifier")
                }
                _ => None,
            };
            if let Some(name) = name {
                let name = self.text(name);
                self.scope(scope).bind(name, Binding::Other);
            }
        }
    }

    /// `name = None` in the `except ImportError:` of a `try` whose body does `import name`:
    /// where `name.attr` is evaluated, `name` is the module (the fallback's None has no
    /// attributes, so such code raised `AttributeError` whatever `attr` named), so the fallback
    /// does not make the module's attributes unresolvable.
    fn is_import_fallback(&self, assignment: Node<'a>, target: Node) -> bool {
        if kind(assignment) != "assignment"
            || kind(target) != "identifier"
            || assignment
                .child_by_field_name("right")
                .is_none_or(|r| kind(r) != "none")
        {
            return false;
        }
        let name = self.text(target);
        let handler = self
            .parent(assignment)
            .filter(|p| kind(*p) == "expression_statement")
            .and_then(|p| self.parent(p))
            .filter(|b| kind(*b) == "block")
            .and_then(|b| self.parent(b))
            .filter(|h| kind(*h) == "except_clause");
        let Some(handler) = handler else {
            return false;
        };
        let catches_import_error =
            named_children(handler)
                .filter(|c| kind(*c) != "block")
                .any(|c| {
                    let text = self.text(c);
                    text.contains("ImportError") || text.contains("ModuleNotFoundError")
                });
        let Some(body) = self
            .parent(handler)
            .filter(|t| kind(*t) == "try_statement")
            .and_then(|t| t.child_by_field_name("body"))
        else {
            return false;
        };
        catches_import_error
            && named_children(body)
                .filter(|st| kind(*st) == "import_statement")
                .flat_map(named_children)
                .any(|imported| match kind(imported) {
                    "dotted_name" => self.text(imported) == name,
                    "aliased_import" => imported
                        .child_by_field_name("alias")
                        .is_some_and(|a| self.text(a) == name),
                    _ => false,
                })
    }

    /// Bind every plain name in an assignment target (not attributes or subscripts).
    fn bind_target(&mut self, target: Node, scope: usize) {
        match kind(target) {
            "identifier" => {
                let name = self.text(target);
                self.scope(scope).bind(name, Binding::Other);
            }
            "attribute" | "subscript" => {}
            _ => {
                for child in named_children(target) {
                    self.bind_target(child, scope);
                }
            }
        }
    }

    fn collect_import(&mut self, node: Node, scope: usize) {
        for name in named_children(node) {
            match kind(name) {
                // `import a.b.c` binds `a` to the package `a`.
                "dotted_name" => {
                    let path = self.text(name);
                    let head = path.split('.').next().unwrap_or(path).trim();
                    self.imported.insert(head);
                    self.imported_roots.insert(head.to_owned());
                    self.scope(scope)
                        .bind(head, Binding::Import(head.to_owned()));
                }
                "aliased_import" => {
                    let (Some(path), Some(alias)) = (
                        name.child_by_field_name("name"),
                        name.child_by_field_name("alias"),
                    ) else {
                        continue;
                    };
                    let path = normalize_dotted(self.text(path));
                    let alias = self.text(alias);
                    self.imported.insert(alias);
                    let head = path.split('.').next().unwrap_or_default();
                    self.imported_roots.insert(head.to_owned());
                    self.scope(scope).bind(alias, Binding::Import(path));
                }
                _ => {}
            }
        }
    }

    fn collect_from_import(&mut self, node: Node, scope: usize) {
        let Some(module) = node.child_by_field_name("module_name") else {
            return;
        };
        let relative = kind(module) == "relative_import";
        let module_path = normalize_dotted(self.text(module));
        if !relative {
            let head = module_path.split('.').next().unwrap_or_default();
            self.imported_roots.insert(head.to_owned());
        }
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let (path, alias) = match kind(child) {
                "dotted_name" => (child, child),
                "aliased_import" => {
                    let (Some(p), Some(a)) = (
                        child.child_by_field_name("name"),
                        child.child_by_field_name("alias"),
                    ) else {
                        continue;
                    };
                    (p, a)
                }
                _ => continue,
            };
            let binding = if relative {
                Binding::Other
            } else {
                Binding::Import(format!(
                    "{module_path}.{}",
                    normalize_dotted(self.text(path))
                ))
            };
            let alias = self.text(alias);
            if matches!(binding, Binding::Import(_)) {
                self.imported.insert(alias);
            }
            self.scope(scope).bind(alias, binding);
        }
        if named_children(node).any(|c| kind(c) == "wildcard_import") {
            // A star import of a project module whose names are known binds those names.
            let known = (scope == self.root_id)
                .then(|| self.stars.iter().position(|(m, _)| *m == module_path))
                .flatten();
            if let Some(i) = known {
                self.resolved_stars.push(node.start_byte());
                let stars = self.stars;
                for (name, import) in &stars[i].1 {
                    let binding = match import {
                        Some(path) => {
                            self.imported.insert(name);
                            let head = path.split('.').next().unwrap_or_default();
                            self.imported_roots.insert(head.to_owned());
                            Binding::Import(path.clone())
                        }
                        None => Binding::Other,
                    };
                    self.scope(scope).bind(name, binding);
                }
                return;
            }
            // Names bound by a star import are unknown: every module-level name becomes
            // ambiguous, whatever the module (`from .compat import *` may rebind `sleep`).
            self.any_star = true;
            if !relative {
                self.star_imports.push((module_path, node.start_byte()));
            }
        }
    }
}

/// The children of a scope-opening node that are inside its scope.
enum Opens {
    None,
    All,
    /// A def's body and parameters, a class's body (node ids).
    Fields(Option<usize>, Option<usize>),
}

impl Opens {
    fn includes(&self, child: Node) -> bool {
        match self {
            Self::None => false,
            Self::All => true,
            Self::Fields(a, b) => *a == Some(child.id()) || *b == Some(child.id()),
        }
    }
}

fn normalize_dotted(s: &str) -> String {
    s.split('.').map(str::trim).collect::<Vec<_>>().join(".")
}
