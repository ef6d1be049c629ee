# A copy of codemods/asyncio-timeout/examples/composed.py (snapshotted there with asyncio-timeout
# alone), run with every codemod: asyncio-shield's block and asyncio-timeout's blocks nest over
# several passes.
"""Timeouts composed with other idioms: each layer is rewritten over several passes, and the
result must run (and never be broken code in between); prints what it does."""
import asyncio


async def fetch(n):
    await asyncio.sleep(0)
    return n


async def main():
    # shield(wait_for(...)): the shield becomes a block, then the wait_for inside it.
    a = await asyncio.shield(asyncio.wait_for(fetch(1), 1))
    # wait_for(wait_for(...)): nested fail_after blocks.
    b = await asyncio.wait_for(asyncio.wait_for(fetch(2), 1), 2)
    # A wait_for in the argument of another: the inner one is hoisted first.
    c = await asyncio.wait_for(fetch(await asyncio.wait_for(fetch(3), 1)), 2)
    # A wait_for inside a timeout block.
    async with asyncio.timeout(5):
        d = await asyncio.wait_for(fetch(4), 1)
    print(a, b, c, d)


if __name__ == "__main__":
    asyncio.run(main())
