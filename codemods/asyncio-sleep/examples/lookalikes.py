"""Nothing here is asyncio.sleep: no line may change."""
import time

import trio


class Clock:
    async def sleep(self, delay):
        return delay

    async def run(self):
        await self.sleep(1)


async def local_sleep():
    async def sleep(delay):
        return delay

    await sleep(1)
    await trio.sleep(0)


def blocking():
    time.sleep(0)
