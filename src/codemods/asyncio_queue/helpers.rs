//! Helpers of the analysis: names, parameters, task groups, sizes and annotations.

use super::owner::{method_of, self_param};
use super::{Kind, RECV, SEND, STREAM_MODULE, kind_of};
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{field_is, import_parts, inside, is_async_with, with_of_item_call};
use crate::codemods::shared::tasks::is_anyio_group_callee;
use crate::codemods::{Ctx, enclosing_function, positional_args};
use crate::edit::Edit;
use crate::resolve::named_children;
use tree_sitter::Node;

// ------------------------------------------------------------------ helpers

/// `q` → (`q_send`, `q_recv`), with the same numeric suffix when either is taken anywhere.
pub(super) fn fresh_pair(text: &str, base: &str) -> (String, String) {
    let used = |name: &str| crate::imports::mentions(text, name);
    let mut n = 1;
    loop {
        let suffix = if n == 1 { String::new() } else { n.to_string() };
        let send = format!("{base}_send{suffix}");
        let recv = format!("{base}_recv{suffix}");
        if !used(&send) && !used(&recv) {
            return (send, recv);
        }
        n += 1;
    }
}

/// Why the bare queue in `parent` escapes.
pub(super) fn escape_reason(ctx: &Ctx, expr: Node, parent: Node) -> String {
    let what = ctx.text_of(expr);
    match parent.kind() {
        "return_statement" => format!("`{what}` is returned"),
        "yield" => format!("`{what}` is yielded"),
        "list" | "tuple" | "set" | "dictionary" | "pair" | "expression_list" => {
            format!("`{what}` is stored in a container")
        }
        "assignment" => match parent.child_by_field_name("left") {
            Some(l) if l.kind() == "attribute" || l.kind() == "subscript" => format!(
                "`{what}` is stored as `{}`, where other code can reach it",
                ctx.text_of(l)
            ),
            Some(l) => format!("`{what}` is copied to `{}`", ctx.text_of(l)),
            None => format!("`{what}` is used as a value"),
        },
        "lambda" => format!("`{what}` is used in a lambda"),
        "global_statement" | "nonlocal_statement" => {
            format!(
                "`{what}` is declared {}",
                ctx.text_of(parent.child(0).unwrap_or(parent))
            )
        }
        _ => format!(
            "`{what}` is used as a value (`{}`)",
            one_line(ctx.text_of(parent))
        ),
    }
}

pub(super) fn one_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or(s);
    if line.len() < s.len() {
        format!("{line} ...")
    } else {
        line.to_owned()
    }
}

/// A nested function (or the function itself) declares `nonlocal name`: the resolver does
/// not follow `nonlocal`, so such code is not analyzed.
pub(super) fn has_nonlocal(ctx: &Ctx, func: Node, name: &str) -> bool {
    let mut stack = vec![func];
    while let Some(n) = stack.pop() {
        if n.kind() == "nonlocal_statement" && named_children(n).any(|c| ctx.text_of(c) == name) {
            return true;
        }
        stack.extend(named_children(n));
    }
    false
}

/// The class and every class of the module related to it by inheritance: `(class, true)` for
/// the class and its subclasses (they share `self._q`), `(class, false)` for the others.
pub(super) fn class_family<'t>(ctx: &Ctx<'t>, class: Node<'t>) -> Vec<(Node<'t>, bool)> {
    let mut all = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "class_definition" {
            all.push(n);
        }
        stack.extend(named_children(n));
    }
    let name_of = |c: Node| {
        c.child_by_field_name("name")
            .map_or("", |n| ctx.text_of(n))
            .to_owned()
    };
    let bases = |c: Node| -> Vec<String> {
        c.child_by_field_name("superclasses")
            .map(|s| {
                named_children(s)
                    .map(|b| ctx.text_of(b).to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut related = vec![name_of(class)];
    loop {
        let before = related.len();
        for c in &all {
            let n = name_of(*c);
            if !related.contains(&n) && bases(*c).iter().any(|b| related.contains(b)) {
                related.push(n);
            }
        }
        if related.len() == before {
            break;
        }
    }
    all.into_iter()
        .map(|c| {
            let r = c.id() == class.id() || related[1..].contains(&name_of(c));
            (c, r)
        })
        .collect()
}

pub(super) fn methods_of(class: Node) -> Vec<Node> {
    let Some(body) = class.child_by_field_name("body") else {
        return Vec::new();
    };
    named_children(body)
        .filter_map(|s| match s.kind() {
            "function_definition" => Some(s),
            "decorated_definition" => s
                .child_by_field_name("definition")
                .filter(|d| d.kind() == "function_definition"),
            _ => None,
        })
        .collect()
}

pub(super) fn first_param_ident(func: Node) -> Option<Node> {
    let params = func.child_by_field_name("parameters")?;
    let first = named_children(params).find(|p| p.kind() != "comment")?;
    crate::analysis::syntax::parameter_name(first)
}

/// `node` is the `self` parameter of the method it is used in.
pub(super) fn self_param_of(ctx: &Ctx, node: Node) -> bool {
    if node.kind() != "identifier" {
        return false;
    }
    let mut cur = enclosing_function(ctx.resolver, node);
    while let Some(f) = cur {
        if method_of(ctx, f).is_some() {
            return self_param(ctx, f).as_deref() == Some(ctx.text_of(node))
                && ctx.resolver.defining_scope(ctx.text_of(node), node) == Some(f.id());
        }
        cur = enclosing_function(ctx.resolver, f);
    }
    false
}

/// Names bound by relative imports (`from ._job import Job`, `from . import util`).
pub(super) fn relative_imports(ctx: &Ctx) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.kind() == "import_from_statement" {
            let relative = n
                .child_by_field_name("module_name")
                .is_some_and(|m| m.kind() == "relative_import");
            if relative {
                let mut cursor = n.walk();
                for (_, bound) in n
                    .children_by_field_name("name", &mut cursor)
                    .filter_map(import_parts)
                {
                    names.push(ctx.text_of(bound).to_owned());
                }
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    names
}

/// `self` passed to a call of something imported from a sibling module: that code may reach
/// the instance's private attributes, and this tool cannot see it.
pub(super) fn passed_to_sibling(ctx: &Ctx, r: Node, siblings: &[String]) -> Option<String> {
    let mut arg = r;
    if let Some(kw) = ctx.parent(arg).filter(|p| p.kind() == "keyword_argument") {
        arg = kw;
    }
    let args = ctx.parent(arg).filter(|a| a.kind() == "argument_list")?;
    let call = ctx.parent(args).filter(|c| c.kind() == "call")?;
    let callee = call.child_by_field_name("function")?;
    let mut head = callee;
    while head.kind() == "attribute" {
        head = head.child_by_field_name("object")?;
    }
    let name = ctx.text_of(head);
    (head.kind() == "identifier"
        && siblings.iter().any(|s| s == name)
        && ctx.resolver.refers_to_module_scope(name, head))
    .then(|| ctx.text_of(callee).to_owned())
}

/// Which parameter receives the queue.
pub(super) enum Param {
    Pos(usize),
    Kw(String),
}

/// The `def` a called name refers to in this module, or why it cannot be followed.
pub(super) fn function_def<'t>(ctx: &Ctx<'t>, target: Node<'t>) -> Result<Node<'t>, String> {
    let text = ctx.text_of(target);
    if target.kind() != "identifier" {
        return Err(format!(
            "it is passed to `{text}()`, which is not a function defined in this module"
        ));
    }
    let stores: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, text, target)
        .into_iter()
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    let [store] = stores.as_slice() else {
        return Err(format!(
            "it is passed to `{text}()`, which is not a function defined (once) in this module"
        ));
    };
    let Some(def) = ctx
        .parent(*store)
        .filter(|d| d.kind() == "function_definition" && field_is(*d, "name", *store))
    else {
        let imported = ctx.parent(*store).is_some_and(|p| {
            matches!(
                p.kind(),
                "dotted_name" | "aliased_import" | "import_from_statement" | "import_statement"
            )
        });
        let class = ctx
            .parent(*store)
            .is_some_and(|p| p.kind() == "class_definition");
        let what = if imported {
            "which is imported: code this tool cannot see"
        } else if class {
            "a class, whose instances may keep it"
        } else {
            "which is not a function defined in this module"
        };
        return Err(format!("it is passed to `{text}()`, {what}"));
    };
    if ctx
        .parent(def)
        .is_some_and(|p| p.kind() == "decorated_definition")
    {
        return Err(format!(
            "it is passed to `{text}()`, which is decorated (the decorator may keep it)"
        ));
    }
    Ok(def)
}

/// The named parameters of `def`, each with its position while parameters are positional (none
/// after `*`, `*args` or `**kwargs`, which bind no name here).
pub(super) fn parameters(def: Node<'_>) -> Vec<(Option<usize>, Node<'_>)> {
    let Some(params) = def.child_by_field_name("parameters") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut position = Some(0);
    for p in named_children(params) {
        if matches!(p.kind(), "positional_separator" | "comment") {
            continue;
        }
        match crate::analysis::syntax::parameter_name(p) {
            Some(ident) => {
                out.push((position, ident));
                position = position.map(|n| n + 1);
            }
            None => position = None,
        }
    }
    out
}

/// The parameter (name and identifier node) of `def` that receives `param`.
pub(super) fn parameter<'t>(
    ctx: &Ctx<'t>,
    def: Node<'t>,
    param: &Param,
) -> Option<(String, Node<'t>)> {
    parameters(def)
        .into_iter()
        .find(|(position, ident)| match param {
            Param::Pos(i) => *position == Some(*i),
            Param::Kw(k) => ctx.text_of(*ident) == k,
        })
        .map(|(_, ident)| (ctx.text_of(ident).to_owned(), ident))
}

/// The position of the parameter `name` of `def`, when it can be passed positionally.
pub(super) fn parameter_index(ctx: &Ctx, def: Node, name: &str) -> Option<usize> {
    parameters(def)
        .into_iter()
        .find(|(_, ident)| ctx.text_of(*ident) == name)
        .and_then(|(position, _)| position)
}

/// The call in which the queue expression `expr` is an argument (directly or by keyword).
pub(super) fn call_site<'t>(ctx: &Ctx<'t>, expr: Node<'t>) -> Node<'t> {
    let mut cur = expr;
    while let Some(p) = ctx.parent(cur) {
        if p.kind() == "call" {
            return p;
        }
        cur = p;
    }
    expr
}

/// `functools.partial(f, *bound)`: (`f`, number of bound positional arguments).
pub(super) fn partial_parts<'t>(ctx: &Ctx, call: Node<'t>) -> Option<(Node<'t>, usize)> {
    if call.kind() != "call" {
        return None;
    }
    let callee = call.child_by_field_name("function")?;
    let spelled = ctx.text_of(callee) == "functools.partial"
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| !ctx.resolver.is_bound("functools", o));
    if !(ctx.is(callee, "functools.partial") || spelled) {
        return None;
    }
    let args = positional_args(call);
    let target = *args.first()?;
    Some((target, args.len() - 1))
}

/// `tg.start_soon(...)` / `tg.start(...)` on a task group opened by `async with`: that with.
pub(super) fn start_soon_group<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    let method = callee.child_by_field_name("attribute")?;
    if callee.kind() != "attribute" || !matches!(ctx.text_of(method), "start_soon" | "start") {
        return None;
    }
    group_of(ctx, callee.child_by_field_name("object")?)
}

/// `tg.create_task(...)` on a task group (asyncio's or anyio's) opened by `async with`.
pub(super) fn create_task_group<'t>(ctx: &Ctx<'t>, call: Node<'t>) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    let method = callee.child_by_field_name("attribute")?;
    if callee.kind() != "attribute" || ctx.text_of(method) != "create_task" {
        return None;
    }
    group_of(ctx, callee.child_by_field_name("object")?)
}

/// The `async with <task group>() as tg:` statement that binds the name `tg`, when that is
/// its only binding.
pub(super) fn group_of<'t>(ctx: &Ctx<'t>, object: Node<'t>) -> Option<Node<'t>> {
    if object.kind() != "identifier" {
        return None;
    }
    let name = ctx.text_of(object);
    let stores: Vec<Node> = ctx
        .resolver
        .references(ctx.tree, name, object)
        .into_iter()
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    let [store] = stores.as_slice() else {
        return None;
    };
    let target = ctx
        .parent(*store)
        .filter(|p| p.kind() == "as_pattern_target")?;
    let pattern = ctx.parent(target).filter(|p| p.kind() == "as_pattern")?;
    let group = pattern.named_child(0)?;
    let with = with_of_item_call(ctx.resolver, group)?;
    let callee = group.child_by_field_name("function")?;
    let is_group = ctx.is(callee, "asyncio.TaskGroup") || is_anyio_group_callee(ctx, callee);
    (is_async_with(with) && is_group && inside(with, object)).then_some(with)
}

/// `asyncio.gather`, `anyio.gather` or the gather codemod's module helpers.
pub(super) fn is_gather(ctx: &Ctx, callee: Node) -> bool {
    if ctx.is(callee, "asyncio.gather") || ctx.is(callee, "anyio.gather") {
        return true;
    }
    let text = ctx.text_of(callee);
    if text == "anyio.gather" {
        return callee
            .child_by_field_name("object")
            .is_some_and(|o| !ctx.resolver.is_bound("anyio", o));
    }
    callee.kind() == "identifier"
        && matches!(text, "_gather" | "_gather_return_exceptions")
        && function_def(ctx, callee)
            .is_ok_and(|d| ctx.parent(d).is_some_and(|p| p.kind() == "module"))
}

/// `yield` in the function's own body (not in nested functions).
pub(super) fn has_own_yield(func: Node) -> bool {
    func.child_by_field_name("body")
        .and_then(crate::analysis::syntax::own_yield)
        .is_some()
}

/// The `get_nowait()`/`put_nowait()` calls inside `node`.
pub(super) fn nowait_calls<'t>(ctx: &Ctx, node: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "call"
            && let Some(f) = n.child_by_field_name("function")
            && f.kind() == "attribute"
            && f.child_by_field_name("attribute")
                .is_some_and(|a| matches!(ctx.text_of(a), "get_nowait" | "put_nowait"))
        {
            out.push(n);
        }
        stack.extend(named_children(n));
    }
    out
}

/// A comparison replacing a call needs parentheses unless the context binds looser.
pub(super) fn needs_parens(ctx: &Ctx, node: Node) -> bool {
    let Some(parent) = ctx.parent(node) else {
        return false;
    };
    !matches!(
        parent.kind(),
        "if_statement"
            | "elif_clause"
            | "while_statement"
            | "not_operator"
            | "boolean_operator"
            | "expression_statement"
            | "assignment"
            | "return_statement"
            | "argument_list"
            | "keyword_argument"
            | "parenthesized_expression"
            | "assert_statement"
            | "conditional_expression"
            | "list"
            | "tuple"
            | "set"
            | "expression_list"
            | "interpolation"
    )
}

pub(super) enum Literal {
    Unbounded,
    Count(String),
}

/// A literal `maxsize`: `0`, negative or a non-positive float → unbounded; a positive int as
/// written; a positive float rounded up (asyncio's `full()` compares `qsize() >= maxsize`).
pub(super) fn literal_size(value: Node, text: &str) -> Option<Literal> {
    match value.kind() {
        "integer" => {
            let clean = text.replace('_', "").to_lowercase();
            let parsed = if let Some(h) = clean.strip_prefix("0x") {
                u128::from_str_radix(h, 16).ok()
            } else if let Some(o) = clean.strip_prefix("0o") {
                u128::from_str_radix(o, 8).ok()
            } else if let Some(b) = clean.strip_prefix("0b") {
                u128::from_str_radix(b, 2).ok()
            } else {
                clean.parse::<u128>().ok()
            };
            match parsed {
                Some(0) => Some(Literal::Unbounded),
                Some(_) => Some(Literal::Count(text.to_owned())),
                None => None,
            }
        }
        "float" => {
            let v: f64 = text.replace('_', "").parse().ok()?;
            if v <= 0.0 {
                Some(Literal::Unbounded)
            } else if v.is_finite() && v < 1e15 {
                #[expect(clippy::cast_possible_truncation, reason = "bounded above: v < 1e15")]
                let n = v.ceil() as i64;
                Some(Literal::Count(n.to_string()))
            } else {
                None
            }
        }
        "unary_operator" => {
            let operand = value.child_by_field_name("argument")?;
            let op = text.trim_start().chars().next()?;
            if op == '-' && matches!(operand.kind(), "integer" | "float") {
                Some(Literal::Unbounded)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A name or attribute chain (`n`, `self.limit`): cheap and stable to evaluate twice.
pub(super) fn is_plain_reference(node: Node) -> bool {
    match node.kind() {
        "identifier" => true,
        "attribute" => node
            .child_by_field_name("object")
            .is_some_and(is_plain_reference),
        _ => false,
    }
}

/// `T` from an annotation `asyncio.Queue[T]` (also as a string).
pub(super) fn item_type<'t>(ctx: &Ctx<'t>, annotation: Node<'t>) -> Option<&'t str> {
    let inner = annotation.named_child(0)?;
    match inner.kind() {
        "subscript" => {
            let value = inner.child_by_field_name("value")?;
            (kind_of(ctx, value) == Some(Kind::Queue))
                .then(|| inner.child_by_field_name("subscript"))
                .flatten()
                .map(|s| &ctx.text[s.byte_range()])
                .filter(|_| {
                    named_children(inner)
                        .filter(|c| c.kind() != "comment")
                        .count()
                        == 2
                })
        }
        "string" => {
            let content = named_children(inner).find(|c| c.kind() == "string_content")?;
            let text = ctx.text_of(content).trim();
            let open = text.find('[')?;
            let head = &text[..open];
            let root = head.split('.').next().unwrap_or(head);
            let path = ctx.resolver.resolve_name(root, inner)?;
            let full = format!("{path}{}", &head[root.len()..]);
            let start = content.start_byte()
                + (ctx.text_of(content).len() - ctx.text_of(content).trim_start().len());
            (text.ends_with(']') && (full == "asyncio.Queue" || full == "asyncio.queues.Queue"))
                .then(|| &ctx.text[start + open + 1..start + text.len() - 1])
        }
        _ => None,
    }
}

/// `from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream` after
/// the leading imports, once (a shared edit); `None` when the module already imports them.
pub(super) fn stream_import(ctx: &Ctx) -> Option<Edit> {
    let root = ctx.tree.root_node();
    let imported = [SEND, RECV].iter().all(|name| {
        ctx.resolver
            .resolve_name(name, root)
            .is_some_and(|p| p == format!("{STREAM_MODULE}.{name}"))
    });
    if imported {
        return None;
    }
    // In the third-party block, where isort puts it; after the imports when there are none.
    if let Some((at, text)) = crate::imports::sections::place_from(
        root,
        ctx.text,
        STREAM_MODULE,
        &format!("{RECV}, {SEND}"),
    ) {
        return Some(Edit::shared_insert(at, text));
    }
    let line = format!("from {STREAM_MODULE} import {RECV}, {SEND}\n");
    let at = crate::imports::insertion_point(root, ctx.text);
    let text = if at == ctx.text.len() && !ctx.text.ends_with('\n') {
        format!("\n{}", line.trim_end())
    } else {
        line
    };
    Some(Edit::shared_insert(at, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{new_parser, parse};

    /// The size `asyncio.Queue(<text>)` becomes (`None`: not a literal).
    fn size_of(text: &str) -> Option<String> {
        let src = format!("{text}\n");
        let tree = parse(&mut new_parser().unwrap(), &src).unwrap();
        let value = tree
            .root_node()
            .named_child(0)
            .unwrap()
            .named_child(0)
            .unwrap();
        literal_size(value, &src[value.byte_range()]).map(|l| match l {
            Literal::Unbounded => "math.inf".to_owned(),
            Literal::Count(n) => n,
        })
    }

    #[test]
    fn literal_sizes_follow_asyncio() {
        assert_eq!(size_of("0").as_deref(), Some("math.inf"));
        assert_eq!(size_of("0x0").as_deref(), Some("math.inf"));
        assert_eq!(size_of("-1").as_deref(), Some("math.inf"));
        assert_eq!(size_of("-0.5").as_deref(), Some("math.inf"));
        assert_eq!(size_of("5").as_deref(), Some("5"));
        assert_eq!(size_of("1_000").as_deref(), Some("1_000"));
        // asyncio is full at qsize() >= maxsize: 2.5 holds 3 items.
        assert_eq!(size_of("2.5").as_deref(), Some("3"));
        assert_eq!(size_of("5.0").as_deref(), Some("5"));
        assert_eq!(size_of("n"), None);
    }

    #[test]
    fn fresh_pairs_share_a_suffix() {
        assert_eq!(
            fresh_pair("q = 1\n", "q"),
            ("q_send".to_owned(), "q_recv".to_owned())
        );
        assert_eq!(
            fresh_pair("q_recv = 1\n", "q"),
            ("q_send2".to_owned(), "q_recv2".to_owned())
        );
        assert_eq!(
            fresh_pair("self._q_send = 1\n", "_q"),
            ("_q_send2".to_owned(), "_q_recv2".to_owned())
        );
    }
}
