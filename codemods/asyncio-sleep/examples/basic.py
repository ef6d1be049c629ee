"""asyncio.sleep in its common spellings; prints what it does."""
import asyncio
import time
from asyncio import sleep as pause


async def ticker(log):
    # A literal delay stays as it is.
    await asyncio.sleep(0.01)
    log.append("tick")


async def main():
    log = []
    await ticker(log)
    start = time.monotonic()
    deadline = start - 5  # already in the past: a negative delay
    await pause(deadline - time.monotonic())  # computed delay: clamped with max(0, ...)
    print("negative delay returned at once:", time.monotonic() - start < 1)
    value = await asyncio.sleep(0, "done")
    print("result argument:", value)
    label = await asyncio.sleep(delay=0.001, result=",".join(log))
    print("computed result:", label)
    await asyncio.sleep(
        0,  # a comment inside the call survives
    )


if __name__ == "__main__":
    asyncio.run(main())
