"""`from pytest import mark` and `import pytest as pt`."""
import pytest as pt
from pytest import mark

pytestmark = (mark.asyncio, pt.mark.timeout(5))


@mark.asyncio
async def test_from_import():
    pass


@pt.mark.asyncio
async def test_alias():
    pass


@pt.mark.asyncio(loop_scope="session")
async def test_alias_with_scope():
    pass
