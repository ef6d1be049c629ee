# A copy of codemods/asyncio-timeout/examples/swallowed_cancel_raised.py (snapshotted there with
# asyncio-timeout alone), run with every codemod: asyncio-cancelled-error's swallowed-at-end note
# stands next to asyncio-timeout's.
"""Python 3.11's `asyncio.wait_for`, cancelled while it waits, cancels the coroutine's task,
waits for it and raises the CancelledError in the caller even when the coroutine caught the
cancellation and returned: here the enclosing `asyncio.timeout` still times out. The anyio
block runs the coroutine in the caller's task, so the coroutine's handler decides: it swallows
the cancellation, the caller runs on with its result and the enclosing `fail_after` raises
nothing. (Python 3.12's wait_for behaves like the block.) The wait_for notes name it; the
swallowing handler's own note (`asyncio-cancelled-error/swallowed-at-end`) says a caller runs on
until its next checkpoint. Found by
difftest (seed 16 index 7632).
It runs as a script (`asyncio.run`): run it as written and migrated to compare.
"""

import asyncio


async def inner():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("inner swallowed the cancellation")
        return None


async def demo():  # not `main`: not a runnable example, the outputs differ on purpose
    try:
        async with asyncio.timeout(0.01):
            r = await asyncio.wait_for(inner(), 5)
            print("caller ran on with", r)
    except TimeoutError:
        print("timed out")


if __name__ == "__main__":
    asyncio.run(demo())
