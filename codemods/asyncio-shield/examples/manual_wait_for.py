"""Time out the wait but keep the work running: MANUAL (spec §3, 03 A2/B2/B3)."""
import asyncio


async def critical():
    await asyncio.sleep(0.2)


async def bounded_wait():
    try:
        await asyncio.wait_for(asyncio.shield(critical()), 0.05)
    except TimeoutError:
        print("gave up waiting; critical() goes on")


async def keyword_form():
    await asyncio.wait_for(fut=asyncio.shield(critical()), timeout=0.05)


async def inside_a_timeout_block():
    # The same idiom spelled with asyncio.timeout: a shielded block would keep the timeout
    # from firing until critical() is done.
    async with asyncio.timeout(0.05):
        await asyncio.shield(critical())
