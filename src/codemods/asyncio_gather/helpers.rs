//! The module helpers asyncio-gather writes into a file (spec §1), each defined once.

/// The spec's `_gather` (§1): `asyncio.gather`'s list result and bare first exception on top
/// of `anyio.gather`. The version guard travels with it so the helper is self-contained.
/// Unlike the spec's, it also re-raises a first failure that is an `ExceptionGroup` of the
/// child's own (a task group inside it) bare, as asyncio.gather did; the spec's wrapped it in
/// one more group (`scripts/difftest/findings/gather_child_group_wrapped.py`).
pub(super) const GATHER_HELPER: &str = concat!(
    "\n",
    include_str!("../../../codemods/asyncio-gather/helpers/gather.py")
);

/// `anyio.gather()` for a target before anyio 4.15, which has none: the same task group
/// (`anyio.gather` is `tg.create_task` per coroutine, then the results in order), with
/// `start_soon`, which every anyio 4 has. Returns a list, as asyncio.gather did.
pub(super) const GATHER_ALL_HELPER: &str = concat!(
    "\n",
    include_str!("../../../codemods/asyncio-gather/helpers/gather_all.py")
);

/// Any awaitable as a coroutine object, for the arguments the code does not show to be
/// coroutines (a plain function's or another module's result, a parameter, an object with
/// `__await__`, a Future): `anyio.gather` and task groups take coroutines only, where
/// `asyncio.gather` took any awaitable. Awaiting it in a child task behaves as gather's own
/// wrapping did: a cancelled child cancels what it awaits.
pub(super) const AWAIT_HELPER: &str = concat!(
    "\n",
    include_str!("../../../codemods/asyncio-gather/helpers/await.py")
);

/// The spec's `_gather_return_exceptions` (§1), plus a second handler: a child that raises the
/// cancellation exception itself gets it back as its result, as with asyncio.gather, while a
/// real cancellation of the task is raised again by `checkpoint_if_cancelled()`. With the
/// spec's version such a child made anyio's group cancel its siblings and return None for all
/// of them, silently (aiotools' `test_actxgroup_exception_from_cm`;
/// `docs/evidence/gather_return_exceptions_self_cancel.py`, B1 vs B2).
pub(super) const COLLECT_HELPER: &str = concat!(
    "\n",
    include_str!("../../../codemods/asyncio-gather/helpers/gather_return_exceptions.py")
);

/// [`GATHER_HELPER`] for a target before anyio 4.15: on top of `_gather_all`.
pub(super) fn gather_helper_before_4_15() -> String {
    GATHER_HELPER
        .replace(
            "return list(await anyio.gather(*coros))",
            "return await _gather_all(*coros)",
        )
        .replace("on top of anyio.gather()", "on top of _gather_all()")
}
