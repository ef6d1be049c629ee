//! Per-file name resolution: which expressions provably mean `asyncio.X` (or `time.sleep`, ...).
//!
//! Python's scoping, simplified to what a codemod needs: a name bound anywhere in a function is
//! local to it; class bodies do not enclose their methods; `global` jumps to the module. A name
//! with several different bindings in one scope (an import and a rebinding) is ambiguous and
//! resolves to nothing, so look-alikes are never rewritten.

use std::collections::HashMap;
use tree_sitter::{Node, Tree};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    /// Bound by an import to this dotted path (`import asyncio as aio` binds `aio` to `asyncio`).
    Import(String),
    /// Any other binding: assignment, def, parameter, loop target, `from x import *`, ...
    Other,
}

#[derive(Debug, Default)]
struct Scope {
    is_class: bool,
    bindings: HashMap<String, Vec<Binding>>,
    globals: Vec<String>,
}

impl Scope {
    fn bind(&mut self, name: &str, binding: Binding) {
        let slot = self.bindings.entry(name.to_owned()).or_default();
        if !slot.contains(&binding) {
            slot.push(binding);
        }
    }
}

/// Asyncio submodules whose public names are re-exported at the top level.
const ASYNCIO_SUBMODULES: &[&str] = &[
    "base_events",
    "events",
    "exceptions",
    "futures",
    "locks",
    "queues",
    "runners",
    "tasks",
    "taskgroups",
    "threads",
    "timeouts",
    "coroutines",
];

pub struct Resolver<'a> {
    src: &'a str,
    root_id: usize,
    scopes: HashMap<usize, Scope>,
    /// Modules imported with `from M import *` (absolute ones), for reporting.
    star_imports: Vec<(String, usize)>,
    /// Any star import at all, relative ones included.
    any_star: bool,
}

/// Is this node one that opens a scope?
fn is_scope(node: Node) -> bool {
    matches!(
        node.kind(),
        "module"
            | "function_definition"
            | "lambda"
            | "class_definition"
            | "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression"
    )
}

impl<'a> Resolver<'a> {
    pub fn new(tree: &Tree, src: &'a str) -> Self {
        let root = tree.root_node();
        let mut this = Self {
            src,
            root_id: root.id(),
            scopes: HashMap::new(),
            star_imports: Vec::new(),
            any_star: false,
        };
        this.scopes.insert(root.id(), Scope::default());
        this.collect(root, root.id());
        this
    }

    fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    fn scope(&mut self, id: usize) -> &mut Scope {
        self.scopes.entry(id).or_default()
    }

    fn collect(&mut self, node: Node, scope: usize) {
        let mut scope = scope;
        match node.kind() {
            "function_definition" | "class_definition" => {
                if let Some(name) = node.child_by_field_name("name") {
                    let name = self.text(name);
                    self.scope(scope).bind(name, Binding::Other);
                }
                let inner = self.scope(node.id());
                inner.is_class = node.kind() == "class_definition";
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
                    .filter(|c| c.kind() == "identifier")
                    .map(|c| self.text(c).to_owned())
                    .collect();
                if node.kind() == "global_statement" {
                    self.scope(scope).globals.extend(names);
                }
            }
            "parameters" | "lambda_parameters" => self.bind_parameters(node, scope),
            "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                if let Some(target) = node.child_by_field_name("left") {
                    self.bind_target(target, scope);
                }
            }
            "named_expression" | "as_pattern" => {
                let field = if node.kind() == "as_pattern" {
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
        for child in named_children(node) {
            self.collect(child, scope);
        }
    }

    fn bind_parameters(&mut self, params: Node, scope: usize) {
        for p in named_children(params) {
            let name = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" | "list_splat_pattern" | "dictionary_splat_pattern" => {
                    named_children(p).find(|c| c.kind() == "identifier")
                }
                _ => None,
            };
            if let Some(name) = name {
                let name = self.text(name);
                self.scope(scope).bind(name, Binding::Other);
            }
        }
    }

    /// Bind every plain name in an assignment target (not attributes or subscripts).
    fn bind_target(&mut self, target: Node, scope: usize) {
        match target.kind() {
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
            match name.kind() {
                // `import a.b.c` binds `a` to the package `a`.
                "dotted_name" => {
                    let path = self.text(name);
                    let head = path.split('.').next().unwrap_or(path).trim();
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
        let relative = module.kind() == "relative_import";
        let module_path = normalize_dotted(self.text(module));
        let mut cursor = node.walk();
        for child in node.children_by_field_name("name", &mut cursor) {
            let (path, alias) = match child.kind() {
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
            self.scope(scope).bind(alias, binding);
        }
        if named_children(node).any(|c| c.kind() == "wildcard_import") {
            // Names bound by a star import are unknown: every module-level name becomes
            // ambiguous, whatever the module (`from .compat import *` may rebind `sleep`).
            self.any_star = true;
            if !relative {
                self.star_imports.push((module_path, node.start_byte()));
            }
        }
    }

    /// The scopes in which a name used at `node` is looked up, innermost first.
    fn scope_chain(&self, node: Node) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut child = node;
        let mut cur = node.parent();
        while let Some(n) = cur {
            if is_scope(n) && self.scopes.contains_key(&n.id()) && Self::opens_scope_for(n, child) {
                let is_class = self.scopes[&n.id()].is_class;
                // Class bodies are visible only to code directly in them.
                if !is_class || chain.is_empty() {
                    chain.push(n.id());
                }
            }
            child = n;
            cur = n.parent();
        }
        if chain.last() != Some(&self.root_id) {
            chain.push(self.root_id);
        }
        chain
    }

    /// A def's name, decorators, defaults and annotations live in the enclosing scope;
    /// only its parameters and body are inside it.
    fn opens_scope_for(scope: Node, child: Node) -> bool {
        match scope.kind() {
            "function_definition" => {
                let in_body = scope
                    .child_by_field_name("body")
                    .is_some_and(|b| b.id() == child.id());
                let in_params = scope
                    .child_by_field_name("parameters")
                    .is_some_and(|p| p.id() == child.id());
                in_body || in_params
            }
            "class_definition" => scope
                .child_by_field_name("body")
                .is_some_and(|b| b.id() == child.id()),
            _ => true,
        }
    }

    /// What the identifier `name`, used at `node`, is bound to by an import, if provably one.
    pub fn resolve_name(&self, name: &str, node: Node) -> Option<String> {
        let chain = self.scope_chain(node);
        for (i, id) in chain.iter().enumerate() {
            let scope = &self.scopes[id];
            if scope.globals.iter().any(|g| g == name) && i + 1 < chain.len() {
                return self.binding_of(self.root_id, name);
            }
            if scope.bindings.contains_key(name) {
                return self.binding_of(*id, name);
            }
        }
        None
    }

    fn binding_of(&self, scope: usize, name: &str) -> Option<String> {
        let bindings = self.scopes[&scope].bindings.get(name)?;
        if self.any_star && scope == self.root_id {
            // A star import may rebind anything at module level.
            return None;
        }
        match bindings.as_slice() {
            [Binding::Import(path)] => Some(path.clone()),
            _ => None,
        }
    }

    /// The dotted path an expression provably refers to: `aio.sleep` with `import asyncio as
    /// aio` gives `asyncio.sleep`; `asyncio.exceptions.CancelledError` gives
    /// `asyncio.CancelledError`.
    pub fn qualified(&self, node: Node) -> Option<String> {
        let raw = match node.kind() {
            "identifier" => self.resolve_name(self.text(node), node)?,
            "attribute" => {
                let object = node.child_by_field_name("object")?;
                let attr = node.child_by_field_name("attribute")?;
                format!("{}.{}", self.qualified(object)?, self.text(attr))
            }
            "parenthesized_expression" => self.qualified(named_children(node).next()?)?,
            _ => return None,
        };
        Some(canonical(&raw))
    }

    /// `true` when `node` provably refers to `path` (e.g. `"asyncio.sleep"`).
    pub fn is(&self, node: Node, path: &str) -> bool {
        self.qualified(node).is_some_and(|q| q == path)
    }

    /// `from M import *` statements at module level: (module, byte offset).
    pub fn star_imports(&self) -> &[(String, usize)] {
        &self.star_imports
    }

    /// Does `name`, used at `node`, refer to a module-level binding (or to nothing bound in
    /// the file)? False when a function, class or comprehension binds it locally.
    pub fn refers_to_module_scope(&self, name: &str, node: Node) -> bool {
        let chain = self.scope_chain(node);
        for id in &chain {
            let scope = &self.scopes[id];
            if scope.globals.iter().any(|g| g == name) {
                return true;
            }
            if scope.bindings.contains_key(name) {
                return *id == self.root_id;
            }
        }
        true
    }

    /// The scope (a node id) whose binding `name`, used at `node`, refers to; `None` for a
    /// name bound nowhere in the file (a builtin, or a global set elsewhere).
    pub fn defining_scope(&self, name: &str, node: Node) -> Option<usize> {
        for id in self.scope_chain(node) {
            let scope = &self.scopes[&id];
            if scope.globals.iter().any(|g| g == name) {
                return self.scopes[&self.root_id]
                    .bindings
                    .contains_key(name)
                    .then_some(self.root_id);
            }
            if scope.bindings.contains_key(name) {
                return Some(id);
            }
        }
        None
    }

    /// Every use and binding of the variable `name` seen at `node`, in document order: the
    /// identifiers with that text that resolve to the same scope (attribute names and
    /// keyword-argument names are not variables). Empty when the name is bound nowhere.
    pub fn references<'t>(&self, tree: &'t Tree, name: &str, node: Node) -> Vec<Node<'t>> {
        let Some(scope) = self.defining_scope(name, node) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" {
                if self.text(n) == name
                    && !is_member_name(n)
                    && self.defining_scope(name, n) == Some(scope)
                {
                    out.push(n);
                }
                continue;
            }
            let mut cursor = n.walk();
            let children: Vec<Node<'t>> = n.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
        out
    }

    /// Is `name` bound (by anything) in the scope that encloses `node`, or any scope it sees?
    pub fn is_bound(&self, name: &str, node: Node) -> bool {
        self.scope_chain(node)
            .iter()
            .any(|id| self.scopes[id].bindings.contains_key(name))
    }
}

/// `x.name` or `f(name=...)`: the identifier names a member or parameter, not a variable.
fn is_member_name(node: Node) -> bool {
    node.parent().is_some_and(|p| {
        let field = match p.kind() {
            "attribute" => "attribute",
            "keyword_argument" => "name",
            _ => return false,
        };
        p.child_by_field_name(field)
            .is_some_and(|f| f.id() == node.id())
    })
}

fn normalize_dotted(s: &str) -> String {
    s.split('.').map(str::trim).collect::<Vec<_>>().join(".")
}

/// Fold `asyncio.<submodule>.X` to `asyncio.X`.
fn canonical(path: &str) -> String {
    let mut parts = path.split('.');
    if let (Some("asyncio"), Some(sub), Some(rest)) = (parts.next(), parts.next(), parts.next())
        && ASYNCIO_SUBMODULES.contains(&sub)
        && parts.next().is_none()
    {
        return format!("asyncio.{rest}");
    }
    path.to_owned()
}

/// Named children as an owned iterator. Walks once with a cursor: `named_child(i)` scans
/// from the first child, which makes index loops quadratic on long module bodies.
pub fn named_children(node: Node) -> std::vec::IntoIter<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .collect::<Vec<_>>()
        .into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{new_parser, parse};

    /// Resolve every call's callee in `src` and return (callee text, qualified name).
    fn callees(src: &str) -> Vec<(String, Option<String>)> {
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        let resolver = Resolver::new(&tree, src);
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "call" {
                let f = n.child_by_field_name("function").unwrap();
                out.push((
                    f.utf8_text(src.as_bytes()).unwrap().to_owned(),
                    resolver.qualified(f),
                ));
            }
            stack.extend(named_children(n));
        }
        out.sort();
        out
    }

    #[allow(clippy::unnecessary_wraps, reason = "compared against Option values")]
    fn q(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn resolves_aliases_and_from_imports() {
        let src = "import asyncio as aio\nfrom asyncio import sleep as s\nimport asyncio.exceptions\n\
                   async def f():\n    await aio.sleep(1)\n    await s(2)\n    asyncio.exceptions.CancelledError()\n";
        assert_eq!(
            callees(src),
            vec![
                ("aio.sleep".into(), q("asyncio.sleep")),
                (
                    "asyncio.exceptions.CancelledError".into(),
                    q("asyncio.CancelledError")
                ),
                ("s".into(), q("asyncio.sleep")),
            ]
        );
    }

    #[test]
    fn local_rebinding_shadows_the_import() {
        let src = "from asyncio import sleep\nasync def f(sleep):\n    await sleep(1)\n\
                   async def g():\n    sleep = h\n    await sleep(1)\nasync def k():\n    await sleep(1)\n";
        let got = callees(src);
        assert_eq!(
            got.iter().filter(|(_, r)| r.is_some()).count(),
            1,
            "{got:?}"
        );
    }

    #[test]
    fn module_level_rebinding_is_ambiguous_and_attributes_are_not_names() {
        let src = "import asyncio\nasyncio = None\nasyncio.sleep(1)\n";
        assert_eq!(callees(src), vec![("asyncio.sleep".into(), None)]);
        let src = "import asyncio\nclass C:\n    async def f(self):\n        await self.sleep(1)\n        await asyncio.sleep(1)\n";
        assert_eq!(
            callees(src),
            vec![
                ("asyncio.sleep".into(), q("asyncio.sleep")),
                ("self.sleep".into(), None)
            ]
        );
    }

    #[test]
    fn references_follow_one_binding_across_nested_functions() {
        let src = "t = 0\nasync def f():\n    t = make()\n    def g():\n        return t.x\n    h(t=t)\n    return t\nasync def k():\n    return t\n";
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        let r = Resolver::new(&tree, src);
        let first = tree
            .root_node()
            .descendant_for_byte_range(src.find("t = make").unwrap(), src.find("t = make").unwrap())
            .unwrap();
        let refs = r.references(&tree, "t", first);
        let lines: Vec<usize> = refs.iter().map(|n| n.start_position().row + 1).collect();
        assert_eq!(
            lines,
            vec![3, 5, 6, 7],
            "the binding, g's closure use, the keyword value, the return"
        );
        let module_t = tree.root_node().descendant_for_byte_range(0, 0).unwrap();
        let lines: Vec<usize> = r
            .references(&tree, "t", module_t)
            .iter()
            .map(|n| n.start_position().row + 1)
            .collect();
        assert_eq!(lines, vec![1, 9]);
    }

    #[test]
    fn class_body_names_do_not_enclose_methods() {
        let src = "from asyncio import sleep\nclass C:\n    sleep = 1\n    async def f(self):\n        await sleep(1)\n";
        assert_eq!(callees(src), vec![("sleep".into(), q("asyncio.sleep"))]);
    }

    #[test]
    fn function_local_import_and_star_import() {
        let src =
            "async def f():\n    import asyncio\n    await asyncio.sleep(1)\nasyncio.sleep(2)\n";
        let got = callees(src);
        assert_eq!(
            got.iter().filter(|(_, r)| r.is_some()).count(),
            1,
            "{got:?}"
        );
        let src = "import asyncio\nfrom asyncio import *\nasyncio.sleep(1)\n";
        assert_eq!(callees(src), vec![("asyncio.sleep".into(), None)]);
        let src = "from asyncio import sleep\nfrom .compat import *\nsleep(1)\n";
        assert_eq!(callees(src), vec![("sleep".into(), None)]);
    }
}
