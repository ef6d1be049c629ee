"""Nested as_completed loops, a loop in a nested coroutine, and a `break` that belongs to an
inner loop; prints results in completion order."""
import asyncio


async def fetch(name, delay):
    await asyncio.sleep(delay)
    return name


async def outer_and_inner():
    seen = []
    for outer in asyncio.as_completed([fetch("o2", 0.2), fetch("o1", 0.1)]):
        name = await outer
        # the inner loop is rewritten too (in a later pass)
        for inner in asyncio.as_completed([fetch(name + "-b", 0.2), fetch(name + "-a", 0.1)]):
            seen.append(await inner)
    print("nested:", seen)


def make_worker(prefix):
    async def worker():
        out = []
        for fut in asyncio.as_completed([fetch(prefix + "2", 0.2), fetch(prefix + "1", 0.1)]):
            value = await fut
            for ch in value:
                if ch.isdigit():
                    break  # leaves only the character loop
            out.append(value)
        return out

    return worker


async def discard():
    for fut in asyncio.as_completed([fetch("x", 0.1)]):
        await fut
    print("results discarded")


async def main():
    await outer_and_inner()
    await discard()
    print("closure:", await make_worker("w")())
