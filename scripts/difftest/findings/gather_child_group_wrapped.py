"""A gather under a handler whose failing child runs a task group of its own: asyncio.gather
raises the child's ExceptionGroup as it is; the `_gather` helper of the spec (§1) re-raised
the first failure bare only when no failure was a group, so it raised anyio.gather's group
around the child's: ExceptionGroup[ExceptionGroup[ValueError]]. The helper now re-raises any
first failure that is an Exception bare. Found by difftest (seed 11 index 95 of the generator
at commit 4913efc, an UNSAFE difference no note announced). Run with the repository's Python.
"""

import asyncio


async def fail():
    await asyncio.sleep(0)
    raise ValueError("inner")


async def child_group():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(fail())
    return "never"


async def ok():
    await asyncio.sleep(0.01)
    return "ok"


async def main():
    try:
        await asyncio.gather(child_group(), ok())
    except ValueError as exc:
        print("caught ValueError", exc)
    except Exception as exc:
        print("caught", repr(exc))


if __name__ == "__main__":
    asyncio.run(main())
