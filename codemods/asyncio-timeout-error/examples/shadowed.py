"""`TimeoutError` is rebound in some scopes: rewriting to it there would change the meaning."""
import asyncio


def parameter(TimeoutError):
    try:
        return TimeoutError()
    except asyncio.TimeoutError:  # MANUAL: the parameter hides the builtin
        return None


async def local_class():
    class TimeoutError(Exception):
        pass

    try:
        await asyncio.sleep(0)
    except asyncio.TimeoutError:  # MANUAL: the local class hides the builtin
        raise TimeoutError("ours") from None


async def elsewhere():
    try:
        await asyncio.sleep(0)
    except asyncio.TimeoutError:  # rewritten: nothing hides the builtin here
        pass
