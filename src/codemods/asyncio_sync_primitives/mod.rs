//! asyncio-sync-primitives: `Lock`, `Event`, `Semaphore`, `BoundedSemaphore`, `Condition` → anyio (spec §9).
//!
//! A constructor is rewritten together with what its uses need. The uses are the ones tied to
//! the object: a variable bound to the constructor in the same scope, or `self.attr` in the
//! methods of the same class (and functions of this file it is passed to). Gaps with a
//! mechanical fix are rewritten (`sem.locked()` → `sem.value == 0`, `sem._value` →
//! `sem.value`); gaps without one (`event.clear()`, asyncio internals) keep the constructor
//! unchanged and are reported; behaviour changes (a used `acquire()`/`wait()` result, a
//! `release()` away from the acquire) are flagged UNSAFE.

use super::{Captures, Ctx};
use crate::codemods::shared::catalogue::messages;
use crate::edit::Outcome;
use tree_sitter::Node;

mod constructors;
mod future_shim;
mod futures;
mod helpers;
mod references;
mod scopes;
mod targets;
mod uses;

use constructors::{finish_uses, plan_constructor};
use references::{plan_annotation, plan_reference};

pub const ID: &str = "asyncio-sync-primitives";

messages!("asyncio-sync-primitives", pub(super));

/// asyncio's Lock and Semaphore take a free lock without yielding to other tasks; anyio's yield
/// unless created with `fast_acquire=True` (`docs/evidence/sync_fast_acquire.py`: with a plain
/// `anyio.Lock()`, janus' waiter is not yet counted after one `sleep(0)`).
/// `fast_acquire=True` exists from anyio 4.5 on (`target::api`); below it the argument is left
/// out and the rewrite says what changes (`[constructor] no-fast-note` of messages.toml).
fn fast(ctx: &Ctx) -> Option<&'static str> {
    ctx.targets
        .has(crate::target::api::Api::FastAcquire)
        .then_some("fast_acquire=True")
}

/// How many calls deep a primitive is followed into functions of this file.
const MAX_FOLLOW_DEPTH: usize = 3;

/// `await asyncio.Event().wait()` / `await asyncio.Future()`: an object made there and awaited
/// at once, which nothing else can set, so the task waits until it is cancelled (the "sleep
/// forever" idiom) → `await anyio.sleep_forever()`, which ends the same way: only by the
/// cancellation, raised at the await. `waited` is what the await awaits (the `wait()` call, or
/// the constructor).
fn sleep_forever(ctx: &Ctx, call: Node, waited: Node) -> Option<crate::edit::Outcome> {
    ctx.parent(waited).filter(|p| p.kind() == "await")?;
    Some(
        crate::edit::Fix::new(
            ID,
            "sleep-forever",
            call.start_byte(),
            crate::edit::Verdict::Safe,
            vec![crate::edit::Edit::replace(
                waited.byte_range(),
                "anyio.sleep_forever()",
            )],
        )
        .into(),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Lock,
    Event,
    Semaphore,
    BoundedSemaphore,
    Condition,
    /// `asyncio.Future()` → `anyio.Future()` (anyio 4.15+), see `futures.rs`.
    Future,
}

impl Kind {
    /// The primitive a dotted path names, and whether it is asyncio's (else anyio's).
    fn of(path: &str) -> Option<(Self, bool)> {
        Some(match path {
            "asyncio.Lock" => (Self::Lock, true),
            "asyncio.Event" => (Self::Event, true),
            "asyncio.Semaphore" => (Self::Semaphore, true),
            "asyncio.BoundedSemaphore" => (Self::BoundedSemaphore, true),
            "asyncio.Condition" => (Self::Condition, true),
            "asyncio.Future" | "asyncio.futures.Future" => (Self::Future, true),
            "anyio.Lock" => (Self::Lock, false),
            "anyio.Event" => (Self::Event, false),
            "anyio.Semaphore" => (Self::Semaphore, false),
            "anyio.Condition" => (Self::Condition, false),
            "anyio.Future" => (Self::Future, false),
            _ => return None,
        })
    }

    fn asyncio_name(self) -> &'static str {
        match self {
            Self::Lock => "asyncio.Lock",
            Self::Event => "asyncio.Event",
            Self::Semaphore => "asyncio.Semaphore",
            Self::BoundedSemaphore => "asyncio.BoundedSemaphore",
            Self::Condition => "asyncio.Condition",
            Self::Future => "asyncio.Future",
        }
    }

    fn anyio_name(self) -> &'static str {
        match self {
            Self::Lock => "anyio.Lock",
            Self::Event => "anyio.Event",
            Self::Semaphore | Self::BoundedSemaphore => "anyio.Semaphore",
            Self::Condition => "anyio.Condition",
            Self::Future => "anyio.Future",
        }
    }

    fn is_semaphore(self) -> bool {
        matches!(self, Self::Semaphore | Self::BoundedSemaphore)
    }

    /// Has an owner: only the task that acquired it may release it in anyio.
    fn is_owned(self) -> bool {
        matches!(self, Self::Lock | Self::Condition)
    }

    /// `acquire()` returned True in asyncio and returns None in anyio.
    fn has_acquire(self) -> bool {
        !matches!(self, Self::Event | Self::Future)
    }

    /// `wait()` returned True in asyncio and returns None in anyio.
    fn has_wait(self) -> bool {
        matches!(self, Self::Event | Self::Condition)
    }
}

/// The primitive `node` (a callee or a class reference) provably names.
fn kind_of(ctx: &Ctx, node: Node) -> Option<(Kind, bool)> {
    Kind::of(&ctx.qualified(node)?)
}

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(ty) = caps.get("type") {
        return plan_annotation(ctx, ty);
    }
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    match kind_of(ctx, callee) {
        Some((Kind::Future, asyncio)) => futures::plan(ctx, call, asyncio),
        None if futures::running_loop_create_future(ctx, call) => futures::plan(ctx, call, true),
        Some((Kind::Event, true))
            if let Some(fix) = constructors::event_sleep_forever(ctx, call) =>
        {
            vec![fix]
        }
        Some((kind, true)) => plan_constructor(ctx, call, callee, kind),
        // Already anyio's (an earlier pass, or the user's): finish the use rewrites, in case
        // one of them was deferred by an overlapping fix.
        Some((kind, false)) if kind.is_semaphore() || kind == Kind::Event => {
            finish_uses(ctx, call, kind)
        }
        _ => Vec::new(),
    }
}
