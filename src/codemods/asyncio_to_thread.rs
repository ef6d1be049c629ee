//! asyncio-to-thread: `asyncio.to_thread` / `loop.run_in_executor(None, ...)` → `anyio.to_thread.run_sync` (spec §8).

use super::shared::refusal::{Refusal, refusal};
use super::shared::running_loop::is_running_loop_method;
use super::{Captures, Ctx, awaited_by, call_args, enclosing_function, is_async_def};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

const ID: &str = "asyncio-to-thread";

messages!("asyncio-to-thread");

const RUN_SYNC: &str = "anyio.to_thread.run_sync";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    if let (Some(call), Some(object), Some(method)) =
        (caps.get("call"), caps.get("object"), caps.get("method"))
    {
        return plan_run_in_executor(ctx, call, object, method);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if !ctx.is(callee, "asyncio.to_thread") {
        return Vec::new();
    }
    let at = call.start_byte();
    if awaited_by(ctx.resolver, call).is_none() {
        return manual(
            at,
            "not-awaited",
            "asyncio.to_thread(...) is not awaited where it is called",
            MESSAGES.text("not-awaited", "advice"),
        );
    }
    if let Some(outcome) = detached(ctx, call, call.start_byte()) {
        return vec![outcome];
    }
    let args = call_args(call);
    if args.first().is_none_or(|a| a.kind() == "keyword_argument") {
        return manual(
            at,
            "no-function",
            "asyncio.to_thread() called without a function",
            "`await anyio.to_thread.run_sync(f, *args, abandon_on_cancel=True)`",
        );
    }
    let mut edits = vec![Edit::replace(callee.byte_range(), RUN_SYNC)];
    let partial = needs_partial(&args);
    edits.extend(thread_args(ctx, call, &args, partial));
    let mut fix = Fix::new(ID, "to-thread", at, Verdict::SafeEdge, edits).note(
        "thread pool size: anyio's default limiter allows 40 threads, asyncio's default executor min(32, cpu+4)",
    );
    if partial {
        fix = fix.with_imports(&[Import::Functools]);
    }
    vec![fix.into()]
}

/// `asyncio.to_thread` passed as a value: anyio's `run_sync` takes no keyword arguments and, by
/// default, waits for the thread when cancelled.
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    if !ctx.is(reference, "asyncio.to_thread") {
        return Vec::new();
    }
    vec![Finding::manual(
        ID,
        "to-thread-as-value",
        reference.start_byte(),
        "asyncio.to_thread passed as a value",
        "pass `functools.partial(anyio.to_thread.run_sync, abandon_on_cancel=True)` if the callers pass no keyword arguments for the function, or wrap the call in `functools.partial(f, **kwargs)` at each caller; where that reference is evaluated at import time (module level, a default argument), `import anyio.to_thread` (anyio 4.15.0 binds `anyio.to_thread` only once an event loop runs)",
    )
    .into()]
}

/// Keyword arguments for the function must go through `functools.partial`: `run_sync`'s own
/// keywords (`limiter`, `abandon_on_cancel`) would take them.
fn needs_partial(args: &[Node]) -> bool {
    args.iter()
        .any(|a| matches!(a.kind(), "keyword_argument" | "dictionary_splat"))
}

/// Edits around the function and its arguments (`args`, in `call`): wrap them in
/// `functools.partial(...)` when asked, then add `abandon_on_cancel=True` (spec §8: cancellation
/// returns at once, as with asyncio, instead of waiting for the thread).
fn thread_args(ctx: &Ctx, call: Node, args: &[Node], partial: bool) -> Vec<Edit> {
    let (Some(first), Some(last)) = (args.first(), args.last()) else {
        return Vec::new();
    };
    let abandon = super::abandon_keyword(ctx);
    let mut edits = Vec::new();
    if partial {
        edits.push(Edit::insert(first.start_byte(), "functools.partial("));
    }
    let close = if partial { ")" } else { "" };
    let trailing_comma = call
        .child_by_field_name("arguments")
        .and_then(|list| {
            let mut cursor = list.walk();
            let tokens: Vec<Node> = list.children(&mut cursor).collect();
            tokens
                .iter()
                .rev()
                .skip(1)
                .find(|t| t.kind() != "comment")
                .copied()
        })
        .filter(|t| t.kind() == ",");
    match trailing_comma {
        Some(comma) => {
            let closing_on_own_line = call
                .child_by_field_name("arguments")
                .is_some_and(|l| l.end_position().row > last.end_position().row);
            if partial {
                edits.push(Edit::insert(last.end_byte(), close));
            }
            if closing_on_own_line {
                // After a comment that follows the comma, so the comment stays on its line.
                let line_end = ctx.text[comma.end_byte()..]
                    .find(['\r', '\n'])
                    .map_or(ctx.text.len(), |i| comma.end_byte() + i);
                let rest = ctx.text[comma.end_byte()..line_end].trim_start();
                let at = if rest.starts_with('#') {
                    line_end
                } else {
                    comma.end_byte()
                };
                let indent = crate::source::line_indent(ctx.text, last.start_byte());
                edits.push(Edit::insert(at, format!("\n{indent}{abandon}=True,")));
            } else {
                edits.push(Edit::insert(comma.end_byte(), format!(" {abandon}=True")));
            }
        }
        None => edits.push(Edit::insert(
            last.end_byte(),
            format!("{close}, {abandon}=True"),
        )),
    }
    edits
}

/// `await loop.run_in_executor(None, f, *a)` → `await anyio.to_thread.run_sync(f, *a,
/// abandon_on_cancel=True)` when `loop` is provably the running asyncio loop.
fn plan_run_in_executor(ctx: &Ctx, call: Node, object: Node, method: Node) -> Vec<Outcome> {
    let at = method.start_byte();
    if let Some(outcome) = detached(ctx, call, at) {
        return vec![outcome];
    }
    if !is_running_loop_method(ctx, call, "run_in_executor") {
        return manual(
            at,
            "unknown-loop",
            format!(
                "cannot tell that `{}` is the running asyncio event loop: it is neither asyncio.get_running_loop() called in this coroutine nor a name of it bound once to that call",
                ctx.text_of(object)
            ),
            MESSAGES.text("unknown-loop", "advice"),
        );
    }
    match rewrite_call(ctx, call) {
        Ok(edits) => vec![executor_fix(at, edits).into()],
        Err(r) => manual(at, r.kind, r.why, r.hint),
    }
}

fn executor_fix(at: usize, edits: Vec<Edit>) -> Fix {
    Fix::new(ID, "run-in-executor", at, Verdict::Unsafe, edits).note(
        "ContextVars now propagate into the thread (run_in_executor ran the function without the caller's context); the function runs in anyio's own worker threads, not the loop's default executor: code that reaches that executor (`loop.shutdown_default_executor()`, `loop._default_executor`) finds it unused, and an idle worker thread stays up to 10 s after the call (a test that checks for leftover threads sees it)",
    )
}

/// `asyncio.get_running_loop()` / `asyncio.get_event_loop()` (in a coroutine, the running loop).
fn is_running_loop(ctx: &Ctx, node: Node) -> bool {
    node.kind() == "call"
        && call_args(node).is_empty()
        && node.child_by_field_name("function").is_some_and(|f| {
            ctx.is(f, "asyncio.get_running_loop") || ctx.is(f, "asyncio.get_event_loop")
        })
}

/// The edits for one `run_in_executor(None, f, *a)` call, awaited where it is made.
fn rewrite_call(ctx: &Ctx, call: Node) -> Result<Vec<Edit>, Refusal> {
    let args = call_args(call);
    if args.iter().any(|a| {
        matches!(
            a.kind(),
            "keyword_argument" | "dictionary_splat" | "list_splat"
        )
    }) {
        return Err(refusal(
            "unknown-arguments",
            "run_in_executor() called with unpacked or keyword arguments",
            "`await anyio.to_thread.run_sync(f, *args, abandon_on_cancel=True)`",
        ));
    }
    let Some(executor) = args.first() else {
        return Err(refusal(
            "no-function",
            "run_in_executor() called without arguments",
            MESSAGES.text("unknown-loop", "advice"),
        ));
    };
    if executor.kind() != "none" {
        return Err(refusal(
            "custom-executor",
            format!(
                "run_in_executor() with a custom executor (`{}`)",
                ctx.text_of(*executor)
            ),
            MESSAGES.text("custom-executor", "advice"),
        ));
    }
    let Some(second) = args.get(1) else {
        return Err(refusal(
            "no-function",
            "run_in_executor() called without a function",
            MESSAGES.text("unknown-loop", "advice"),
        ));
    };
    if awaited_by(ctx.resolver, call).is_none() {
        return Err(refusal(
            "not-awaited",
            "run_in_executor() future not awaited where it is made: the work starts at once, while anyio.to_thread.run_sync starts only when awaited",
            MESSAGES.text("not-awaited", "advice"),
        ));
    }
    let Some(function) = call.child_by_field_name("function") else {
        return Err(refusal(
            "unknown-arguments",
            "unexpected call",
            MESSAGES.text("unknown-loop", "advice"),
        ));
    };
    let mut edits = vec![Edit::replace(function.byte_range(), RUN_SYNC)];
    edits.extend(drop_executor(ctx, call, *executor, *second));
    edits.extend(thread_args(ctx, call, &args[1..], false));
    Ok(edits)
}

fn manual(at: usize, kind: &'static str, why: impl Into<String>, hint: &str) -> Vec<Outcome> {
    vec![Finding::manual(ID, kind, at, why, hint).into()]
}

/// Delete `None, ` before the function. A comment between them stays, only the argument and
/// its comma go.
fn drop_executor(ctx: &Ctx, call: Node, executor: Node, function: Node) -> Vec<Edit> {
    let Some(list) = call.child_by_field_name("arguments") else {
        return Vec::new();
    };
    let mut cursor = list.walk();
    let comma = list
        .children(&mut cursor)
        .find(|t| t.kind() == "," && t.start_byte() >= executor.end_byte());
    let Some(comma) = comma.filter(|c| c.end_byte() <= function.start_byte()) else {
        return Vec::new();
    };
    let between = &ctx.text[comma.end_byte()..function.start_byte()];
    if !ctx.text[executor.end_byte()..comma.start_byte()]
        .trim()
        .is_empty()
    {
        // A comment before the comma: remove the two tokens only.
        return vec![
            Edit::delete(executor.byte_range()),
            Edit::delete(comma.byte_range()),
        ];
    }
    // Up to the function, or up to a comment after the comma.
    let end = between
        .find('#')
        .map_or(function.start_byte(), |i| comma.end_byte() + i);
    vec![Edit::delete(executor.start_byte()..end)]
}

/// The coroutine around `call` is started in this file as an asyncio task
/// (`asyncio.ensure_future(f(...))`, `create_task`, `loop.create_task`, `run_coroutine_threadsafe`):
/// a task that is not in anyio's task tree. anyio stops a worker thread only when its root task
/// (here that task itself, on a loop driven by `run_forever()`) finishes while the loop still
/// runs, and its workers are not daemon threads: if the application stops the loop first, the
/// interpreter hangs at exit (`docs/evidence/to_thread_detached_task.py`, B1; aioconsole's stream
/// writer). asyncio's executor threads exit at interpreter shutdown.
fn detached(ctx: &Ctx, call: Node, at: usize) -> Option<Outcome> {
    let func = enclosing_function(ctx.resolver, call).filter(|f| is_async_def(*f))?;
    let name = ctx.text_of(func.child_by_field_name("name")?);
    let (spawn, target) = find_spawn(ctx, ctx.tree.root_node(), name)?;
    Some(
        Finding::manual(
            ID,
            "detached-task",
            at,
            format!(
                "`{name}` runs as an asyncio task started in this file (`{}({}(...))`), outside anyio's task tree: anyio stops its worker thread only when that task finishes while the event loop still runs, and the worker is not a daemon thread, so a loop stopped before the task ends (`run_forever()` + `stop()`) leaves the interpreter hanging at exit; asyncio's executor threads do not",
                spawn
                    .child_by_field_name("function")
                    .map_or("", |f| ctx.text_of(f)),
                ctx.text_of(target)
            ),
            MESSAGES.text("detached-task", "advice"),
        )
        .into(),
    )
}

/// A call in `node` that starts `name(...)` (or `obj.name(...)`) as an asyncio task, and the
/// callee of that coroutine call.
fn find_spawn<'t>(ctx: &Ctx, node: Node<'t>, name: &str) -> Option<(Node<'t>, Node<'t>)> {
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if n.kind() == "call"
            && let Some(target) = spawned(ctx, n, name)
        {
            return Some((n, target));
        }
        stack.extend(named_children(n));
    }
    None
}

fn spawned<'t>(ctx: &Ctx, call: Node<'t>, name: &str) -> Option<Node<'t>> {
    let callee = call.child_by_field_name("function")?;
    let asyncio_spawn = [
        "asyncio.ensure_future",
        "asyncio.create_task",
        "asyncio.run_coroutine_threadsafe",
    ]
    .iter()
    .any(|p| ctx.is(callee, p));
    let loop_spawn = callee.kind() == "attribute"
        && callee
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == "create_task")
        && callee.child_by_field_name("object").is_some_and(|o| {
            is_running_loop(ctx, o)
                || ctx
                    .text_of(o)
                    .rsplit('.')
                    .next()
                    .is_some_and(|last| last.trim_start_matches('_') == "loop")
        });
    if !asyncio_spawn && !loop_spawn {
        return None;
    }
    let coro = call_args(call)
        .first()
        .copied()
        .filter(|a| a.kind() == "call")?;
    let target = coro.child_by_field_name("function")?;
    let named = match target.kind() {
        "identifier" => ctx.text_of(target) == name,
        "attribute" => target
            .child_by_field_name("attribute")
            .is_some_and(|a| ctx.text_of(a) == name),
        _ => false,
    };
    named.then_some(target)
}
