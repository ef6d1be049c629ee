"""An Event handed to a class of this file is followed into its `__init__` (or the one it
inherits) and through the attribute it is stored in: asyncio-dgram's `drained` Event reaches
`Protocol.pause_writing`, which calls `clear()`, so the constructors stay (MANUAL)."""
import asyncio


class Protocol(asyncio.DatagramProtocol):
    def __init__(self, recvq, drained):
        self._recvq = recvq
        self._drained = drained
        self._drained.set()

    def pause_writing(self):
        self._drained.clear()

    def resume_writing(self):
        self._drained.set()


class Stream:
    def __init__(self, transport, drained):
        self._transport = transport
        self._drained = drained

    async def send(self, data):
        await self._drained.wait()
        self._transport.sendto(data)


class Server(Stream):
    pass


async def bind(loop, addr):
    recvq = []
    drained = asyncio.Event()
    transport, _ = await loop.create_datagram_endpoint(
        lambda: Protocol(recvq, drained), local_addr=addr
    )
    return Server(transport, drained)


async def only_set_and_waited():
    ready = asyncio.Event()
    stream = Stream(None, ready)  # Stream only waits: rewritten
    ready.set()
    return stream
