"""Semaphore and BoundedSemaphore: the default value, locked(), _value, max_value."""
import asyncio
from asyncio import BoundedSemaphore, Semaphore

LIMIT = 2


class Pool:
    def __init__(self, size):
        self._sem = asyncio.Semaphore(size)
        self._bounded = asyncio.BoundedSemaphore(value=size)

    async def use(self):
        async with self._sem:
            # locked() becomes `value == 0`; _value becomes value
            return self._sem.locked(), self._sem._value


async def main():
    one = Semaphore()  # asyncio's default is 1; anyio needs it spelled out
    print("default value:", one._value, "locked:", one.locked())
    async with one:
        print("while held:", one._value, "locked:", one.locked())
        if one.locked() == True:  # noqa: E712  parenthesized so the comparison stays the same
            print("comparison kept its meaning")
    kw = asyncio.Semaphore(value=3)
    print("value keyword:", kw._value)
    commented = asyncio.Semaphore(  # a comment inside the call survives
    )
    print("commented:", commented._value)
    print("pool:", await Pool(1).use())
    bounded = BoundedSemaphore(LIMIT)
    twice = asyncio.BoundedSemaphore(LIMIT * 2)  # computed: evaluated once, into a name
    empty = asyncio.BoundedSemaphore()
    for sem in (bounded, twice, empty):
        try:
            sem.release()
        except ValueError as exc:
            print("over-release:", type(exc).__name__)
    await bounded.acquire()
    bounded.release()
    print("bounded value:", bounded._value, "twice value:", twice._value)
