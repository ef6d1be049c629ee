"""A CRLF file: the new block keeps the line endings."""
import asyncio


async def consumer(inbox, seen):
    while (item := await inbox.get()) != "stop":
        seen.append(item)


async def main():
    inbox = asyncio.Queue(1)
    seen = []
    async with asyncio.TaskGroup() as tg:
        tg.create_task(consumer(inbox, seen))
        for word in ("crlf", "lines", "stop"):
            await inbox.put(word)
    print(seen)


if __name__ == "__main__":
    asyncio.run(main())
