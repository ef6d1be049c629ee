"""A task cancelled by hand runs code this file does not show: MANUAL cancelled-unseen-code.
anyio keeps delivering the cancellation until the task ends; code there that catches it and
awaits again (asyncio.Condition.wait() re-acquiring its lock) could spin forever. A task that
runs an `async def` of this file is migrated when what that code waits on is shown too (this
file's functions and classes, asyncio's and anyio's own, checked here); one that waits in a
method of an object it was handed is not."""
import asyncio

from somewhere import client


async def poll():
    while True:
        await asyncio.sleep(0.01)


async def unseen():
    task = asyncio.create_task(client.fetch())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def seen():
    task = asyncio.create_task(poll())
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def view(blocker):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        blocker.set()
        await asyncio.sleep(0)


async def middleware(blocker):
    await view(blocker)


async def reaches_swallowing_handler(blocker):
    # MANUAL cancelled-handler-awaits: view() catches the cancellation and awaits in the handler
    # without re-raising; asyncio's one cancel lets that await run and the task return, anyio's
    # stays delivered and the task ends cancelled.
    task = asyncio.create_task(middleware(blocker))  # MANUAL: cancelled-handler-awaits
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def consume(queue):
    while True:
        await queue.get()


async def waits_in_unseen_code(queue):
    # `consume` is this file's, but it waits in `queue.get()`, a method of whatever the caller
    # passes (a janus queue's get() waits on an asyncio.Condition, which spins when cancelled
    # more than once): MANUAL.
    t = asyncio.create_task(consume(queue))
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass


async def paced(name: str, queue: asyncio.Queue, delay: float = 0.0):
    while True:
        await queue.get()
        await asyncio.sleep(max(0, delay))
        queue.task_done()


async def waits_on_a_queue_it_made():
    # Migrated: the queue `paced` waits on is an asyncio.Queue made here, handed to an
    # annotated parameter (a default follows it), and a sleep of `max(0, delay)` waits on
    # nothing but the sleep.
    queue = asyncio.Queue()
    queue.put_nowait(1)
    t = asyncio.create_task(paced("p", queue, 0.001))
    await queue.join()
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass



class Service:
    async def view(self, blocker):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            blocker.set()
            await asyncio.sleep(0)

    async def method_reaches_swallowing_handler(self, blocker):
        # MANUAL cancelled-handler-awaits: `self.view` is this class's method, followed as a
        # function of this file is.
        task = asyncio.create_task(self.view(blocker))  # MANUAL: cancelled-handler-awaits
        await asyncio.sleep(0.05)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
