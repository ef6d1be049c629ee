//! Loop classes and annotations, and the one finding per loop that lists its uses.

use super::advice::{CALL_AT_HELPER, CALL_LATER_HELPER, MESSAGES, method_advice};
use super::producers::{Producer, Use, UseKind};
use super::variables::local_uses;
use super::{CALLBACK_METHODS, ID, OTHER_CODEMODS};
use crate::codemods::Ctx;
use crate::edit::{Finding, Outcome};
use crate::resolve::named_children;
use tree_sitter::Node;

/// asyncio's event loop and policy classes: a subclass is a custom asyncio loop (reported).
pub(super) const LOOP_BASE_CLASSES: &[&str] = &[
    "asyncio.AbstractEventLoop",
    "asyncio.BaseEventLoop",
    "asyncio.SelectorEventLoop",
    "asyncio.ProactorEventLoop",
    "asyncio.AbstractEventLoopPolicy",
    "asyncio.DefaultEventLoopPolicy",
    "asyncio.selector_events.BaseSelectorEventLoop",
];

/// `node` is a base class in a `class X(...)` header.
pub(super) fn is_base_class(ctx: &Ctx, node: Node) -> bool {
    ctx.parent(node)
        .filter(|p| p.kind() == "argument_list")
        .and_then(|p| {
            ctx.parent(p)
                .filter(|c| c.kind() == "class_definition")
                .map(|c| (p, c))
        })
        .is_some_and(|(p, c)| {
            c.child_by_field_name("superclasses")
                .is_some_and(|s| s.id() == p.id())
        })
}

/// The asyncio loop classes a parameter's annotation may name (`loop: asyncio.AbstractEventLoop`,
/// also `| None` and `Optional[...]`).
pub(super) const LOOP_CLASSES: &[&str] = &["asyncio.AbstractEventLoop", "asyncio.BaseEventLoop"];

pub(super) fn names_loop_class(ctx: &Ctx, expr: Node) -> bool {
    match expr.kind() {
        "binary_operator" => ["left", "right"]
            .iter()
            .filter_map(|f| expr.child_by_field_name(f))
            .any(|e| names_loop_class(ctx, e)),
        "generic_type" | "subscript" => {
            let head = expr
                .child_by_field_name("value")
                .or_else(|| expr.named_child(0));
            head.and_then(|h| ctx.qualified(h))
                .is_some_and(|p| p == "typing.Optional")
                && named_children(expr)
                    .skip(1)
                    .flat_map(|e| {
                        if e.kind() == "type_parameter" {
                            named_children(e).collect::<Vec<_>>()
                        } else {
                            vec![e]
                        }
                    })
                    .any(|e| names_loop_class(ctx, e))
        }
        "type" => expr
            .named_child(0)
            .is_some_and(|e| names_loop_class(ctx, e)),
        _ => ctx
            .qualified(expr)
            .is_some_and(|p| LOOP_CLASSES.contains(&p.as_str())),
    }
}

/// A parameter annotated as an asyncio loop (`def f(loop: asyncio.AbstractEventLoop)`, janus'
/// notifier): its uses in the function are reported at the parameter, as a traced loop's are,
/// except the calls reported where they are (`CALLBACK_METHODS`, `call_exception_handler`,
/// another codemod's methods). No finding when nothing else uses it.
pub(super) fn annotated_loop(ctx: &Ctx, annotation: Node) -> Option<Outcome> {
    if !names_loop_class(ctx, annotation) {
        return None;
    }
    let param = ctx.parent(annotation)?;
    let name = named_children(param).find(|n| n.kind() == "identifier")?;
    let params = ctx.parent(param).filter(|p| p.kind() == "parameters")?;
    let function = ctx
        .parent(params)
        .filter(|f| f.kind() == "function_definition")?;
    let uses: Vec<Use> = local_uses(ctx, function, ctx.text_of(name), name)
        .into_iter()
        // A comparison (`loop is not None`) does not use the loop.
        .filter(|u| {
            ctx.parent(u.node)
                .is_none_or(|p| p.kind() != "comparison_operator")
        })
        .filter(|u| match &u.kind {
            UseKind::Method(m) => {
                !CALLBACK_METHODS.contains(&m.as_str())
                    && !OTHER_CODEMODS.contains(&m.as_str())
                    && m != "call_exception_handler"
            }
            _ => true,
        })
        .collect();
    if uses.is_empty() {
        return None;
    }
    let what = MESSAGES.fill(
        "loop-parameter",
        "what",
        &[
            ("name", ctx.text_of(name)),
            ("annotation", ctx.text_of(annotation)),
        ],
    );
    let holder = format!("the loop (`{}`)", ctx.text_of(name));
    Some(loop_report(
        "loop-parameter",
        &what,
        true,
        param.start_byte(),
        Some(holder),
        &uses,
    ))
}

/// One finding for a producer: what it is, where the loop goes, each use's replacement.
pub(super) fn loop_finding(p: &Producer, holder: Option<String>, uses: &[Use]) -> Outcome {
    let what = match (p.func, p.running) {
        ("get_running_loop", _) => "`asyncio.get_running_loop()` has no anyio equivalent: on anyio's trio backend it raises RuntimeError (no running event loop)".to_owned(),
        ("get_event_loop", true) => "`asyncio.get_event_loop()` (the running loop here) has no anyio equivalent: on anyio's trio backend it raises RuntimeError".to_owned(),
        ("get_event_loop", false) => "`asyncio.get_event_loop()` outside a coroutine gets or creates an asyncio loop that anyio.run() does not use (it creates its own)".to_owned(),
        _ => "`asyncio.new_event_loop()` creates an asyncio loop that anyio.run() does not use (it creates, sets and closes its own)".to_owned(),
    };
    let kind: &'static str = match p.func {
        "get_running_loop" => "get-running-loop",
        "get_event_loop" => "get-event-loop",
        _ => "new-event-loop",
    };
    loop_report(kind, &what, p.running, p.call.start_byte(), holder, uses)
}

/// The finding for a loop (`what` it is, at `at`): where it goes, each use's replacement.
pub(super) fn loop_report(
    kind: &'static str,
    what: &str,
    running: bool,
    at: usize,
    holder: Option<String>,
    uses: &[Use],
) -> Outcome {
    let mut names: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    let mut helpers: Vec<&str> = Vec::new();
    for u in uses {
        let (label, line) = match &u.kind {
            UseKind::Method(m) | UseKind::Attr(m) => (m.clone(), method_advice(m)),
            UseKind::Passed(f) => ((*f).to_owned(), method_advice(f)),
            UseKind::Escape(text) => (
                format!("`{text}`"),
                "the loop escapes there: code that receives or keeps it needs its own anyio replacement (under anyio there is no loop object)".to_owned(),
            ),
        };
        let label = if u.nested {
            format!("{label} (in a nested function)")
        } else {
            label
        };
        if !names.contains(&label) {
            names.push(label);
        }
        let line = if u.nested && u.kind == UseKind::Method("time".to_owned()) {
            format!(
                "{line}; in a nested function this holds only while it runs in the event-loop thread"
            )
        } else {
            line
        };
        if !lines.contains(&line) {
            lines.push(line);
        }
        if let UseKind::Method(m) | UseKind::Attr(m) = &u.kind {
            let helper = match m.as_str() {
                "call_soon" | "call_later" => Some(CALL_LATER_HELPER),
                "call_at" => Some(CALL_AT_HELPER),
                _ => None,
            };
            if let Some(h) = helper
                && !helpers.contains(&h)
            {
                helpers.push(h);
            }
        }
    }
    let stored = holder
        .as_deref()
        .is_some_and(|h| h.starts_with("the loop is stored"));
    let message = match holder {
        Some(h) if h.starts_with("the loop is stored") => format!("{what}; {h}"),
        Some(h) if uses.is_empty() => format!("{what}; {h} is unused"),
        Some(h) => format!("{what}; {h} is used for: {}", names.join(", ")),
        None => format!("{what}; used for: {}", names.join(", ")),
    };
    if stored {
        lines.push(MESSAGES.text("get-running-loop", "stored").to_owned());
    } else if uses.is_empty() {
        lines.push(if running {
            "delete it once nothing else needs the loop".to_owned()
        } else {
            "delete this line: anyio.run() creates and owns the event loop".to_owned()
        });
    }
    if !helpers.is_empty() {
        lines.push(format!(
            "with {}:",
            if helpers.len() == 1 {
                "this helper"
            } else {
                "these helpers"
            }
        ));
        lines.extend(helpers.iter().map(|h| (*h).to_owned()));
    }
    Finding::manual(ID, kind, at, message, lines.join("\n")).into()
}
