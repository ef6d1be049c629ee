"""A gather in a function handed to other code as an argument: the code it is handed to may
await it under a handler written for the bare exception, so the gather keeps that shape
(`_gather`, UNSAFE caller-handler)."""
import asyncio


async def fetch(key):
    return key


async def load_all(keys):
    return await asyncio.gather(*(fetch(k) for k in keys))


async def main(scheduler):
    await scheduler.submit(load_all)
