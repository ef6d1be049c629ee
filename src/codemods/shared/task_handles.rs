//! anyio 4.14's `tg.create_task()` and `TaskHandle` for an older anyio (4.0 to 4.13): the
//! module helper `_TaskGroup` (an anyio task group with `create_task()`) and `_TaskHandle`,
//! `_TaskFailed`, `_TaskCancelled`, `_TaskNotFinished`, written as anyio 4.14 writes them, on
//! `CancelScope` and `Event` (pure Python there too). A fix planned for 4.14 becomes the
//! older target's by respelling the names it writes ([`backport`]); every other part of the
//! rewrite, and its verdict and note, stay as they are.
//!
//! Proven by `codemods/asyncio-create-task/examples/runnable_task_handles.py` (migrated for anyio
//! 4.12 by its `.target-anyio` file, the floors test runs it on anyio 4.0 to 4.11 too) and by
//! the floors runs of every other runnable example that starts tasks.

use crate::codemods::Ctx;
use crate::edit::{Finding, Fix};
use tree_sitter::Node;

/// The helper group's name: the class the `async with` makes.
pub const GROUP: &str = "_TaskGroup";

const HELPER: &str = r#"class _TaskFailed(Exception):
    """anyio.TaskFailed (anyio 4.14): a task awaited or read raised an exception."""


class _TaskCancelled(_TaskFailed):
    """anyio.TaskCancelled (anyio 4.14): a task awaited or read was cancelled."""


class _TaskNotFinished(Exception):
    """anyio.TaskNotFinished (anyio 4.14): a task read has not finished yet."""


class _TaskHandle:
    """anyio.TaskHandle (anyio 4.14): what _TaskGroup.create_task() returns."""

    class Status:
        PENDING = "PENDING"
        FINISHED = "FINISHED"
        CANCELLING = "CANCELLING"
        CANCELLED = "CANCELLED"
        FAILED = "FAILED"

    def __init__(self, coro, name=None):
        self._coro = coro
        self._name = str(name) if name is not None else getattr(coro, "__qualname__", str(coro))
        self._cancel_scope = anyio.CancelScope()
        self._finished = anyio.Event()
        self._exception = None
        self._return_value = None

    async def _run(self):
        with self._cancel_scope:
            try:
                self._return_value = await self._coro
            except BaseException as exc:
                self._exception = exc
                raise
            finally:
                self._finished.set()

    def cancel(self):
        if not self._finished.is_set():
            self._cancel_scope.cancel()

    @property
    def coro(self):
        return self._coro

    @property
    def name(self):
        return self._name

    @property
    def status(self):
        if not self._finished.is_set():
            if self._cancel_scope.cancel_called:
                return self.Status.CANCELLING
            return self.Status.PENDING
        if self._exception is None:
            return self.Status.FINISHED
        if isinstance(self._exception, anyio.get_cancelled_exc_class()):
            return self.Status.CANCELLED
        return self.Status.FAILED

    @property
    def exception(self):
        status = self.status
        if status == self.Status.PENDING:
            raise _TaskNotFinished("the task has not finished yet")
        if status == self.Status.CANCELLING:
            raise _TaskCancelled("the task was cancelled")
        if status == self.Status.CANCELLED:
            raise _TaskCancelled("the task was cancelled") from self._exception
        return self._exception

    @property
    def return_value(self):
        status = self.status
        if status == self.Status.FINISHED:
            return self._return_value
        if status == self.Status.PENDING:
            raise _TaskNotFinished("the task has not finished yet")
        if status == self.Status.CANCELLING:
            raise _TaskCancelled("the task was cancelled")
        if status == self.Status.CANCELLED:
            raise _TaskCancelled("the task was cancelled") from self._exception
        raise _TaskFailed("the task raised an exception") from self._exception

    async def wait(self):
        await self._finished.wait()

    def __await__(self):
        yield from self._finished.wait().__await__()
        return self.return_value


class _TaskGroup:
    """An anyio task group with create_task(), which anyio has from 4.14 on."""

    def __init__(self):
        self._group = anyio.create_task_group()

    async def __aenter__(self):
        await self._group.__aenter__()
        return self

    async def __aexit__(self, *exc_info):
        return await self._group.__aexit__(*exc_info)

    @property
    def cancel_scope(self):
        return self._group.cancel_scope

    def start_soon(self, func, *args, name=None):
        self._group.start_soon(func, *args, name=name)

    async def start(self, func, *args, name=None):
        return await self._group.start(func, *args, name=name)

    def create_task(self, coro, *, name=None):
        handle = _TaskHandle(coro, name)
        self._group.start_soon(handle._run, name=handle.name)
        return handle
"#;

/// What the backport adds to a fix's note.
const NOTE: &str = "anyio < 4.14 has no `tg.create_task()`: the task group is the module helper `_TaskGroup` (an anyio task group with anyio 4.14's `create_task()`), and the handle, `_TaskFailed` and `_TaskCancelled` are anyio 4.14's TaskHandle and exceptions written as anyio writes them; once the project requires anyio >= 4.14, `anyio.create_task_group()`, `anyio.TaskHandle`, `anyio.TaskFailed` and `anyio.TaskCancelled` replace them";

/// anyio's names in the text a fix writes, and the helper's.
const NAMES: &[(&str, &str)] = &[
    ("anyio.create_task_group", "_TaskGroup"),
    ("anyio.TaskHandle", "_TaskHandle"),
    ("anyio.TaskCancelled", "_TaskCancelled"),
    ("anyio.TaskFailed", "_TaskFailed"),
    ("anyio.TaskNotFinished", "_TaskNotFinished"),
];

/// The fix planned for anyio 4.14 (`tg.create_task()` and its handle), for the target's older
/// anyio: anyio's names in its edits respelled as the helper's, the helper added once after the
/// imports, the note extended. `Err` when the helper's name means something else at `at`.
pub fn backport(ctx: &Ctx, at: Node, mut fix: Fix) -> Result<Fix, Finding> {
    let Ok(helper) = crate::codemods::module_helper(ctx, at, GROUP, HELPER) else {
        return Err(Finding::manual(
            fix.codemod,
            "helper-name-taken",
            at.start_byte(),
            format!(
                "anyio < 4.14 has no `tg.create_task()`, and the name `{GROUP}` of the module helper that gives a task group one is already used here"
            ),
            format!("rename the existing `{GROUP}`, then run again"),
        ));
    };
    for edit in &mut fix.edits {
        for (anyio, ours) in NAMES {
            if edit.text.contains(anyio) {
                edit.text = edit.text.replace(anyio, ours);
            }
        }
    }
    fix.edits.extend(helper);
    fix.note = Some(match fix.note.take() {
        Some(note) => format!("{note}; {NOTE}"),
        None => NOTE.to_owned(),
    });
    Ok(fix)
}

/// `callee` makes the helper group (`_TaskGroup()`, the class this module adds).
pub fn is_helper_group_callee(ctx: &Ctx, callee: Node) -> bool {
    callee.kind() == "identifier"
        && ctx.text_of(callee) == GROUP
        && ctx.resolver.defining_scope(GROUP, callee) == Some(ctx.tree.root_node().id())
}
