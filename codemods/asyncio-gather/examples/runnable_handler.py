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
    await asyncio.sleep(0.1)
    print("log:", log)
