"""LIFO and priority queues, and asyncio.Queue used as a factory or a base class."""
import asyncio
from asyncio import PriorityQueue
from collections import defaultdict
from dataclasses import dataclass, field


async def stacks():
    stack = asyncio.LifoQueue()
    urgent = PriorityQueue(maxsize=10)
    await stack.put(1)
    await urgent.put((0, "now"))
    return await stack.get(), await urgent.get()


queues = defaultdict(asyncio.Queue)


@dataclass
class Inbox:
    items: asyncio.Queue = field(default_factory=asyncio.Queue)


class CountingQueue(asyncio.Queue):
    def _put(self, item):
        super()._put(item)


def is_queue(x):
    return isinstance(x, asyncio.Queue)  # a type check is left alone
