"""as_completed loops over literal lists of coroutine calls; prints results in completion order."""
import asyncio
import asyncio as aio
from asyncio import as_completed as finished_first


async def fetch(name, delay):
    await asyncio.sleep(delay)
    return name


async def plain():
    results = []
    for fut in asyncio.as_completed([fetch("c", 0.3), fetch("a", 0.1), fetch("b", 0.2)]):
        results.append(await fut)
    print("plain:", results)


async def aliased():
    # `import asyncio as aio`, a tuple display and a multi-line header with comments.
    for item in aio.as_completed((
        fetch("slow", 0.2),  # finishes last
        fetch("quick", 0.1),
    )):
        # a comment before the first statement moves with the body

        value = await item
        print("aliased:", value)
    else:
        print("aliased: loop finished")


async def from_import(lock):
    total = []
    async with lock:
        for round_ in range(2):
            if round_ == 1:
                for f in finished_first({fetch(f"r{round_}-y", 0.2), fetch(f"r{round_}-x", 0.1)}):
                    text = """a multi-line string
stays as it is"""
                    total.append((await f).upper())
                    print(len(text))
    print("from-import:", total)


async def main():
    await plain()
    await aliased()
    await from_import(asyncio.Lock())


if __name__ == "__main__":
    asyncio.run(main())
