"""A mailbox whose queue travels (a public attribute), and one whose queue stays inside it."""
import asyncio


class Mailbox:
    def __init__(self):
        self.inbox = asyncio.Queue()

    async def deliver(self, letter):
        await self.inbox.put(letter)

    async def collect(self):
        return await self.inbox.get()


class Outbox:
    def __init__(self):
        self.outgoing = asyncio.Queue()

    async def send(self, letter):
        await self.outgoing.put(letter)

    async def next(self):
        return await self.outgoing.get()
