"""`await asyncio.wait(...)` of tasks the statement itself starts, its result unread: a task
group starts the same coroutines in the same order and waits for them all (UNSAFE
wait-all-tasks). Where the result is read, or the loop name is used elsewhere, it stays
MANUAL."""
import asyncio


async def record(log, name, delay):
    await asyncio.sleep(delay)
    log.append(name)


class Store:
    def __init__(self):
        self.saved = []

    async def save(self, key):
        await asyncio.sleep(0)
        self.saved.append(key)


async def display(log):
    # Each coroutine calls an `async def` of this file: `tg.start_soon(record, log, "a", 0.02)`.
    await asyncio.wait([asyncio.create_task(record(log, "a", 0.02)), asyncio.create_task(record(log, "b", 0.01))])


async def named(log):
    # A task name: `tg.create_task(...)` keeps it.
    await asyncio.wait((asyncio.create_task(record(log, "n", 0), name="named-task"),))


async def comprehension(log, names):
    await asyncio.wait([asyncio.create_task(record(log, n, 0)) for n in names if n != "skip"])


async def methods(store, keys):
    # `store.save` is not shown to be an `async def` here: `tg.create_task(store.save(k))`.
    await asyncio.wait({asyncio.create_task(store.save(k)) for k in keys})


async def result_read(log):
    # MANUAL all-completed: the (done, pending) sets are read.
    done, _ = await asyncio.wait([asyncio.create_task(record(log, "r", 0))])  # MANUAL: all-completed
    return len(done)


async def name_used_after(log, names):
    n = "kept"
    # MANUAL all-completed: a `for` statement would rebind `n`, the comprehension does not.
    await asyncio.wait([asyncio.create_task(record(log, n, 0)) for n in names])  # MANUAL: all-completed
    return n


async def main():
    log = []
    await display(log)
    print("display:", log)
    log.clear()
    await named(log)
    await comprehension(log, ["x", "skip", "y"])
    print("named + comprehension:", sorted(log))
    store = Store()
    await methods(store, ["k1", "k2"])
    print("methods:", sorted(store.saved))
    # result_read() and name_used_after() stay asyncio's (MANUAL): not run here, as trio has
    # no asyncio tasks.


asyncio.run(main())
