"""asyncio.run and a hand-made loop, each called in a worker thread (a thread may start its own
event loop): return values come back as they were, and an exception raised in the coroutine
reaches the caller unwrapped."""
import asyncio


async def compute(a, b=0, *, scale=1):
    await asyncio.sleep(0)
    return (a + b) * scale


async def explode():
    await asyncio.sleep(0)
    raise ValueError("raised inside the coroutine")


class App:
    def __init__(self, name):
        self.name = name

    async def serve(self):
        await asyncio.sleep(0)
        return f"app {self.name} served"


def run_positional():
    return asyncio.run(compute(1, 2))


def run_keywords():
    # Keyword arguments go through functools.partial.
    return asyncio.run(compute(1, scale=10))


def run_debug():
    return asyncio.run(compute(2), debug=True)


def run_method():
    return asyncio.run(App("demo").serve())


def run_caught():
    try:
        asyncio.run(explode())
    except ValueError as exc:
        return f"caught {exc!r}"


def run_on_own_loop():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(compute(3, b=4))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


def run_steps_on_one_loop():
    # Two runs on one loop: one anyio.run of a coroutine that awaits both in order.
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(compute(1))
        return loop.run_until_complete(compute(3, b=4, scale=2))
    finally:
        loop.close()


def run_uncaught():
    return asyncio.run(explode())


async def main():
    for runner in (run_positional, run_keywords, run_debug, run_method, run_caught, run_on_own_loop,
                   run_steps_on_one_loop):
        print(runner.__name__, "->", await asyncio.to_thread(runner))
    # The exception crosses asyncio.run and the thread, and ends main: the last line says so.
    await asyncio.to_thread(run_uncaught)


if __name__ == "__main__":
    asyncio.run(main())
