"""Spellings: an aliased module, from-imports, generic and annotated queues."""
import asyncio as aio
import asyncio.queues
from asyncio import Queue, QueueFull as Full


async def drain(source: "Queue[int]") -> list:
    got = []
    try:
        while True:
            got.append(source.get_nowait())
    except asyncio.queues.QueueEmpty:
        return got


async def fill(sink: aio.Queue[int], n: int) -> int:
    for i in range(n):
        try:
            sink.put_nowait(i)
        except Full:
            return i
    return n


async def main():
    typed = aio.Queue[int](maxsize=3)
    print("filled", await fill(typed, 5))
    print("drained", await drain(typed))

    annotated: asyncio.Queue[str] = Queue()
    annotated.put_nowait("annotated")
    print(annotated.get_nowait())


if __name__ == "__main__":
    aio.run(main())
