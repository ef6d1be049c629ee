//! Scopes, with the same simplified rules as the resolver: a name bound anywhere in a function
//! is local to it; class bodies do not enclose their methods; `global`/`nonlocal` jump out.

use super::helpers::push_children;
use super::{Kind, kind_of};
use crate::analysis::bindings::is_binding_site;
use crate::codemods::Ctx;
use crate::resolve::{is_scope, named_children, opens_scope_for};
use tree_sitter::Node;

#[derive(PartialEq, Eq)]
pub(super) enum Declared {
    Bound,
    Global,
    Nonlocal,
    No,
}

/// The scope in which `name`, used or bound at `node`, lives.
pub(super) fn defining_scope<'t>(ctx: &Ctx<'t>, node: Node<'t>, name: &str) -> Node<'t> {
    let root = ctx.tree.root_node();
    let mut child = node;
    let mut first = true;
    for scope in ctx.ancestors(node) {
        if is_scope(scope) && opens_scope_for(scope, child) {
            // Class bodies are visible only to code directly in them.
            if scope.kind() != "class_definition" || first {
                match declared(ctx, scope, name) {
                    Declared::Bound => return scope,
                    Declared::Global => return root,
                    Declared::Nonlocal | Declared::No => {}
                }
            }
            first = false;
        }
        child = scope;
    }
    root
}

/// How `scope` itself (not a nested scope) declares `name`.
pub(super) fn declared(ctx: &Ctx, scope: Node, name: &str) -> Declared {
    let mut sites = Vec::new();
    let mut global = Declared::No;
    walk_own(scope, &mut |n| {
        if matches!(n.kind(), "global_statement" | "nonlocal_statement")
            && named_children(n).any(|c| ctx.text_of(c) == name)
        {
            global = if n.kind() == "global_statement" {
                Declared::Global
            } else {
                Declared::Nonlocal
            };
        }
    });
    if global != Declared::No {
        return global;
    }
    own_binding_sites(ctx, scope, name, &mut sites);
    if sites.is_empty() {
        Declared::No
    } else {
        Declared::Bound
    }
}

/// Visit the nodes that run in `scope` itself; nested scopes are visited but not entered.
pub(super) fn walk_own<'t>(scope: Node<'t>, f: &mut impl FnMut(Node<'t>)) {
    let roots: Vec<Node> = match scope.kind() {
        "function_definition" => ["parameters", "body"]
            .iter()
            .filter_map(|field| scope.child_by_field_name(field))
            .collect(),
        "class_definition" => scope.child_by_field_name("body").into_iter().collect(),
        _ => named_children(scope).collect(),
    };
    let mut stack = roots;
    while let Some(n) = stack.pop() {
        f(n);
        if !is_scope(n) {
            push_children(&mut stack, n);
        }
    }
}

/// The nodes that bind `name` directly in `scope`.
pub(super) fn own_binding_sites<'t>(
    ctx: &Ctx<'t>,
    scope: Node<'t>,
    name: &str,
    out: &mut Vec<Node<'t>>,
) {
    walk_own(scope, &mut |n| match n.kind() {
        "identifier" if ctx.text_of(n) == name && is_binding_site(ctx.resolver, n) => out.push(n),
        "function_definition" | "class_definition"
            if n.child_by_field_name("name")
                .is_some_and(|x| ctx.text_of(x) == name) =>
        {
            out.push(n);
        }
        _ => {}
    });
}

/// Is this identifier a load of a variable (not a binding, attribute name, keyword, ...)?
pub(super) fn is_load(ctx: &Ctx, ident: Node) -> bool {
    let Some(parent) = ctx.parent(ident) else {
        return false;
    };
    let field_is = |field: &str| {
        parent
            .child_by_field_name(field)
            .is_some_and(|f| f.id() == ident.id())
    };
    let not_a_load = match parent.kind() {
        "attribute" => field_is("attribute"),
        "keyword_argument" | "function_definition" | "class_definition" => field_is("name"),
        "dotted_name" | "aliased_import" | "global_statement" | "nonlocal_statement" => true,
        _ => false,
    };
    !not_a_load && !is_binding_site(ctx.resolver, ident)
}

/// The constructor a value expression is, if any: (kind, is asyncio's).
pub(super) fn constructor_kind(ctx: &Ctx, value: Node) -> Option<(Kind, bool)> {
    let value = if value.kind() == "parenthesized_expression" {
        named_children(value).next()?
    } else {
        value
    };
    if value.kind() != "call" {
        return None;
    }
    kind_of(ctx, value.child_by_field_name("function")?)
}
