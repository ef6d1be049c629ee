"""Handlers that swallow the cancellation where their coroutine goes on (or may go on)
afterwards: MANUAL, and the clause is left as it is. (A handler that ends its coroutine is
rewritten: runnable_swallow_at_end.py.)"""
import asyncio
import contextlib


async def passes():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass
    await asyncio.sleep(1)  # MANUAL above: the coroutine awaits again


async def returns():
    try:
        await asyncio.sleep(1)
    except (asyncio.CancelledError, OSError):
        return None
    async with contextlib.AsyncExitStack():  # MANUAL above: an `async with` after the try
        pass


async def sometimes(flag):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        if flag:
            raise
        print("swallowed when flag is false")
    for _ in range(2):
        await asyncio.sleep(1)  # MANUAL above


async def loop_break():
    for _ in range(3):
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:  # MANUAL: the coroutine awaits after the loop
            break
    await asyncio.sleep(1)


async def loop_goes_on():
    while True:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:  # MANUAL: the handler stays in the loop
            print("again")


async def in_with(lock):
    async with lock:
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:  # MANUAL: the `async with` exits (awaits) after it
            pass


async def result_of(fut):
    try:
        fut.result()
    except asyncio.CancelledError:  # MANUAL: nothing awaits in the try: a Future's result()
        pass


async def generator():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:  # MANUAL: an async generator
        pass
    yield 1


async def cleanup_awaits():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:  # MANUAL: a shield would stop a second cancellation
        await asyncio.sleep(0.5)
        return "closed"


async def catch_all(flag):
    try:
        await asyncio.sleep(1)
    except:  # noqa: E722  MANUAL: swallows the cancellation around an await
        print("anything goes")
    try:
        await asyncio.sleep(1)
    except BaseException as exc:  # MANUAL: returns on one path
        if flag:
            return exc
        raise


async def catch_all_not_reported():
    try:
        print("no await in this try body")
    except BaseException:
        pass
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise
    except BaseException:  # the cancellation was taken by the clause above
        pass
    try:
        await asyncio.sleep(1)
    except Exception:  # does not catch the cancellation
        pass


async def awaits_a_task(task):
    try:
        await task
    except asyncio.CancelledError:  # MANUAL: the Task's own cancellation may be the one caught
        pass
