"""Event without clear(): set / is_set / wait are the same."""
import asyncio
from asyncio import Event as Flag


class Service:
    def __init__(self):
        self._started = asyncio.Event()

    def start(self):
        self._started.set()

    async def wait_started(self):
        await self._started.wait()  # the result is not used: fine
        return self._started.is_set()


async def announce(flag):
    flag.set()


async def main():
    service = Service()
    service.start()
    print("started:", await service.wait_started())
    done = Flag()
    print("before:", done.is_set())
    await announce(done)  # followed into announce(): no clear() there
    await done.wait()
    print("after:", done.is_set())
