"""asyncio.TimeoutError outside except clauses: every reference becomes the builtin, except
where the class reaches other code and the project supports a Python before 3.11 (the
default floor is 3.10): a base class, a raise that no handler of its function catches, an
instance made and kept, the class handed to what raises it or bound to a name that is raised,
stay asyncio's (MANUAL), since there asyncio's class is not the builtin. Tuples of classes and
names only matched against exceptions are rewritten."""
import asyncio

import pytest


class SlowError(asyncio.TimeoutError):
    """Callers may catch asyncio.TimeoutError: before 3.11 the builtin would pass them by."""


def give_up():
    raise asyncio.TimeoutError("reaches the caller")


HANDLED = (asyncio.TimeoutError, OSError)
BOTH = (asyncio.TimeoutError, TimeoutError)  # a data tuple: its length is kept


def test_raises():
    with pytest.raises(asyncio.TimeoutError):
        raise asyncio.TimeoutError


def check(exc):
    return issubclass(type(exc), (asyncio.TimeoutError,  # a comment in the tuple
                                  TimeoutError))


class MockResponse:
    """An instance kept to raise later, in its users' code."""

    def __init__(self):
        self.error = asyncio.TimeoutError("connection timeout")  # MANUAL: raised-before-3-11


def expire(fut):
    fut.set_exception(asyncio.TimeoutError)  # MANUAL: raised-before-3-11


TIMEOUT = asyncio.TimeoutError  # MANUAL: raised-before-3-11
MATCHED = asyncio.TimeoutError  # rewrite


def give_up_later():
    raise TIMEOUT()


def matched(exc):
    return isinstance(exc, MATCHED)
