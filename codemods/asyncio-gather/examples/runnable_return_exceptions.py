"""return_exceptions=True: the failure comes back in the list, in its place, and the sibling
is not cancelled, exactly as with asyncio.gather (spec §1, 01 A3 vs B7)."""
import asyncio

log = []


async def value(v, delay):
    await asyncio.sleep(delay)
    log.append(f"{v} done")
    return v


async def boom():
    await asyncio.sleep(0.01)
    raise ValueError("boom")


async def main():
    results = await asyncio.gather(
        value("a", 0.03),
        boom(),
        value("c", 0.05),  # still runs to the end
        return_exceptions=True,
    )
    print("results:", results)
    print("log:", log)
    plain = await asyncio.gather(value("x", 0), value("y", 0), return_exceptions=False)
    print("plain:", plain)
