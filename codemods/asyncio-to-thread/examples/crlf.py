import asyncio


def work(path, mode="r"):
    return path, mode


async def read(path):
    loop = asyncio.get_running_loop()
    head = await loop.run_in_executor(None, work, path)
    return head, await asyncio.to_thread(
        work,
        path,
        mode="rb",
    )
