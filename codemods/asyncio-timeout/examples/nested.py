"""Deep nesting, comments and blank lines inside the rewritten code; prints what it does."""
import asyncio as aio

lock = aio.Lock()


async def fetch(n):
    await aio.sleep(0)
    return n


async def collect(batches):
    results = []
    async with lock:
        for batch in batches:
            if batch:
                # Each batch gets its own time budget.

                value = await aio.wait_for(
                    fetch(sum(batch)),  # the slow call
                    1,
                )

                results.append(value)
            else:
                async with aio.timeout(1) as cm:
                    # an empty batch still checks in

                    results.append(await fetch(0))
                results.append(cm.expired())
    return results


async def main():
    print(await collect([[1, 2], [], [3]]))

    def not_async():
        return "plain"

    print(not_async())


if __name__ == "__main__":
    aio.run(main())
