"""A cancellation of the caller that arrives in the loop iteration where the coroutine under
`asyncio.wait_for` finishes: Python 3.11's wait_for sees its inner future done and returns the
result, so the cancellation is lost and the caller runs on; `anyio.move_on_after` (and
`fail_after`) delivers it. (Python 3.12's wait_for is built on asyncio.timeout and delivers
it too.) The note of the wait_for rewrites names it. Found by difftest (seed 13 index 4334 of
the generator at commit 350045c: an asyncio.wait whose first task finished in the same unit
as the wait_for of a pending task it then cancelled). Run with the repository's Python.
"""

import asyncio
import anyio


async def inner():
    await asyncio.sleep(0.01)
    return 1


async def with_wait_for():
    try:
        r = await asyncio.wait_for(inner(), 1)
    except TimeoutError:
        pass
    await asyncio.sleep(0.05)
    return "ran on"


async def with_move_on():
    with anyio.move_on_after(1):
        r = await inner()
    await asyncio.sleep(0.05)
    return "ran on"


async def race(fn):
    async def canceller(t):
        await asyncio.sleep(0.01)  # due in the same iteration as inner()'s sleep
        t.cancel()

    t = asyncio.create_task(fn())
    asyncio.create_task(canceller(t))
    try:
        return await t
    except asyncio.CancelledError:
        return "cancelled"


async def main():
    print("wait_for:", await race(with_wait_for))
    print("move_on_after:", await race(with_move_on))


if __name__ == "__main__":
    asyncio.run(main())
