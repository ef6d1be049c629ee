//! Targets: what a primitive is bound to (a variable, a class attribute), its bindings and its
//! uses.

use super::helpers::push_children;
use super::scopes::{defining_scope, is_load, own_binding_sites};
use crate::analysis::bindings::is_target;
use crate::codemods::Ctx;
use crate::resolve::named_children;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// Targets: what a primitive is bound to, its bindings and its uses

/// Where a primitive lives: a variable of one scope, or an attribute of one class's instances
/// (`self.attr` in its methods, `attr` in its body, `Class.attr`).
#[derive(Debug, Clone)]
pub(super) enum Target<'t> {
    Name { scope: Node<'t>, name: String },
    Attr { class: Node<'t>, name: String },
}

impl Target<'_> {
    pub(super) fn key(&self) -> (usize, String) {
        match self {
            Self::Name { scope, name } => (scope.id(), name.clone()),
            Self::Attr { class, name } => (class.id(), format!(".{name}")),
        }
    }
}

/// The target a constructor call is assigned to: `x = asyncio.Lock()`, `self.x = ...`,
/// `(x := ...)`, or one element of `a, b = asyncio.Lock(), asyncio.Event()`.
pub(super) fn tie<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Target<'t>> {
    let parent = ctx.parent(call)?;
    let is = |n: Option<Node>| n.is_some_and(|n| n.id() == call.id());
    match parent.kind() {
        "assignment" if is(parent.child_by_field_name("right")) => {
            target_of_expression(ctx, parent.child_by_field_name("left")?)
        }
        "named_expression" if is(parent.child_by_field_name("value")) => {
            target_of_expression(ctx, parent.child_by_field_name("name")?)
        }
        "expression_list" => {
            let assignment = ctx.parent(parent).filter(|a| a.kind() == "assignment")?;
            if assignment
                .child_by_field_name("right")
                .is_none_or(|r| r.id() != parent.id())
            {
                return None;
            }
            let left = assignment
                .child_by_field_name("left")
                .filter(|l| l.kind() == "pattern_list")?;
            let values: Vec<Node> = named_children(parent).collect();
            let targets: Vec<Node> = named_children(left).collect();
            if values.len() != targets.len() {
                return None;
            }
            let index = values.iter().position(|v| v.id() == call.id())?;
            target_of_expression(ctx, targets[index])
        }
        _ => None,
    }
}

/// The target an expression names: a variable, `self.attr` in a method, or `Class.attr`.
pub(super) fn target_of_expression<'t>(ctx: &Ctx<'t>, expr: Node<'t>) -> Option<Target<'t>> {
    match expr.kind() {
        "identifier" => {
            let name = ctx.text_of(expr).to_owned();
            let scope = defining_scope(ctx, expr, &name);
            if scope.kind() == "class_definition" {
                Some(Target::Attr { class: scope, name })
            } else {
                Some(Target::Name { scope, name })
            }
        }
        "attribute" => {
            let object = expr
                .child_by_field_name("object")
                .filter(|o| o.kind() == "identifier")?;
            let name = ctx
                .text_of(expr.child_by_field_name("attribute")?)
                .to_owned();
            let recv = ctx.text_of(object);
            let class = ctx
                .ancestors(expr)
                .filter(|a| a.kind() == "function_definition")
                .find_map(|f| class_of_method(ctx, f).filter(|_| receiver(ctx, f) == Some(recv)))?;
            Some(Target::Attr { class, name })
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Bound<'t> {
    /// `target = value`
    Value(Node<'t>),
    /// Any other binding: a parameter, a loop target, tuple unpacking, an import, ...
    Other,
}

/// Every binding of the target.
pub(super) fn bindings<'t>(ctx: &Ctx<'t>, target: &Target<'t>) -> Vec<Bound<'t>> {
    let mut sites = Vec::new();
    match target {
        Target::Name { scope, name } => own_binding_sites(ctx, *scope, name, &mut sites),
        Target::Attr { class, name } => {
            own_binding_sites(ctx, *class, name, &mut sites);
            for attr in attribute_uses(ctx, *class, name, true) {
                if is_target(ctx.resolver, attr) {
                    sites.push(attr);
                }
            }
            // `entry.future = other` may rebind it on an instance.
            for attr in foreign_attribute_uses(ctx, *class, name) {
                if is_target(ctx.resolver, attr) {
                    sites.push(attr);
                }
            }
        }
    }
    sites
        .into_iter()
        .map(|site| match ctx.parent(site) {
            Some(p)
                if p.kind() == "assignment"
                    && p.child_by_field_name("left")
                        .is_some_and(|l| l.id() == site.id()) =>
            {
                p.child_by_field_name("right")
                    .map_or(Bound::Other, Bound::Value)
            }
            _ => Bound::Other,
        })
        .collect()
}

/// The uses of a target (loads, not bindings): identifiers, or attribute nodes for `Attr`.
pub(super) fn uses<'t>(ctx: &Ctx<'t>, target: &Target<'t>) -> Vec<Node<'t>> {
    let (scope, name, attrs) = match target {
        Target::Name { scope, name } => (*scope, name, Vec::new()),
        Target::Attr { class, name } => (*class, name, attribute_uses(ctx, *class, name, false)),
    };
    let mut out: Vec<Node> = attrs
        .into_iter()
        .filter(|a| !is_target(ctx.resolver, *a))
        .collect();
    let mut stack = vec![scope];
    while let Some(n) = stack.pop() {
        if n.kind() == "identifier"
            && ctx.text_of(n) == name
            && is_load(ctx, n)
            && defining_scope(ctx, n, name).id() == scope.id()
        {
            out.push(n);
        }
        push_children(&mut stack, n);
    }
    out.sort_by_key(Node::start_byte);
    out
}

/// `recv.name` in the class's methods (recv = the method's first parameter) and
/// `Class.name` anywhere in the file. `only_methods` skips the latter.
pub(super) fn attribute_uses<'t>(
    ctx: &Ctx<'t>,
    class: Node<'t>,
    name: &str,
    only_methods: bool,
) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let class_name = class.child_by_field_name("name").map(|n| ctx.text_of(n));
    for method in methods(class) {
        let Some(recv) = receiver(ctx, method) else {
            continue;
        };
        collect_attributes(ctx, method, recv, name, &mut out);
    }
    if !only_methods && let Some(class_name) = class_name {
        collect_attributes(ctx, ctx.tree.root_node(), class_name, name, &mut out);
    }
    out.sort_by_key(Node::start_byte);
    out.dedup_by_key(|n| n.id());
    out
}

/// `x.name` anywhere in the file on any other object (`entry.future` for the `future` of an
/// `Entry` kept in a registry): an instance's attribute read from outside its class, which by
/// name alone may be this target's. Not those `attribute_uses` gives, nor another class's own
/// `self.name` when neither class names the other as a base (that is its own attribute).
pub(super) fn foreign_attribute_uses<'t>(
    ctx: &Ctx<'t>,
    class: Node<'t>,
    name: &str,
) -> Vec<Node<'t>> {
    let own: Vec<usize> = attribute_uses(ctx, class, name, false)
        .iter()
        .map(Node::id)
        .collect();
    let mut out: Vec<Node> = attributes_named(ctx, ctx.tree.root_node(), name)
        .filter(|n| !own.contains(&n.id()) && !unrelated_receiver(ctx, class, *n))
        .collect();
    out.sort_by_key(Node::start_byte);
    out
}

/// `attr`'s object is the receiver (`self`) of a method of a class other than `class` that
/// neither derives from it nor is a base of it, by name in the class headers.
fn unrelated_receiver(ctx: &Ctx, class: Node, attr: Node) -> bool {
    let Some(object) = attr
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")
    else {
        return false;
    };
    let Some(method) = ctx
        .ancestors(attr)
        .find(|a| a.kind() == "function_definition")
    else {
        return false;
    };
    let Some(other) = class_of_method(ctx, method).filter(|c| c.id() != class.id()) else {
        return false;
    };
    if receiver(ctx, method) != Some(ctx.text_of(object)) {
        return false;
    }
    let names_base = |of: Node, base: Node| {
        let (Some(bases), Some(base)) = (
            of.child_by_field_name("superclasses"),
            base.child_by_field_name("name"),
        ) else {
            return false;
        };
        let base = ctx.text_of(base);
        named_children(bases).any(|b| ctx.text_of(b).rsplit('.').next() == Some(base))
    };
    !names_base(other, class) && !names_base(class, other)
}

pub(super) fn collect_attributes<'t>(
    ctx: &Ctx<'t>,
    root: Node<'t>,
    object: &str,
    name: &str,
    out: &mut Vec<Node<'t>>,
) {
    out.extend(attributes_named(ctx, root, name).filter(|n| {
        n.child_by_field_name("object")
            .is_some_and(|o| o.kind() == "identifier" && ctx.text_of(o) == object)
    }));
}

/// Every attribute `<x>.name` under `root`, whatever `x` is.
fn attributes_named<'t>(
    ctx: &Ctx<'t>,
    root: Node<'t>,
    name: &str,
) -> impl Iterator<Item = Node<'t>> {
    let mut found = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if n.kind() == "attribute"
            && n.child_by_field_name("attribute")
                .is_some_and(|a| ctx.text_of(a) == name)
        {
            found.push(n);
        }
        push_children(&mut stack, n);
    }
    found.into_iter()
}

pub(super) fn methods(class: Node) -> impl Iterator<Item = Node> {
    class
        .child_by_field_name("body")
        .into_iter()
        .flat_map(named_children)
        .filter_map(|s| match s.kind() {
            "function_definition" => Some(s),
            "decorated_definition" => s.child_by_field_name("definition"),
            _ => None,
        })
        .filter(|d| d.kind() == "function_definition")
}

/// The class a `def` is a method of.
pub(super) fn class_of_method<'t>(ctx: &Ctx<'t>, func: Node<'t>) -> Option<Node<'t>> {
    let mut up = ctx.parent(func)?;
    if up.kind() == "decorated_definition" {
        up = ctx.parent(up)?;
    }
    let class = ctx.parent(up)?;
    (up.kind() == "block" && class.kind() == "class_definition").then_some(class)
}

/// A method's first parameter (`self`, `cls`); None for a static method.
pub(super) fn receiver<'a>(ctx: &Ctx<'a>, method: Node) -> Option<&'a str> {
    class_of_method(ctx, method)?;
    let decorated = ctx
        .parent(method)
        .filter(|p| p.kind() == "decorated_definition");
    if decorated.is_some_and(|d| {
        named_children(d)
            .any(|c| c.kind() == "decorator" && ctx.text_of(c).contains("staticmethod"))
    }) {
        return None;
    }
    let first = named_children(method.child_by_field_name("parameters")?).next()?;
    let name = crate::analysis::syntax::parameter_name(first)?;
    Some(&ctx.text[name.byte_range()])
}
