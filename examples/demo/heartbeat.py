"""A heartbeat that reschedules itself on the event loop: needs a human to migrate."""

import asyncio
import time

INTERVAL = 5.0


def beat(loop: asyncio.AbstractEventLoop) -> None:
    print(f"alive at {time.monotonic():.1f}")
    loop.call_later(INTERVAL, beat, loop)


async def run_forever() -> None:
    loop = asyncio.get_running_loop()
    loop.call_soon(beat, loop)
    await asyncio.sleep(float("inf"))
