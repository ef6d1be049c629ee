"""Handlers in callers: a gather whose failure reaches an `except` one or more calls up keeps the
bare first exception (`_gather`), so those handlers still match; a gather no caller handles
becomes a task group (spec §1: "inside try/except, including in callers")."""
import asyncio


async def price(item):
    await asyncio.sleep(0)
    if item == "bad":
        raise ValueError(f"no price for {item}")
    return len(item)


async def prices(items):
    return await asyncio.gather(*[price(i) for i in items])  # rewrite


async def total(items):
    # No handler here: the failure goes on to total's callers.
    return sum(await prices(items))


class Session:
    def __init__(self, items):
        self.items = items

    async def __aenter__(self):
        # Called by `async with`, where no name shows the caller: taken as handled.
        await asyncio.gather(*[price(i) for i in self.items])  # rewrite
        return self

    async def __aexit__(self, *exc):
        return False


async def warm(items):
    # Nobody handles its failure: a task group.
    await asyncio.gather(*[price(i) for i in items])  # rewrite


async def main():
    print("total:", await total(["ab", "c"]))
    try:
        await total(["ab", "bad"])
    except ValueError as exc:
        print("two calls up, except ValueError caught:", repr(exc))
    try:
        async with Session(["a", "bad"]):
            print("not reached")
    except ValueError as exc:
        print("around async with, caught:", repr(exc))
    await warm(["a", "b"])
    print("warm: done")


asyncio.run(main())
