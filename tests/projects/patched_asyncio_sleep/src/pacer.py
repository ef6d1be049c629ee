"""Library code that waits between steps: its tests replace asyncio.sleep to skip the wait."""
import asyncio


async def paced(steps, pause):
    done = []
    for step in range(steps):
        done.append(step)
        await asyncio.sleep(pause)
    return done


async def within(seconds, coro):
    return await asyncio.wait_for(coro, seconds)
