"""Class-owned queues that other code can reach cannot be split into two streams: each keeps its
object as `_Queue` (asyncio.Queue's interface on anyio), and the note says what that assumes."""
import asyncio

from ._job import Job


class Public:
    def __init__(self):
        self.queue = asyncio.Queue()  # public: other modules may use it

    async def put(self, x):
        await self.queue.put(x)


class Late:
    async def start(self):
        self._q = asyncio.Queue()  # created outside __init__

    async def get(self):
        return await self._q.get()


class Reached:
    def __init__(self):
        self._q = asyncio.Queue()

    async def get(self):
        return await self._q.get()


def poke(reached):
    reached._q.put_nowait(1)  # another object's attribute


class Scheduler:
    def __init__(self, limit):
        self._pending = asyncio.Queue(maxsize=limit)

    async def spawn(self, coro):
        job = Job(coro, self)  # a sibling module gets the instance
        await self._pending.put(job)


class Replaced:
    def __init__(self):
        self._q = asyncio.Queue()

    def reset(self):
        self._q = asyncio.Queue()  # assigned again


class Shared:
    _q = None  # a class attribute too

    def __init__(self):
        self._q = asyncio.Queue()

    async def get(self):
        return await self._q.get()
