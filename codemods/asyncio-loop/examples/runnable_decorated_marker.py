"""asyncio.iscoroutinefunction on a decorated function is MANUAL: the decorator may return a
wrapper carrying asyncio's legacy `_is_coroutine` marker (async-lru's `@alru_cache` does),
which asyncio counts and inspect does not (docs/evidence/iscoroutinefunction_marker.py).
A module that names the marker itself is reported as a whole. A plain `async def` is still
rewritten."""
import asyncio
import functools
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)


class _Wrapper:
    """Stands for async_lru's wrapper, which lives in another module: setattr keeps the
    marker's name out of this file, as it is out of async-lru's test file."""

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        if sys.version_info < (3, 14):
            from asyncio import coroutines

            marker = "_is_" + "coroutine"
            setattr(self, marker, getattr(coroutines, marker))

    async def __call__(self, *args):
        return await self.__wrapped__(*args)


def cached(fn):
    return _Wrapper(fn)


@cached
async def fetch():
    return 1


async def plain():
    return 2


class Api:
    @cached
    async def get(self):
        return 3

    @staticmethod
    async def ping():
        return 4


async def main():
    print("decorated:", asyncio.iscoroutinefunction(fetch))
    print("decorated method:", asyncio.iscoroutinefunction(Api().get))
    print("staticmethod:", asyncio.iscoroutinefunction(Api.ping))
    print("plain:", asyncio.iscoroutinefunction(plain))
