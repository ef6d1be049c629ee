"""asyncio.TimeoutError outside except clauses: every reference becomes the builtin, except
where the class reaches other code and the project supports a Python before 3.11 (the
default floor is 3.10): a base class, and a raise that no handler of its function catches,
stay asyncio's (MANUAL), since there asyncio's class is not the builtin."""
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
