import pytest

__all__ = ["answer"] + ["helper_" + n for n in ("a", "b")]


@pytest.fixture
def answer():
    return 42


helper_a = helper_b = None
