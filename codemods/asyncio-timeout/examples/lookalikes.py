"""Names that look like asyncio's timeouts but are not: nothing changes."""
from asyncio import timeout, wait_for


class Client:
    async def wait_for(self, coro, timeout):
        return await coro

    async def use(self, coro):
        return await self.wait_for(coro, 1)


async def parameter(wait_for, coro):
    # The parameter shadows the from-import.
    return await wait_for(coro, 1)


async def local_timeout(coro):
    def timeout(seconds):
        return seconds

    async with other_cm(timeout(1)):
        return await coro


async def other_module(trio, coro):
    with trio.fail_after(1):
        return await coro


async def timeout_parameter(timeout):
    async with timeout(1):
        pass


def other_cm(seconds):
    return seconds
