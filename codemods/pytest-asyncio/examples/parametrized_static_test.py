"""A parametrized async test that is a classmethod or staticmethod: anyio's pytest plugin
(4.16) loses its parameters (setup fails with AttributeError: 'SubRequest' object has no
attribute 'param'; checked by running it), where pytest-asyncio ran it. Each is reported, and
the suite stays on pytest-asyncio; a plain method and an unparametrized classmethod are fine."""
import pytest


@pytest.mark.asyncio
class TestStore:
    @classmethod
    @pytest.mark.parametrize("algo", ["fixed_window", "gcra"])
    async def test_limit(cls, algo):
        assert algo

    @staticmethod
    @pytest.mark.parametrize("n", [1, 2])
    async def test_static(n):
        assert n

    @classmethod
    async def test_plain_classmethod(cls):
        assert cls

    @pytest.mark.parametrize("n", [1, 2])
    async def test_method(self, n):
        assert n
