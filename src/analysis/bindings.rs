//! Binding sites: where an identifier is written to rather than read.

use crate::resolve::{Resolver, kind};
use tree_sitter::Node;

/// Is this identifier a place that binds its name: an assignment, augmented-assignment or loop
/// target (also inside a tuple or list pattern, or a `del a, b` list), a parameter (`*args` and
/// `**kwargs` too), a walrus name, a `with ... as` / `except ... as` name, a `global` /
/// `nonlocal` declaration, an imported name (`import a.b` binds `a`, `from m import x` and
/// `from __future__ import x` bind `x`; module paths bind nothing), a `def` or `class` name, a
/// `del` target, a `type X = ...` alias, or a `match` capture (`case x:`, `case [x, *rest]:`,
/// `case P(k=x):`, `case {"k": x, **rest}:`, `case _ as x:`; a dotted value pattern `case a.b:`
/// and a class pattern's class bind nothing)?
pub fn is_binding_site<'t>(r: &Resolver<'t>, node: Node<'t>) -> bool {
    if kind(node) != "identifier" {
        return false;
    }
    is_target(r, node)
}

/// Is this expression written to where it stands: an identifier at a binding site
/// (`is_binding_site`), or an attribute or subscript that is an assignment, loop, `with ... as`
/// or walrus target (`self.x = 1`, `for d[k] in ...`)? An attribute's or subscript's own object
/// is read, not written: `is_target` is false for the `self` of `self.x = 1`.
pub fn is_target<'t>(r: &Resolver<'t>, node: Node<'t>) -> bool {
    let identifier = kind(node) == "identifier";
    let mut cur = node;
    loop {
        let Some(parent) = r.parent(cur) else {
            return false;
        };
        let field_is = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|f| f.id() == cur.id())
        };
        match kind(parent) {
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "tuple"
            | "list"
            | "expression_list"
            | "parenthesized_expression"
            | "as_pattern_target" => {
                cur = parent;
            }
            "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                return field_is("left");
            }
            "named_expression" | "default_parameter" | "typed_default_parameter" => {
                return field_is("name");
            }
            "as_pattern" => {
                // `case P() as x:` names its capture without a field.
                return field_is("alias")
                    || (identifier
                        && r.parent(parent).is_some_and(|p| kind(p) == "case_pattern")
                        && parent
                            .named_child(parent.named_child_count().saturating_sub(1))
                            .is_some_and(|last| last.id() == cur.id()));
            }
            "aliased_import" => return field_is("alias"),
            // Everything below binds identifiers only.
            _ if !identifier => return false,
            "function_definition" | "class_definition" => return field_is("name"),
            // A type annotation's names sit inside a `type` node, never directly here.
            "parameters"
            | "lambda_parameters"
            | "typed_parameter"
            | "dictionary_splat_pattern"
            | "global_statement"
            | "nonlocal_statement"
            | "delete_statement"
            | "splat_pattern" => return true,
            // `type X = ...`: the alias is the `type` node of field `left`.
            "type" => {
                return parent.named_child_count() == 1
                    && r.parent(parent).is_some_and(|a| {
                        kind(a) == "type_alias_statement"
                            && a.child_by_field_name("left")
                                .is_some_and(|l| l.id() == parent.id())
                    });
            }
            "dotted_name" => return dotted_binds(r, parent, node),
            _ => return false,
        }
    }
}

/// An identifier of the dotted name `dotted`: `import a.b` binds `a`; `from m import x` (and
/// `from __future__ import x`) binds `x`, its module name nothing; a one-name pattern in a
/// `case` is a capture, a class pattern's class and a dict pattern's key are values.
fn dotted_binds<'t>(r: &Resolver<'t>, dotted: Node<'t>, node: Node<'t>) -> bool {
    let Some(stmt) = r.parent(dotted) else {
        return false;
    };
    match kind(stmt) {
        "import_statement" => dotted.named_child(0).is_some_and(|f| f.id() == node.id()),
        "import_from_statement" | "future_import_statement" => stmt
            .child_by_field_name("module_name")
            .is_none_or(|m| m.id() != dotted.id()),
        "case_pattern" | "union_pattern" | "keyword_pattern" => dotted.named_child_count() == 1,
        _ => false,
    }
}

/// Every binding site among the references of one variable (`Resolver::references`).
pub fn bindings<'t>(r: &Resolver<'t>, references: &[Node<'t>]) -> Vec<Node<'t>> {
    references
        .iter()
        .copied()
        .filter(|n| is_binding_site(r, *n))
        .collect()
}

/// Is `node` an expression that reads a name (not an attribute's name, a keyword, or a name
/// inside an import or `global` statement)?
pub fn is_reference<'t>(r: &Resolver<'t>, node: Node<'t>) -> bool {
    if !matches!(node.kind(), "identifier" | "attribute") {
        return false;
    }
    if let Some(parent) = r.parent(node) {
        let is_field = |field: &str| {
            parent
                .child_by_field_name(field)
                .is_some_and(|c| c.id() == node.id())
        };
        let name_field = match parent.kind() {
            "attribute" => "attribute",
            "keyword_argument" | "function_definition" | "class_definition" => "name",
            _ => "",
        };
        if !name_field.is_empty() && is_field(name_field) {
            return false;
        }
    }
    !r.ancestors(node).any(|n| {
        matches!(
            n.kind(),
            "import_statement"
                | "import_from_statement"
                | "future_import_statement"
                | "global_statement"
                | "nonlocal_statement"
                | "dotted_name"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifiers named `x` in `src`, each with whether it binds.
    fn sites(src: &str) -> Vec<bool> {
        let mut parser = crate::source::new_parser().unwrap();
        let tree = crate::source::parse(&mut parser, src).unwrap();
        let resolver = crate::resolve::Resolver::new(&tree, src);
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && &src[n.byte_range()] == "x" {
                out.push((n.start_byte(), is_binding_site(&resolver, n)));
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        out.sort_unstable();
        out.into_iter().map(|(_, b)| b).collect()
    }

    #[test]
    fn binding_sites_and_uses() {
        let table: &[(&str, &[bool])] = &[
            ("x = 1", &[true]),
            ("x += 1", &[true]),
            ("a, (x, *b) = y", &[true]),
            ("[x, y] = z", &[true]),
            ("y = x", &[false]),
            ("x.a = 1", &[false]),
            ("y[x] = 1", &[false]),
            ("for x in y: pass", &[true]),
            ("[1 for x in y]", &[true]),
            ("def f(x, y=x): pass", &[true, false]),
            ("def f(*, x=1, **k): pass", &[true]),
            ("def f(x: int = 1): pass", &[true]),
            ("def f(*x): pass", &[true]),
            ("def f(**x): pass", &[true]),
            ("lambda x: x", &[true, false]),
            ("if (x := 1): pass", &[true]),
            ("with y as x: pass", &[true]),
            ("with y as (x, z): pass", &[true]),
            ("try: pass\nexcept E as x: pass", &[true]),
            ("def x(): pass", &[true]),
            ("async def x(): pass", &[true]),
            ("class x: pass", &[true]),
            ("global x", &[true]),
            ("nonlocal x", &[true]),
            ("del x", &[true]),
            ("import x", &[true]),
            ("import x.y", &[true]),
            ("import y as x", &[true]),
            ("from x import y", &[false]),
            ("from y import x", &[true]),
            ("from y import z as x", &[true]),
            ("f(x=1)", &[false]),
            ("f(x)", &[false]),
            ("await x", &[false]),
            // Lists of targets, and what only looks like one.
            ("del x, y", &[true]),
            ("del (x, y)", &[true]),
            ("del y[x]", &[false]),
            ("x, y = y, x", &[true, false]),
            ("for y in x, z: pass", &[false]),
            ("return x, y", &[false]),
            ("[x for y in z]", &[false]),
            ("async def f():\n    async for x in y: pass", &[true]),
            // Imports: only the name the statement binds.
            ("import x.y as z", &[false]),
            ("import y.x", &[false]),
            ("from x.y import z", &[false]),
            ("from . import x", &[true]),
            ("from .x import y", &[false]),
            ("from y import (x, z)", &[true]),
            ("from __future__ import x", &[true]),
            // Parameters of every shape; annotations and defaults are read.
            ("def f(y: x = x): pass", &[false, false]),
            ("def f(*x: int, **y: int): pass", &[true]),
            ("lambda *x, **y: x", &[true, false]),
            ("def f(**x): return x", &[true, false]),
            // Definitions and declarations.
            ("def f(): x", &[false]),
            ("class C(x): pass", &[false]),
            ("@x\ndef f(): pass", &[false]),
            ("type x = int", &[true]),
            ("type y = x", &[false]),
            // `as` names and attribute targets.
            ("with y as x.z: pass", &[false]),
            ("try: pass\nexcept* E as x: pass", &[true]),
            ("x.y += 1", &[false]),
            ("f(x)[0] = 1", &[false]),
            // Match patterns: captures bind, values and classes do not.
            ("match v:\n    case x: pass", &[true]),
            ("match v:\n    case [x, *y]: pass", &[true]),
            ("match v:\n    case [y, *x]: pass", &[true]),
            ("match v:\n    case (x, 1): pass", &[true]),
            ("match v:\n    case {\"k\": x}: pass", &[true]),
            ("match v:\n    case {\"k\": 1, **x}: pass", &[true]),
            ("match v:\n    case P(k=x): pass", &[true]),
            ("match v:\n    case P(x=1): pass", &[false]),
            ("match v:\n    case x(): pass", &[false]),
            ("match v:\n    case x.y: pass", &[false]),
            ("match v:\n    case y.x: pass", &[false]),
            ("match v:\n    case P() as x: pass", &[true]),
            ("match v:\n    case [1] | [x]: pass", &[true]),
            ("match x:\n    case 1: pass", &[false]),
        ];
        for (src, want) in table {
            assert_eq!(sites(src), *want, "{src}");
        }
    }
}
