"""Queues that escape what this tool can see: none can be split into two streams. Each keeps its
object as `_Queue` (asyncio.Queue's interface on anyio), unless it uses what that helper lacks
(`q._queue`, arguments other than maxsize): those are reported."""
import asyncio

from somewhere import consume, Worker

SHARED = asyncio.Queue()  # module level: other modules can import it


def make_queue():
    q = asyncio.Queue()
    return q  # returned


async def stored(registry):
    q = asyncio.Queue()
    registry["jobs"] = q  # stored in a container
    await q.put(1)


async def on_object(holder):
    holder.queue = asyncio.Queue()  # an attribute of another object


async def passed_away():
    q = asyncio.Queue()
    await consume(q)  # code this tool cannot see


async def to_a_class():
    q = asyncio.Queue()
    Worker(q).start()


async def in_a_lambda(loop):
    q = asyncio.Queue()
    loop.call_soon(lambda: q.put_nowait(1))
    return await q.get()


async def fire_and_forget(items):
    q = asyncio.Queue()

    async def pump():
        for item in items:
            await q.put(item)

    asyncio.create_task(pump())  # may outlive this function
    return await q.get()


async def both_ends(q):
    await q.put(await q.get())


async def uses_both_ends():
    q = asyncio.Queue()
    await both_ends(q)


async def reader(q):
    return await q.get()


async def called_elsewhere():
    q = asyncio.Queue()
    q.put_nowait(1)
    return await reader(q)


async def other_caller(box):
    return await reader(box)  # the same function with something else


def decorate(f):
    return f


@decorate
async def decorated(q):
    await q.put(1)


async def calls_decorated():
    q = asyncio.Queue()
    await decorated(q)


class Service:
    async def feed(self, q):
        await q.put(1)

    async def run(self):
        q = asyncio.Queue()
        await self.feed(q)  # methods are not followed
        return q.get_nowait()


async def rebinds():
    q = asyncio.Queue()
    await q.put(1)
    q = asyncio.Queue()
    return await q.get()


async def nonlocal_rebind():
    q = asyncio.Queue()

    def reset():
        nonlocal q
        q = None

    reset()


async def lazily(n):
    q = asyncio.Queue()
    for i in range(n):
        q.put_nowait(i)
    return (q.get_nowait() for _ in range(n))  # runs after the function returns


async def outside_its_block(flag):
    if flag:
        q = asyncio.Queue()
    await q.put(1)


async def group_outlives(tg):
    q = asyncio.Queue()
    tg.start_soon(reader, q)
    await q.put(1)


async def aliased():
    q = asyncio.Queue()
    r = q
    await r.put(1)


async def internals():
    q = asyncio.Queue()
    q.put_nowait(1)
    return list(q._queue)


async def unknown_argument():
    q = asyncio.Queue(maxsize=1, loop=None)
    await q.put(1)


async def callback():
    q = asyncio.Queue()
    asyncio.get_running_loop().call_soon(q.put_nowait, 1)
    return await q.get()


async def collect(*items: int, q=None):
    await q.put(len(items))


async def passed_into_star_args():
    # `*items: int` takes every positional argument: no parameter receives the queue by name.
    q = asyncio.Queue()
    await collect(q)
    return await q.get()
