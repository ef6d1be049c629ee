//! Binding sites: where an identifier is written to rather than read.

use crate::resolve::kind;
use tree_sitter::Node;

/// Is this identifier a place that binds its name: an assignment, augmented-assignment or loop
/// target (also inside a tuple or list pattern), a parameter, a walrus name, a `with ... as` /
/// `except ... as` / `case ... as` name, a `global` / `nonlocal` declaration, an imported name,
/// a `def` or `class` name, a `del` target?
pub fn is_binding_site(node: Node) -> bool {
    if kind(node) != "identifier" {
        return false;
    }
    let mut cur = node;
    loop {
        let Some(parent) = cur.parent() else {
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
            "function_definition" | "class_definition" => return field_is("name"),
            "as_pattern" | "aliased_import" => return field_is("alias"),
            // A type annotation's names sit inside a `type` node, never directly here.
            "parameters"
            | "lambda_parameters"
            | "typed_parameter"
            | "dictionary_splat_pattern"
            | "global_statement"
            | "nonlocal_statement"
            | "delete_statement" => return true,
            "dotted_name" => {
                // `import a.b` binds `a`; `from m import x` binds `x`; `from x import y`'s
                // module name binds nothing.
                let Some(stmt) = parent.parent() else {
                    return false;
                };
                return match kind(stmt) {
                    "import_statement" => {
                        parent.named_child(0).is_some_and(|f| f.id() == node.id())
                    }
                    "import_from_statement" => stmt
                        .child_by_field_name("module_name")
                        .is_none_or(|m| m.id() != parent.id()),
                    _ => false,
                };
            }
            _ => return false,
        }
    }
}

/// Every binding site among the references of one variable (`Resolver::references`).
pub fn bindings<'t>(references: &[Node<'t>]) -> Vec<Node<'t>> {
    references
        .iter()
        .copied()
        .filter(|r| is_binding_site(*r))
        .collect()
}

/// Is `node` an expression that reads a name (not an attribute's name, a keyword, or a name
/// inside an import or `global` statement)?
pub fn is_reference(node: Node) -> bool {
    if !matches!(node.kind(), "identifier" | "attribute") {
        return false;
    }
    if let Some(parent) = node.parent() {
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
    let mut cur = node.parent();
    while let Some(n) = cur {
        if matches!(
            n.kind(),
            "import_statement"
                | "import_from_statement"
                | "future_import_statement"
                | "global_statement"
                | "nonlocal_statement"
                | "dotted_name"
        ) {
            return false;
        }
        cur = n.parent();
    }
    true
}

/// An identifier in a position that binds it (assignment target, loop variable, `as` name,
/// parameter, walrus, `global`/`nonlocal`/`del`, import).
pub fn is_store(id: Node) -> bool {
    use super::syntax::field_is;
    let mut child = id;
    let Some(mut parent) = id.parent() else {
        return false;
    };
    while matches!(
        parent.kind(),
        "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "list_splat_pattern"
            | "tuple"
            | "list"
            | "parenthesized_expression"
            | "expression_list"
    ) {
        child = parent;
        match parent.parent() {
            Some(p) => parent = p,
            None => return false,
        }
    }
    match parent.kind() {
        "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
            field_is(parent, "left", child)
        }
        "named_expression" | "default_parameter" | "typed_default_parameter" => {
            field_is(parent, "name", child)
        }
        "as_pattern_target"
        | "parameters"
        | "lambda_parameters"
        | "typed_parameter"
        | "global_statement"
        | "nonlocal_statement"
        | "delete_statement"
        | "dotted_name"
        | "aliased_import"
        | "function_definition"
        | "class_definition" => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The identifiers named `x` in `src`, each with whether it binds.
    fn sites(src: &str) -> Vec<bool> {
        let mut parser = crate::source::new_parser().unwrap();
        let tree = crate::source::parse(&mut parser, src).unwrap();
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && &src[n.byte_range()] == "x" {
                out.push((n.start_byte(), is_binding_site(n)));
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
        ];
        for (src, want) in table {
            assert_eq!(sites(src), *want, "{src}");
        }
    }
}
