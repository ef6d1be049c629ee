"""CRLF line endings are kept, in the rewrite and around it."""
import asyncio


async def fetch(n):
    await asyncio.sleep(0.01 * n)
    return n


async def loop():
    out = []
    for fut in asyncio.as_completed([fetch(2), fetch(1)]):
        # comment
        out.append(await fut)
    return out


async def race(tasks):
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    return done
