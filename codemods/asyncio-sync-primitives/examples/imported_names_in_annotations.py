"""From-imported classes in annotations, next to attributes that share their names.

The first pass writes `anyio.Lock` before `anyio` is imported: the `Lock` in it is an
attribute's member, not the from-imported name, so it is not rewritten again (which never
settled: `anyio.anyio.Lock`, ...). Neither is the member of another object's attribute
(`kit.Event` below).
"""
import types
from asyncio import Event, Lock
from collections import defaultdict


class Registry:
    def __init__(self, kit):
        self._locks: defaultdict[str, Lock] = defaultdict(Lock)
        self._ready: Event = Event()
        self._other: kit.Event = kit.Event()

    async def run(self, key):
        async with self._locks[key]:
            self._ready.set()
        await self._ready.wait()
        self._other.set()
        return self._other.is_set()


async def main():
    kit = types.SimpleNamespace()
    kit.Event = lambda: types.SimpleNamespace(set=print, is_set=bool)
    registry = Registry(kit)
    print("done:", await registry.run("a"))
