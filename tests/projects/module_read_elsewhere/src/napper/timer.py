"""A module whose `time` a test replaces whole, through the module."""

import time


async def pause():
    time.sleep(0.001)
    return "paused"
