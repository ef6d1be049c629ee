"""asyncio.timeout on Python 3.11+, its backport async_timeout.timeout before: both become
`with anyio.fail_after(delay):`, so which import runs does not matter; once no use is left,
the statement that chose between the imports goes too, or, where its branches hold other code
too, the imports alone. Both spellings of the choice: a version check and `try` / `except
ImportError`."""
import asyncio
import sys

if sys.version_info >= (3, 11):
    from asyncio import timeout as asyncio_timeout
else:
    from async_timeout import timeout as asyncio_timeout

try:
    from asyncio import timeout
except ImportError:  # Python < 3.11
    from async_timeout import timeout

if sys.version_info >= (3, 11):
    from asyncio import timeout as deadline

    NEW_PYTHON = True
else:
    from async_timeout import timeout as deadline

    NEW_PYTHON = False


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    async with asyncio_timeout(1):
        print("in time:", await job(0.01))
    try:
        async with timeout(0.05):
            await job(1)
    except TimeoutError:
        print("timed out")
    async with deadline(1):
        print("a branch with other code too:", NEW_PYTHON)


if __name__ == "__main__":
    asyncio.run(main())
