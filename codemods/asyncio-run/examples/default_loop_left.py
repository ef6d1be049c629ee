"""`asyncio.get_event_loop().run_until_complete(f())` becomes `anyio.run(f)` only when no other
use of the thread's default loop outside a coroutine stays in the file: anyio.run() leaves the
thread without a current loop when it ends (asyncio.Runner.close() sets it to None), so a
`get_event_loop()` left elsewhere would raise RuntimeError after it (syncer: `sync_co` kept
`get_event_loop().run_until_complete(co)` for a coroutine object while `sync_fu` became
anyio.run)."""
import asyncio


async def work(x):
    await asyncio.sleep(0)
    return x


def run_coroutine_object(co):
    # MANUAL not-a-call: a coroutine object, left on the default loop.
    return asyncio.get_event_loop().run_until_complete(co)


def run_work(x):
    # MANUAL shared-loop: the default loop stays in use above.
    return asyncio.get_event_loop().run_until_complete(work(x))


async def running():
    # Inside a coroutine get_event_loop() is the running loop: no use of the default loop.
    return asyncio.get_event_loop()

