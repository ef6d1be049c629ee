"""asyncio.shield deep inside other blocks, with comments and blank lines around it."""
import asyncio

lock = asyncio.Lock()


async def commit(batch):
    await asyncio.sleep(0)
    return len(batch)


async def flush(batches):
    done = []
    async with lock:
        for batch in batches:
            if batch:
                # Committing must not be interrupted half-way.

                count = await asyncio.shield(commit(batch))  # trailing comment

                done.append(count)
            else:
                done.append(0)
    return done


async def main():
    print(await flush([[1, 2], [], [3]]))

    def not_async():
        # A nested plain function: nothing to do here.
        return "plain"

    print(not_async())


if __name__ == "__main__":
    asyncio.run(main())
