"""An Event's `wait` handed out uncalled: whoever calls it may use its value (True from
asyncio's wait(), None from anyio's), so the Event stays asyncio's (MANUAL wait-handed-out).
Awaited in place, or its value unused, it is rewritten (see return_values.py)."""
import asyncio


async def start_all(pool):
    gate = asyncio.Event()
    job = pool.create_task(gate.wait)  # MANUAL: the pool awaits it and hands the value back
    gate.set()
    return await job is True


async def awaited_here():
    ready = asyncio.Event()
    ready.set()
    await ready.wait()  # rewritten: the value is not used
