"""Look-alikes that must not change."""
import asyncio
import queue
from asyncio import Queue as AQueue

import janus
import trio


class Queue:
    """A local class named Queue."""

    def put_nowait(self, x):
        pass


def threads():
    q = queue.Queue()
    q.put_nowait(1)
    try:
        return q.get_nowait()
    except queue.Empty:
        return None


async def mixed():
    jq = janus.Queue()
    jq.async_q.put_nowait(1)
    local = Queue()
    local.put_nowait(2)
    send, recv = trio.open_memory_channel(0)
    return jq, send, recv


async def shadowed(asyncio):
    q = asyncio.Queue()  # `asyncio` is a parameter here
    await q.put(1)


def guarded(janus_queue):
    # janus raises asyncio's exceptions: an except clause with no rewritten queue in its
    # try body keeps catching them.
    try:
        return janus_queue.async_q.get_nowait()
    except asyncio.QueueEmpty:
        return None


def parameter(AQueue):
    return AQueue()  # the parameter shadows the from-import


class Factory:
    def Queue(self):
        return []

    def build(self):
        q = self.Queue()  # a method named Queue
        q.append(1)
        return q


class Holder:
    def __init__(self):
        self.make = asyncio.Queue  # only the class: reported as a factory
