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
//! What changes is in [`NOTE`] (UNSAFE), checked by execution on anyio 3.7 to 4.14 and both
//! backends (`codemods/asyncio-sync-primitives/examples/runnable_future_helper.py`).

/// The helper's name.
pub(super) const NAME: &str = "_Future";

/// asyncio.Future's interface on anyio (the state machine of asyncio's own Future): no Event is
/// made before a task waits, so a Future made outside a running event loop works as well.
pub(super) const HELPER: &str = r#"class _Future:
    """asyncio.Future's interface on anyio (anyio.Future came in 4.15): set_result,
    set_exception, result, exception, done, cancelled, cancel and await; misuse raises
    asyncio.InvalidStateError as asyncio does (the result of a cancelled one too: a Future
    that is cancelled and read was left as it was)."""

    def __init__(self):
        self._state = "PENDING"
        self._result = None
        self._exception = None
        self._waiters = []

    def __repr__(self):
        return f"<_Future {self._state.lower()}>"

    def _finish(self, state):
        if self._state != "PENDING":
            raise asyncio.InvalidStateError(f"{self._state}: {self!r}")
        self._state = state
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            waiter.set()

    def done(self):
        return self._state != "PENDING"

    def cancelled(self):
        return self._state == "CANCELLED"

    def cancel(self, msg=None):
        if self._state != "PENDING":
            return False
        self._finish("CANCELLED")
        return True

    def set_result(self, result):
        if self._state != "PENDING":
            raise asyncio.InvalidStateError(f"{self._state}: {self!r}")
        self._result = result
        self._finish("FINISHED")

    def set_exception(self, exception):
        if self._state != "PENDING":
            raise asyncio.InvalidStateError(f"{self._state}: {self!r}")
        if isinstance(exception, type):
            exception = exception()
        if isinstance(exception, StopIteration):
            raise TypeError("StopIteration interacts badly with generators and cannot be raised into a Future")
        self._exception = exception
        self._finish("FINISHED")

    def result(self):
        if self._state != "FINISHED":
            raise asyncio.InvalidStateError(f"Result is not ready: {self!r}")
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self):
        if self._state != "FINISHED":
            raise asyncio.InvalidStateError(f"Exception is not set: {self!r}")
        return self._exception

    async def _wait(self):
        if self._state == "PENDING":
            waiter = anyio.Event()
            self._waiters.append(waiter)
            try:
                await waiter.wait()
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        return self.result()

    def __await__(self):
        return self._wait().__await__()
"#;

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

/// What the helper changes (checked by execution, see the module comment).
pub(super) const NOTE: &str = "anyio < 4.15 has no anyio.Future: the module helper `_Future` keeps asyncio.Future's interface (every use stays as written) on anyio Events; cancelling a task that awaits it no longer cancels the Future (asyncio's became cancelled, so a later set_result raised InvalidStateError); a failed Future nobody retrieves is no longer logged (\"Future exception was never retrieved\"); done callbacks and asyncio's APIs (asyncio.wait, wait_for) do not take it, and it is not an asyncio.Future for isinstance";
