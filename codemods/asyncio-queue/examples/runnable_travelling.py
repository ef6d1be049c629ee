"""Queues that travel (a public attribute, a bound method handed out as a callback, returned
from a function, task_done()/join()) cannot be split into two memory object streams: they keep
their object as `_Queue`, a module helper with asyncio.Queue's interface on anyio Events, and
every use stays as written. The same output on asyncio and on anyio's two backends."""
import asyncio


class Mailbox:
    def __init__(self, size):
        # a public attribute: other code may use it; the annotation follows
        self.inbox: asyncio.Queue[str] = asyncio.Queue(size)


def make_queue():
    return asyncio.Queue()  # returned as soon as it is made


async def consumer(receive, log):
    while (item := await receive()) is not None:
        log.append(item)


async def bounded(box, log):
    # A full queue makes put() wait until a consumer takes an item.
    task = asyncio.ensure_future(consumer(box.inbox.get, log))
    for i in range(5):
        await box.inbox.put(i)
    await box.inbox.put(None)
    await task
    print("bounded:", log, box.inbox.empty(), box.inbox.qsize(), box.inbox.maxsize)


async def nowait_errors():
    q = make_queue()
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("empty: QueueEmpty")
    box = Mailbox(1)
    box.inbox.put_nowait("a")
    try:
        box.inbox.put_nowait("b")
    except asyncio.QueueFull:
        print("full: QueueFull", box.inbox.full())


async def joined():
    q = make_queue()
    done = []

    async def worker():
        while True:
            item = await q.get()
            done.append(item)
            q.task_done()

    for i in range(3):
        q.put_nowait(i)
    w = asyncio.ensure_future(worker())
    await q.join()
    print("joined:", done)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        pass
    try:
        q.task_done()
    except ValueError as exc:
        print("task_done:", exc)


async def cancelled_getter():
    q = make_queue()
    got = []

    async def take(tag):
        got.append((tag, await q.get()))

    first = asyncio.ensure_future(take("first"))
    second = asyncio.ensure_future(take("second"))
    await asyncio.sleep(0.01)
    first.cancel()
    q.put_nowait("x")
    try:
        await first
    except asyncio.CancelledError:
        pass
    await second
    print("cancelled getter:", got, q.empty())


async def main():
    await bounded(Mailbox(2), [])
    await nowait_errors()
    await joined()
    await cancelled_getter()
