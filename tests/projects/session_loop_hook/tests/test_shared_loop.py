import asyncio

SEEN = []


async def test_first(session_loop):
    assert asyncio.get_running_loop() is session_loop
    SEEN.append(asyncio.get_running_loop())


async def test_second(session_loop):
    assert asyncio.get_running_loop() is session_loop
    assert SEEN == [session_loop]


def test_sync():
    assert True
