"""asyncio.iscoroutinefunction -> inspect.iscoroutinefunction on a decorated function whose
wrapper carries asyncio's legacy `_is_coroutine` marker (async-lru 2.4.0's `@alru_cache` sets
`self._is_coroutine = asyncio.coroutines._is_coroutine` on Python < 3.14; its tests assert
`asyncio.iscoroutinefunction(coro)` on the decorated function).

The spec (§12 F1) shows the two functions disagree on such callables; this shows that a plain
decorator is enough to produce one, so `asyncio.iscoroutinefunction(<decorated>)` cannot be
rewritten blindly. The answer does not depend on the anyio backend (no event loop involved).
Run: python docs/evidence/iscoroutinefunction_marker.py  (iscoroutinefunction_marker.out)
"""
import asyncio
import functools
import inspect
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)  # asyncio.iscoroutinefunction, 3.14


class _LRUWrapper:
    """The shape of async_lru's _LRUCacheWrapper."""

    def __init__(self, fn):
        functools.update_wrapper(self, fn)
        self.__wrapped__ = fn
        if sys.version_info < (3, 14):
            from asyncio.coroutines import _is_coroutine  # noqa: PLC0415

            self._is_coroutine = _is_coroutine

    async def __call__(self, *args):
        return await self.__wrapped__(*args)


def alru_cache(fn):
    return _LRUWrapper(fn)


def marked(fn):
    """A wrapper that uses the 3.12+ API instead of the legacy marker."""

    @functools.wraps(fn)
    def wrapper(*args):
        return fn(*args)

    return inspect.markcoroutinefunction(wrapper) if hasattr(inspect, "markcoroutinefunction") else wrapper


async def plain():
    pass


@alru_cache
async def cached():
    pass


@marked
async def with_marker_api():
    pass


if __name__ == "__main__":
    print("python", sys.version.split()[0])
    for name, obj in (("plain async def", plain), ("@alru_cache-style wrapper", cached),
                      ("@markcoroutinefunction wrapper", with_marker_api)):
        print(f"F1 {name}: asyncio.iscoroutinefunction={asyncio.iscoroutinefunction(obj)}"
              f" inspect.iscoroutinefunction={inspect.iscoroutinefunction(obj)}")
