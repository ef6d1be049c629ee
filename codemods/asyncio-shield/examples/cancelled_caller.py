"""A caller cancelled while it waits on asyncio.shield (spec §3, 03 A1 vs B1).

asyncio: the caller is interrupted at once and the shielded work finishes later, detached.
anyio: the caller waits for the shielded work, gets its value, and is cancelled at its next
checkpoint (see cancelled_caller.expected).
"""
import asyncio

log = []


async def critical():
    await asyncio.sleep(0.2)
    log.append("critical finished")
    return "value"


async def caller():
    value = await asyncio.shield(critical())
    log.append(f"caller got {value}")
    await asyncio.sleep(0)  # the next checkpoint
    log.append("caller went on after the shield")


async def main():
    try:
        async with asyncio.timeout(0.05):
            await caller()
    except TimeoutError:
        log.append("main: TimeoutError")
    await asyncio.sleep(0.3)  # long enough for detached work to finish
    for line in log:
        print(line)


if __name__ == "__main__":
    asyncio.run(main())
