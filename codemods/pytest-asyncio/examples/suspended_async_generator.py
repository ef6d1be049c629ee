import contextlib

import pytest


async def numbers():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")


@pytest.mark.asyncio
async def test_left_suspended():
    # Reported: the generator stays suspended at `yield 1` when the test ends.
    gen = numbers()
    assert await gen.asend(None) == 1


@pytest.mark.asyncio
async def test_anext_left_suspended():
    # Reported at the first advance, `anext(it)`.
    it = numbers()
    assert await anext(it) == 1
    assert await it.__anext__() == 2


@pytest.mark.asyncio
async def test_closed():
    # Not reported: closed before the test ends.
    gen = numbers()
    assert await gen.asend(None) == 1
    await gen.aclose()


@pytest.mark.asyncio
async def test_aclosing():
    # Not reported: contextlib.aclosing closes it.
    gen = numbers()
    async with contextlib.aclosing(gen):
        assert await gen.__anext__() == 1


@pytest.mark.asyncio
async def test_run_to_its_end():
    # Not reported: the last advance expects StopAsyncIteration.
    gen = numbers()
    assert await gen.asend(None) == 1
    assert await gen.asend(None) == 2
    with pytest.raises(StopAsyncIteration):
        await gen.asend(None)


@pytest.mark.asyncio
async def test_iterated():
    # Not reported: `async for` runs it to its end.
    gen = numbers()
    assert await gen.__anext__() == 1
    async for n in gen:
        assert n == 2


@pytest.mark.asyncio
async def test_nested_function_is_other_code():
    # Not reported: the advance is in a nested function, checked where it is a test.
    async def helper(g):
        return await g.asend(None)

    assert helper
