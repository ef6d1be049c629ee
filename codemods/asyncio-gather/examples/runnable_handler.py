"""A handler in the gather's own function: `_gather` gives it the bare exception again, and
the list result; what still differs is that the sibling is cancelled (spec §1, 01 B8)."""
import asyncio

import pytest

log = []


async def value(v, delay):
    await asyncio.sleep(delay)
    return v


async def boom(exc, delay=0.01):
    await asyncio.sleep(delay)
    raise exc


async def sibling(tag):
    finished = False
    try:
        await asyncio.sleep(0.05)
        finished = True
    finally:
        log.append(f"{tag} finished" if finished else f"{tag} cancelled")


async def guarded():
    try:
        await asyncio.gather(boom(ValueError("boom")), sibling("first sibling"))
    except ValueError as exc:
        print("except ValueError caught:", repr(exc))


async def guarded_result():
    try:
        results = await asyncio.gather(value("a", 0.02), value("b", 0.0))
    except KeyError:
        return None
    return results


async def first_failure_wins():
    try:
        await asyncio.gather(boom(KeyError("k1"), 0.01), boom(TypeError("t2"), 0.03))
    except (KeyError, TypeError) as exc:
        print("bare first failure:", repr(exc))


async def inner_group():
    # A child that runs a task group of its own fails with that group's ExceptionGroup.
    async with asyncio.TaskGroup() as tg:
        tg.create_task(boom(ValueError("inner")))
    return "never"


async def child_raises_a_group():
    # asyncio.gather raised the child's group as it was, and so does _gather; it used to wrap
    # it in one more group (scripts/difftest/findings/gather_child_group_wrapped.py).
    try:
        await asyncio.gather(inner_group(), value("v", 0.02))
    except Exception as exc:
        print("a child's group, as it was:", type(exc).__name__,
              [repr(e) for e in exc.exceptions])


async def raises_block():
    # asyncio-dgram's tests: the handler is a `pytest.raises` block.
    with pytest.raises(OSError, match="in use"):
        await asyncio.gather(*[boom(OSError("address already in use")) for _ in range(3)])
    print("pytest.raises caught the bare OSError")


async def main():
    await guarded()
    await raises_block()
    print("ok path:", await guarded_result())
    await first_failure_wins()
    await child_raises_a_group()
    await asyncio.sleep(0.1)
    print("log:", log)
