"""A plain method that returns an asyncio Future set by a loop callback: asyncio.gather awaited
it as it is. The migration awaits it through `_await` (anyio.gather takes coroutines only), so
it keeps working on anyio's asyncio backend; trio has no asyncio loop to make the Future."""
import asyncio


class Box:
    def __init__(self, value):
        self.value = value

    def get(self):
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        loop.call_later(0.01, fut.set_result, self.value)
        return fut


async def main():
    print(await asyncio.gather(Box("a").get(), Box("b").get()))
    first, second = await asyncio.gather(Box(1).get(), Box(2).get())
    print(first + second)
