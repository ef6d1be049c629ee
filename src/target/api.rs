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

/// Every row. Order: by release, then by name.
pub const TABLE: &[Entry] = &[];

impl Api {
    /// The first release that has it.
    pub fn since(self) -> Version {
        TABLE
            .iter()
            .find(|e| e.api == self)
            .map_or(super::NEWEST_ANYIO, |e| e.since)
    }
}
