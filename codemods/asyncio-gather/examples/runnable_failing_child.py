"""A failing child with no handler in the gather's function (the caller handles it): asyncio
gives the caller the bare exception and leaves the sibling running; the task group raises an
ExceptionGroup and cancels the sibling (spec §1, 01 A2 vs B5)."""
import asyncio

log = []


async def boom():
    await asyncio.sleep(0.01)
    raise ValueError("boom")


async def sibling():
    finished = False
    try:
        await asyncio.sleep(0.05)
        finished = True
    finally:
        log.append("sibling finished" if finished else "sibling cancelled")


async def run_both():
    await asyncio.gather(boom(), sibling())


def describe(exc):
    leaves = [repr(e) for e in getattr(exc, "exceptions", [])]
    return f"{type(exc).__name__} {leaves or repr(exc)}"


async def main():
    try:
        await run_both()
    except Exception as exc:  # the caller's handler: another function than the gather's
        print("caller caught:", describe(exc))
    await asyncio.sleep(0.1)
    print("log:", log)
    # Nothing catches it: main itself ends with the error.
    await run_both()
