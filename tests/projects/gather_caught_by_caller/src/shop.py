"""A library whose gathers fail in two ways: one failure its callers catch by type (two calls
up, in the tests), one nobody catches."""

import asyncio


async def price(item):
    await asyncio.sleep(0.001)
    if not item.isalpha():
        raise ValueError(f"{item!r} has no price")
    return 10 * len(item)


async def prices(items):
    # `total` calls this, and a test awaits `total` under `pytest.raises(ValueError)`.
    return await asyncio.gather(*[price(i) for i in items])


async def total(items):
    return sum(await prices(items))


async def warm(items):
    # No caller handles its failure: a task group's ExceptionGroup changes no handler.
    await asyncio.gather(*[price(i) for i in items])


class Cart:
    def __init__(self, items):
        self.items = items

    async def check(self):
        # Called as `self.check()` under `except ValueError` in `summary`.
        await asyncio.gather(*[price(i) for i in self.items])

    async def summary(self):
        try:
            await self.check()
        except ValueError as exc:
            return f"invalid: {exc}"
        return "ok"
