"""Leaving an as_completed loop early: asyncio leaves the other awaitables running, anyio
cancels them when the block ends (the pattern spec §11 B1 relies on)."""
import asyncio


async def job(name, delay, log):
    finished = False
    try:
        await asyncio.sleep(delay)
        finished = True
        return name
    finally:
        log.append(f"{name} {'finished' if finished else 'interrupted'}")


async def first_of(log):
    for fut in asyncio.as_completed([job("slow", 0.3, log), job("fast", 0.1, log)]):
        winner = await fut
        break
    return winner


async def main():
    log = []
    print("first:", await first_of(log))
    await asyncio.sleep(0.4)
    print("log:", log)
