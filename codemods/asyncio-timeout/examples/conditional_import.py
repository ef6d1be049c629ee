# A timeout API imported one way or another depending on the Python version (or on what is
# installed): which one runs is only known when the program runs, so nothing is rewritten and
# each import and call is reported.
import sys

if sys.version_info >= (3, 11):
    from asyncio import timeout as asyncio_timeout
else:
    from async_timeout import timeout as asyncio_timeout

try:
    from asyncio import timeout_at
except ImportError:
    from async_timeout import timeout_at


async def fetch(job, delay):
    async with asyncio_timeout(delay):
        return await job()


async def fetch_by(job, when):
    async with timeout_at(when):
        return await job()


async def local(job):
    # A name imported once is not conditional.
    from asyncio import timeout

    async with timeout(1):
        return await job()
