"""A module that binds builtin names itself (here an async `enumerate` and `list`, as
itertools-style libraries do): the gather rewrites would write `list(...)` around
anyio.gather and loop with `enumerate` in their helpers, which would call the module's
objects, so they are left as they are, reported (`shadowed-builtin`). Other rewrites go on."""
import asyncio

from .builtins import enumerate, list


async def zip_all(*its):
    return await asyncio.gather(*[it.__anext__() for it in its], return_exceptions=True)


async def product(*itrs):
    pools = await asyncio.gather(*[list(i) for i in itrs])
    return pools


async def nap(delay):
    await asyncio.sleep(delay)
