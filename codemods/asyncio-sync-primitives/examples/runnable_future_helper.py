"""asyncio.Future for an anyio without anyio.Future (this example is migrated for anyio 4.14):
the `_Future` module helper keeps asyncio's interface, so the uses stay as written. Results,
a failure raised to the waiter itself, a bound method handed out, misuse that raises
InvalidStateError, and a cancel nobody awaits. Same output on asyncio and, migrated, on
anyio's asyncio and trio backends."""
import asyncio


class Reply:
    """A Future made in a plain method, set and awaited by others."""

    def __init__(self):
        self.waiting: asyncio.Future[int] = asyncio.Future()  # the annotation follows

    def deliver(self, value):
        if not self.waiting.done():
            self.waiting.set_result(value)

    async def get(self):
        return await self.waiting


async def waiter(name, fut, log):
    try:
        log.append(f"{name} got {await fut}")
    except ValueError as e:
        log.append(f"{name} failed: {e!r}")


async def main():
    log = []
    ready = asyncio.Future()
    print("pending:", not ready.done())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(waiter("a", ready, log))
        tg.create_task(waiter("b", ready, log))
        await asyncio.sleep(0.01)
        ready.set_result(42)
    print(sorted(log), ready.result(), ready.exception())
    try:
        ready.set_result(43)
    except asyncio.InvalidStateError:
        print("set twice: InvalidStateError")

    failed = asyncio.Future()
    log.clear()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(waiter("c", failed, log))
        await asyncio.sleep(0.01)
        failed.set_exception(ValueError("no data"))
    print(log, repr(failed.exception()))

    reply = Reply()
    setters = [reply.deliver]
    async with asyncio.TaskGroup() as tg:
        tg.create_task(waiter("d", reply.waiting, log))
        await asyncio.sleep(0.01)
        setters[0]("delivered")
        setters[0]("ignored: already done")
    print(log[-1], await reply.get())

    handed = asyncio.Future()
    finish = handed.set_result
    finish("through a bound method")
    print(await handed)

    dropped = asyncio.Future()
    print("cancel:", dropped.cancel(), dropped.cancel(), dropped.cancelled(), dropped.done())
    try:
        dropped.set_result("late")
    except asyncio.InvalidStateError:
        print("set after cancel: InvalidStateError")


if __name__ == "__main__":
    asyncio.run(main())
