try:
    import pytest_asyncio
except ImportError:
    pytest_asyncio = None

import pytest


@pytest.mark.asyncio
async def test_x():
    pass
