"""loop.run_until_complete on a loop made for it: anyio.run creates, runs and closes its own
loop, so the set-up and tear-down lines go with the rewrite (UNSAFE: the loop object is gone)."""
import asyncio


async def serve(port=8000, *, workers=1):
    return (port, workers)


def sequential():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    result = loop.run_until_complete(serve(8080))
    loop.close()
    return result


def try_finally():
    loop = asyncio.new_event_loop()  # a fresh loop for this run
    try:
        loop.run_until_complete(serve(workers=2))
    finally:
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def with_handler():
    loop = asyncio.new_event_loop()
    try:
        print("serving")
        loop.run_until_complete(serve())
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        loop.close()


def finally_does_more():
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(serve())
    finally:
        loop.close()
        print("closed")


def thread_default_loop():
    loop = asyncio.get_event_loop()
    return loop.run_until_complete(serve(
        9000,  # the port
    ))


def steps_in_order():
    # Consecutive runs on one loop: one anyio.run of a coroutine that awaits them in order.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(serve(1))  # warm up
        loop.run_until_complete(serve(2))
        # the last run's value is kept
        return loop.run_until_complete(
            serve(3, workers=2),
        )
    finally:
        loop.close()


def direct():
    asyncio.get_event_loop().run_until_complete(serve())
    return asyncio.new_event_loop().run_until_complete(serve(1))


if __name__ == "__main__":
    main_loop = asyncio.new_event_loop()
    main_loop.run_until_complete(serve())
    main_loop.close()
