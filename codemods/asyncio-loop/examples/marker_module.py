"""A module that sets asyncio's legacy `_is_coroutine` marker (async-lru's own wrapper class):
every asyncio.iscoroutinefunction in it is MANUAL, the marker being exactly where asyncio and
inspect disagree."""
import asyncio
from asyncio.coroutines import _is_coroutine


class Wrapper:
    __slots__ = ("__wrapped__", "_is_coroutine")

    def __init__(self, fn):
        self.__wrapped__ = fn
        self._is_coroutine = _is_coroutine


def is_async(fn):
    return asyncio.iscoroutinefunction(fn)
