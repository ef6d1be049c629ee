"""put_nowait/get_nowait, the exceptions they raise, and the sizes a queue reports."""
import asyncio
from asyncio import QueueEmpty


async def main():
    # Unbounded (the default): put_nowait never fails. anyio's default size 0 would be a
    # rendezvous, so the rewrite passes math.inf.
    unbounded = asyncio.Queue()
    for i in range(1000):
        unbounded.put_nowait(i)
    print("unbounded:", unbounded.qsize(), "full:", unbounded.full())
    print("first:", unbounded.get_nowait(), "maxsize:", unbounded.maxsize)

    zero = asyncio.Queue(0)
    zero.put_nowait("a")
    print("maxsize=0 is unbounded too:", zero.get_nowait())
    negative = asyncio.Queue(maxsize=-1)
    negative.put_nowait("b")
    print("so is a negative one:", negative.get_nowait())

    bounded = asyncio.Queue(2)
    bounded.put_nowait(1)
    bounded.put_nowait(2)
    try:
        bounded.put_nowait(3)
    except asyncio.QueueFull:
        print("full at", bounded.qsize())
    bounded.get_nowait(), bounded.get_nowait()
    try:
        bounded.get_nowait()
    except QueueEmpty as exc:
        print("empty:", type(exc).__name__)

    # asyncio is full once qsize() >= maxsize, so a maxsize of 2.5 holds 3 items.
    fractional = asyncio.Queue(2.5)
    count = 0
    try:
        while True:
            fractional.put_nowait(count)
            count += 1
    except (asyncio.QueueFull, asyncio.QueueEmpty):
        print("maxsize=2.5 holds", count)

    # Computed sizes: zero or less still means unbounded.
    items = ["x"]
    for n in (0, 3):
        sized = asyncio.Queue(maxsize=n)
        print(f"maxsize={n}: full={sized.full()}")
    guarded = asyncio.Queue(maxsize=len(items) - 1)
    guarded.put_nowait(1)
    guarded.put_nowait(2)
    print("computed 0 is unbounded:", guarded.qsize())

    # A consumer already waiting: asyncio counts the item, anyio hands it straight over.
    handoff = asyncio.Queue()
    async with asyncio.TaskGroup() as tg:
        waiter = tg.create_task(handoff.get())
        await asyncio.sleep(0.01)
        handoff.put_nowait("x")
        print("size with a consumer waiting:", handoff.qsize())
    print("the consumer got:", waiter.result())


if __name__ == "__main__":
    asyncio.run(main())
