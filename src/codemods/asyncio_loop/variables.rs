//! The variable a loop is held in: its single binding and its uses, in a function or as a
//! `self.x` attribute of a class (`crate::analysis::scopes` answers which variable a name is).

use super::calls::crosses_function;
use super::producers::{Use, classify};
use crate::analysis::scopes::{Role, ScopeMemo, owner_scope, owner_scope_in, role, scope_bindings};
use crate::codemods::Ctx;
use crate::resolve::named_children;
use tree_sitter::Node;

// ---- scopes: the variable a name refers to (`crate::analysis::scopes`) ----

/// The scope and the single binding site of the variable `ident` refers to.
pub(super) fn local_binding<'t>(ctx: &Ctx<'t>, ident: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let name = ctx.text_of(ident);
    let owner = owner_scope(ctx.code(), ident)?;
    if owner.kind() == "module" && module_global_declared(ctx, owner, name) {
        return None;
    }
    let b = scope_bindings(ctx.code(), owner, name);
    match b.sites.as_slice() {
        [site] if !b.declared => Some((owner, *site)),
        _ => None,
    }
}

/// A `global name` anywhere: functions may rebind the module-level variable.
pub(super) fn module_global_declared(ctx: &Ctx, node: Node, name: &str) -> bool {
    if node.kind() == "global_statement" {
        return named_children(node).any(|c| ctx.text_of(c) == name);
    }
    named_children(node).any(|c| module_global_declared(ctx, c, name))
}

/// Every read of the variable `name` owned by `owner`, except the binding `site`.
pub(super) fn local_uses<'t>(
    ctx: &Ctx<'t>,
    owner: Node<'t>,
    name: &str,
    site: Node<'t>,
) -> Vec<Use<'t>> {
    let mut memo = ScopeMemo::default();
    let mut out = Vec::new();
    let mut stack = vec![owner];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier" {
            if n.id() != site.id()
                && ctx.text_of(n) == name
                && role(ctx.code(), n) == Role::Read
                && owner_scope_in(ctx.code(), n, &mut memo).is_some_and(|o| o.id() == owner.id())
            {
                out.push(Use {
                    node: n,
                    kind: classify(ctx, n),
                    nested: crosses_function(ctx, n, owner),
                });
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    out.sort_by_key(|u| u.node.start_byte());
    out
}

/// For `self.attr` in a method: the class, when `self` is the method's first parameter.
pub(super) fn self_attr_class<'t>(
    ctx: &Ctx<'t>,
    attribute: Node<'t>,
) -> Option<(Node<'t>, String)> {
    self_attr_class_in(ctx, attribute, &mut ScopeMemo::default())
}

/// `self_attr_class`, with scope answers remembered in `memo`.
pub(super) fn self_attr_class_in<'t>(
    ctx: &Ctx<'t>,
    attribute: Node<'t>,
    memo: &mut ScopeMemo,
) -> Option<(Node<'t>, String)> {
    let object = attribute.child_by_field_name("object")?;
    let attr = attribute.child_by_field_name("attribute")?;
    if object.kind() != "identifier" {
        return None;
    }
    let method = owner_scope_in(ctx.code(), object, memo)?;
    if method.kind() != "function_definition" {
        return None;
    }
    let first = method
        .child_by_field_name("parameters")
        .and_then(|p| named_children(p).next())?;
    let first = if first.kind() == "identifier" {
        first
    } else {
        named_children(first).find(|c| c.kind() == "identifier")?
    };
    if ctx.text_of(first) != ctx.text_of(object) {
        return None;
    }
    let mut block = ctx.parent(method)?;
    if block.kind() == "decorated_definition" {
        block = ctx.parent(block)?;
    }
    let class = ctx.parent(block)?;
    (block.kind() == "block" && class.kind() == "class_definition")
        .then(|| (class, ctx.text_of(attr).to_owned()))
}

/// Every `self.attr` in the class's methods: (node, role, in a nested function).
pub(super) fn class_self_refs<'t>(
    ctx: &Ctx<'t>,
    class: Node<'t>,
    attr: &str,
) -> Vec<(Node<'t>, Role, bool)> {
    let mut memo = ScopeMemo::default();
    let mut out = Vec::new();
    let Some(body) = class.child_by_field_name("body") else {
        return out;
    };
    // Each `x.attr` in the body, from the resolver's index of attribute names.
    for &name in ctx.resolver.attribute_names_within(attr, body.byte_range()) {
        let Some(n) = ctx.parent(name) else {
            continue;
        };
        if let Some((c, _)) = self_attr_class_in(ctx, n, &mut memo)
            && c.id() == class.id()
        {
            let method = n
                .child_by_field_name("object")
                .and_then(|o| owner_scope_in(ctx.code(), o, &mut memo));
            let nested = method.is_some_and(|m| crosses_function(ctx, n, m));
            out.push((n, role(ctx.code(), n), nested));
        }
    }
    out.sort_by_key(|(n, _, _)| n.start_byte());
    out
}

/// The `self.attr` of `class` that are not reads (assignments, deletions...): what
/// `class_self_refs` gives without its reads, whose role is checked first (most uses of a
/// stored loop are reads, and the class check is the costly part).
pub(super) fn class_self_binds<'t>(ctx: &Ctx<'t>, class: Node<'t>, attr: &str) -> Vec<Node<'t>> {
    let mut memo = ScopeMemo::default();
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    let mut out: Vec<Node> = ctx
        .resolver
        .attribute_names_within(attr, body.byte_range())
        .iter()
        .filter_map(|&name| ctx.parent(name))
        .filter(|&n| role(ctx.code(), n) != Role::Read)
        .filter(|&n| {
            self_attr_class_in(ctx, n, &mut memo).is_some_and(|(c, _)| c.id() == class.id())
        })
        .collect();
    out.sort_by_key(Node::start_byte);
    out
}

/// The class, when this `self.attr` target is the attribute's only assignment in it.
pub(super) fn self_attr_binding<'t>(ctx: &Ctx<'t>, target: Node<'t>) -> Option<Node<'t>> {
    let (class, attr) = self_attr_class(ctx, target)?;
    match class_self_binds(ctx, class, &attr).as_slice() {
        [one] if one.id() == target.id() => Some(class),
        _ => None,
    }
}

pub(super) fn short(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}
