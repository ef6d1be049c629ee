"""A `yield` inside a timeout block of an async generator: anyio's timeout is a cancel scope,
which must not stay open while the generator is suspended, so that block is reported; a block
that yields after it is rewritten."""
import asyncio


async def ticks(source):
    async with asyncio.timeout(5):
        async for item in source:
            yield item  # reported: the consumer's code would run inside the scope


async def first(source):
    async with asyncio.timeout(5):
        item = await source.get()
    yield item


from contextlib import asynccontextmanager


@asynccontextmanager
async def deadline():
    # An async context manager's yield runs the caller's block in the same task: rewritten.
    async with asyncio.timeout(5):
        yield
