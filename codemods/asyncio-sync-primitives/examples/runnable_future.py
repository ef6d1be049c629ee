"""asyncio.Future → anyio.Future where every use has an anyio form: one task sets the result,
others await it (directly, or through a coroutine of this file it is passed to), and the
state is read with done(), result() and exception(). Same output on asyncio and,
migrated, on anyio's asyncio and trio backends."""
import asyncio


async def wait_for_it(fut, log):
    log.append(f"waiter got {await fut}")


class Gate:
    """A future kept on `self` and used by several methods."""

    def __init__(self):
        self._opened = None

    def arm(self):
        self._opened = asyncio.Future()

    def open(self, value):
        if self._opened is not None and not self._opened.done():
            self._opened.set_result(value)

    async def passed(self):
        return await self._opened


async def scenario(name, delay):
    """Each scenario defines its own `waiter`: the call is followed into the one it sees."""

    async def waiter(fut):
        return f"{name} got {await fut}"

    fut = asyncio.Future()
    async with asyncio.TaskGroup() as tg:
        got = tg.create_task(waiter(fut))
        await asyncio.sleep(delay)
        fut.set_result(delay)
    return got.result()


async def other_scenario():
    async def waiter(fut):
        return f"other got {await fut}"

    fut = asyncio.Future()
    async with asyncio.TaskGroup() as tg:
        got = tg.create_task(waiter(fut))
        fut.set_result("at once")
    return got.result()


async def main():
    log = []
    ready: asyncio.Future[str] = asyncio.Future()
    print("pending:", not ready.done())

    async def producer():
        await asyncio.sleep(0.01)
        ready.set_result("data")
        log.append("producer set it")

    async with asyncio.TaskGroup() as tg:
        tg.create_task(wait_for_it(ready, log))
        tg.create_task(producer())
    print(log)
    print("done:", ready.done(), "result:", ready.result(), "exception:", ready.exception())
    print("twice:", await ready, await ready)

    gate = Gate()
    gate.arm()
    async with asyncio.TaskGroup() as tg:
        passed = tg.create_task(gate.passed())
        await asyncio.sleep(0.01)
        gate.open("open")
        gate.open("ignored: already done")
    print("gate:", passed.result())
    print(await scenario("first", 0.01), "/", await other_scenario())


if __name__ == "__main__":
    asyncio.run(main())
