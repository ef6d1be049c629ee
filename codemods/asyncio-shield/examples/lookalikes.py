"""Names that look like asyncio.shield but are not: nothing changes."""
from asyncio import shield


class Guard:
    async def shield(self, coro):
        return await coro

    async def use(self, coro):
        return await self.shield(coro)


async def parameter(shield, coro):
    # The parameter shadows the from-import.
    return await shield(coro)


async def local(coro):
    def shield(c):
        return c

    return await shield(coro)


async def other_module(trio, coro):
    return await trio.shield(coro)

