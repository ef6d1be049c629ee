"""`asyncio.sleep(delay, result)` whose value is not a statement's own: a coroutine handed to
create_task or returned, an await inside a larger expression. The callee becomes
`_asyncio_sleep`, a module helper with asyncio's signature, and the arguments stay where they
were: the coroutine still sleeps, then returns the result (evaluated when the call is made)."""
import asyncio

order = []


def note(value):
    order.append(value)
    return value


def delayed(value):
    # A coroutine returned to the caller, awaited there.
    return asyncio.sleep(0.01, value)


async def main():
    t = asyncio.create_task(asyncio.sleep(0.01, "from a task"))
    print(await t)
    print("returned:", await delayed(42))
    print("in an expression:", [await asyncio.sleep(0, note("a")), note("b")])
    print("keyword:", await asyncio.sleep(delay=0, result="kw") + "!")
    print("order:", order)
