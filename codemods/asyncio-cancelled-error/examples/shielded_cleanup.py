"""Awaits in a handler (and in the `finally:` of its try) get a shield.

Reference run: the cancellation comes from an anyio cancel scope, which is level-triggered even
under asyncio.run, so the unshielded cleanup awaits are cancelled at once there. With plain
asyncio (task.cancel()) they would finish, which is what the migrated code does on both
backends (spec section 10, verify/10_cancelled.py A1 vs B4): see shielded_cleanup.expected.
"""
import asyncio

import anyio

log = []


async def close(name):
    await asyncio.sleep(0.01)
    log.append(f"{name} closed")


async def worker():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append("cancelled")  # synchronous work stays outside the shield
        # close the connection before giving up
        await close("connection")

        note = """a string
whose lines must not move"""
        log.append(note.splitlines()[1])
        async with anyio.Lock():  # async with counts as an await
            await close("stream")  # a trailing comment
        raise
    finally:
        log.append("finally")
        await close("file")


async def nested():
    async def helper():
        await close("helper")

    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError as exc:
        try:
            await helper()
        except OSError:
            pass
        raise exc


async def main():
    for job in (worker, nested):
        log.clear()
        with anyio.move_on_after(0.01):
            await job()
        print(f"{job.__name__}: {log}")


if __name__ == "__main__":
    asyncio.run(main())
