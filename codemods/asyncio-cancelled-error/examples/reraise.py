"""Re-raising handlers in their spellings: they still run after migration, on trio too.

The cancellation comes from an anyio cancel scope (code half-way through a migration), because
asyncio's own ways to cancel (tasks, wait_for, timeouts) are not migrated by this codemod.
Handlers here do only synchronous work, so the output is the same everywhere.
"""
import asyncio
import asyncio as aio
from asyncio import CancelledError as Cancelled

import anyio

log = []


async def plain():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        log.append("plain handler ran")
        raise


async def submodule_with_name():
    try:
        await asyncio.sleep(1)
    except asyncio.exceptions.CancelledError as exc:  # re-raised by name
        log.append("submodule handler ran")
        raise exc


async def tuple_and_alias():
    try:
        await asyncio.sleep(1)
    except (KeyError, aio.CancelledError):
        log.append("tuple handler ran")
        raise


async def from_import():
    try:
        await asyncio.sleep(1)
    except Cancelled:
        if not log:
            log.append("from-import handler ran")
            raise
        else:
            raise
    finally:
        log.append("finally ran")


async def group():
    try:
        await asyncio.sleep(1)
    except* asyncio.CancelledError:
        log.append("except* handler ran")
        raise


async def check_with_isinstance():
    try:
        await asyncio.sleep(1)
    except BaseException as exc:  # re-raises: not reported
        log.append(f"isinstance: {isinstance(exc, asyncio.CancelledError)}")
        raise


async def main():
    for worker in (plain, submodule_with_name, tuple_and_alias, from_import, group, check_with_isinstance):
        log.clear()
        with anyio.move_on_after(0.01) as scope:
            await worker()
        print(f"{worker.__name__}: {log}, cancelled_caught={scope.cancelled_caught}")


if __name__ == "__main__":
    asyncio.run(main())
