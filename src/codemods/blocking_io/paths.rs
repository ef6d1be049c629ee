//! A `pathlib.Path`'s blocking I/O methods in a coroutine → `await anyio.Path(p).method(...)`,
//! where the code shows the receiver is a `pathlib.Path`: made by `Path(...)` there, derived
//! from one (`/`, `.parent`, `.with_suffix(...)`, `.joinpath(...)`), or a name bound once to
//! such an expression.

use super::{ID, MESSAGES, needs_parentheses};
use crate::analysis::awaitable::assigned_value;
use crate::codemods::Ctx;
use crate::edit::{Edit, Fix, Verdict};
use tree_sitter::Node;

/// The methods `anyio.Path` has as coroutines with `pathlib.Path`'s parameters and results
/// (anyio 3.7.1 on): none returns a path (anyio's would be an `anyio.Path`) or an iterator.
const METHODS: &[&str] = &[
    "chmod",
    "exists",
    "is_dir",
    "is_file",
    "is_symlink",
    "lstat",
    "mkdir",
    "read_bytes",
    "read_text",
    "rmdir",
    "stat",
    "touch",
    "unlink",
    "write_bytes",
    "write_text",
];

/// The constructors and class methods of `pathlib` that return a concrete path.
const MAKERS: &[&str] = &[
    "pathlib.Path",
    "pathlib.PosixPath",
    "pathlib.WindowsPath",
    "pathlib.Path.cwd",
    "pathlib.Path.home",
];

/// Methods and properties of a path that return a path of the same class.
const DERIVED: &[&str] = &["joinpath", "with_name", "with_stem", "with_suffix"];

/// The receiver of `callee` (`p` of `p.read_text`) when the callee is one of [`METHODS`] and
/// the receiver is shown to be a `pathlib.Path`.
pub(super) fn path_method<'t>(ctx: &Ctx<'t>, callee: Node<'t>) -> Option<Node<'t>> {
    if callee.kind() != "attribute" {
        return None;
    }
    let method = callee.child_by_field_name("attribute")?;
    if !METHODS.contains(&ctx.text_of(method)) {
        return None;
    }
    let receiver = callee.child_by_field_name("object")?;
    is_path(ctx, receiver, 8).then_some(receiver)
}

/// `node` evaluates to a `pathlib.Path` (`depth` bounds how many names are followed).
fn is_path(ctx: &Ctx, node: Node, depth: u8) -> bool {
    match node.kind() {
        "parenthesized_expression" => node
            .named_child(0)
            .is_some_and(|inner| is_path(ctx, inner, depth)),
        "call" => {
            let Some(function) = node.child_by_field_name("function") else {
                return false;
            };
            ctx.qualified(function)
                .is_some_and(|q| MAKERS.contains(&q.as_str()))
                || (function.kind() == "attribute"
                    && function
                        .child_by_field_name("attribute")
                        .is_some_and(|a| DERIVED.contains(&ctx.text_of(a)))
                    && function
                        .child_by_field_name("object")
                        .is_some_and(|o| is_path(ctx, o, depth)))
        }
        "binary_operator" => {
            node.child_by_field_name("operator")
                .is_some_and(|o| ctx.text_of(o) == "/")
                && node
                    .child_by_field_name("left")
                    .is_some_and(|l| is_path(ctx, l, depth))
        }
        "attribute" => {
            node.child_by_field_name("attribute")
                .is_some_and(|a| ctx.text_of(a) == "parent")
                && node
                    .child_by_field_name("object")
                    .is_some_and(|o| is_path(ctx, o, depth))
        }
        "identifier" if depth > 0 => bound_once_to_path(ctx, node, depth - 1),
        _ => false,
    }
}

/// A name bound exactly once in its scope, by `name = <a path>`.
fn bound_once_to_path(ctx: &Ctx, name: Node, depth: u8) -> bool {
    assigned_value(ctx.code(), name).is_some_and(|v| is_path(ctx, v, depth))
}

/// `p.m(...)` → `await anyio.Path(p).m(...)`; `Path(x).m(...)` → `await anyio.Path(x).m(...)`.
pub(super) fn rewrite(ctx: &Ctx, call: Node, receiver: Node) -> Fix {
    let parens = needs_parentheses(ctx, call);
    let open = if parens { "(await " } else { "await " };
    let maker = (receiver.kind() == "call")
        .then(|| receiver.child_by_field_name("function"))
        .flatten()
        .filter(|f| ctx.is(*f, "pathlib.Path"));
    let mut edits = match maker {
        // The receiver is `Path(...)` itself: anyio.Path takes the same arguments.
        Some(function) if function.start_byte() == call.start_byte() => {
            vec![Edit::replace(
                function.byte_range(),
                format!("{open}anyio.Path"),
            )]
        }
        // `(a / b).m()`: its parentheses become the call's.
        _ if receiver.kind() == "parenthesized_expression" => {
            vec![Edit::insert(call.start_byte(), format!("{open}anyio.Path"))]
        }
        _ => vec![
            Edit::insert(call.start_byte(), format!("{open}anyio.Path(")),
            Edit::insert(receiver.end_byte(), ")"),
        ],
    };
    if parens {
        edits.push(Edit::insert(call.end_byte(), ")"));
    }
    Fix::new(ID, "path-method", call.start_byte(), Verdict::Unsafe, edits)
        .note(MESSAGES.text("path-method", "note"))
}
