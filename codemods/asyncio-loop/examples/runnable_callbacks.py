"""`loop.call_soon(cb, *a)` / `loop.call_later(d, cb, *a)` as statements in a coroutine on its
running loop: each callback becomes a task of a task group from the call to the end of its
block (`tg.start_soon(_call_later, d, cb, *a)`), so it runs on trio too; the block now waits
for the callback (UNSAFE). A handle that is kept (`h = loop.call_later(...)`) stays reported."""
import asyncio

events = []


def record(*what):
    events.append(what)


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(record, "soon", 1)
    loop.call_later(0.02, record, "later")
    record("body")
    await asyncio.sleep(0.05)
    print(events)
    q = []

    async def inner():
        asyncio.get_running_loop().call_soon(q.append, "direct")
        await asyncio.sleep(0)

    await inner()
    print(q)
