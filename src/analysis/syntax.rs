//! The shape of the tree: pure questions about nodes (which field a child is, the arguments of
//! a call, the `with` a call is an item of, the awaits in a statement). No names are resolved;
//! a question that climbs the tree takes the resolver of the node's tree, which looks parents
//! up (`Resolver::parent`).

use crate::resolve::{Resolver, named_children};
use tree_sitter::Node;

/// `node` lies within `outer`.
pub fn inside(outer: Node, node: Node) -> bool {
    outer.start_byte() <= node.start_byte() && node.end_byte() <= outer.end_byte()
}

/// A `yield` in `node`, not counting nested functions, lambdas and classes.
pub fn yields_in(node: Node) -> bool {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "yield" => return true,
            "function_definition" | "lambda" | "class_definition" if n.id() != node.id() => {}
            _ => stack.extend(crate::resolve::named_children(n)),
        }
    }
    false
}

/// `call` is a method call `R.m(...)`: its receiver `R` and the name `m`.
pub fn method_call(call: Node) -> Option<(Node, Node)> {
    if call.kind() != "call" {
        return None;
    }
    let callee = call
        .child_by_field_name("function")
        .filter(|f| f.kind() == "attribute")?;
    Some((
        callee.child_by_field_name("object")?,
        callee.child_by_field_name("attribute")?,
    ))
}

/// An imported name of an import statement and the name it binds: `a.b` → (`a.b`, `a.b`),
/// `a.b as c` → (`a.b`, `c`); `None` for anything else (a comment).
pub fn import_parts(name: Node) -> Option<(Node, Node)> {
    match name.kind() {
        "dotted_name" => Some((name, name)),
        "aliased_import" => Some((
            name.child_by_field_name("name")?,
            name.child_by_field_name("alias")?,
        )),
        _ => None,
    }
}

/// Does a call in the header of `with` (its items, not its body) satisfy `pred`?
pub fn any_item_call(with: Node, pred: impl Fn(Node) -> bool) -> bool {
    let mut stack = vec![with];
    while let Some(n) = stack.pop() {
        if n.kind() == "block" {
            continue;
        }
        if n.kind() == "call" && pred(n) {
            return true;
        }
        stack.extend(named_children(n));
    }
    false
}

/// `child` is `parent`'s field `field`.
pub fn field_is(parent: Node, field: &str, child: Node) -> bool {
    parent
        .child_by_field_name(field)
        .is_some_and(|c| c.id() == child.id())
}

/// The `async with` / `with` statement whose item is the call `call` (`with X() as y`).
pub fn with_of_item_call<'t>(r: &Resolver<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let mut item = r.parent(call)?;
    if item.kind() == "as_pattern" {
        item = r.parent(item)?;
    }
    // `async with (asyncio.TaskGroup() as tg):`
    if item.kind() == "parenthesized_expression" {
        item = r.parent(item)?;
    }
    if item.kind() != "with_item" {
        return None;
    }
    let clause = r.parent(item).filter(|c| c.kind() == "with_clause")?;
    r.parent(clause).filter(|w| w.kind() == "with_statement")
}

pub fn is_async_with(with: Node) -> bool {
    with.child(0).is_some_and(|c| c.kind() == "async")
}

/// The `X as NAME` of a with-item, also when parenthesized: `async with (X as NAME):`.
pub fn item_pattern(item: Node) -> Option<Node> {
    let value = item.named_child(0)?;
    let value = if value.kind() == "parenthesized_expression" {
        value.named_child(0)?
    } else {
        value
    };
    (value.kind() == "as_pattern").then_some(value)
}

/// The outermost parenthesized expression around `node` (or `node` itself).
pub fn outer_parentheses<'t>(r: &Resolver<'t>, node: Node<'t>) -> Node<'t> {
    let mut top = node;
    while let Some(p) = r
        .parent(top)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        top = p;
    }
    top
}

/// The expression statement that is `node` alone (`f()` on its line, a docstring), if any:
/// there its value is discarded.
pub fn own_statement<'t>(r: &Resolver<'t>, node: Node<'t>) -> Option<Node<'t>> {
    r.parent(node)
        .filter(|p| p.kind() == "expression_statement" && p.named_child_count() == 1)
}

/// `top` is the whole value of `stmt`: `top`, `x = top`, `x += top`, `return top`.
pub fn is_statement_value(stmt: Node, top: Node) -> bool {
    if !matches!(stmt.kind(), "expression_statement" | "return_statement") {
        return false;
    }
    let mut values = named_children(stmt).filter(|c| c.kind() != "comment");
    let (Some(mut value), None) = (values.next(), values.next()) else {
        return false;
    };
    loop {
        if value.id() == top.id() {
            return true;
        }
        if !matches!(value.kind(), "assignment" | "augmented_assignment") {
            return false;
        }
        let Some(right) = value.child_by_field_name("right") else {
            return false;
        };
        value = right;
    }
}

/// `awaited` is the only `await` in `stmt`.
pub fn only_await(stmt: Node, awaited: Node) -> bool {
    awaits_in(stmt).iter().all(|a| a.id() == awaited.id())
}

/// Every `await` inside `node` (itself included).
pub fn awaits_in(node: Node) -> Vec<Node> {
    descendants(node)
        .into_iter()
        .filter(|n| n.kind() == "await")
        .collect()
}

/// `node` and everything below it, in document order.
pub fn descendants(node: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let kids: Vec<Node> = named_children(n).collect();
        stack.extend(kids.into_iter().rev());
    }
    out
}

/// The arguments of a call, without comments.
pub fn call_args(call: Node) -> Vec<Node> {
    call.child_by_field_name("arguments")
        .map(|args| {
            named_children(args)
                .filter(|n| n.kind() != "comment")
                .collect()
        })
        .unwrap_or_default()
}

/// The name a parameter binds: `x`, `x: T`, `x=d`, `x: T = d` (not `*args`, `**kw`, `*`, `/`).
pub fn parameter_name(param: Node) -> Option<Node> {
    match param.kind() {
        "identifier" => Some(param),
        "typed_parameter" => named_children(param).find(|c| c.kind() == "identifier"),
        "default_parameter" | "typed_default_parameter" => param.child_by_field_name("name"),
        _ => None,
    }
}

/// The parameters a positional argument can fill, in order: up to the first `*args` or `*`
/// (a `/` is skipped).
pub fn positional_parameters(def: Node) -> Vec<Node> {
    let Some(params) = def.child_by_field_name("parameters") else {
        return Vec::new();
    };
    named_children(params)
        .filter(|p| !matches!(p.kind(), "positional_separator" | "comment"))
        .map_while(parameter_name)
        .collect()
}

/// Positional arguments (not `*x`, not keywords).
pub fn positional_args(call: Node) -> Vec<Node> {
    call_args(call)
        .into_iter()
        .filter(|a| {
            !matches!(
                a.kind(),
                "keyword_argument" | "list_splat" | "dictionary_splat"
            )
        })
        .collect()
}

/// The call's one positional argument, when every other argument is a keyword named in
/// `keywords` and none is `*` / `**` unpacking.
pub fn sole_positional<'t>(src: &str, call: Node<'t>, keywords: &[&str]) -> Option<Node<'t>> {
    let mut positional = None;
    for arg in call_args(call) {
        match arg.kind() {
            "keyword_argument" => {
                let name = arg
                    .child_by_field_name("name")
                    .map(|n| &src[n.byte_range()]);
                if !name.is_some_and(|n| keywords.contains(&n)) {
                    return None;
                }
            }
            "list_splat" | "dictionary_splat" => return None,
            _ if positional.is_none() => positional = Some(arg),
            _ => return None,
        }
    }
    positional
}

/// A keyword argument's value, by keyword.
pub fn keyword_arg<'t>(call: Node<'t>, src: &str, name: &str) -> Option<Node<'t>> {
    call_args(call).into_iter().find_map(|a| {
        let key = a.child_by_field_name("name")?;
        (a.kind() == "keyword_argument" && &src[key.byte_range()] == name)
            .then(|| a.child_by_field_name("value"))
            .flatten()
    })
}

/// The `await` directly around `node`, if any (through parentheses).
pub fn awaited_by<'t>(r: &Resolver<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut cur = r.parent(node)?;
    while cur.kind() == "parenthesized_expression" {
        cur = r.parent(cur)?;
    }
    (cur.kind() == "await").then_some(cur)
}

/// The innermost function (def or lambda) that contains `node`.
pub fn enclosing_function<'t>(r: &Resolver<'t>, node: Node<'t>) -> Option<Node<'t>> {
    r.ancestors(node)
        .find(|n| matches!(n.kind(), "function_definition" | "lambda"))
}

/// The innermost class whose body holds `node` (a method's class), if no function lies
/// between them.
pub fn enclosing_class<'t>(r: &Resolver<'t>, node: Node<'t>) -> Option<Node<'t>> {
    r.ancestors(node)
        .find(|n| {
            matches!(
                n.kind(),
                "function_definition" | "lambda" | "class_definition"
            )
        })
        .filter(|n| n.kind() == "class_definition")
}

/// `def` is `async def`.
pub fn is_async_def(func: Node) -> bool {
    func.kind() == "function_definition" && func.child(0).is_some_and(|c| c.kind() == "async")
}

/// The statement that contains `node` (the nearest ancestor that sits in a block or module).
pub fn enclosing_statement<'t>(r: &Resolver<'t>, node: Node<'t>) -> Option<Node<'t>> {
    let mut cur = node;
    loop {
        let parent = r.parent(cur)?;
        if matches!(parent.kind(), "block" | "module") {
            return Some(cur);
        }
        cur = parent;
    }
}

/// `node` and the nodes of its own code below it, lazily: nothing inside a nested function,
/// lambda or class (their code runs in a scope of its own; the `def`, `lambda` or `class` node
/// itself is met), depth first, a node's last child first.
pub fn own_nodes(node: Node<'_>) -> impl Iterator<Item = Node<'_>> {
    let mut stack = vec![node];
    std::iter::from_fn(move || {
        let n = stack.pop()?;
        if !matches!(
            n.kind(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            stack.extend(named_children(n));
        }
        Some(n)
    })
}

/// The first `yield` in this code that belongs to it: not one of a nested function, lambda or
/// class (they yield for themselves).
pub fn own_yield(node: Node) -> Option<Node> {
    own_nodes(node).find(|n| n.kind() == "yield")
}

/// The statements of a block that do something: comments and bare strings (a docstring) left
/// out.
pub fn working_statements(block: Node) -> Vec<Node> {
    named_children(block)
        .filter(|s| s.kind() != "comment")
        .filter(|s| {
            !(s.kind() == "expression_statement"
                && s.named_child_count() == 1
                && s.named_child(0).is_some_and(|c| c.kind() == "string"))
        })
        .collect()
}

/// `stmt` (an import) sits in the body of a `try` with a handler that catches its failure
/// (`except ImportError`, `ModuleNotFoundError`, `Exception`, `BaseException`, a bare `except`,
/// or a tuple holding one): the import probes for a module (`try: import async_timeout` /
/// `HAS = True` / `except ModuleNotFoundError: HAS = False`), so deleting it, even once nothing
/// uses the name, changes what the handler decides (aiothreading's tests then ran a test meant
/// to be skipped).
pub fn probes_import(r: &Resolver, stmt: Node, src: &str) -> bool {
    let Some(block) = r.parent(stmt).filter(|b| b.kind() == "block") else {
        return false;
    };
    let Some(try_stmt) = r
        .parent(block)
        .filter(|t| t.kind() == "try_statement")
        .filter(|t| field_is(*t, "body", block))
    else {
        return false;
    };
    named_children(try_stmt)
        .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
        .any(|clause| {
            named_children(clause)
                .find(|c| !matches!(c.kind(), "block" | "comment"))
                .is_none_or(|caught| {
                    descendants(caught).into_iter().any(|n| {
                        n.kind() == "identifier"
                            && matches!(
                                &src[n.byte_range()],
                                "ImportError"
                                    | "ModuleNotFoundError"
                                    | "Exception"
                                    | "BaseException"
                            )
                    })
                })
        })
}

/// The name a callee ends with: `f` of `f` and of `a.b.f`; none for another expression.
pub fn last_name<'t>(text: &'t str, callee: Node) -> Option<&'t str> {
    match callee.kind() {
        "identifier" => Some(&text[callee.byte_range()]),
        "attribute" => callee
            .child_by_field_name("attribute")
            .map(|a| &text[a.byte_range()]),
        _ => None,
    }
}
