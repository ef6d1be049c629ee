"""A child woken in the event-loop iteration in which its group is cancelled: `fail()` raises,
then `setter()` sets the event `waiter()` waits on. asyncio's TaskGroup stops the waiter at
once (it prints only "caught ValueError"); anyio's task group lets it run on to its next await
(it prints "waiter woke up" first): the SAFE (edge) note. Reduced from the differential
tester's finding (scripts/difftest/findings/). Not a runnable example: on trio the outcome
depends on the order trio's scheduler picks for two tasks woken together, so it differs from
run to run; run `demo()` by hand with asyncio.run and, migrated, with anyio.run."""
import asyncio


async def demo():
    ev = asyncio.Event()

    async def fail():
        raise ValueError("boom")

    async def setter():
        ev.set()

    async def waiter():
        await ev.wait()
        print("waiter woke up")

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(waiter())
            await asyncio.sleep(0)  # the waiter is waiting
            tg.create_task(fail())
            tg.create_task(setter())
    except* ValueError:
        print("caught ValueError")
