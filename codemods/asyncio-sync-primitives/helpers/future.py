class _Future:
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
