class _Queue:
    """asyncio.Queue's interface on anyio: put/get (and _nowait), qsize/empty/full, maxsize,
    task_done/join; it raises asyncio.QueueEmpty / QueueFull as asyncio does."""

    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self._items = collections.deque()
        self._getters = collections.deque()
        self._putters = collections.deque()
        self._unfinished = 0
        self._finished = None

    def __repr__(self):
        return f"<_Queue maxsize={self.maxsize!r} qsize={len(self._items)}>"

    def _wake_next(self, waiters):
        while waiters:
            waiter = waiters.popleft()
            if not waiter.is_set():
                waiter.set()
                break

    def qsize(self):
        return len(self._items)

    def empty(self):
        return not self._items

    def full(self):
        return 0 < self.maxsize <= len(self._items)

    async def put(self, item):
        while self.full():
            putter = anyio.Event()
            self._putters.append(putter)
            try:
                await putter.wait()
            except BaseException:
                if putter in self._putters:
                    self._putters.remove(putter)
                if not self.full() and putter.is_set():
                    self._wake_next(self._putters)
                raise
        self.put_nowait(item)

    def put_nowait(self, item):
        if self.full():
            raise asyncio.QueueFull
        self._items.append(item)
        self._unfinished += 1
        self._wake_next(self._getters)

    async def get(self):
        while self.empty():
            getter = anyio.Event()
            self._getters.append(getter)
            try:
                await getter.wait()
            except BaseException:
                if getter in self._getters:
                    self._getters.remove(getter)
                if not self.empty() and getter.is_set():
                    self._wake_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            raise asyncio.QueueEmpty
        item = self._items.popleft()
        self._wake_next(self._putters)
        return item

    def task_done(self):
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0 and self._finished is not None:
            self._finished.set()
            self._finished = None

    async def join(self):
        if self._unfinished > 0:
            if self._finished is None:
                self._finished = anyio.Event()
            await self._finished.wait()
