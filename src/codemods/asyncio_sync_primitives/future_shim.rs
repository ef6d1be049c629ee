//! `asyncio.Future()` → `_Future()` where the target anyio has no `anyio.Future` (before
//! 4.15): a module helper with asyncio.Future's interface, written on anyio Events, so every
//! use stays as written and it runs on both backends.
//!
//! Preconditions: those of the `anyio.Future` rewrite (`futures.rs`: bound to a name or `self`
//! attribute, every use one the helper has, not handed to asyncio's APIs or code this file
//! does not show), except that a failed Future may be awaited (the helper raises the exception
//! itself, as asyncio does) and a method may be used without being called (a bound method of
//! the helper is one of asyncio's names). A Future cancelled by hand and awaited stays MANUAL:
//! asyncio's await (and `result()`, `exception()`) raised `CancelledError` there, which the helper
//! cannot raise faithfully (on trio it cancels nothing), so it never does.
//!
//! What changes is in `[future-helper] note` of messages.toml (UNSAFE), checked by execution on anyio 3.7 to 4.14 and both
//! backends (`codemods/asyncio-sync-primitives/examples/runnable_future_helper.py`).

/// The helper's name.
pub(super) const NAME: &str = crate::codemods::shared::FUTURE_HELPER;

/// asyncio.Future's interface on anyio (the state machine of asyncio's own Future): no Event is
/// made before a task waits, so a Future made outside a running event loop works as well.
pub(super) const HELPER: &str =
    include_str!("../../../codemods/asyncio-sync-primitives/helpers/future.py");

/// The methods the helper has (every use of the Future must be one of them).
pub(super) const METHODS: &[&str] = &[
    "set_result",
    "set_exception",
    "result",
    "exception",
    "done",
    "cancelled",
    "cancel",
];
