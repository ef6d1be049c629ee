//! Scopes: which binding a name refers to, what an identifier does where it stands, and every
//! use of a variable.

use super::Code;
use super::syntax::field_is;
use crate::resolve::named_children;
use tree_sitter::Node;

/// What an identifier (or `self.x` attribute) does where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Read,
    Bind,
    /// The target of a comprehension's `for`: bound in the comprehension.
    CompBind,
    /// Named by `global` / `nonlocal`.
    Declare,
    /// Not a variable: an attribute name, a keyword argument's name, an imported module path.
    NotAName,
}

pub fn role<'t>(code: Code<'t>, node: Node<'t>) -> Role {
    let Some(parent) = code.parent(node) else {
        return Role::Read;
    };
    let declares = match parent.kind() {
        "function_definition"
        | "class_definition"
        | "default_parameter"
        | "typed_default_parameter" => field_is(parent, "name", node),
        "parameters" | "lambda_parameters" | "typed_parameter" => true,
        "list_splat_pattern" | "dictionary_splat_pattern" => code.parent(parent).is_some_and(|g| {
            matches!(
                g.kind(),
                "parameters" | "lambda_parameters" | "typed_parameter"
            )
        }),
        _ => false,
    };
    if declares {
        return Role::Bind;
    }
    match parent.kind() {
        "attribute" if field_is(parent, "attribute", node) => return Role::NotAName,
        "keyword_argument" if field_is(parent, "name", node) => return Role::NotAName,
        "global_statement" | "nonlocal_statement" => return Role::Declare,
        "aliased_import" => {
            return if field_is(parent, "alias", node) {
                Role::Bind
            } else {
                Role::NotAName
            };
        }
        "dotted_name" => return dotted_role(code, parent, node),
        _ => {}
    }
    let mut cur = node;
    while let Some(p) = code.parent(cur) {
        if p.kind() == "case_pattern" {
            // Match captures bind; treating every name in a pattern as bound is conservative.
            return Role::Bind;
        }
        if matches!(
            p.kind(),
            "pattern_list"
                | "tuple_pattern"
                | "list_pattern"
                | "list_splat_pattern"
                | "tuple"
                | "list"
                | "parenthesized_expression"
                | "as_pattern_target"
        ) {
            cur = p;
            continue;
        }
        return match p.kind() {
            "assignment" | "augmented_assignment" | "for_statement" if field_is(p, "left", cur) => {
                Role::Bind
            }
            "for_in_clause" if field_is(p, "left", cur) => Role::CompBind,
            "named_expression" if field_is(p, "name", cur) => Role::Bind,
            "as_pattern" if field_is(p, "alias", cur) => Role::Bind,
            "delete_statement" => Role::Bind,
            _ => Role::Read,
        };
    }
    Role::Read
}

/// An identifier inside a dotted name: `import a.b` binds `a`; module paths bind nothing.
fn dotted_role<'t>(code: Code<'t>, dotted: Node<'t>, node: Node<'t>) -> Role {
    let first = dotted.named_child(0).is_some_and(|c| c.id() == node.id());
    match code.parent(dotted).map(|p| p.kind()) {
        Some("import_statement") if first => Role::Bind,
        Some("import_from_statement") if !is_field_parent(code, dotted, "module_name") => {
            Role::Bind
        }
        Some("import_statement" | "import_from_statement" | "aliased_import") => Role::NotAName,
        // Anything unexpected counts as a binding: that only makes tracing give up.
        _ => Role::Bind,
    }
}

fn is_field_parent<'t>(code: Code<'t>, node: Node<'t>, field: &str) -> bool {
    code.parent(node).is_some_and(|p| field_is(p, field, node))
}

#[derive(Default)]
pub struct Bindings<'t> {
    pub sites: Vec<Node<'t>>,
    /// `global name` / `nonlocal name` in this scope.
    pub declared: bool,
}

fn is_comprehension(kind: &str) -> bool {
    matches!(
        kind,
        "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression"
    )
}

/// The binding sites of `name` in `scope`'s own region (not in nested functions or classes).
pub fn scope_bindings<'t>(code: Code<'t>, scope: Node<'t>, name: &str) -> Bindings<'t> {
    let mut out = Bindings::default();
    let roots: Vec<Node> = match scope.kind() {
        "function_definition" | "lambda" => ["parameters", "body"]
            .iter()
            .filter_map(|f| scope.child_by_field_name(f))
            .collect(),
        "class_definition" => scope.child_by_field_name("body").into_iter().collect(),
        _ => vec![scope],
    };
    for root in roots {
        for &ident in code.resolver.identifiers_within(name, root.byte_range()) {
            visit_binding(code, scope, root, ident, &mut out);
        }
    }
    out
}

/// What the identifier `ident` (named as the variable looked for, inside `root`) adds to the
/// bindings of `scope`, whose own region `root` is. The region stops at nested scopes: of a
/// nested def or class only its name is in it (its body may still rebind the variable with
/// `nonlocal`), and nothing of a lambda is.
fn visit_binding<'t>(
    code: Code<'t>,
    scope: Node<'t>,
    root: Node<'t>,
    ident: Node<'t>,
    out: &mut Bindings<'t>,
) {
    // The outermost nested def, class or lambda between `ident` and `root`, with its child
    // on the way.
    let mut nested: Option<(Node, Node)> = None;
    let mut child = ident;
    let mut cur = code.parent(ident);
    loop {
        let Some(n) = cur else {
            return;
        };
        if n.id() == root.id() {
            break;
        }
        if matches!(
            n.kind(),
            "function_definition" | "class_definition" | "lambda"
        ) {
            nested = Some((n, child));
        }
        child = n;
        cur = code.parent(n);
    }
    match nested {
        // Directly in the region, or the name of a nested def or class.
        None => {}
        Some((def, child))
            if def.kind() != "lambda"
                && child.id() == ident.id()
                && field_is(def, "name", ident) => {}
        Some((def, _)) if def.kind() != "lambda" => {
            // Inside the nested def or class: only its `nonlocal` statements count.
            if code
                .parent(ident)
                .is_some_and(|p| p.kind() == "nonlocal_statement")
            {
                out.declared = true;
            }
            return;
        }
        Some(_) => return,
    }
    match role(code, ident) {
        Role::Bind => out.sites.push(ident),
        Role::Declare => out.declared = true,
        Role::CompBind if comprehension_of(code, ident).is_some_and(|c| c.id() == scope.id()) => {
            out.sites.push(ident);
        }
        _ => {}
    }
}

fn comprehension_of<'t>(code: Code<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut cur = code.parent(node);
    while let Some(n) = cur {
        if n.kind() == "for_in_clause" {
            return code.parent(n);
        }
        cur = code.parent(n);
    }
    None
}

/// The one assignment that binds the variable `ident` names: `(owner scope, binding site,
/// value)`, when `name = value` (the name itself the target) is the variable's only binding in
/// its scope and no `global` / `nonlocal` redirects it.
pub fn single_assignment<'t>(
    code: Code<'t>,
    ident: Node<'t>,
) -> Option<(Node<'t>, Node<'t>, Node<'t>)> {
    let owner = owner_scope(code, ident)?;
    let bindings = scope_bindings(code, owner, code.text_of(ident));
    let [site] = bindings.sites[..] else {
        return None;
    };
    let value = code
        .parent(site)
        .filter(|a| a.kind() == "assignment" && field_is(*a, "left", site))?
        .child_by_field_name("right")?;
    (!bindings.declared).then_some((owner, site, value))
}

/// The scope whose variable `ident` is: `None` when `global`/`nonlocal` redirect it (not
/// followed) or nothing in the file binds it.
pub fn owner_scope<'t>(code: Code<'t>, ident: Node<'t>) -> Option<Node<'t>> {
    owner_scope_in(code, ident, &mut ScopeMemo::default())
}

/// What `scope_bindings` says of a name in a scope (`global`/`nonlocal`-declared, bound),
/// remembered for callers that ask about many uses of one name: each `self` of a class's
/// methods would otherwise walk its whole method again.
#[derive(Default)]
pub struct ScopeMemo(std::collections::HashMap<(usize, String), (bool, bool)>);

impl ScopeMemo {
    pub fn summary<'t>(&mut self, code: Code<'t>, scope: Node<'t>, name: &str) -> (bool, bool) {
        *self
            .0
            .entry((scope.id(), name.to_owned()))
            .or_insert_with(|| {
                let b = scope_bindings(code, scope, name);
                (b.declared, !b.sites.is_empty())
            })
    }
}

/// `owner_scope`, with the scopes' answers remembered in `memo` (one tree only).
pub fn owner_scope_in<'t>(
    code: Code<'t>,
    ident: Node<'t>,
    memo: &mut ScopeMemo,
) -> Option<Node<'t>> {
    let name = code.text_of(ident);
    let mut child = ident;
    let mut in_function = false;
    let mut cur = code.parent(ident);
    while let Some(n) = cur {
        let opens = match n.kind() {
            "function_definition" | "lambda" => {
                field_is(n, "body", child) || field_is(n, "parameters", child)
            }
            // Class bodies are visible only to code directly in them.
            "class_definition" => field_is(n, "body", child) && !in_function,
            "module" => true,
            k => is_comprehension(k),
        };
        if opens {
            let (declared, bound) = memo.summary(code, n, name);
            if declared {
                return None;
            }
            if bound {
                return Some(n);
            }
            if matches!(n.kind(), "function_definition" | "lambda") {
                in_function = true;
            }
        }
        child = n;
        cur = code.parent(n);
    }
    None
}

/// Every identifier under `root` that names the variable `name` (not an attribute or keyword
/// name). At module level, names bound locally in a function are another variable.
pub fn name_uses<'t>(code: Code, root: Node<'t>, name: &str, module_level: bool) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "identifier" && code.text_of(node) == name {
            let is_label = code.parent(node).is_some_and(|p| {
                (p.kind() == "attribute"
                    && p.child_by_field_name("attribute")
                        .is_some_and(|a| a.id() == node.id()))
                    || (p.kind() == "keyword_argument"
                        && p.child_by_field_name("name")
                            .is_some_and(|n| n.id() == node.id()))
            });
            if !is_label && (!module_level || code.resolver.refers_to_module_scope(name, node)) {
                out.push(node);
            }
        }
        stack.extend(named_children(node));
    }
    out.sort_by_key(Node::start_byte);
    out
}
