class _TaskFailed(Exception):
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
