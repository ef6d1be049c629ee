//! Timeouts and shields, shared by asyncio-timeout, asyncio-shield and asyncio-sleep: the
//! timeout context managers, the calls that make Tasks, a test's patch of an asyncio function.

use crate::analysis::syntax::call_args;
use crate::codemods::Ctx;
use crate::resolve::named_children;
use tree_sitter::Node;

/// Which timeout context manager a call makes, and what anyio calls it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TimeoutKind {
    /// `timeout_at` (an absolute deadline) rather than `timeout` (a delay).
    pub at: bool,
    /// From the `async_timeout` package rather than asyncio.
    pub package: bool,
}

impl TimeoutKind {
    pub fn of(path: &str) -> Option<Self> {
        let (at, package) = match path {
            "asyncio.timeout" => (false, false),
            "asyncio.timeout_at" => (true, false),
            "async_timeout.timeout" => (false, true),
            "async_timeout.timeout_at" => (true, true),
            _ => return None,
        };
        Some(Self { at, package })
    }

    pub fn spelling(self) -> &'static str {
        match (self.package, self.at) {
            (false, false) => "asyncio.timeout",
            (false, true) => "asyncio.timeout_at",
            (true, false) => "async_timeout.timeout",
            (true, true) => "async_timeout.timeout_at",
        }
    }

    pub fn replacement(self) -> &'static str {
        if self.at {
            "anyio.fail_at"
        } else {
            "anyio.fail_after"
        }
    }

    /// The parameter's keyword in the original (`anyio.fail_at` calls it `deadline`).
    pub fn parameter(self) -> &'static str {
        match (self.at, self.package) {
            (false, _) => "delay",
            (true, false) => "when",
            (true, true) => "deadline",
        }
    }
}

/// A test double installed over one of asyncio's functions `names` (aiocache's tests:
/// `patch("asyncio.wait_for", side_effect=asyncio.TimeoutError)`), in any spelling the project
/// pass also knows (`analysis::patches::patch_target`). The string naming it, and `X`.
pub fn patched_asyncio<'t>(
    ctx: &Ctx,
    call: Node<'t>,
    names: &[&'static str],
) -> Option<(Node<'t>, &'static str)> {
    let (node, api) = crate::analysis::patches::patch_target(ctx.code(), call)?;
    let name = api.strip_prefix("asyncio.")?;
    let api = names.iter().find(|n| **n == name)?;
    Some((node, *api))
}

/// `asyncio.shield(x)` → `x`'s call node.
pub fn shield_argument<'t>(ctx: &Ctx, node: Node<'t>) -> Option<Node<'t>> {
    let inner = if node.kind() == "parenthesized_expression" {
        named_children(node).find(|c| c.kind() != "comment")?
    } else {
        node
    };
    (inner.kind() == "call"
        && inner
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "asyncio.shield")))
    .then_some(inner)
}

/// A call that makes a Task or Future rather than a coroutine: `create_task(...)`,
/// `ensure_future(...)`, `loop.create_task(...)`, `tg.create_task(...)`.
pub fn is_task_call(ctx: &Ctx, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    let last = match callee.kind() {
        "attribute" => callee
            .child_by_field_name("attribute")
            .map_or("", |a| ctx.text_of(a)),
        _ => ctx.text_of(callee),
    };
    matches!(
        last,
        "create_task"
            | "ensure_future"
            | "run_coroutine_threadsafe"
            | "create_future"
            | "Task"
            | "Future"
    ) || matches!(
        ctx.qualified(callee).as_deref(),
        Some("asyncio.create_task" | "asyncio.ensure_future")
    )
}

/// asyncio's event-loop methods that are `async def` (in every supported Python, and in
/// uvloop): called on the running loop they make a coroutine object, never a Task or Future.
pub const LOOP_COROUTINE_METHODS: &[&str] = &[
    "create_connection",
    "create_server",
    "create_unix_connection",
    "create_unix_server",
    "create_datagram_endpoint",
    "connect_accepted_socket",
    "connect_read_pipe",
    "connect_write_pipe",
    "subprocess_exec",
    "subprocess_shell",
    "sendfile",
    "start_tls",
    "sock_recv",
    "sock_recv_into",
    "sock_sendall",
    "sock_connect",
    "sock_accept",
    "sock_sendfile",
    "getaddrinfo",
    "getnameinfo",
];

/// `name` is a variable of the `async def` holding it, bound once, by `name = <call>` (not
/// `global` / `nonlocal`), where the call makes a coroutine object (`awaitable::of_call`, or an
/// `async def` method of the running loop), and mentioned nowhere else in that function (nor
/// in a function nested in it) but at `name`. Awaiting `name` there awaits that coroutine,
/// which runs nothing before it is awaited: `wait_for(name, t)` is `wait_for(<call>, t)`.
pub fn coroutine_name(ctx: &Ctx, name: Node) -> bool {
    use crate::analysis::awaitable::{Awaitable, of_call};
    use crate::analysis::scopes::{name_uses, single_assignment};
    if name.kind() != "identifier" {
        return false;
    }
    let code = ctx.code();
    let Some((owner, site, value)) = single_assignment(code, name) else {
        return false;
    };
    if !crate::analysis::syntax::is_async_def(owner) || value.kind() != "call" {
        return false;
    }
    let text = ctx.text_of(name);
    let makes_coroutine = of_call(code, value) == Awaitable::Coroutine
        || LOOP_COROUTINE_METHODS
            .iter()
            .any(|m| super::running_loop::is_running_loop_method(ctx, value, m));
    let uses = name_uses(code, owner, text, false);
    makes_coroutine
        && uses.len() == 2
        && uses
            .iter()
            .all(|u| u.id() == site.id() || u.id() == name.id())
}

/// The pattern for "time out (or cancel) the wait but keep the work running".
pub fn keep_running_fix(ctx: &Ctx, shield_call: Node, timeout: Option<Node>) -> String {
    // A Task or Future argument: the handle has to come from creating the work differently.
    let work = call_args(shield_call)
        .first()
        .map(|a| {
            if a.kind() == "keyword_argument" {
                a.child_by_field_name("value").unwrap_or(*a)
            } else {
                *a
            }
        })
        .filter(|a| a.kind() == "call" && !is_task_call(ctx, *a))
        .map_or("<the coroutine call the task runs>", |a| ctx.text_of(a));
    let wait = match timeout {
        Some(t) => format!(
            "with anyio.fail_after({}):\n    await h.wait()",
            ctx.text_of(t)
        ),
        None => "await h.wait()   # cancelling the caller leaves h running".to_owned(),
    };
    format!(
        "start the work in a task group that outlives this call and wait only for its handle:\nh = outer_tg.create_task({work})   # outer_tg: a long-lived anyio task group\n{wait}\nvalue = h.return_value"
    )
}

/// Is `node` inside a timeout block of its function: `async with asyncio.timeout(...)` (or
/// `timeout_at`, `async_timeout`) or anyio's `fail_after` / `fail_at` / `move_on_after` /
/// `move_on_at` (also our own rewrite, before `import anyio` is added)?
pub fn inside_timeout_block(ctx: &Ctx, node: Node) -> bool {
    let mut child = node;
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if matches!(n.kind(), "function_definition" | "lambda") {
            return false;
        }
        let in_body = n
            .child_by_field_name("body")
            .is_some_and(|b| b.id() == child.id());
        if n.kind() == "with_statement" && in_body && with_has_timeout(ctx, n) {
            return true;
        }
        child = n;
        cur = ctx.parent(n);
    }
    false
}

fn with_has_timeout(ctx: &Ctx, with_stmt: Node) -> bool {
    let Some(clause) = named_children(with_stmt).find(|c| c.kind() == "with_clause") else {
        return false;
    };
    named_children(clause)
        .filter_map(|item| {
            let value = item.child_by_field_name("value")?;
            let call = if value.kind() == "as_pattern" {
                value.named_child(0)?
            } else {
                value
            };
            (call.kind() == "call").then(|| call.child_by_field_name("function"))?
        })
        .any(|callee| {
            ctx.qualified(callee)
                .is_some_and(|q| TimeoutKind::of(&q).is_some() || is_anyio_timeout_path(&q))
                || (is_anyio_timeout_path(ctx.text_of(callee))
                    && !ctx.resolver.is_bound("anyio", callee))
        })
}

fn is_anyio_timeout_path(path: &str) -> bool {
    matches!(
        path,
        "anyio.fail_after" | "anyio.fail_at" | "anyio.move_on_after" | "anyio.move_on_at"
    )
}
