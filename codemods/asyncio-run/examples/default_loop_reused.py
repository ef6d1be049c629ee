"""A use of the thread's default loop that stays for its own reason (here: a loop reused in a
`for` loop) keeps every other `get_event_loop().run_until_complete(f())` of the file on it:
anyio.run() would leave the thread without a current loop for the run that stays."""
import asyncio


async def work(x):
    await asyncio.sleep(0)
    return x


def run_twice():
    # MANUAL run-in-loop.
    loop = asyncio.get_event_loop()
    for x in range(2):
        loop.run_until_complete(work(x))


def run_once():
    # MANUAL shared-loop: the loop above stays the thread's default loop.
    return asyncio.get_event_loop().run_until_complete(work(3))
