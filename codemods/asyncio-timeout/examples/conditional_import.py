# A timeout API imported one way or another depending on the Python version (or on what is
# installed), where the two do not become the same anyio code: which one runs is only known
# when the program runs, so nothing is rewritten and each import and call is reported. (The
# pair `asyncio.timeout` / `async_timeout.timeout` used as `async with name(delay):` is
# rewritten: runnable_backport_import.py.)
import sys

if sys.version_info >= (3, 11):
    from asyncio import timeout as asyncio_timeout
else:
    from async_timeout import timeout as asyncio_timeout

try:
    from asyncio import timeout_at
except ImportError:
    from async_timeout import timeout_at

try:
    from asyncio import timeout
except ImportError:
    from mylib import timeout


async def fetch(job, delay):
    # The object's interfaces differ: asyncio's `expired()` is a method, async_timeout's a
    # property.
    async with asyncio_timeout(delay) as cm:
        result = await job()
    return result, cm


async def fetch_by(job, when):
    async with timeout_at(when):
        return await job()


async def fetch_mine(job):
    async with timeout(1):
        return await job()


async def local(job):
    # A name imported once is not conditional.
    from asyncio import timeout

    async with timeout(1):
        return await job()
