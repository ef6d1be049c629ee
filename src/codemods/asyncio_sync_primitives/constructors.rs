//! Constructors: `asyncio.Lock()` and friends → anyio's, with the arguments anyio takes.

use super::references::annotation_edits;
use super::scopes::constructor_kind;
use super::targets::{Bound, bindings, target_of_expression, tie};
use super::uses::Analysis;
use super::{ID, Kind, MESSAGES, fast, kind_of};
use crate::codemods::{
    Ctx, call_args, enclosing_statement, fresh_name, insert_line_before, is_simple, keyword_arg,
    on_own_line, positional_args,
};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// Constructors

/// `await asyncio.Event().wait()`: the task sleeps until it is cancelled.
pub(super) fn event_sleep_forever(ctx: &Ctx, call: Node) -> Option<Outcome> {
    if !call_args(call).is_empty() {
        return None;
    }
    let wait = ctx
        .parent(call)
        .filter(|a| {
            a.kind() == "attribute"
                && a.child_by_field_name("attribute")
                    .is_some_and(|m| ctx.text_of(m) == "wait")
        })
        .and_then(|a| ctx.parent(a))
        .filter(|c| c.kind() == "call" && call_args(*c).is_empty())?;
    super::sleep_forever(ctx, call, wait)
}

pub(super) fn plan_constructor(ctx: &Ctx, call: Node, callee: Node, kind: Kind) -> Vec<Outcome> {
    // Before anyio 4.2 an Event made outside a running event loop raises at once.
    let in_async_def = crate::codemods::enclosing_function(ctx.resolver, call)
        .is_some_and(crate::analysis::syntax::is_async_def);
    if kind == Kind::Event
        && !in_async_def
        && let Err(finding) = crate::codemods::shared::release::require(
            ctx,
            ID,
            call.start_byte(),
            crate::target::api::Api::PrimitivesOutsideLoop,
            "`anyio.Event()` made outside an `async def` (maybe outside an event loop)",
        )
    {
        return vec![finding.into()];
    }
    let mut edits = match constructor_edits(ctx, call, callee, kind) {
        Ok(edits) => edits,
        Err(m) => {
            return vec![
                Finding::manual(ID, m.kind, call.start_byte(), m.why, m.suggestion).into(),
            ];
        }
    };
    let mut analysis = Analysis::default();
    let target = tie(ctx, call);
    if let Some(target) = &target {
        analysis.run(ctx, target, kind, true);
        // `x: asyncio.Event = asyncio.Event()`: the annotation follows the constructor.
        if let Some(ty) = ctx
            .parent(call)
            .filter(|p| p.kind() == "assignment")
            .and_then(|p| p.child_by_field_name("type"))
        {
            edits.extend(annotation_edits(ctx, ty));
        }
    } else if kind == Kind::Event {
        analysis.hard(
            call,
            "event-not-stored",
            MESSAGES.text("event-not-stored", "problem").to_owned(),
            MESSAGES.text("event-not-stored", "advice").to_owned(),
        );
    }
    if kind == Kind::Condition {
        let lock = positional_args(call)
            .first()
            .copied()
            .or_else(|| keyword_arg(call, ctx.text, "lock"));
        // Before 4.16 an anyio.Condition(lock) raised in notify() when `lock` was taken
        // directly rather than through the condition, as code sharing one lock does.
        if lock.is_some()
            && let Err(finding) = crate::codemods::shared::release::require(
                ctx,
                ID,
                call.start_byte(),
                crate::target::api::Api::ConditionSharedLock,
                "`anyio.Condition(lock)` whose notify() accepts the lock taken directly (not through the condition)",
            )
        {
            return vec![finding.into()];
        }
        if lock.is_some_and(|lock| !lock_is_anyio_bound(ctx, lock)) {
            analysis.flag(
                "the lock passed to Condition is created elsewhere: it must become an anyio.Lock \
                 too (anyio.Condition accepts an asyncio.Lock at construction, but it is wrong)"
                    .to_owned(),
            );
        }
    }
    let own_lock = kind != Kind::Event && (kind != Kind::Condition || call_args(call).is_empty());
    if fast(ctx).is_none() && own_lock {
        analysis.flag(MESSAGES.text("constructor", "no-fast-note").to_owned());
    }
    if kind == Kind::Condition
        && !ctx
            .targets
            .has(crate::target::api::Api::ConditionNotifyCheck)
    {
        analysis.flag(
            "the target anyio (< 4.16) lets notify() pass without the lock once the lock has been taken and released; asyncio raises RuntimeError"
                .to_owned(),
        );
    }
    analysis.check_releases(ctx, kind);
    analysis.flag_escapes(kind);
    if !analysis.hard.is_empty() {
        return analysis.manual(ctx, call, kind);
    }
    let fix = if analysis.flags.is_empty() {
        Fix::new(
            ID,
            "constructor",
            call.start_byte(),
            Verdict::SafeEdge,
            edits,
        )
        .note(MESSAGES.text("constructor", "cancelled-note"))
    } else {
        analysis.flag(MESSAGES.text("constructor", "cancelled-note").to_owned());
        Fix::new(ID, "constructor", call.start_byte(), Verdict::Unsafe, edits)
            .note(analysis.flags.join("; "))
    };
    analysis.with_use_rewrites(fix, call.start_byte())
}

/// An anyio semaphore or Event constructor seen in a later pass: redo the use rewrites (identical ones
/// are deduplicated; the rest were deferred by an overlap).
pub(super) fn finish_uses(ctx: &Ctx, call: Node, kind: Kind) -> Vec<Outcome> {
    let Some(target) = tie(ctx, call) else {
        return Vec::new();
    };
    let mut analysis = Analysis::default();
    analysis.run(ctx, &target, kind, true);
    analysis.rewrites.into_iter().map(Outcome::from).collect()
}

/// Why a constructor is left as it is: the finding's kind, why, what to write instead.
pub(super) struct Manual {
    pub(super) kind: &'static str,
    pub(super) why: String,
    pub(super) suggestion: String,
}

/// The constructor's own edits, or why it cannot be rewritten.
pub(super) fn constructor_edits(
    ctx: &Ctx,
    call: Node,
    callee: Node,
    kind: Kind,
) -> Result<Vec<Edit>, Manual> {
    let args = call_args(call);
    let positional = positional_args(call);
    let Some(arg_list) = call.child_by_field_name("arguments") else {
        return Err(unexpected_args(ctx, call, kind));
    };
    let mut edits = vec![Edit::replace(callee.byte_range(), kind.anyio_name())];
    match kind {
        Kind::Lock | Kind::Event | Kind::Future => {
            if !args.is_empty() {
                return Err(unexpected_args(ctx, call, kind));
            }
            if kind == Kind::Lock
                && let Some(fast) = fast(ctx)
            {
                edits.push(Edit::insert(arg_list.start_byte() + 1, fast));
            }
        }
        Kind::Condition => {
            let lock = keyword_arg(call, ctx.text, "lock");
            let ok =
                args.is_empty() || (args.len() == 1 && (positional.len() == 1 || lock.is_some()));
            if !ok {
                return Err(unexpected_args(ctx, call, kind));
            }
            if args.is_empty()
                && let Some(fast) = fast(ctx)
            {
                // anyio.Condition() makes a plain anyio.Lock(), whose acquire yields.
                edits.push(Edit::insert(
                    arg_list.start_byte() + 1,
                    format!("anyio.Lock({fast})"),
                ));
            }
        }
        Kind::Semaphore | Kind::BoundedSemaphore => {
            let fast = fast(ctx).map_or_else(String::new, |f| format!(", {f}"));
            let keyword = keyword_arg(call, ctx.text, "value");
            let value = positional.first().copied().or(keyword);
            if args.len() > 1 || (args.len() == 1 && value.is_none()) {
                return Err(unexpected_args(ctx, call, kind));
            }
            let Some(value) = value else {
                // `initial_value` is required in anyio; asyncio's default was 1.
                let text = if kind == Kind::Semaphore {
                    format!("1{fast}")
                } else {
                    format!("1, max_value=1{fast}")
                };
                edits.push(Edit::insert(arg_list.start_byte() + 1, text));
                return Ok(edits);
            };
            if let Some(key) = keyword
                .and_then(|v| ctx.parent(v))
                .and_then(|kw| kw.child_by_field_name("name"))
            {
                edits.push(Edit::replace(key.byte_range(), "initial_value"));
            }
            if kind == Kind::BoundedSemaphore {
                if is_simple(value) {
                    let n = ctx.text_of(value);
                    edits.push(Edit::insert(
                        value.end_byte(),
                        format!(", max_value={n}{fast}"),
                    ));
                } else {
                    edits.extend(hoist_bound(ctx, call, value)?);
                }
            } else if !fast.is_empty() {
                edits.push(Edit::insert(value.end_byte(), fast));
            }
        }
    }
    Ok(edits)
}

pub(super) fn unexpected_args(ctx: &Ctx, call: Node, kind: Kind) -> Manual {
    let hint = if keyword_arg(call, ctx.text, "loop").is_some() {
        " (the `loop` parameter is gone since Python 3.10)"
    } else {
        ""
    };
    Manual {
        kind: "unknown-arguments",
        why: format!(
            "{} called with unpacked or unexpected arguments{hint}",
            kind.asyncio_name()
        ),
        suggestion: match kind {
            Kind::Semaphore => "anyio.Semaphore(initial_value)".to_owned(),
            Kind::BoundedSemaphore => "anyio.Semaphore(n, max_value=n)".to_owned(),
            Kind::Condition => "anyio.Condition(lock), with lock an anyio.Lock".to_owned(),
            Kind::Future if !ctx.targets.has(crate::target::api::Api::Future) => MESSAGES
                .text("unknown-arguments", "future-helper-advice")
                .to_owned(),
            Kind::Lock | Kind::Event | Kind::Future => format!("{}()", kind.anyio_name()),
        },
    }
}

/// `BoundedSemaphore(expr)` needs `expr` twice but must evaluate it once: evaluate it into a
/// fresh name on the line before. Only where the call is the statement's whole value (so
/// nothing else in the statement ran before it) and not in a class body (the name would
/// become a class attribute).
pub(super) fn hoist_bound(ctx: &Ctx, call: Node, value: Node) -> Result<Vec<Edit>, Manual> {
    let manual = || Manual {
        kind: "computed-bound",
        why: "asyncio.BoundedSemaphore(n) with a computed n that cannot be evaluated once here"
            .to_owned(),
        suggestion: "bound = <n>\nanyio.Semaphore(bound, max_value=bound)".to_owned(),
    };
    let stmt = enclosing_statement(ctx.resolver, call).ok_or_else(manual)?;
    let whole = stmt.kind() == "expression_statement"
        && stmt.named_child_count() == 1
        && stmt.named_child(0).is_some_and(|c| {
            c.id() == call.id()
                || (c.kind() == "assignment"
                    && c.child_by_field_name("right")
                        .is_some_and(|r| r.id() == call.id()))
        });
    let in_class = ctx
        .parent(stmt)
        .and_then(|b| ctx.parent(b))
        .is_some_and(|c| c.kind() == "class_definition");
    if !whole || in_class || !on_own_line(ctx.text, stmt) {
        return Err(manual());
    }
    let temp = fresh_name(ctx.text, "sem_bound");
    let fast = fast(ctx).map_or_else(String::new, |f| format!(", {f}"));
    let text = ctx.text_of(value);
    let text = if text.contains('\n') {
        format!("({text})")
    } else {
        text.to_owned()
    };
    Ok(vec![
        insert_line_before(ctx.text, stmt, &format!("{temp} = {text}")),
        Edit::replace(
            value.byte_range(),
            format!("{temp}, max_value={temp}{fast}"),
        ),
    ])
}

/// `anyio.Condition(lock)` is right only if `lock` is (or becomes) an anyio.Lock.
pub(super) fn lock_is_anyio_bound(ctx: &Ctx, lock: Node) -> bool {
    if lock.kind() == "none" {
        return true;
    }
    if lock.kind() == "call" {
        return lock
            .child_by_field_name("function")
            .and_then(|f| kind_of(ctx, f))
            .is_some_and(|(k, _)| k == Kind::Lock);
    }
    let Some(target) = target_of_expression(ctx, lock) else {
        return false;
    };
    let bound = bindings(ctx, &target);
    !bound.is_empty()
        && bound.iter().all(|b| match b {
            Bound::Value(v) => {
                v.kind() == "none"
                    || constructor_kind(ctx, *v).is_some_and(|(k, _)| k == Kind::Lock)
            }
            Bound::Other => false,
        })
}
