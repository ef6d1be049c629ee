"""Constructors and references with no faithful rewrite: reported, unchanged."""
import asyncio
from collections import defaultdict

SEMAPHORES = defaultdict(asyncio.Semaphore)  # anyio.Semaphore() needs an initial value


class FairLock(asyncio.Lock):  # subclassing
    pass


class Limits:
    per_host = asyncio.BoundedSemaphore(len("abc"))  # computed bound in a class body


def make(loop, args, n):
    old = asyncio.Lock(loop=loop)  # the loop parameter is gone since Python 3.10
    many = asyncio.Semaphore(*args)
    nested = [asyncio.BoundedSemaphore(n + 1)]  # computed bound inside an expression
    return old, many, nested


async def internals():
    lock = asyncio.Lock()
    waiters = lock._waiters  # asyncio internals
    sem = asyncio.Semaphore(2)
    sem._value += 1  # anyio's value is read-only
    return waiters, sem
