"""The classes themselves: annotations, isinstance checks, factories. A class check of an
object this file makes with a constructor the run rewrites follows it; one of a parameter
(`describe`) stays MANUAL: the object may be made elsewhere and stay asyncio's."""
import asyncio
import dataclasses
from collections import defaultdict
from typing import Optional

LOCKS: defaultdict = defaultdict(asyncio.Lock)


@dataclasses.dataclass
class Job:
    name: str
    done: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    lock: Optional[asyncio.Lock] = None


def describe(obj: "asyncio.Lock | asyncio.Event") -> str:  # a string annotation is left alone
    if isinstance(obj, asyncio.Lock):
        return "lock"
    if isinstance(obj, (asyncio.Event, asyncio.Condition)):
        return "event or condition"
    if issubclass(type(obj), asyncio.BoundedSemaphore):
        return "bounded semaphore"
    return "other"


class Holder:
    def __init__(self):
        self.lock = asyncio.Lock()
        self.ready = asyncio.Event()

    def kinds(self):
        return isinstance(self.lock, asyncio.Lock), isinstance(self.ready, asyncio.Event)


def get_lock(key) -> asyncio.Lock:
    return LOCKS[key]


async def main():
    job = Job("j")
    job.done.set()
    await job.done.wait()
    print(job.name, "done:", job.done.is_set(), "lock:", job.lock)
    lock: asyncio.Lock = asyncio.Lock()
    print("own lock:", isinstance(lock, asyncio.Lock), "holder:", Holder().kinds())
    async with get_lock("a"):
        print("lock a held:", get_lock("a").locked(), "lock b held:", get_lock("b").locked())
