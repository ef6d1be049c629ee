"""A queue owned by an object: created in __init__, used only by the class's methods."""
import asyncio


class Mailbox:
    _inbox: asyncio.Queue[str]

    def __init__(self, size=0):
        self._inbox = asyncio.Queue(maxsize=size)
        self.delivered = 0

    def post(self, message):
        try:
            self._inbox.put_nowait(message)
        except asyncio.QueueFull:
            return False
        return True

    async def deliver(self, message):
        await self._inbox.put(message)  # waits while the box is full
        self.delivered += 1

    async def take(self):
        return await self._inbox.get()

    def pending(self):
        return self._inbox.qsize()


class Outbox(Mailbox):
    """A subclass in the same module shares the attribute."""

    def is_empty(self):
        return self._inbox.empty()


class Unrelated:
    def __init__(self):
        self._inbox = []  # another class's attribute of the same name: not the queue

    def add(self, x):
        self._inbox.append(x)
        return len(self._inbox)


async def main():
    box = Outbox(size=2)
    print(box.post("a"), box.post("b"), box.post("c"))
    print("pending:", box.pending(), "empty:", box.is_empty())
    async with asyncio.TaskGroup() as tg:
        tg.create_task(box.deliver("d"))
        print(await box.take(), await box.take(), await box.take())
    print("delivered:", box.delivered, "empty:", box.is_empty())
    print("unrelated:", Unrelated().add(1))


if __name__ == "__main__":
    asyncio.run(main())
