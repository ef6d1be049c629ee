"""The documented edges of wait_for → fail_after (spec §5, 05 A3/B3 and A4/B4).

On Python <= 3.11 wait_for runs the coroutine in a separate task, so a ContextVar it sets is
not seen by the caller; fail_after runs it inline. A timeout of 0 around a coroutine that
never reaches a checkpoint raised TimeoutError; fail_after(0) lets it finish.
See edges.expected.
"""
import asyncio
import contextvars

var = contextvars.ContextVar("var", default="unset")


async def sets_var():
    var.set("set inside")
    await asyncio.sleep(0)


async def no_checkpoint():
    return "finished"


async def main():
    await asyncio.wait_for(sets_var(), 1)
    print("contextvar after the call:", var.get())
    try:
        result = await asyncio.wait_for(no_checkpoint(), 0)
        print("timeout 0:", result)
    except TimeoutError:
        print("timeout 0: TimeoutError")


if __name__ == "__main__":
    asyncio.run(main())
