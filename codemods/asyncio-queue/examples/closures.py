"""A local queue shared by closures: tasks of a task group, a helper called in place."""
import asyncio


async def pipeline(words):
    queue = asyncio.Queue()
    done = []

    def enqueue_all():
        # A sync closure called in place: it runs before the function goes on.
        for w in words:
            queue.put_nowait(w)
        queue.put_nowait(None)

    async def upper():
        while True:
            word = await queue.get()
            if word is None:
                return
            done.append(word.upper())

    enqueue_all()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(upper())
    return done


async def first_or_timeout():
    inbox = asyncio.Queue()

    async def later():
        await asyncio.sleep(0.5)
        await inbox.put("late")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(later())
            # Nobody puts anything in time: the wait times out.
            item = await asyncio.wait_for(inbox.get(), timeout=0.05)
    except* TimeoutError:
        item = "timed out"
    return item


async def main():
    print(await pipeline(["a", "b", "c"]))
    print(await first_or_timeout())


if __name__ == "__main__":
    asyncio.run(main())
