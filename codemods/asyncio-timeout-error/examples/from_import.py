"""`from asyncio import TimeoutError` hides the builtin on Python 3.10: the name is dropped."""
from asyncio import TimeoutError, sleep

import anyio


async def local_import():
    from asyncio.exceptions import TimeoutError
    try:
        with anyio.fail_after(0.01):
            await anyio.sleep(1)
    except TimeoutError:
        print("caught after the local import was dropped")


async def main():
    try:
        with anyio.fail_after(0.01):
            await sleep(1)
    except TimeoutError:
        print("caught after the module import was dropped")
    await local_import()
