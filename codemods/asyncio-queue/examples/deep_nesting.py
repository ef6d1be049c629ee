"""A queue created deep inside other blocks; comments and blank lines move with the code."""
import asyncio


class Resource:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        print("resource closed")


async def relay(source, sink):
    while (item := await source.get()) is not None:
        sink.append(item * 10)


async def main():
    async with Resource():
        for round_ in range(2):
            if round_ % 2 == 0:
                q = asyncio.Queue(maxsize=1)  # the queue of this round
                # Start the relay first.
                sink = []

                async with asyncio.TaskGroup() as tg:
                    tg.create_task(relay(q, sink))  # consumer

                    for i in range(3):
                        await q.put(i)
                    """A string
spanning lines stays as it is."""
                    await q.put(None)

                # After the group: every item went through.
                print("round", round_, sink)
            else:
                print("round", round_, "skipped")


if __name__ == "__main__":
    asyncio.run(main())
