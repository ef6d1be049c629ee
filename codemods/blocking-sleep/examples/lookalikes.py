"""No line may change: none of these time.sleep calls runs directly in an async def body."""
import time

import trio

time.sleep(0)  # module level: synchronous code


def blocking_helper():
    time.sleep(0.01)  # a plain def: meant to block (e.g. run in a worker thread)


class Clock:
    def sleep(self, delay):
        return delay

    async def run(self):
        self.sleep(1)  # a method that happens to be called sleep


async def nested():
    def in_thread():
        time.sleep(0.01)  # a nested sync def, run elsewhere

    callback = lambda: time.sleep(0.01)  # noqa: E731  a lambda is sync code too

    class Config:
        time.sleep(0)  # a class body

    await trio.to_thread.run_sync(time.sleep, 0.01)  # passed as a value, run in a thread
    await trio.to_thread.run_sync(in_thread)
    return callback, Config


async def shadowed(sleep):
    sleep(1)  # a parameter, not time.sleep


async def local_module():
    time = trio
    time.sleep(1)  # a local named `time`
