import pytest

import shop


async def test_total():
    assert await shop.total(["ab", "c"]) == 30


async def test_a_bad_item_raises_value_error():
    with pytest.raises(ValueError, match="has no price"):
        await shop.total(["ab", "b4d"])


async def test_warm():
    await shop.warm(["a", "b"])


async def test_summary():
    assert await shop.Cart(["a"]).summary() == "ok"
    assert await shop.Cart(["a", "b4d"]).summary() == "invalid: 'b4d' has no price"
