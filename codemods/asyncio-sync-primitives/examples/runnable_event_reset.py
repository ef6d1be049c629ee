"""An Event reset with clear() and set again, kept on `self` and read afresh by every use: the
reset becomes a fresh anyio.Event bound to the attribute when the old one is set (a set Event
has released its waiters; an unset one is left, as asyncio's clear() did nothing then)."""
import asyncio


class Pulse:
    def __init__(self):
        self._beat = asyncio.Event()
        self.seen = []

    async def watch(self, name, beats):
        for _ in range(beats):
            await self._beat.wait()
            self.seen.append(name)
            await asyncio.sleep(0.01)

    async def pulse(self, times):
        for _ in range(times):
            await asyncio.sleep(0.005)
            self._beat.set()
            await asyncio.sleep(0)
            self._beat.clear()
            await asyncio.sleep(0.02)

    def reset(self):
        self._beat.clear()
        return self._beat.is_set()


async def main():
    p = Pulse()
    print("reset of an unset event:", p.reset())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(p.watch("a", 3))
        tg.create_task(p.watch("b", 3))
        tg.create_task(p.pulse(3))
    print("beats seen:", sorted(p.seen))


if __name__ == "__main__":
    asyncio.run(main())
