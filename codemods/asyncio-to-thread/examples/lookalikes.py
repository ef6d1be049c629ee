"""Nothing here is asyncio's thread API: no line may change, nothing is reported."""
import anyio
import trio


def work(x):
    return x


class Pool:
    async def to_thread(self, fn, *args):
        return fn(*args)

    async def run(self):
        return await self.to_thread(work, 1)


async def local_name():
    async def to_thread(fn, *args):
        return fn(*args)

    return await to_thread(work, 2)


async def other_libraries():
    await trio.to_thread.run_sync(work, 3)
    return await anyio.to_thread.run_sync(work, 4, abandon_on_cancel=True)


async def shadowed(asyncio):
    return await asyncio.to_thread(work, 5)
