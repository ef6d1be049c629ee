import pytest

import shop


async def test_total():
    assert await shop.total(["ab", "c"]) == 3


async def test_a_bad_item_raises_value_error():
    with pytest.raises(ValueError, match="no price for bad"):
        await shop.total(["ab", "bad"])


async def test_warm():
    await shop.warm(["a", "b"])


async def test_summary():
    assert await shop.Cart(["a"]).summary() == "ok"
    assert await shop.Cart(["a", "bad"]).summary() == "invalid: no price for bad"
