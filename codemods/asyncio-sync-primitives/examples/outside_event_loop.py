"""release() and a Condition's notify() in plain functions: asyncio's work with no event loop
running, anyio's raise NoEventLoopError there. A sync test runs outside any loop (MANUAL);
another plain function may be called from a coroutine or not (UNSAFE, the note says so).
Here the file is no test module, so `test_release_not_acquired` is a plain function too (the
MANUAL case: tests/cli.rs, `a_sync_test_releasing_a_primitive_keeps_it`)."""
import asyncio


def test_release_not_acquired():
    sem = asyncio.BoundedSemaphore()
    try:
        sem.release()
    except ValueError:
        pass


class Limiter:
    def __init__(self):
        self.slots = asyncio.Semaphore(2)

    def give_back(self):
        self.slots.release()

    async def take(self):
        await self.slots.acquire()


async def main():
    limiter = Limiter()
    await limiter.take()
    limiter.give_back()  # called from a coroutine: a loop runs
    await limiter.take()
    await limiter.take()
    print("took two slots after giving one back")
