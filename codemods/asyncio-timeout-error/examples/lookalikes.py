"""Nothing here is asyncio's TimeoutError: no line may change."""
import concurrent.futures
import socket

import trio


class Errors:
    TimeoutError = ValueError

    def check(self, exc):
        return isinstance(exc, self.TimeoutError)


def future_result(fut):
    try:
        return fut.result(timeout=1)
    except concurrent.futures.TimeoutError:  # not asyncio's: left alone
        return None


async def trio_code():
    try:
        with trio.fail_after(1):
            await trio.sleep(0)
    except trio.TooSlowError:
        pass
    except socket.timeout:
        pass
    except TimeoutError:  # already the builtin
        pass


def make(**kwargs):
    return kwargs


async def local_asyncio():
    asyncio = Errors()
    make(TimeoutError=1)
    return asyncio.TimeoutError, "asyncio.TimeoutError"
