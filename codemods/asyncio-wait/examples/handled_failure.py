"""A handler written for the bare failure an as_completed loop raised at its item, around the
loop or in a caller: `anyio.as_completed` raises an ExceptionGroup from the block instead, so
the loop is left to asyncio (MANUAL handled-failure). A loop nobody handles is rewritten. On
trio the loops left to asyncio cannot run (no asyncio loop): the `.expected` file shows it."""
import asyncio


async def job(x):
    await asyncio.sleep(0.01 * x)
    if x == 2:
        raise ValueError("two")
    return x


async def collect(xs):
    out = []
    for fut in asyncio.as_completed([job(xs[0]), job(xs[1])]):  # MANUAL: handled-failure
        out.append(await fut)
    return sorted(out)


async def total():
    out = 0
    for fut in asyncio.as_completed([job(1), job(3)]):  # rewrite
        out += await fut
    return out


async def main():
    try:
        for fut in asyncio.as_completed([job(1), job(2)]):  # MANUAL: handled-failure
            print("got", await fut)
    except ValueError as exc:
        print("around the loop, caught:", repr(exc))
    try:
        print(await collect([2, 3]))
    except ValueError as exc:
        print("in the caller, caught:", repr(exc))
    print("total:", await total())
