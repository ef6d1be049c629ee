"""Nothing here is asyncio's CancelledError: no line may change."""
import concurrent.futures

import trio


class CancelledError(Exception):
    pass


class Holder:
    CancelledError = KeyError

    def check(self, exc):
        return isinstance(exc, self.CancelledError)


async def trio_code():
    try:
        await trio.sleep(1)
    except trio.Cancelled:
        pass
    except CancelledError:  # the local class
        pass


def futures(fut):
    try:
        return fut.result()
    except concurrent.futures.CancelledError:
        return None


async def shadowed(asyncio):
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:  # a parameter named asyncio
        pass
