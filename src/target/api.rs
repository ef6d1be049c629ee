//! The anyio APIs, arguments and behaviours the codemods emit, with the release that
//! introduced each. Every row is verified against the released packages by
//! `tests/api_table.rs`: its probe runs on the release of the row and fails on the release
//! before it.

use super::Version;

/// An anyio API (or argument, or behaviour) whose presence depends on the release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Api {
    /// `tg.create_task(coro)` returning an `anyio.TaskHandle` (`.return_value`, `.cancel()`).
    TaskGroupCreateTask,
    /// `anyio.gather(*coros)`.
    Gather,
    /// `anyio.as_completed(...)`.
    AsCompleted,
    /// `anyio.Future()`.
    Future,
    /// `anyio.fail_at(deadline)` / `anyio.move_on_at(deadline)`.
    DeadlineScopes,
    /// `anyio.Semaphore(n, fast_acquire=True)` / `anyio.Lock(fast_acquire=True)`.
    FastAcquire,
    /// `anyio.to_thread.run_sync(f, abandon_on_cancel=True)` (`cancellable=True` before).
    AbandonOnCancel,
    /// The `anyio_mode = auto` pytest option of anyio's plugin.
    AnyioMode,
    /// `anyio.Event()` / `anyio.CapacityLimiter()` made outside an event loop.
    PrimitivesOutsideLoop,
    /// A task group raises an `ExceptionGroup` even for one failure (anyio 3 raised a single
    /// failure bare, and its own `anyio.ExceptionGroup` for several).
    TaskGroupExceptionGroup,
    /// `anyio.create_memory_object_stream[T](...)` (a function, not subscriptable, in anyio 3).
    MemoryStreamGeneric,
    /// `anyio.run(..., backend_options={"loop_factory": f})` on the asyncio backend.
    LoopFactory,
    /// A timeout scope whose deadline passed without a checkpoint inside ends normally (anyio 3
    /// raised `TimeoutError` on exit).
    ScopeExitWithoutCheckpoint,
    /// `Condition.wait_for(predicate)`.
    ConditionWaitFor,
    /// `Condition.notify()` by a task that does not hold the lock raises `RuntimeError`, also
    /// after the lock was once taken and released (before 4.16 it did not).
    ConditionNotifyCheck,
    /// `anyio.run_process(..., stdin=...)`, and a child that reads the parent's standard input
    /// when neither `stdin` nor `input` is given (before 4.9 it read /dev/null).
    RunProcessStdin,
    /// `anyio.sleep()` with a negative delay raises `ValueError` (before 4.16 it returned).
    NegativeSleepRaises,
    /// `Condition(lock).notify()` by a task holding `lock` taken directly (not through the
    /// condition) works; before 4.16 the condition tracked its own owner and raised
    /// `RuntimeError`, so code sharing one lock among conditions broke (janus on anyio 4.12.1).
    ConditionSharedLock,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub api: Api,
    /// How the output spells it.
    pub name: &'static str,
    /// The first release that has it.
    pub since: Version,
    /// Python code that runs without error on `since` and fails on the release before it
    /// (run by `tests/api_table.rs`).
    pub probe: &'static str,
}

/// Every row. Order: by release, then by name. The floor of the table is anyio 3.7.1, the
/// oldest release probed: an API it has is not listed.
pub const TABLE: &[Entry] = &[
    Entry {
        api: Api::TaskGroupExceptionGroup,
        name: "a task group raising ExceptionGroup for one failure",
        since: Version(4, 0, 0),
        probe: "async def boom():\n    raise ValueError('x')\nasync def main():\n    try:\n        async with anyio.create_task_group() as tg:\n            tg.start_soon(boom)\n    except BaseExceptionGroup as eg:\n        assert isinstance(eg.exceptions[0], ValueError)\nanyio.run(main)",
    },
    Entry {
        api: Api::MemoryStreamGeneric,
        name: "anyio.create_memory_object_stream[T]()",
        since: Version(4, 0, 0),
        probe: "send, receive = anyio.create_memory_object_stream[int](1)",
    },
    Entry {
        api: Api::ScopeExitWithoutCheckpoint,
        name: "fail_after() past its deadline with no checkpoint ending normally",
        since: Version(4, 0, 0),
        probe: "async def main():\n    with anyio.fail_after(0):\n        pass\nanyio.run(main)",
    },
    Entry {
        api: Api::AbandonOnCancel,
        name: "to_thread.run_sync(..., abandon_on_cancel=True)",
        since: Version(4, 1, 0),
        probe: "async def main():\n    await anyio.to_thread.run_sync(lambda: 1, abandon_on_cancel=True)\nanyio.run(main)",
    },
    Entry {
        api: Api::LoopFactory,
        name: "backend_options={\"loop_factory\": ...}",
        // 4.0 and 4.1 accept the option and ignore it: the probe checks the loop is the
        // factory's.
        since: Version(4, 2, 0),
        probe: "import asyncio\nclass L(asyncio.SelectorEventLoop):\n    pass\nasync def main():\n    assert type(asyncio.get_running_loop()) is L\nanyio.run(main, backend_options={'loop_factory': L})",
    },
    Entry {
        api: Api::PrimitivesOutsideLoop,
        name: "anyio.Event() / CapacityLimiter() outside an event loop",
        since: Version(4, 2, 0),
        probe: "anyio.Event()\nanyio.CapacityLimiter(1)",
    },
    Entry {
        api: Api::FastAcquire,
        name: "Lock(fast_acquire=True) / Semaphore(n, fast_acquire=True)",
        since: Version(4, 5, 0),
        probe: "anyio.Lock(fast_acquire=True)\nanyio.Semaphore(2, fast_acquire=True)",
    },
    Entry {
        api: Api::RunProcessStdin,
        name: "anyio.run_process(..., stdin=...)",
        since: Version(4, 9, 0),
        probe: "import inspect\nassert 'stdin' in inspect.signature(anyio.run_process).parameters",
    },
    Entry {
        api: Api::AnyioMode,
        name: "the anyio_mode pytest option",
        since: Version(4, 11, 0),
        probe: "from anyio import pytest_plugin\nassert 'anyio_mode' in open(pytest_plugin.__file__).read()",
    },
    Entry {
        api: Api::ConditionWaitFor,
        name: "Condition.wait_for()",
        since: Version(4, 11, 0),
        probe: "anyio.Condition.wait_for",
    },
    Entry {
        api: Api::TaskGroupCreateTask,
        name: "tg.create_task() / anyio.TaskHandle",
        since: Version(4, 14, 0),
        probe: "async def one():\n    return 1\nasync def main():\n    async with anyio.create_task_group() as tg:\n        h = tg.create_task(one())\n    assert h.return_value == 1\nanyio.TaskHandle\nanyio.run(main)",
    },
    Entry {
        api: Api::AsCompleted,
        name: "anyio.as_completed()",
        since: Version(4, 15, 0),
        probe: "anyio.as_completed",
    },
    Entry {
        api: Api::DeadlineScopes,
        name: "anyio.fail_at() / anyio.move_on_at()",
        since: Version(4, 15, 0),
        probe: "anyio.fail_at\nanyio.move_on_at",
    },
    Entry {
        api: Api::Future,
        name: "anyio.Future()",
        since: Version(4, 15, 0),
        probe: "anyio.Future",
    },
    Entry {
        api: Api::Gather,
        name: "anyio.gather()",
        since: Version(4, 15, 0),
        probe: "async def one():\n    return 1\nasync def main():\n    assert await anyio.gather(one(), one()) == (1, 1)\nanyio.run(main)",
    },
    Entry {
        api: Api::ConditionNotifyCheck,
        name: "Condition.notify() without the lock raising RuntimeError after a release",
        since: Version(4, 16, 0),
        probe: "async def main():\n    c = anyio.Condition()\n    async with c:\n        pass\n    try:\n        c.notify()\n    except RuntimeError:\n        return\n    raise AssertionError('notify() did not raise')\nanyio.run(main)",
    },
    Entry {
        api: Api::ConditionSharedLock,
        name: "Condition(lock).notify() with the lock taken directly",
        since: Version(4, 16, 0),
        probe: "async def main():\n    lock = anyio.Lock()\n    c = anyio.Condition(lock)\n    async with lock:\n        c.notify()\nanyio.run(main)",
    },
    Entry {
        api: Api::NegativeSleepRaises,
        name: "anyio.sleep(negative) raising ValueError",
        since: Version(4, 16, 0),
        probe: "async def main():\n    try:\n        await anyio.sleep(-1)\n    except ValueError:\n        return\n    raise AssertionError('no ValueError')\nanyio.run(main)",
    },
];

impl Api {
    /// The first release that has it.
    pub fn since(self) -> Version {
        TABLE
            .iter()
            .find(|e| e.api == self)
            .map_or(super::NEWEST_ANYIO, |e| e.since)
    }
}
