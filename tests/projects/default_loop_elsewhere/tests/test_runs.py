import asyncio

from bridge import ready


async def work(x):
    await asyncio.sleep(0)
    return x * 2


def test_run_on_the_default_loop():
    # MANUAL shared-loop: bridge.ready() keeps using the thread's default loop.
    assert asyncio.get_event_loop().run_until_complete(work(2)) == 4


def test_the_library_after_it():
    assert ready()


def test_another_run():
    loop = asyncio.get_event_loop()
    assert loop.run_until_complete(work(3)) == 6
    assert ready()
