"""time.sleep inside async def: the common spellings; prints what it does."""
import time
import time as t
from time import sleep
from time import sleep as nap


async def step(log, delay):
    if delay >= 0:
        time.sleep(delay)  # a trailing comment stays
    log.append(delay)


async def main():
    log = []
    await step(log, 0.001)
    for _ in range(2):
        t.sleep(0)
    sleep(0.001)
    try:
        nap(
            0.001,  # a comment inside the call survives
        )
    finally:
        log.append("nap")
    # A negative delay raised ValueError before and still does (anyio.sleep checks it too).
    try:
        time.sleep(-1)
    except ValueError:
        log.append("negative: ValueError")
    print(log)
