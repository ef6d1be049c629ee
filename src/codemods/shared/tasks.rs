//! Task handles and task groups, shared by asyncio-task-group, asyncio-create-task and
//! asyncio-queue: what the code does with a handle (and how its Task methods map to anyio's
//! `TaskHandle`), and which calls make a group.

use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{call_args, field_is, keyword_arg};
use crate::codemods::{Ctx, has_comment};
use crate::edit::Edit;
use crate::resolve::named_children;
use tree_sitter::Node;

/// For `t: asyncio.Task = ...`.
pub const ANNOTATION_HINT: &str = "annotate the handle as `anyio.TaskHandle` (anyio >= 4.14) or drop the annotation, then run the migration again";

const CALLBACK_HINT: &str = "anyio's TaskHandle has no add_done_callback: call the callback after `await t` inside the task group, or wrap the coroutine (`async def run(): try: return await coro() finally: cb()`) and start that";

const STATUS_DONE: &str =
    "status not in (anyio.TaskHandle.Status.PENDING, anyio.TaskHandle.Status.CANCELLING)";

const STATUS_CANCELLED: &str = "status is anyio.TaskHandle.Status.CANCELLED";

/// What one expression that evaluates to a task handle does with it.
pub enum HandleUse<'t> {
    /// `await t`.
    Await,
    /// A Task method with an anyio equivalent, and the edits that map it (none when the code
    /// already uses anyio's API).
    Mapped {
        edits: Vec<Edit>,
        /// `t.cancel()`: the task is ended without being awaited.
        cancels: bool,
        /// `.result()` / `.exception()`: raises anyio's exceptions instead of the original.
        raises: bool,
        /// A comment inside the replaced call was dropped.
        lost_comment: bool,
        /// `.get_name()`: unnamed tasks are named differently by anyio.
        reads_name: bool,
    },
    /// `t` alone as a statement.
    Discarded,
    /// A Task method anyio's handle lacks (`add_done_callback`, `set_name`, ...).
    Unsupported {
        /// The kind of the finding (`task-method`, ...).
        kind: &'static str,
        why: String,
        suggestion: &'static str,
    },
    /// The handle itself goes somewhere else.
    Escapes(Escape<'t>),
}

/// Where a handle goes when it is not used in place.
pub enum Escape<'t> {
    /// `u = t`: the identifier `u`.
    Alias(Node<'t>),
    /// An element of a list, tuple, set or comprehension: that collection.
    Container(Node<'t>),
    /// Passed to an asyncio function (`asyncio.gather(t1, t2)`), reported by its codemod.
    AsyncioCall(String),
    /// `self._task = t`.
    StoredOnObject,
    /// `return t`.
    Returned,
    /// `t: asyncio.Task = ...`: the annotation names asyncio's class.
    Annotated,
    /// Anything else, described.
    Other(&'static str),
}

impl Escape<'_> {
    /// Why the handle cannot be followed, for a finding.
    pub fn describe(&self) -> String {
        match self {
            Self::Alias(_) => "the task handle is copied to another name".to_owned(),
            Self::Container(_) => "the task handle is kept in a collection".to_owned(),
            Self::AsyncioCall(q) => format!("the task handle is passed to {q}"),
            Self::StoredOnObject => "the task handle is stored on an object".to_owned(),
            Self::Returned => "the task handle is returned to the caller".to_owned(),
            Self::Annotated => {
                "the task handle's variable is annotated (as an asyncio Task)".to_owned()
            }
            Self::Other(what) => format!("the task handle is {what}"),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            Self::Annotated => ANNOTATION_HINT,
            _ => {
                "keep the handle local to the function that owns the task group: anyio's TaskHandle has none of asyncio.Task's callbacks or Future API"
            }
        }
    }
}

/// What the code does with `expr`, an expression that evaluates to a task handle.
pub fn classify<'t>(ctx: &Ctx<'t>, expr: Node<'t>) -> HandleUse<'t> {
    let mut cur = expr;
    while let Some(p) = ctx
        .parent(cur)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        cur = p;
    }
    let Some(parent) = ctx.parent(cur) else {
        return HandleUse::Escapes(Escape::Other("used at module level"));
    };
    match parent.kind() {
        "await" => HandleUse::Await,
        "attribute" if field_is(parent, "object", cur) => member(ctx, parent),
        "assignment" if field_is(parent, "right", cur) => {
            let Some(left) = parent.child_by_field_name("left") else {
                return HandleUse::Escapes(Escape::Other("assigned"));
            };
            match left.kind() {
                _ if parent
                    .child_by_field_name("type")
                    .is_some_and(|t| mentions_asyncio(ctx, t)) =>
                {
                    HandleUse::Escapes(Escape::Annotated)
                }
                "identifier"
                    if ctx
                        .parent(parent)
                        .is_some_and(|s| s.kind() == "expression_statement") =>
                {
                    HandleUse::Escapes(Escape::Alias(left))
                }
                "attribute" => HandleUse::Escapes(Escape::StoredOnObject),
                "subscript" => HandleUse::Escapes(Escape::Other("stored in a collection")),
                _ => HandleUse::Escapes(Escape::Other("unpacked or assigned in a chain")),
            }
        }
        "expression_statement" => HandleUse::Discarded,
        "return_statement" => HandleUse::Escapes(Escape::Returned),
        "yield" => HandleUse::Escapes(Escape::Other("yielded")),
        "argument_list" | "list_splat" | "keyword_argument" => {
            let call = std::iter::once(parent)
                .chain(ctx.ancestors(parent))
                .find(|n| n.kind() == "call");
            let callee = call.and_then(|c| c.child_by_field_name("function"));
            match callee.and_then(|f| ctx.qualified(f)) {
                Some(q) if q.starts_with("asyncio.") => HandleUse::Escapes(Escape::AsyncioCall(q)),
                _ if callee.is_some_and(|f| {
                    f.kind() == "attribute"
                        && f.child_by_field_name("attribute").is_some_and(|a| {
                            matches!(ctx.text_of(a), "add" | "append" | "extend" | "put_nowait")
                        })
                }) =>
                {
                    HandleUse::Escapes(Escape::Other("kept in a collection"))
                }
                _ => HandleUse::Escapes(Escape::Other("passed to a function")),
            }
        }
        "list" | "tuple" | "set" | "expression_list" => {
            HandleUse::Escapes(Escape::Container(parent))
        }
        "list_comprehension" | "set_comprehension" | "generator_expression"
            if field_is(parent, "body", cur) =>
        {
            HandleUse::Escapes(Escape::Container(parent))
        }
        "pair" => HandleUse::Escapes(Escape::Other("kept in a dict")),
        _ => HandleUse::Escapes(Escape::Other("used in an expression")),
    }
}

/// `t.<member>`: the spec §2 table from asyncio.Task to anyio.TaskHandle.
fn member<'t>(ctx: &Ctx, attribute: Node<'t>) -> HandleUse<'t> {
    let Some(name_node) = attribute.child_by_field_name("attribute") else {
        return HandleUse::Escapes(Escape::Other("used in an expression"));
    };
    let name = ctx.text_of(name_node);
    let call = ctx.parent(attribute).filter(|c| {
        c.kind() == "call"
            && c.child_by_field_name("function")
                .is_some_and(|f| f.id() == attribute.id())
    });
    let unchanged = |cancels: bool| HandleUse::Mapped {
        edits: Vec::new(),
        cancels,
        raises: false,
        lost_comment: false,
        reads_name: false,
    };
    let Some(call) = call else {
        return match name {
            // anyio's own members: code that already uses the handle API.
            "return_value" | "exception" | "status" | "name" | "coro" | "start_value"
            | "cancel" | "wait" => unchanged(false),
            _ => HandleUse::Unsupported {
                kind: "task-attribute",
                why: format!("`Task.{name}` used as a value: anyio's TaskHandle has no `{name}`"),
                suggestion: "see `anyio-migrate explain asyncio-task-group` for the TaskHandle equivalents",
            },
        };
    };
    let args = call.child_by_field_name("arguments");
    let no_args = call_args(call).is_empty();
    let lost_comment = args.is_some_and(has_comment);
    let replace = |text: &str, raises: bool, parens: bool| {
        let mut edits = Vec::new();
        if parens {
            edits.push(Edit::insert(call.start_byte(), "("));
        }
        let close = if parens { ")" } else { "" };
        edits.push(Edit::replace(
            name_node.start_byte()..call.end_byte(),
            format!("{text}{close}"),
        ));
        HandleUse::Mapped {
            edits,
            cancels: false,
            raises,
            lost_comment,
            reads_name: text == "name" && !named_at_creation(ctx, attribute),
        }
    };
    match name {
        "result" if no_args => replace("return_value", true, false),
        "exception" if no_args => replace("exception", true, false),
        "get_name" if no_args => replace("name", false, false),
        "get_coro" if no_args => replace("coro", false, false),
        "done" if no_args => replace(STATUS_DONE, false, needs_parens(ctx, call)),
        "cancelled" if no_args => replace(STATUS_CANCELLED, false, needs_parens(ctx, call)),
        "cancel" if no_args => unchanged(true),
        "wait" if no_args => unchanged(false),
        "cancel" => HandleUse::Unsupported {
            kind: "cancel-message",
            why: "`t.cancel(msg)`: anyio's TaskHandle.cancel() takes no message".to_owned(),
            suggestion: "call `t.cancel()` and log the message yourself",
        },
        "add_done_callback" => HandleUse::Unsupported {
            kind: "done-callback",
            why: "`t.add_done_callback()`: anyio's TaskHandle has no done-callbacks".to_owned(),
            suggestion: CALLBACK_HINT,
        },
        _ => HandleUse::Unsupported {
            kind: "task-method",
            why: format!("`Task.{name}()` has no equivalent on anyio's TaskHandle"),
            suggestion: "TaskHandle offers return_value, exception, status, name, coro, cancel() and wait(); see `anyio-migrate explain asyncio-task-group`",
        },
    }
}

/// `t.get_name()` where every binding of `t` is a `create_task(..., name=...)`: the name is the
/// same on both libraries.
fn named_at_creation(ctx: &Ctx, attribute: Node) -> bool {
    let Some(object) = attribute
        .child_by_field_name("object")
        .filter(|o| o.kind() == "identifier")
    else {
        return false;
    };
    let refs = ctx
        .resolver
        .references(ctx.tree, ctx.text_of(object), object);
    let stores: Vec<Node> = refs
        .into_iter()
        .filter(|r| is_binding_site(ctx.resolver, *r))
        .collect();
    !stores.is_empty()
        && stores.iter().all(|s| {
            ctx.parent(*s)
                .filter(|a| a.kind() == "assignment" && field_is(*a, "left", *s))
                .and_then(|a| a.child_by_field_name("right"))
                .is_some_and(|call| {
                    call.kind() == "call" && keyword_arg(call, ctx.text, "name").is_some()
                })
        })
}

/// Would `a not in b` / `a is b` in place of `node` bind differently? Only contexts looser than
/// a comparison take it bare.
fn needs_parens(ctx: &Ctx, node: Node) -> bool {
    let Some(parent) = ctx.parent(node) else {
        return false;
    };
    !matches!(
        parent.kind(),
        "expression_statement"
            | "assignment"
            | "augmented_assignment"
            | "argument_list"
            | "keyword_argument"
            | "boolean_operator"
            | "if_statement"
            | "elif_clause"
            | "while_statement"
            | "return_statement"
            | "parenthesized_expression"
            | "conditional_expression"
            | "list"
            | "tuple"
            | "set"
            | "expression_list"
            | "assert_statement"
            | "if_clause"
            | "pair"
            | "lambda"
    ) || (parent.kind() == "list_comprehension" && !field_is(parent, "body", node))
}

/// An annotation that names something of asyncio's (`asyncio.Task[int]`, `"asyncio.Task"`).
pub fn mentions_asyncio(ctx: &Ctx, node: Node) -> bool {
    match node.kind() {
        "identifier" | "attribute"
            if ctx
                .qualified(node)
                .is_some_and(|q| q.starts_with("asyncio.")) =>
        {
            true
        }
        "string" => ctx.text_of(node).contains("asyncio") || ctx.text_of(node).contains("Task"),
        _ => named_children(node).any(|c| mentions_asyncio(ctx, c)),
    }
}

/// `node` is `anyio.create_task_group` (resolved, or spelled so while `anyio` is not imported
/// yet: the import pass adds `import anyio` only after every rewrite).
pub fn is_anyio_group_callee(ctx: &Ctx, callee: Node) -> bool {
    if ctx.is(callee, "anyio.create_task_group") {
        return true;
    }
    callee.kind() == "attribute"
        && ctx.text_of(callee) == "anyio.create_task_group"
        && callee
            .child_by_field_name("object")
            .is_some_and(|o| !ctx.resolver.is_bound("anyio", o))
}

/// A `yield` in `region` that belongs to `func` (not to a nested function), unless `func` is an
/// `@asynccontextmanager`: a task group must not stay open across the yield of an async
/// generator (trio forbids it; on asyncio the group may end up in another task).
pub fn has_own_yield<'t>(ctx: &Ctx, region: Node<'t>, func: Node<'t>) -> Option<Node<'t>> {
    if is_async_context_manager(ctx, func) {
        return None;
    }
    crate::analysis::syntax::own_yield(region)
}

/// `func` is decorated with `@asynccontextmanager` (any spelling): its single `yield` runs in the
/// caller's `async with`, where a task group may stay open.
fn is_async_context_manager(ctx: &Ctx, func: Node) -> bool {
    ctx.parent(func)
        .filter(|p| p.kind() == "decorated_definition")
        .is_some_and(|d| {
            named_children(d)
                .filter(|c| c.kind() == "decorator")
                .any(|c| ctx.text_of(c).trim_end().ends_with("asynccontextmanager"))
        })
}

/// `tg.start_soon(f, x)` for the child `f(x)`; keyword arguments go through
/// `functools.partial` (`start_soon` has no `**kwargs`, and takes `name=` for itself).
/// Returns the line, whether it uses `partial`, and the ranges copied from the call.
pub fn start_soon_line(
    ctx: &Ctx,
    call: Node,
    tg: &str,
) -> Option<(String, bool, Vec<std::ops::Range<usize>>)> {
    let callee = call.child_by_field_name("function")?;
    let args = call.child_by_field_name("arguments")?;
    // An asyncio callee would become a reference other codemods cannot rewrite as a call.
    if ctx
        .qualified(callee)
        .is_some_and(|q| q.starts_with("asyncio."))
    {
        return None;
    }
    // A comment between the callee and its `(` would be lost.
    let outside = named_children(call).any(|c| c.kind() == "comment");
    if outside {
        return None;
    }
    let f = ctx.text_of(callee);
    let ranges = vec![callee.byte_range(), args.byte_range()];
    if args.kind() == "generator_expression" {
        return Some((
            format!("{tg}.start_soon({f}, {})", ctx.text_of(args)),
            false,
            ranges,
        ));
    }
    let inner = &ctx.text[args.start_byte() + 1..args.end_byte() - 1];
    let keywords =
        named_children(args).any(|a| matches!(a.kind(), "keyword_argument" | "dictionary_splat"));
    let body = if has_comment(args) {
        // Keep the text as it is, line breaks included, so no comment swallows the `)`.
        if inner.starts_with(char::is_whitespace) {
            format!("{f},{inner}")
        } else {
            format!("{f}, {inner}")
        }
    } else if inner.trim().is_empty() {
        f.to_owned()
    } else if inner.contains('\n') && !has_line_break(ctx, args) {
        // Arguments spread over lines one by one: one line now that they follow the callee.
        let parts: Vec<&str> = named_children(args).map(|a| ctx.text_of(a)).collect();
        format!("{f}, {}", parts.join(", "))
    } else {
        format!("{f}, {}", inner.trim())
    };
    let body = if keywords {
        format!("functools.partial({body})")
    } else {
        body
    };
    Some((format!("{tg}.start_soon({body})"), keywords, ranges))
}

/// Does any single argument of `args` span lines?
fn has_line_break(ctx: &Ctx, args: Node) -> bool {
    named_children(args).any(|a| ctx.text_of(a).contains('\n'))
}

/// `block` is the body of `async with anyio.create_task_group() as NAME:`: its name (a task
/// started by a statement of `block` can join that group instead of a nested one).
pub fn group_of_block(ctx: &Ctx, block: Node) -> Option<String> {
    task_group_of_block(ctx, block).map(|(name, _)| name)
}

/// `group_of_block`, and whether the group is the module helper `_TaskGroup` (written for an
/// anyio before 4.14: it has `create_task()`, which an anyio group of that release has not).
pub fn task_group_of_block(ctx: &Ctx, block: Node) -> Option<(String, bool)> {
    let with = ctx
        .parent(block)
        .filter(|w| w.kind() == "with_statement" && field_is(*w, "body", block))?;
    if !crate::analysis::syntax::is_async_with(with) {
        return None;
    }
    let clause = named_children(with).find(|c| c.kind() == "with_clause")?;
    named_children(clause).find_map(|item| {
        let pattern = crate::analysis::syntax::item_pattern(item)?;
        let call = pattern.named_child(0).filter(|c| c.kind() == "call")?;
        let callee = call.child_by_field_name("function")?;
        let alias = pattern
            .child_by_field_name("alias")
            .and_then(|a| a.named_child(0))
            .filter(|a| a.kind() == "identifier")?;
        let helper = super::task_handles::is_helper_group_callee(ctx, callee);
        (crate::analysis::syntax::with_of_item_call(ctx.resolver, call).is_some()
            && (helper || is_anyio_group_callee(ctx, callee)))
        .then(|| (ctx.text_of(alias).to_owned(), helper))
    })
}
