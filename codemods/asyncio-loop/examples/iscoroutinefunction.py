"""asyncio.iscoroutinefunction in its spellings: called, aliased, from-imported, passed as a value."""
import asyncio
import asyncio as aio
import functools
from asyncio import iscoroutinefunction as is_coro_fn


async def fetch():
    return 1


def plain():
    return 2


def kinds(fns):
    # Passed as a value: rewritten too.
    return list(map(asyncio.iscoroutinefunction, fns))


async def main():
    print("async def:", asyncio.iscoroutinefunction(fetch))
    print("partial of async def:", aio.iscoroutinefunction(functools.partial(fetch)))
    print("plain def:", is_coro_fn(plain))
    print("map:", kinds([fetch, plain]))
    checks = {"fetch": asyncio.coroutines.iscoroutinefunction(  # the submodule spelling
        fetch
    )}
    print("submodule spelling:", checks)
