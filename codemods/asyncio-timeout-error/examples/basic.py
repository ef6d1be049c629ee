"""asyncio.TimeoutError in its spellings; anyio's fail_after raises the builtin TimeoutError."""
import asyncio
import asyncio as aio
from asyncio import TimeoutError as AsyncTimeout

import anyio


async def slow():
    await asyncio.sleep(1)


async def timed(delay):
    with anyio.fail_after(delay):
        await slow()


async def main():
    try:
        await timed(0.01)
    except asyncio.TimeoutError:
        print("caught by the plain handler")
    try:
        await timed(0.01)
    except asyncio.exceptions.TimeoutError as e:  # the submodule spelling
        print("caught through the submodule:", type(e).__name__)
    try:
        await timed(0.01)
    except (OSError, aio.TimeoutError):  # a tuple with the module alias
        print("caught by a tuple")
    try:
        await timed(0.01)
    except AsyncTimeout:
        print("caught by the from-import alias")
    try:
        await timed(0.01)
    except (asyncio.TimeoutError, TimeoutError):
        print("caught by a tuple that named it twice")
    try:
        raise asyncio.TimeoutError("raised by hand")
    except TimeoutError as e:
        print("a hand-raised one is the builtin:", e)
    try:
        await timed(0.01)
    except* asyncio.TimeoutError as eg:
        print("except*:", [type(x).__name__ for x in eg.exceptions])
    try:
        await timed(0.01)
    except Exception as e:
        print(
            "isinstance:",
            isinstance(e, asyncio.TimeoutError),
            isinstance(e, (aio.TimeoutError, TimeoutError, ValueError)),
        )


if __name__ == "__main__":
    asyncio.run(main())
