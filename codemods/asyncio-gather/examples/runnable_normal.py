"""The normal path: results in argument order, a list, the task-group form for discarded
results, and keyword arguments (`name=` included) reaching the child."""
import asyncio

log = []


async def work(tag, delay):
    await asyncio.sleep(delay)
    log.append(tag)
    return tag.upper()


async def greet(greeting, name="nobody"):
    await asyncio.sleep(0)
    log.append(f"{greeting} {name}")


class Counter:
    def __init__(self):
        self.total = 0

    async def add(self, n):
        await asyncio.sleep(0.01 * n)
        self.total += n


async def main():
    # Results come back in argument order, whatever order the children finish in.
    results = await asyncio.gather(work("a", 0.06), work("b", 0.0), work("c", 0.03))
    print("results:", results, type(results).__name__)
    first, second = await asyncio.gather(work("x", 0.03), work("y", 0.0))
    print("unpacked:", first, second)
    print("empty:", await asyncio.gather())
    coros = [work(f"w{i}", 0.02 * (3 - i)) for i in range(3)]
    print("built earlier:", await asyncio.gather(*coros))
    print("finish order so far:", log)

    log.clear()
    counter = Counter()
    # Discarded results: a task group, keyword arguments through functools.partial.
    await asyncio.gather(
        greet("hello", name="ada"),  # `name` must reach greet, not start_soon
        counter.add(2),
        work("late", 0.05),
    )
    await asyncio.gather(*[counter.add(n) for n in range(1, 4) if n != 2])
    print("after the task groups:", sorted(log), counter.total)
