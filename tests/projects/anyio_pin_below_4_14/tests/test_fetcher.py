import pytest

from fetcher import checksum, fetch_first, fetch_limited, fetch_pair


@pytest.mark.asyncio
async def test_pair():
    assert list(await fetch_pair("a", "b")) == ["A", "B"]


@pytest.mark.asyncio
async def test_limited():
    assert await fetch_limited(["x", "y", "z"]) == ["X", "Y", "Z"]


@pytest.mark.asyncio
async def test_first():
    assert await fetch_first(["p", "q"]) == ["P", "Q"]


@pytest.mark.asyncio
async def test_checksum():
    assert await checksum([1, 2, 3]) == 6


def test_runs_on_an_anyio_the_pin_allows():
    import anyio

    # The pin is anyio>=4.5,<4.14: no TaskHandle (4.14), fast_acquire there (4.5).
    assert not hasattr(anyio, "TaskHandle")
    anyio.Lock(fast_acquire=True)
