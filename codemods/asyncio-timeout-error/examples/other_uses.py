"""asyncio.TimeoutError outside except clauses: every reference becomes the builtin."""
import asyncio

import pytest


class SlowError(asyncio.TimeoutError):
    """A subclass keeps working: it now derives from the builtin."""


HANDLED = (asyncio.TimeoutError, OSError)
BOTH = (asyncio.TimeoutError, TimeoutError)  # a data tuple: its length is kept


def test_raises():
    with pytest.raises(asyncio.TimeoutError):
        raise asyncio.TimeoutError


def check(exc):
    return issubclass(type(exc), (asyncio.TimeoutError,  # a comment in the tuple
                                  TimeoutError))
