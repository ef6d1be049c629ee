"""Nothing here is asyncio's: no line may change."""
import multiprocessing
import threading

import anyio
import trio
from asyncio import Event, Lock


class Lock2:
    def Lock(self):
        return threading.Lock()

    def make(self):
        return self.Lock()


def thread_side():
    lock = threading.Lock()
    sem = multiprocessing.Semaphore()
    return lock, sem, trio.Event(), anyio.Lock()


def shadowed(Lock):
    return Lock()  # a parameter shadowing the from-import


def local_event():
    class Event:
        def clear(self):
            pass

    ev = Event()  # the local class, not asyncio's
    ev.clear()
    return ev
