//! Calls on a loop or of an asyncio-only API: `set_event_loop`, `current_task`, loop methods.

use super::advice::{CALL_AT_HELPER, CALL_LATER_HELPER, MESSAGES, method_advice};
use super::producers::{Holder, UseKind, as_producer, classify, holder, method_fix, trace};
use super::variables::local_binding;
use super::{CALLBACK_METHODS, ID};
use crate::codemods::{Ctx, call_args};
use crate::edit::{Finding, Outcome};
use tree_sitter::Node;

/// `set_event_loop(...)`: reported here unless a traced loop's producer already lists it.
pub(super) fn set_event_loop(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let args = call_args(call);
    let traced = args.first().is_some_and(|a| {
        a.kind() != "call"
            && trace(ctx, *a).is_some_and(|p| !matches!(holder(ctx, &p), Holder::Stored(_)))
    });
    if traced {
        return Vec::new();
    }
    let made_here = args.first().is_some_and(|a| as_producer(ctx, *a).is_some());
    let message = if made_here {
        "`asyncio.set_event_loop()` with a new asyncio loop: anyio.run() creates and sets its own loop, and trio has none"
    } else {
        "`asyncio.set_event_loop()`: anyio.run() sets up its own loop, and trio has no asyncio loop to set"
    };
    vec![
        Finding::manual(
            ID,
            "set-event-loop",
            call.start_byte(),
            message,
            "delete it and start the program with anyio.run(main)",
        )
        .into(),
    ]
}

pub(super) fn current_task(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let method = match classify(ctx, call) {
        UseKind::Method(m) | UseKind::Attr(m) => Some(m),
        _ => None,
    };
    if method.as_deref() == Some("cancel") {
        // asyncio-cancelled-error reports a Task cancelled by hand, at this same spot.
        return Vec::new();
    }
    if method.as_deref() == Some("get_name")
        && let Some(fix) = task_name_fix(ctx, call)
    {
        return vec![fix.into()];
    }
    let suggestion = match method.as_deref() {
        Some("get_name") => {
            "asyncio.current_task().get_name() → anyio.get_current_task().name (task names differ between the libraries)"
        }
        _ => {
            "anyio.get_current_task() returns a TaskInfo (id, name, parent_id, coro) with no cancel(); .get_name() → .name is the only direct mapping"
        }
    };
    vec![Finding::manual(
        ID,
        "current-task",
        call.start_byte(),
        "`asyncio.current_task()` needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)",
        suggestion,
    )
    .into()]
}

/// `asyncio.current_task().get_name()` in an `async def` → `anyio.get_current_task().name`:
/// on the asyncio backend anyio's task info takes the name from `Task.get_name()` of the same
/// task (`examples/task_name.py`); on trio it is trio's name for the task.
fn task_name_fix(ctx: &Ctx, call: Node) -> Option<crate::edit::Fix> {
    let attribute = ctx.parent(call).filter(|a| a.kind() == "attribute")?;
    let get_name = ctx.parent(attribute).filter(|c| c.kind() == "call")?;
    let in_coroutine = crate::codemods::enclosing_function(ctx.resolver, call)
        .is_some_and(crate::analysis::syntax::is_async_def);
    if !in_coroutine
        || !call_args(call).is_empty()
        || !call_args(get_name).is_empty()
        || crate::resolve::has_comment(get_name)
    {
        return None;
    }
    Some(
        crate::edit::Fix::new(
            ID,
            "task-name",
            call.start_byte(),
            crate::edit::Verdict::SafeEdge,
            vec![crate::edit::Edit::replace(
                get_name.byte_range(),
                "anyio.get_current_task().name",
            )],
        )
        .note(MESSAGES.text("task-name", "note")),
    )
}

/// `x.m(...)` whose receiver is not an import: a running-loop `time()` is rewritten; callback
/// APIs on loops that cannot be traced to a producer are reported where they are.
pub(super) fn method_call(ctx: &Ctx, call: Node, callee: Node) -> Vec<Outcome> {
    if callee.kind() != "attribute" {
        return Vec::new();
    }
    let (Some(receiver), Some(attr)) = (
        callee.child_by_field_name("object"),
        callee.child_by_field_name("attribute"),
    ) else {
        return Vec::new();
    };
    let method = ctx.text_of(attr);
    if let Some(fix) = super::callbacks::plan(ctx, call, method) {
        return vec![fix];
    }
    if method == "call_exception_handler" {
        // Reported at every call, traced loop or not: besides trio, it changes on asyncio too.
        return vec![
            Finding::manual(
                ID,
                "call-exception-handler",
                call.start_byte(),
                MESSAGES.text("call-exception-handler", "problem"),
                method_advice(method),
            )
            .into(),
        ];
    }
    // `create_task` is also a task group's method: reported only on a receiver named as a
    // loop (`loop`, `self._loop`, `event_loop`), not traced to its producer.
    let loop_task =
        method == "create_task" && named_as_loop(ctx, receiver) && !listed_elsewhere(ctx, receiver);
    if method != "time" && !CALLBACK_METHODS.contains(&method) && !loop_task {
        return Vec::new();
    }
    // The producer call reports (or rewrites) its own direct uses; a module is no loop.
    if receiver.kind() == "call" || ctx.qualified(receiver).is_some() {
        return Vec::new();
    }
    if let Some(p) = trace(ctx, receiver) {
        if loop_task {
            // The producer's finding lists it (or asyncio-create-task rewrites it).
            return Vec::new();
        }
        let owner_matches = receiver.kind() == "identifier"
            && local_binding(ctx, receiver)
                .is_some_and(|(owner, _)| !crosses_function(ctx, receiver, owner));
        if owner_matches {
            return method_fix(ctx, &p, receiver).map_or_else(Vec::new, |f| vec![f.into()]);
        }
        return Vec::new();
    }
    if !CALLBACK_METHODS.contains(&method) && !loop_task {
        return Vec::new();
    }
    let mut suggestion = method_advice(method);
    match method {
        "call_soon" | "call_later" => {
            suggestion = format!("{suggestion}\nwith this helper:\n{CALL_LATER_HELPER}");
        }
        "call_at" => suggestion = format!("{suggestion}\nwith this helper:\n{CALL_AT_HELPER}"),
        _ => {}
    }
    vec![Finding::manual(
        ID,
        "loop-callback",
        call.start_byte(),
        format!(
            "`{}.{method}()` is an asyncio event-loop API: there is no asyncio loop on anyio's trio backend",
            ctx.text_of(receiver)
        ),
        suggestion,
    )
    .into()]
}

/// `receiver` is a name or attribute whose last part names a loop (`loop`, `self._loop`,
/// `self.ui_loop`, `event_loop`): what a project calls its asyncio event loop.
fn named_as_loop(ctx: &Ctx, receiver: Node) -> bool {
    let last = match receiver.kind() {
        "identifier" => Some(receiver),
        "attribute" => receiver.child_by_field_name("attribute"),
        _ => None,
    };
    last.is_some_and(|n| {
        let name = ctx.text_of(n).to_ascii_lowercase();
        name == "loop" || name.ends_with("_loop")
    })
}

/// A parameter whose uses another finding lists, or that is no loop: annotated (as an asyncio
/// loop, the parameter's finding lists its uses; as anything else, it is something else), or
/// given a fallback (`loop = loop or asyncio.get_event_loop()`: the fallback's finding).
fn listed_elsewhere(ctx: &Ctx, receiver: Node) -> bool {
    if receiver.kind() != "identifier" {
        return false;
    }
    let name = ctx.text_of(receiver);
    let Some(owner) = crate::analysis::scopes::owner_scope(ctx.code(), receiver)
        .filter(|o| o.kind() == "function_definition")
    else {
        return false;
    };
    // Annotated as a loop, the parameter's finding lists it; as anything else, it is no loop.
    let typed = owner
        .child_by_field_name("parameters")
        .into_iter()
        .flat_map(crate::resolve::named_children)
        .filter(|p| matches!(p.kind(), "typed_parameter" | "typed_default_parameter"))
        .any(|p| {
            crate::resolve::named_children(p)
                .next()
                .is_some_and(|n| n.kind() == "identifier" && ctx.text_of(n) == name)
                || p.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == name)
        });
    let bindings = crate::analysis::scopes::scope_bindings(ctx.code(), owner, name);
    let fallback = bindings.sites.iter().any(|site| {
        ctx.parent(*site)
            .filter(|a| a.kind() == "assignment")
            .and_then(|a| a.child_by_field_name("right"))
            .filter(|r| r.kind() == "boolean_operator")
            .and_then(|r| r.child_by_field_name("left"))
            .is_some_and(|l| l.kind() == "identifier" && ctx.text_of(l) == name)
    });
    typed || fallback
}

/// A function or lambda between `node` and `owner`: the code may run later, elsewhere.
pub(super) fn crosses_function<'t>(ctx: &Ctx<'t>, node: Node<'t>, owner: Node) -> bool {
    let mut cur = ctx.parent(node);
    while let Some(n) = cur {
        if n.id() == owner.id() {
            return false;
        }
        if matches!(
            n.kind(),
            "function_definition" | "lambda" | "class_definition"
        ) {
            return true;
        }
        cur = ctx.parent(n);
    }
    false
}
