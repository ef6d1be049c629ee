"""A Future or Event kept on an attribute of a holder class is used through the holder's
instances too (`entry.future`), not only as `self.future` in the class: those uses count, by
the attribute's name, and are never rewritten (another object's attribute may have the name)."""
import asyncio


class Entry:
    def __init__(self, future):
        self.future = future


class Registry:
    def __init__(self):
        self.entries = {}

    async def run(self, key):
        future = asyncio.get_running_loop().create_future()
        entry = Entry(future)
        self.entries[key] = entry
        return await entry.future  # awaited through the instance

    def clear(self):
        for entry in self.entries.values():
            entry.future.cancel()  # and cancelled there: asyncio's await raised CancelledError


class Slot:
    def __init__(self, waiter):
        self.waiter = waiter


async def handed_a_value():
    waiter = asyncio.Future()
    slot = Slot(waiter)
    slot.waiter.set_result(1)  # anyio's Future is set by `return_value`: this use would stay
    return await waiter


class Gate:
    def __init__(self, opened):
        self.opened = opened


async def only_set_and_waited():
    opened = asyncio.Event()
    gate = Gate(opened)
    gate.opened.set()  # anyio's Event has set(): nothing to change
    await opened.wait()
    return gate
