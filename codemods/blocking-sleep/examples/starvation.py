"""The behaviour change (spec §6, B6): the blocking sleep starved every other task and could
not be interrupted; `await anyio.sleep` lets them run and honours the timeout.
The original already uses an anyio task group, so the example runs on asyncio as written."""
import time

import anyio


async def main():
    ticks = []

    async def ticker():
        while True:
            ticks.append(1)
            await anyio.sleep(0.005)

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        await anyio.sleep(0)
        ticks.clear()
        time.sleep(0.05)
        print("other tasks ran during the sleep:", len(ticks) > 0)
        started = time.monotonic()
        with anyio.move_on_after(0.05) as scope:
            time.sleep(0.5)
        print("timeout interrupted the sleep:", scope.cancelled_caught)
        print("sleep cut short:", time.monotonic() - started < 0.4)
        tg.cancel_scope.cancel()
