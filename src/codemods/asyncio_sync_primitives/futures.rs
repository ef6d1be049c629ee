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
//! What changes is in [`FUTURE_NOTE`] (always UNSAFE), each clause checked by execution on both
//! backends (`codemods/asyncio-sync-primitives/examples/runnable_future.py` and
//! `future_differences.py`).

use super::constructors::unexpected_args;
use super::future_shim;
use super::helpers::comparison_stands_bare;
use super::references::annotation_edits;
use super::targets::{Target, tie};
use super::uses::Analysis;
use super::{ID, Kind, kind_of};
use crate::codemods::shared::running_loop::is_running_loop_method;
use crate::codemods::{Ctx, call_args};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::has_comment;
use crate::target::api::Api;
use tree_sitter::Node;

/// What every rewritten Future changes (checked by execution, see the module comment).
pub(super) const FUTURE_NOTE: &str = "awaiting a Future that is already done now yields to other tasks first (anyio waits on an Event, a checkpoint: in a cancelled scope it raises the cancellation), and cancelling a task that awaits it no longer cancels the Future (asyncio's became cancelled, so a later set_result raised InvalidStateError); misuse raises anyio's errors (FutureAlreadyFinished, FutureNotFinished, FutureCancelled) instead of InvalidStateError or CancelledError";

/// With `set_exception`: awaiting or reading the result raises a wrapper.
const FAILED_NOTE: &str = "awaiting the failed Future (or reading `return_value`) raises anyio.FutureFailed, with the exception set as its `__cause__`, not that exception itself: `except` clauses and `pytest.raises` around the await must catch FutureFailed and look at `__cause__`; an exception class given to set_exception is kept as the class (asyncio made an instance); a failed Future nobody awaits or reads is no longer logged (asyncio's \"Future exception was never retrieved\", which anyio's pytest plugin turned into a test failure)";

/// With `cancel()`: waiters get an ordinary exception.
const CANCEL_NOTE: &str = "awaiting the cancelled Future raises anyio.FutureCancelled, an Exception (a FutureFailed), not CancelledError: it no longer cancels the awaiting task, and `except CancelledError` does not catch it";

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
            "the Future is not stored in a variable or self attribute, so its uses cannot be checked".to_owned(),
            "bind it to a name or a `self` attribute so its uses can be followed (each must be one anyio.Future has), or rewrite it by hand: anyio.Future(), `fut.return_value = v` for set_result(v), `fut.exception = e` for set_exception(e)".to_owned(),
        );
    }
    analysis.flag_escapes(Kind::Future);
    analysis.check_finishers();
    if helper && crate::codemods::file_checks_class(ctx, "asyncio.Future") {
        analysis.hard(
            call,
            "future-class-checked",
            "the helper that keeps asyncio.Future's interface before anyio 4.15 (`_Future`) is not an asyncio.Future, and this file checks for one (isinstance / issubclass)".to_owned(),
            "check for the helper too (or for what the code needs of it), or keep asyncio's Future".to_owned(),
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
        let mut notes = vec![future_shim::NOTE.to_owned()];
        notes.append(&mut analysis.flags);
        return vec![
            Fix::new(ID, "future-helper", at, Verdict::Unsafe, edits)
                .note(notes.join("; "))
                .into(),
        ];
    }
    let mut notes = vec![FUTURE_NOTE.to_owned()];
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
                    "the Future is failed here and awaited (or its result read): anyio's await raises anyio.FutureFailed with this exception as `__cause__`, not the exception itself".to_owned(),
                    "rewrite by hand: anyio.Future(), `fut.exception = e` here, and around each await `except anyio.FutureFailed as failed:` looking at `failed.__cause__` (or pass the outcome another way, e.g. an anyio.Event plus a value holder)".to_owned(),
                ),
                (Finisher::Cancel, true) => self.hard(
                    call,
                    "future-cancel",
                    "the Future is cancelled here and awaited (or its result read): anyio's await then raises anyio.FutureCancelled, an ordinary Exception, where asyncio's raised CancelledError".to_owned(),
                    "rewrite by hand: anyio.Future(), and around each await `except anyio.FutureCancelled:` for what the CancelledError did (or cancel the waiters' task group or scope instead of the Future)".to_owned(),
                ),
                (Finisher::CancelledRead, true) => self.hard(
                    call,
                    "future-cancelled-read",
                    "whether the Future was cancelled is read, and it is awaited: asyncio's Future became cancelled when a task awaiting it was cancelled, anyio's stays pending".to_owned(),
                    "rewrite by hand: anyio.Future(), and record the waiter's cancellation where it is handled (a flag set in its `except` for the cancellation) instead of reading `cancelled()`".to_owned(),
                ),
                (Finisher::SetException, false) => self.flag(FAILED_NOTE.to_owned()),
                (Finisher::Cancel, false) => self.flag(CANCEL_NOTE.to_owned()),
                (Finisher::CancelledRead, false) => {}
            }
        }
    }

    /// `check_finishers` for the `_Future` helper: it raises a failure as asyncio does, so only
    /// a cancellation that a waiter would see (as asyncio.CancelledError, in a task that was not
    /// cancelled) or that a cancelled waiter would have caused stays MANUAL.
    fn check_helper_finisher(&mut self, call: Node<'t>, finisher: Finisher) {
        let why = match (finisher, self.waiters > 0) {
            (Finisher::Cancel, true) => {
                "the Future is cancelled here and awaited (or its result or exception read): asyncio raised CancelledError there, which the helper that keeps asyncio.Future's interface before anyio 4.15 (`_Future`) cannot raise faithfully (in a task that was not cancelled, anyio's task groups and trio do not take it as a cancellation)"
            }
            (Finisher::CancelledRead, true) => {
                "whether the Future was cancelled is read, and it is awaited: asyncio's Future became cancelled when a task awaiting it was cancelled, the helper that keeps its interface before anyio 4.15 (`_Future`) stays pending"
            }
            _ => return,
        };
        self.hard(
            call,
            "future-helper-cancel",
            why.to_owned(),
            "pass the outcome another way (an anyio.Event plus a value holder, and cancel the waiters' task group or scope instead of the Future), or migrate with a target of anyio 4.15 or later".to_owned(),
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
        let statement = ctx
            .parent(call)
            .is_some_and(|p| p.kind() == "expression_statement" && p.named_child_count() == 1);
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
                    "anyio.Future has return_value, exception (both settable), status, cancel() and await; done callbacks have no counterpart: run the follow-up in the task that sets the result, or in a task that awaits the Future".to_owned(),
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
                format!("`{recv}` here may hold other Futures than the one made here (a parameter, or a name bound to something else too), so its `{name}()` cannot be respelled"),
                "make every Future that reaches it an anyio.Future, then respell the uses: set_result(v) → `fut.return_value = v`, set_exception(e) → `fut.exception = e`, result() → `fut.return_value`, done() → `fut.status is not fut.Status.PENDING`".to_owned(),
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
                "done callbacks have no counterpart: run the follow-up in the task that sets the result, or in a task that awaits the Future; or migrate with a target of anyio 4.15 or later".to_owned(),
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
