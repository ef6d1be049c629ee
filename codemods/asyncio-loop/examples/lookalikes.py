"""Nothing here is an asyncio loop API: no line may change, nothing is reported."""
import asyncio
import time
from asyncio import iscoroutinefunction

import trio


class Clock:
    def time(self):
        return 0.0

    def check(self):
        return self.time()


def get_running_loop():
    return Clock()


async def local_names(tg):
    loop = get_running_loop()
    print(loop.time(), time.time(), trio.current_time())
    tg.create_task(trio.sleep(0))


def check(iscoroutinefunction):
    # The parameter shadows the from-import.
    return iscoroutinefunction(len)


def shadowed(asyncio):
    return asyncio.get_running_loop().time(), asyncio.iscoroutinefunction(len)
