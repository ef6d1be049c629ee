//! Per-file name resolution: which expressions provably mean `asyncio.X` (or `time.sleep`, ...).
//!
//! Python's scoping, simplified to what a codemod needs: a name bound anywhere in a function is
//! local to it; class bodies do not enclose their methods; `global` jumps to the module. A name
//! with several different bindings in one scope (an import and a rebinding) is ambiguous and
//! resolves to nothing, so look-alikes are never rewritten.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;
use tree_sitter::{Node, Tree};

mod collect;
pub mod stdlib;

/// Hashes node ids (addresses) with one multiply: the default hasher costs more than the
/// lookup itself.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b) ^ self.0.rotate_left(8));
        }
    }

    fn write_u64(&mut self, n: u64) {
        let h = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type IdMap<V> = HashMap<usize, V, BuildHasherDefault<IdHasher>>;

/// Field ids of the grammar: `child_by_field_name` looks the name up among every field's
/// name on each call.
struct Fields {
    attribute: u16,
    object: u16,
    name: u16,
    body: u16,
    parameters: u16,
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let id = |name: &str| {
            language
                .field_id_for_name(name)
                .expect("a field of the Python grammar")
                .get()
        };
        Fields {
            attribute: id("attribute"),
            object: id("object"),
            name: id("name"),
            body: id("body"),
            parameters: id("parameters"),
        }
    })
}

/// Is `ident` (its parent given: `Resolver::parent` looks it up) the member of an attribute
/// (`Lock` in `x.Lock`) or the keyword of a keyword argument (`Lock` in `f(Lock=1)`): a name
/// that is never looked up in a scope?
fn is_member_of(ident: Node, parent: Option<Node>) -> bool {
    let Some(parent) = parent else {
        return false;
    };
    let field = match kind(parent) {
        "attribute" => fields().attribute,
        "keyword_argument" => fields().name,
        _ => return false,
    };
    parent
        .child_by_field_id(field)
        .is_some_and(|c| c.id() == ident.id())
}

/// The names a module binds at module level, each with the dotted path it is an import of
/// (`asyncio` for `import asyncio`), if it is one.
pub type Provided = Vec<(String, Option<String>)>;

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
    "streams",
    "subprocess",
    "tasks",
    "taskgroups",
    "threads",
    "timeouts",
    "coroutines",
];

pub struct Resolver<'a> {
    src: &'a str,
    /// The root of the tree the resolver was built on.
    root: Node<'a>,
    /// That tree (the address of tree-sitter's handle): `parent` asks whether a node is of it.
    tree: usize,
    root_id: usize,
    scopes: IdMap<Scope>,
    /// Modules imported with `from M import *` (absolute ones), for reporting.
    star_imports: Vec<(String, usize)>,
    /// Any star import at all, relative ones included, whose names are not known.
    any_star: bool,
    /// The names of the project's modules that star imports here may bind
    /// (`analysis::star_names`): the module as written (`.fixtures`, `tests.helpers`), and each
    /// name with the dotted path it is an import of.
    stars: &'a [(String, Provided)],
    /// The star imports whose names are known (their statements' first bytes).
    resolved_stars: Vec<usize>,
    /// The distinct lookup chains (scope ids, innermost first, ending with the module).
    chains: Vec<Vec<usize>>,
    /// The lookup chain of every named node, recorded during the one walk over the tree:
    /// climbing with `Node::parent` instead costs a walk down from the root per step.
    chain_of: IdMap<u32>,
    /// Every identifier that is a variable (not an attribute or keyword-argument name), by
    /// name, in document order.
    variables: HashMap<&'a str, Vec<Node<'a>>>,
    /// The names of attributes (`x.name`), by name, in document order.
    attribute_names: HashMap<&'a str, Vec<Node<'a>>>,
    /// The names of keyword arguments (`f(name=...)`), by name, in document order.
    keyword_names: HashMap<&'a str, Vec<Node<'a>>>,
    /// Every string, in document order (nested ones after the one they are in).
    strings: Vec<Node<'a>>,
    /// The names some import binds, in any scope (a resolved star import's too): any other
    /// name resolves to nothing.
    imported: HashSet<&'a str>,
    /// The first component of every absolute import's module path (`a` of `import a.b` and of
    /// `from a.b import c`).
    imported_roots: HashSet<String>,
    /// The parent of every named node but the root.
    parents: IdMap<Node<'a>>,
    /// The object and the attribute name of every attribute (`x.name`): planners resolve
    /// attributes over and over, and a field lookup scans a node's children.
    attributes: IdMap<(Node<'a>, Node<'a>)>,
}

/// Is this node one that opens a scope?
pub fn is_scope(node: Node) -> bool {
    matches!(
        kind(node),
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

/// A def's name, decorators, defaults and annotations live in the enclosing scope;
/// only its parameters and body are inside it.
pub fn opens_scope_for(scope: Node, child: Node) -> bool {
    match kind(scope) {
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

impl<'a> Resolver<'a> {
    pub fn new(tree: &'a Tree, src: &'a str) -> Self {
        Self::with_stars(tree, src, &[])
    }

    /// A resolver for a module whose star imports of the modules in `stars` (as written, with
    /// the names each binds) bind those names, instead of making every module-level name
    /// unknown.
    pub fn with_stars(tree: &'a Tree, src: &'a str, stars: &'a [(String, Provided)]) -> Self {
        let root = tree.root_node();
        let mut this = Self {
            src,
            root,
            tree: tree_of(root),
            root_id: root.id(),
            scopes: IdMap::default(),
            star_imports: Vec::new(),
            any_star: false,
            stars,
            resolved_stars: Vec::new(),
            chains: vec![vec![root.id()]],
            chain_of: IdMap::default(),
            variables: HashMap::new(),
            attribute_names: HashMap::new(),
            keyword_names: HashMap::new(),
            strings: Vec::new(),
            imported: HashSet::new(),
            imported_roots: HashSet::new(),
            parents: IdMap::default(),
            attributes: IdMap::default(),
        };
        this.scopes.insert(root.id(), Scope::default());
        this.collect(&mut root.walk(), root.id(), 0);
        this
    }

    /// Was the star import whose statement starts at `at` resolved: its module's names known?
    pub fn star_resolved(&self, at: usize) -> bool {
        self.resolved_stars.contains(&at)
    }

    /// The names this module binds at module level, with the dotted path each is an import of
    /// (if it is one and nothing else binds it): what `from <this module> import *` binds, its
    /// `__all__` aside. None after a star import whose names are not known.
    pub fn module_names(&self) -> Option<Provided> {
        if self.any_star {
            return None;
        }
        let mut names: Provided = self.scopes[&self.root_id]
            .bindings
            .iter()
            .map(|(name, bindings)| {
                let import = match bindings.as_slice() {
                    [Binding::Import(path)] => Some(path.clone()),
                    _ => None,
                };
                (name.clone(), import)
            })
            .collect();
        names.sort();
        Some(names)
    }

    fn text(&self, node: Node) -> &'a str {
        &self.src[node.byte_range()]
    }

    /// The scopes in which a name used at `node` is looked up, innermost first.
    fn scope_chain(&self, node: Node) -> Cow<'_, [usize]> {
        match self.chain_of.get(&node.id()) {
            Some(&i) => Cow::Borrowed(&self.chains[i as usize]),
            // An anonymous node (a keyword, a bracket): not recorded, climb.
            None => Cow::Owned(self.climb_chain(node)),
        }
    }

    /// `scope_chain` by climbing the tree.
    fn climb_chain(&self, node: Node) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut child = node;
        let mut cur = self.parent(node);
        while let Some(n) = cur {
            if is_scope(n) && self.scopes.contains_key(&n.id()) && opens_scope_for(n, child) {
                let is_class = self.scopes[&n.id()].is_class;
                // Class bodies are visible only to code directly in them.
                if !is_class || chain.is_empty() {
                    chain.push(n.id());
                }
            }
            child = n;
            cur = self.parent(n);
        }
        if chain.last() != Some(&self.root_id) {
            chain.push(self.root_id);
        }
        chain
    }

    /// What the identifier `name`, used at `node`, is bound to by an import, if provably one.
    pub fn resolve_name(&self, name: &str, node: Node) -> Option<String> {
        if !self.imported.contains(name) {
            return None;
        }
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
        let raw = match kind(node) {
            "identifier" => {
                let name = self.text(node);
                // The member name of `x.Lock` (or the keyword of `f(Lock=...)`) is no name
                // lookup, even when `x` resolves to nothing: a walker that descends into an
                // unresolved attribute chain must not see a from-imported `Lock` in it.
                if self.is_member_name(node) {
                    return None;
                }
                if self.pending_import(name, node) {
                    return Some(name.to_owned());
                }
                self.resolve_name(name, node)?
            }
            "attribute" => {
                let (object, attr) = match self.attributes.get(&node.id()) {
                    Some(&(object, attr)) => (object, attr),
                    None => (
                        node.child_by_field_id(fields().object)?,
                        node.child_by_field_id(fields().attribute)?,
                    ),
                };
                format!("{}.{}", self.qualified(object)?, self.text(attr))
            }
            "parenthesized_expression" => self.qualified(named_children(node).next()?)?,
            _ => return None,
        };
        Some(canonical(&raw))
    }

    /// A module the import pass adds for the rewrites (`anyio`, `functools`, ...), named where
    /// nothing binds the name: between the passes of a migration the rewritten code already
    /// says `anyio.fail_after` while `import anyio` comes only at the end, and it means that
    /// module (without the import the name would be a `NameError`, so it can mean nothing else).
    fn pending_import(&self, name: &str, node: Node) -> bool {
        !self.any_star
            && crate::edit::Import::ALL.iter().any(|i| i.module() == name)
            && !self.is_bound(name, node)
    }

    /// `true` when `node` provably refers to `path` (e.g. `"asyncio.sleep"`).
    pub fn is(&self, node: Node, path: &str) -> bool {
        self.qualified(node).is_some_and(|q| q == path)
    }

    /// Does some import of the file name a module of the package `root` (`import root.x as y`,
    /// `from root import z`)? Only then can a name resolve to a path under `root`.
    pub fn imports_from(&self, root: &str) -> bool {
        self.imported_roots.contains(root)
    }

    /// `from M import *` statements at module level: (module, byte offset).
    pub fn star_imports(&self) -> &[(String, usize)] {
        &self.star_imports
    }

    /// Does `name`, used at `node`, refer to a module-level binding (or to nothing bound in
    /// the file)? False when a function, class or comprehension binds it locally.
    pub fn refers_to_module_scope(&self, name: &str, node: Node) -> bool {
        let chain = self.scope_chain(node);
        for id in chain.iter() {
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
        for &id in self.scope_chain(node).iter() {
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
    pub fn references<'t>(&self, tree: &'t Tree, name: &str, node: Node) -> Vec<Node<'t>>
    where
        'a: 't,
    {
        debug_assert_eq!(
            tree.root_node().id(),
            self.root_id,
            "a node of another tree"
        );
        let Some(scope) = self.defining_scope(name, node) else {
            return Vec::new();
        };
        self.variables.get(name).map_or_else(Vec::new, |uses| {
            uses.iter()
                .copied()
                .filter(|n| self.defining_scope(name, *n) == Some(scope))
                .collect()
        })
    }

    /// The identifiers named `name` that are variables (every one but attribute and
    /// keyword-argument names) and lie within `range`, in document order.
    pub fn identifiers_within(&self, name: &str, range: std::ops::Range<usize>) -> &[Node<'a>] {
        within(self.variables.get(name), range)
    }

    /// The names of attributes (`x.name`, the `name` identifiers) named `name` within
    /// `range`, in document order.
    pub fn attribute_names_within(&self, name: &str, range: std::ops::Range<usize>) -> &[Node<'a>] {
        within(self.attribute_names.get(name), range)
    }

    /// Every identifier named `name` but attribute names: variables and keyword-argument
    /// names, each list in document order.
    pub fn names_and_keywords(&self, name: &str) -> [&[Node<'a>]; 2] {
        [
            self.variables.get(name).map_or(&[][..], Vec::as_slice),
            self.keyword_names.get(name).map_or(&[][..], Vec::as_slice),
        ]
    }

    /// The root of the tree the resolver was built on.
    pub fn root(&self) -> Node<'a> {
        self.root
    }

    /// Every string node, in document order.
    pub fn strings(&self) -> &[Node<'a>] {
        &self.strings
    }

    /// The parent of `node`, looked up in the table the one walk over the tree recorded:
    /// tree-sitter's `Node::parent` finds a parent by walking down from the root, a cost that
    /// grows with the depth and the width of every level on the way. The way to climb for all
    /// code with a resolver of the node's tree in reach (`Ctx::parent` and `Code::parent` ask
    /// this one); `source::walk_parent` is the fallback for the nodes the table does not hold.
    pub fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        // A node of another tree (a re-parsed text's) may share an id with one of this tree
        // (an incremental parse reuses unchanged subtrees), and its parent here is not its
        // parent there: climb its own tree.
        let foreign = tree_of(node) != self.tree;
        debug_assert!(!foreign, "a node of another tree than the resolver's");
        if foreign {
            return crate::source::walk_parent(node);
        }
        match self.parents.get(&node.id()) {
            Some(parent) => Some(*parent),
            // The root, or an anonymous node (a keyword, a bracket): not recorded.
            None => crate::source::walk_parent(node),
        }
    }

    /// `node`'s ancestors, innermost first (not `node` itself), each looked up as `parent`
    /// does.
    pub fn ancestors(&self, node: Node<'a>) -> impl Iterator<Item = Node<'a>> + '_ {
        std::iter::successors(self.parent(node), |n| self.parent(*n))
    }

    /// `x.name` or `f(name=...)`: the identifier `node` names a member or a keyword, not a
    /// variable.
    pub fn is_member_name(&self, node: Node<'a>) -> bool {
        is_member_of(node, self.parent(node))
    }

    /// Is `name` bound (by anything) in the scope that encloses `node`, or any scope it sees?
    pub fn is_bound(&self, name: &str, node: Node) -> bool {
        self.scope_chain(node)
            .iter()
            .any(|id| self.scopes[id].bindings.contains_key(name))
    }
}

/// The tree a node is of (the address of tree-sitter's handle; a copy of a tree is another).
fn tree_of(node: Node) -> usize {
    node.into_raw().tree.addr()
}

/// The nodes of a document-ordered list of leaves that lie within `range`.
fn within<'l, 'a>(
    leaves: Option<&'l Vec<Node<'a>>>,
    range: std::ops::Range<usize>,
) -> &'l [Node<'a>] {
    let all = leaves.map_or(&[][..], Vec::as_slice);
    let from = all.partition_point(|n| n.start_byte() < range.start);
    let to = all.partition_point(|n| n.start_byte() < range.end);
    let inside = &all[from..to.max(from)];
    let end = inside.partition_point(|n| n.end_byte() <= range.end);
    &inside[..end]
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

/// `node.kind()`, cheaper: tree-sitter's `kind` measures the grammar's C string and checks
/// that it is UTF-8 on every call; here each kind's name is looked up once. The same string.
pub fn kind(node: Node) -> &'static str {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count())
            .map(|id| {
                u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                    .unwrap_or("")
            })
            .collect()
    });
    match names.get(usize::from(node.kind_id())) {
        Some(name) if !name.is_empty() => name,
        // ERROR and the other built-in symbols are outside the table.
        _ => node.kind(),
    }
}

/// Named children as an owned iterator. Walks once with a cursor: `named_child(i)` scans
/// from the first child, which makes index loops quadratic on long module bodies.
pub fn named_children(node: Node) -> std::vec::IntoIter<Node> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .collect::<Vec<_>>()
        .into_iter()
}

/// Version-conditional imports (`if sys.version_info >= (3, 11): from asyncio import timeout`
/// / `else: from async_timeout import timeout`).
impl Resolver<'_> {
    /// The import paths the name `name`, used at `node`, may be bound to when the scope that
    /// defines it binds it only by imports, and more than one ([`Resolver::resolve_name`] gives
    /// `None` there). Empty otherwise, and after a star import at module level.
    pub fn import_candidates(&self, name: &str, node: Node) -> Vec<String> {
        if !self.imported.contains(name) {
            return Vec::new();
        }
        let Some(scope) = self.defining_scope(name, node) else {
            return Vec::new();
        };
        if self.any_star && scope == self.root_id {
            return Vec::new();
        }
        let bindings = &self.scopes[&scope].bindings[name];
        if bindings.len() < 2 || bindings.contains(&Binding::Other) {
            return Vec::new();
        }
        bindings
            .iter()
            .filter_map(|b| match b {
                Binding::Import(path) => Some(canonical(path)),
                Binding::Other => None,
            })
            .collect()
    }
}

/// A comment anywhere inside `node`: rewriting its text would drop it.
pub fn has_comment(node: Node) -> bool {
    node.kind() == "comment" || named_children(node).any(has_comment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{new_parser, parse};

    /// Resolve every call's callee in `src` and return (callee text, qualified name).
    fn callees(src: &str) -> Vec<(String, Option<String>)> {
        callees_with_stars(src, &[])
    }

    fn callees_with_stars(
        src: &str,
        stars: &[(String, Provided)],
    ) -> Vec<(String, Option<String>)> {
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        let resolver = Resolver::with_stars(&tree, src, stars);
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

    #[expect(clippy::unnecessary_wraps, reason = "compared against Option values")]
    fn q(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn a_member_or_keyword_name_is_no_lookup_of_the_imported_name() {
        let src = "from asyncio import Lock\nx: lib.Lock = kit.Lock(Lock=1)\n";
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        let resolver = Resolver::new(&tree, src);
        let mut found = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && resolver.qualified(n).is_some() {
                found.push(n.start_byte());
            }
            stack.extend(named_children(n));
        }
        // Only the `Lock` of the import statement's own name resolves: none on line 2.
        assert!(
            found.iter().all(|&at| at < src.find('x').unwrap()),
            "{found:?}"
        );
        assert_eq!(callees(src), vec![("kit.Lock".into(), None)]);
    }

    #[test]
    fn a_module_the_import_pass_adds_resolves_where_nothing_binds_its_name() {
        // Between the passes `anyio.fail_after` is written before `import anyio` is added.
        let src = "def f():\n    with anyio.fail_after(1):\n        pass\n\ndef g(anyio):\n    anyio.fail_after(1)\n";
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        let resolver = Resolver::new(&tree, src);
        let at = |needle: &str, nth: usize| {
            let start = src.match_indices(needle).nth(nth).unwrap().0;
            tree.root_node()
                .descendant_for_byte_range(start, start + needle.len())
                .unwrap()
        };
        assert!(resolver.is(at("anyio.fail_after", 0), "anyio.fail_after"));
        // A parameter named `anyio` is not the module.
        assert_eq!(resolver.qualified(at("anyio.fail_after", 1)), None);
        // A star import may bind it: no guess.
        let star = "from x import *\nanyio.sleep(1)\n";
        let tree = parse(&mut new_parser().unwrap(), star).unwrap();
        let resolver = Resolver::new(&tree, star);
        let node = tree.root_node().descendant_for_byte_range(16, 27).unwrap();
        assert_eq!(resolver.qualified(node), None);
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
    fn a_none_fallback_for_a_failed_import_leaves_the_module_resolvable() {
        let fallback = |handler: &str, import: &str| {
            let src = format!(
                "try:\n    {import}\nexcept {handler}:\n    asyncio = None\nasyncio.sleep(1)\n"
            );
            callees(&src)
        };
        let resolved = vec![("asyncio.sleep".to_owned(), q("asyncio.sleep"))];
        assert_eq!(fallback("ImportError", "import asyncio"), resolved);
        assert_eq!(
            fallback("(ImportError, SyntaxError)", "import asyncio"),
            resolved
        );
        assert_eq!(fallback("ModuleNotFoundError", "import asyncio"), resolved);
        // Another exception, another value, or a name the try does not import: ambiguous.
        let unresolved = vec![("asyncio.sleep".to_owned(), None)];
        assert_eq!(fallback("ValueError", "import asyncio"), unresolved);
        assert_eq!(fallback("ImportError", "import trio"), unresolved);
        let src = "try:\n    import asyncio\nexcept ImportError:\n    asyncio = compat\nasyncio.sleep(1)\n";
        assert_eq!(callees(src), unresolved);
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

    #[test]
    fn a_star_import_whose_names_are_known_binds_them() {
        let stars = vec![(
            ".helpers".to_owned(),
            vec![
                ("asyncio".to_owned(), Some("asyncio".to_owned())),
                ("helper".to_owned(), None),
            ],
        )];
        let src =
            "from .helpers import *\nimport time\nasyncio.sleep(1)\ntime.sleep(1)\nhelper()\n";
        assert_eq!(
            callees_with_stars(src, &stars),
            vec![
                ("asyncio.sleep".into(), q("asyncio.sleep")),
                ("helper".into(), None),
                ("time.sleep".into(), q("time.sleep")),
            ]
        );
        // The module's own `import asyncio` is the same binding; another star stays unknown.
        let src = "import asyncio\nfrom .helpers import *\nasyncio.sleep(1)\n";
        assert_eq!(
            callees_with_stars(src, &stars),
            vec![("asyncio.sleep".into(), q("asyncio.sleep"))]
        );
        let src = "from .helpers import *\nfrom .other import *\nimport time\ntime.sleep(1)\n";
        assert_eq!(
            callees_with_stars(src, &stars),
            vec![("time.sleep".into(), None)]
        );
        // A name the module binds otherwise too is ambiguous.
        let src = "from .helpers import *\nasyncio = None\nasyncio.sleep(1)\n";
        assert_eq!(
            callees_with_stars(src, &stars),
            vec![("asyncio.sleep".into(), None)]
        );
    }
}
