//! asyncio-loop: event-loop APIs (spec §8 "Loop access", §12): `iscoroutinefunction` → `inspect`, the running loop's `time()` → `anyio.current_time()`, every other loop use reported once.

use super::{Captures, Ctx};
use crate::edit::{Finding, Outcome};

mod advice;
mod callbacks;
mod calls;
mod coroutines;
mod producers;
mod reexports;
mod report;
mod variables;

use advice::{MESSAGES, asyncio_only, is_value_api, value_advice};
use calls::{current_task, method_call, set_event_loop};
use coroutines::iscoroutinefunction;
use producers::{as_producer, producer};
use report::{LOOP_BASE_CLASSES, annotated_loop, is_base_class};
use variables::short;

pub use advice::{reexportable_names, reexported_api};
pub use reexports::{Reexport, exports_of};

pub const ID: &str = "asyncio-loop";

/// Loop methods reported even when the receiver cannot be traced to `asyncio.get_*_loop()`:
/// their names are distinctive enough (unlike `time` or `create_task`, which task groups have).
const CALLBACK_METHODS: &[&str] = &[
    "call_soon",
    "call_later",
    "call_at",
    "call_soon_threadsafe",
    "create_future",
];

/// Loop methods another codemod owns: never reported here when called on the call directly.
const OTHER_CODEMODS: &[&str] = &["run_in_executor", "run_until_complete"];

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(annotation) = caps.get("loop_type") {
        return annotated_loop(ctx, annotation).into_iter().collect();
    }
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(path) = ctx.qualified(callee) else {
        return method_call(ctx, call, callee);
    };
    match path.as_str() {
        "asyncio.iscoroutinefunction" => iscoroutinefunction(ctx, callee),
        "asyncio.get_event_loop" | "asyncio.get_running_loop" | "asyncio.new_event_loop" => {
            as_producer(ctx, call).map_or_else(Vec::new, |p| producer(ctx, &p))
        }
        "asyncio.set_event_loop" => set_event_loop(ctx, call),
        "asyncio.current_task" => current_task(ctx, call),
        "asyncio.all_tasks" => vec![Finding::manual(
            ID,
            "all-tasks",
            call.start_byte(),
            MESSAGES.text("all-tasks", "why"),
            MESSAGES.text("all-tasks", "fix"),
        )
        .into()],
        // `asyncio.Future()` is asyncio-sync-primitives' (rewritten, or reported with why).
        "asyncio.wrap_future" => vec![Finding::manual(
            ID,
            "wrap-future",
            call.start_byte(),
            "`asyncio.wrap_future()` makes an asyncio Future bound to asyncio's loop: it does not work on anyio's trio backend",
            "wait for the concurrent.futures.Future in a worker thread: `await anyio.to_thread.run_sync(cf_future.result, abandon_on_cancel=True)`",
        )
        .into()],
        p if p.starts_with("asyncio.Future.") || p.starts_with("asyncio.Task.") => {
            vec![Finding::manual(
                ID,
                "future-method",
                call.start_byte(),
                format!("`{p}()` calls an asyncio Future/Task method through the class: it works only on asyncio objects, which anyio's trio backend does not have"),
                "cancel work through the task group or CancelScope that owns it (`scope.cancel()`); read results through the objects that produce them",
            )
            .into()]
        }
        p if asyncio_only(p).is_some() => {
            let Some(only) = asyncio_only(p) else {
                return Vec::new();
            };
            let server = if only.kind == "start-server" {
                format!("; {}", MESSAGES.text("start-server", "handler-note"))
            } else {
                String::new()
            };
            vec![Finding::manual(
                ID,
                only.kind,
                call.start_byte(),
                format!("`{p}()` {}, which needs asyncio's event loop: on anyio's trio backend it fails with RuntimeError (no asyncio event loop){server}", only.what),
                only.advice,
            )
            .into()]
        }
        "asyncio.set_event_loop_policy" | "asyncio.get_event_loop_policy" => {
            vec![Finding::manual(
                ID,
                "event-loop-policy",
                call.start_byte(),
                format!("`asyncio.{}()` configures asyncio's loops; anyio.run() creates its own loop, and trio has no policy", short(&path)),
                "pass the choice to anyio.run: `anyio.run(main, backend_options={\"use_uvloop\": True})` for uvloop, or `backend_options={\"loop_factory\": factory}` (asyncio backend only)",
            )
            .into()]
        }
        _ => Vec::new(),
    }
}

/// A reference to an asyncio API that is not a call: a loop class as a base class,
/// `iscoroutinefunction` or a loop-access function passed as a value.
fn plan_reference(ctx: &Ctx, reference: tree_sitter::Node) -> Vec<Outcome> {
    match ctx.qualified(reference).as_deref() {
        Some(path) if LOOP_BASE_CLASSES.contains(&path) && is_base_class(ctx, reference) => {
            vec![
                Finding::manual(
                    ID,
                    "loop-subclass",
                    reference.start_byte(),
                    MESSAGES.fill("loop-subclass", "why", &[("path", path)]),
                    MESSAGES.text("loop-subclass", "fix"),
                )
                .into(),
            ]
        }
        Some("asyncio.iscoroutinefunction") => iscoroutinefunction(ctx, reference),
        Some(path) if is_value_api(path) => vec![
            Finding::manual(
                ID,
                "api-as-value",
                reference.start_byte(),
                format!("`{path}` is passed or stored as a value: the calls made through it are not traced (only calls of a module-level name that other modules of this run import are reported, where they are), and it needs an asyncio event loop (on anyio's trio backend it raises RuntimeError)"),
                format!("call it where it is needed, so each use is migrated, or replace it there: {}", value_advice(path)),
            )
            .into(),
        ],
        _ => Vec::new(),
    }
}
