"""wait_for inside a larger expression: hoisted into a `with fail_after` before the statement.

The timed wait now runs before the statement's other sub-expressions: see hoisted.expected
(UNSAFE, evaluation order).
"""
import asyncio

log = []


def note(text):
    log.append(text)
    return text


async def fetch(text):
    await asyncio.sleep(0)
    log.append(text)
    return text


async def items():
    await asyncio.sleep(0)
    return [1, 2]


async def main():
    print(note("left"), await asyncio.wait_for(fetch("right"), 1))
    if await asyncio.wait_for(fetch("condition"), 1):
        note("then")
    for item in await asyncio.wait_for(items(), timeout=1):
        note(f"item {item}")
    pair = (await asyncio.wait_for(fetch("a"), 1), await asyncio.wait_for(fetch("b"), 1))
    print(pair)
    print(log)


if __name__ == "__main__":
    asyncio.run(main())
