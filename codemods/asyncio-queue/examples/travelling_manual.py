"""Queues that travel but use what the `_Queue` helper lacks stay as written, reported with
why they cannot be split: a private attribute, shutdown() (Python 3.13), an isinstance check,
or arguments other than maxsize."""
import asyncio


class Buffer:
    def __init__(self):
        self.items = asyncio.Queue()

    def peek(self):
        return self.items._queue[0]  # asyncio's private deque


def closing():
    q = asyncio.Queue()
    q.shutdown()
    return q


def checked(q):
    return isinstance(q, asyncio.Queue)


def made_here():
    return asyncio.Queue(maxsize=3)
