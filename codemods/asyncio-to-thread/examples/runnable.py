"""Blocking work sent to a thread: results come back, keyword arguments reach the function,
and an exception raised in the thread reaches the caller unwrapped (spec §8 A1, A4)."""
import asyncio
import threading


def blocking(a, b=0, *, scale=1):
    in_worker = threading.current_thread() is not threading.main_thread()
    return (a + b) * scale, in_worker


def fail(message):
    raise ValueError(message)


async def main():
    loop = asyncio.get_running_loop()

    # A coroutine of main that only main awaits runs in main's task, on main's loop.
    async def nested(n):
        return await loop.run_in_executor(None, blocking, n)

    print("nested:", await nested(5))
    print("positional:", await asyncio.to_thread(blocking, 1, 2))
    print("keywords:", await asyncio.to_thread(blocking, 1, b=2, scale=10))
    try:
        await asyncio.to_thread(fail, "caught from the thread")
    except ValueError as exc:
        print("caught:", repr(exc))
    print("executor:", await loop.run_in_executor(None, blocking, 3))
    print("direct:", await asyncio.get_running_loop().run_in_executor(
        None,  # the default executor
        blocking,
        4,
    ))
    # Unwrapped, it ends main: the last line says so.
    await asyncio.to_thread(fail, "escaped from the thread")
