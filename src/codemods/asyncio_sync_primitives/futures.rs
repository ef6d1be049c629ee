//! `asyncio.Future()` → `anyio.Future()` (anyio 4.15+), with each use in anyio's spelling.
//!
//! Preconditions: the future is bound to a variable or a `self` attribute whose every binding
//! is such a constructor (or `None`), and every use is one anyio's Future has: `await`,
//! `set_result(v)` / `set_exception(e)` as statements, `result()`, `exception()`, `done()`,
//! `cancelled()`, `cancel()` as a statement, comparisons and truth tests; passed to a function
//! of this file, it is followed there and may only be awaited or compared. Anything else
//! (`add_done_callback`, a bound method handed out as a callback, the future returned, stored
//! elsewhere or handed to asyncio's APIs) keeps it asyncio's and is reported where it is.
//!
//! What changes is in `[future] note` of messages.toml (always UNSAFE), each clause checked by execution on both
//! backends (`codemods/asyncio-sync-primitives/examples/runnable_future.py` and
//! `future_differences.py`).

use super::constructors::unexpected_args;
use super::future_shim;
use super::helpers::comparison_stands_bare;
use super::references::annotation_edits;
use super::targets::{Target, tie};
use super::uses::Analysis;
use super::{ID, Kind, MESSAGES, kind_of};
use crate::codemods::shared::running_loop::is_running_loop_method;
use crate::codemods::{Ctx, call_args};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::has_comment;
use crate::target::api::Api;
use tree_sitter::Node;

/// A use whose meaning changes when something awaits the Future (see `check_finishers`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Finisher {
    /// `fut.set_exception(e)`: the waiter gets `FutureFailed`.
    SetException,
    /// `fut.cancel()`: the waiter gets `FutureCancelled`.
    Cancel,
    /// `fut.cancelled()`: a cancelled waiter no longer cancels the Future.
    CancelledRead,
}

pub(super) fn plan(ctx: &Ctx, call: Node, asyncio: bool) -> Vec<Outcome> {
    if !asyncio {
        return finish(ctx, call);
    }
    let at = call.start_byte();
    // Before anyio 4.15: the `_Future` helper, which keeps asyncio's interface.
    let helper = !ctx.targets.has(Api::Future);
    let Some(callee) = call.child_by_field_name("function") else {
        return Vec::new();
    };
    // `await asyncio.Future()`: the task sleeps until it is cancelled.
    if call_args(call).is_empty()
        && let Some(fix) = super::sleep_forever(ctx, call, call)
    {
        return vec![fix];
    }
    if !call_args(call).is_empty() {
        let m = unexpected_args(ctx, call, Kind::Future);
        return vec![Finding::manual(ID, m.kind, at, m.why, m.suggestion).into()];
    }
    let mut edits = vec![Edit::replace(
        callee.byte_range(),
        if helper {
            future_shim::NAME
        } else {
            Kind::Future.anyio_name()
        },
    )];
    let mut analysis = Analysis {
        future_helper: helper,
        ..Analysis::default()
    };
    if let Some(target) = tie(ctx, call) {
        analysis.run(ctx, &target, Kind::Future, true);
        if let Some(ty) = ctx
            .parent(call)
            .filter(|p| p.kind() == "assignment")
            .and_then(|p| p.child_by_field_name("type"))
            .filter(|_| !helper)
        {
            edits.extend(annotation_edits(ctx, ty));
        }
    } else {
        analysis.hard(
            call,
            "future-not-stored",
            MESSAGES.text("future-not-stored", "problem").to_owned(),
            MESSAGES.text("future-not-stored", "advice").to_owned(),
        );
    }
    analysis.flag_escapes(Kind::Future);
    analysis.check_finishers();
    if helper && crate::codemods::file_checks_class(ctx, "asyncio.Future") {
        analysis.hard(
            call,
            "future-class-checked",
            MESSAGES.text("future-class-checked", "problem").to_owned(),
            MESSAGES.text("future-class-checked", "advice").to_owned(),
        );
    }
    if !analysis.hard.is_empty() {
        return analysis.manual(ctx, call, Kind::Future);
    }
    if helper {
        let Ok(shim) =
            crate::codemods::module_helper(ctx, call, future_shim::NAME, future_shim::HELPER)
        else {
            return vec![
                Finding::manual(
                    ID,
                    "helper-name-taken",
                    at,
                    format!("anyio < 4.15 has no anyio.Future, and the name `{}` for the helper that keeps asyncio.Future's interface on anyio is already used here", future_shim::NAME),
                    format!("rename the existing `{}`, then run again", future_shim::NAME),
                )
                .into(),
            ];
        };
        edits.extend(shim);
        edits.extend(crate::codemods::helper_annotation_edits(
            ctx,
            call,
            future_shim::NAME,
            |r| matches!(kind_of(ctx, r), Some((Kind::Future, _))),
        ));
        let mut notes = vec![MESSAGES.text("future-helper", "note").to_owned()];
        notes.append(&mut analysis.flags);
        return vec![
            Fix::new(ID, "future-helper", at, Verdict::Unsafe, edits)
                .note(notes.join("; "))
                .into(),
        ];
    }
    let mut notes = vec![MESSAGES.text("future", "note").to_owned()];
    notes.append(&mut analysis.flags);
    let fix = Fix::new(ID, "future", at, Verdict::Unsafe, edits).note(notes.join("; "));
    analysis.with_use_rewrites(fix, at)
}

/// An `anyio.Future()` seen in a later pass (or written by the user): rewrite the asyncio
/// spellings still left on it (one deferred by an overlapping fix).
fn finish(ctx: &Ctx, call: Node) -> Vec<Outcome> {
    let Some(target) = tie(ctx, call) else {
        return Vec::new();
    };
    let mut analysis = Analysis::default();
    analysis.run(ctx, &target, Kind::Future, true);
    analysis.rewrites.into_iter().map(Outcome::from).collect()
}

/// Every binding of the target is a Future constructor (asyncio's without arguments,
/// `loop.create_future()` of the running loop, or anyio's) or None: its uses may then be
/// spelled the anyio way.
pub(super) fn only_futures(ctx: &Ctx, target: &Target) -> bool {
    let bound = super::targets::bindings(ctx, target);
    bound
        .iter()
        .any(|b| matches!(b, super::targets::Bound::Value(_)))
        && bound.iter().all(|b| match b {
            super::targets::Bound::Value(v) if v.kind() == "none" => true,
            super::targets::Bound::Value(v) => is_future_constructor(ctx, *v),
            super::targets::Bound::Other => false,
        })
}

/// `asyncio.Future()` / `anyio.Future()` without arguments, or `loop.create_future()`.
fn is_future_constructor(ctx: &Ctx, value: Node) -> bool {
    value.kind() == "call"
        && call_args(value).is_empty()
        && value.child_by_field_name("function").is_some_and(|f| {
            super::kind_of(ctx, f).is_some_and(|(k, _)| k == Kind::Future)
                || running_loop_create_future(ctx, value)
        })
}

/// `loop.create_future()` on the running loop of the coroutine making the call: the Future it
/// makes is `asyncio.Future()`'s, so it is migrated the same way.
pub(super) fn running_loop_create_future(ctx: &Ctx, call: Node) -> bool {
    is_running_loop_method(ctx, call, "create_future")
}

impl<'t> Analysis<'t> {
    /// A Future failed or cancelled by this code and awaited (or read) by it too: anyio's
    /// waiter gets a wrapper exception where asyncio's got the original (or a cancellation),
    /// so the code around the await needs changing by hand; so does reading `cancelled()` of
    /// an awaited Future (asyncio's was cancelled with its waiter). Without a waiter: a note.
    pub(super) fn check_finishers(&mut self) {
        for (call, finisher) in std::mem::take(&mut self.finishers) {
            if self.future_helper {
                self.check_helper_finisher(call, finisher);
                continue;
            }
            match (finisher, self.waiters > 0) {
                (Finisher::SetException, true) => self.hard(
                    call,
                    "future-set-exception",
                    MESSAGES.text("future-set-exception", "problem").to_owned(),
                    MESSAGES.text("future-set-exception", "advice").to_owned(),
                ),
                (Finisher::Cancel, true) => self.hard(
                    call,
                    "future-cancel",
                    MESSAGES.text("future-cancel", "problem").to_owned(),
                    MESSAGES.text("future-cancel", "advice").to_owned(),
                ),
                (Finisher::CancelledRead, true) => self.hard(
                    call,
                    "future-cancelled-read",
                    MESSAGES.text("future-cancelled-read", "problem").to_owned(),
                    MESSAGES.text("future-cancelled-read", "advice").to_owned(),
                ),
                (Finisher::SetException, false) => {
                    self.flag(MESSAGES.text("future", "failed-note").to_owned());
                }
                (Finisher::Cancel, false) => {
                    self.flag(MESSAGES.text("future", "cancel-note").to_owned());
                }
                (Finisher::CancelledRead, false) => {}
            }
        }
    }

    /// `check_finishers` for the `_Future` helper: it raises a failure as asyncio does, so only
    /// a cancellation that a waiter would see (as asyncio.CancelledError, in a task that was not
    /// cancelled) or that a cancelled waiter would have caused stays MANUAL.
    fn check_helper_finisher(&mut self, call: Node<'t>, finisher: Finisher) {
        let why = match (finisher, self.waiters > 0) {
            (Finisher::Cancel, true) => MESSAGES.text("future-helper-cancel", "cancel-problem"),
            (Finisher::CancelledRead, true) => {
                MESSAGES.text("future-helper-cancel", "cancelled-read-problem")
            }
            _ => return,
        };
        self.hard(
            call,
            "future-helper-cancel",
            why.to_owned(),
            MESSAGES.text("future-helper-cancel", "advice").to_owned(),
        );
    }

    /// `fut.member` or `fut.member(...)` on a Future (`attribute`, its receiver's text and
    /// the member's name).
    pub(super) fn future_member(
        &mut self,
        ctx: &Ctx<'t>,
        attribute: Node<'t>,
        (recv, name): (&str, &str),
        call: Option<Node<'t>>,
        rewritable: bool,
    ) {
        if self.future_helper {
            return self.helper_member(attribute, name, call);
        }
        let Some(call) = call else {
            self.hard(
                attribute,
                "future-method-value",
                format!("`{recv}.{name}` is used without being called (a bound method handed out as a callback, or an attribute anyio.Future does not have)"),
                format!("call it where the Future is in reach instead (`{recv}.return_value = v` replaces set_result(v)), or keep the asyncio Future"),
            );
            return;
        };
        let args = call_args(call);
        let no_comment = call
            .child_by_field_name("arguments")
            .is_some_and(|a| !has_comment(a));
        let statement = crate::analysis::syntax::own_statement(ctx.resolver, call).is_some();
        let setter = |field: &str| -> Option<Edit> {
            let [value] = args.as_slice() else {
                return None;
            };
            if !statement
                || !no_comment
                || matches!(
                    value.kind(),
                    "keyword_argument" | "list_splat" | "dictionary_splat"
                )
            {
                return None;
            }
            Some(Edit::replace(
                call.byte_range(),
                format!("{recv}.{field} = {}", ctx.text_of(*value)),
            ))
        };
        let edit = match name {
            "set_result" => setter("return_value"),
            "set_exception" => {
                self.finishers.push((call, Finisher::SetException));
                setter("exception")
            }
            "result" | "exception" | "done" | "cancelled" if args.is_empty() && no_comment => {
                if name == "result" {
                    self.waiters += 1;
                }
                if name == "cancelled" {
                    self.finishers.push((call, Finisher::CancelledRead));
                }
                Some(read_edit(ctx, call, recv, name))
            }
            "cancel" if args.is_empty() && statement => {
                self.finishers.push((call, Finisher::Cancel));
                return;
            }
            "cancel" => {
                self.hard(
                    call,
                    "future-cancel-value",
                    "anyio.Future.cancel() takes no message and returns None (asyncio's returned whether it cancelled)".to_owned(),
                    format!("test `{recv}.done()` before calling `{recv}.cancel()` as a statement"),
                );
                return;
            }
            _ => {
                self.hard(
                    call,
                    "future-method",
                    format!("anyio.Future has no `{name}()` of this form"),
                    MESSAGES.text("future-method", "advice").to_owned(),
                );
                return;
            }
        };
        match edit {
            Some(edit) if rewritable => self.rewrites.push(
                Fix::new(ID, "future-use", call.start_byte(), Verdict::Safe, vec![edit])
                    .needs_only(&[]),
            ),
            Some(_) => self.hard(
                call,
                "future-use-elsewhere",
                MESSAGES.fill("future-use-elsewhere", "problem", &[("recv", recv), ("name", name)]),
                MESSAGES.text("future-use-elsewhere", "advice").to_owned(),
            ),
            None => self.hard(
                call,
                "future-setter-value",
                format!("`{recv}.{name}(...)` is not a statement of its own with one argument, so it cannot become an assignment"),
                format!("make it a statement of its own, then `{recv}.return_value = v` (set_result) or `{recv}.exception = e` (set_exception)"),
            ),
        }
    }
}

impl<'t> Analysis<'t> {
    /// A use of a Future that becomes the `_Future` helper: it stays as written when the helper
    /// has the member (called or not); what a waiter would see is recorded for
    /// `check_finishers`.
    fn helper_member(&mut self, attribute: Node<'t>, name: &str, call: Option<Node<'t>>) {
        if !future_shim::METHODS.contains(&name) {
            self.hard(
                attribute,
                "future-method",
                format!("the helper that keeps asyncio.Future's interface before anyio 4.15 (`_Future`) has no `{name}`"),
                MESSAGES.text("future-method", "helper-advice").to_owned(),
            );
            return;
        }
        match name {
            "result" | "exception" => self.waiters += 1,
            "set_exception" => self.finishers.push((attribute, Finisher::SetException)),
            "cancel" => self
                .finishers
                .push((call.unwrap_or(attribute), Finisher::Cancel)),
            "cancelled" => self.finishers.push((attribute, Finisher::CancelledRead)),
            _ => {}
        }
    }
}

/// `fut.result()` → `fut.return_value`, `fut.exception()` → `fut.exception`, `fut.done()` /
/// `fut.cancelled()` → a status test (`not fut.done()` as a whole reads best as
/// `fut.status is fut.Status.PENDING`).
fn read_edit(ctx: &Ctx, call: Node, recv: &str, name: &str) -> Edit {
    let negated = ctx.parent(call).filter(|p| p.kind() == "not_operator");
    let (range, is) = match negated {
        Some(not) => (not.byte_range(), ["is", "is not"]),
        None => (call.byte_range(), ["is not", "is"]),
    };
    let text = match name {
        "result" => format!("{recv}.return_value"),
        "exception" => format!("{recv}.exception"),
        "done" => format!("{recv}.status {} {recv}.Status.PENDING", is[0]),
        _ => format!("{recv}.status {} {recv}.Status.CANCELLED", is[1]),
    };
    let replaced = negated.unwrap_or(call);
    if matches!(name, "done" | "cancelled") && !comparison_stands_bare(ctx, replaced) {
        Edit::replace(range, format!("({text})"))
    } else {
        Edit::replace(range, text)
    }
}
