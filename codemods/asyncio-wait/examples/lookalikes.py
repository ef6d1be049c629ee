"""Names that look like asyncio.wait / as_completed but are not: asyncio-wait changes nothing."""
import asyncio
import concurrent.futures
from asyncio import as_completed, wait

import trio


class Poller:
    def wait(self, items):
        return items

    async def run(self, event, items):
        await event.wait()  # an Event's wait, not asyncio.wait
        return self.wait(items)  # a method


async def with_trio(receive):
    async with trio.open_nursery():
        await trio.sleep(0)
    return trio.as_completed if hasattr(trio, "as_completed") else receive


def threads(futures):
    done, pending = concurrent.futures.wait(futures)
    for f in concurrent.futures.as_completed(futures):
        print(f.result())
    return done, pending


async def shadowed(wait, as_completed):
    # parameters named like the from-imports shadow them
    for fut in as_completed([wait(1)]):
        print(await fut)
    return await wait([1])


async def local_definition():
    def as_completed(items):
        return iter(items)

    for fut in as_completed([asyncio.sleep(0)]):
        await fut

