"""asyncio.gather takes any awaitable; anyio.gather and task groups take coroutines only. What
the code does not show to be a coroutine (a plain method's result, an object with `__await__`,
a coroutine another function made) is awaited through `_await`, on both backends."""
import asyncio


class Loader:
    def __init__(self):
        self.calls = []

    async def _load(self, key):
        # "B" finishes first: results still come back in argument order.
        await asyncio.sleep({"A": 0.05, "B": 0.01}.get(key, 0))
        self.calls.append(key)
        return key.lower()

    def load(self, key):
        # A plain method: its result is a coroutine, but only running it shows that.
        return self._load(key)


class Ticket:
    """An awaitable object that is not a coroutine."""

    def __init__(self, n):
        self.n = n

    def __await__(self):
        return self._wait().__await__()

    async def _wait(self):
        await asyncio.sleep(0)
        return self.n * 10


async def double(n):
    await asyncio.sleep(0)
    return 2 * n


def make(n):
    return double(n)


async def main():
    loader = Loader()
    print("plain method:", await asyncio.gather(loader.load("A"), loader.load("B")))
    print("__await__:", await asyncio.gather(Ticket(1), Ticket(2)))
    coros = [make(n) for n in range(3)]
    print("made elsewhere:", await asyncio.gather(*coros))
    await asyncio.gather(loader.load("C"), double(5))
    print("discarded:", loader.calls)
    print("mixed:", await asyncio.gather(double(1), Ticket(3), *[make(n) for n in (4, 5)]))
