import pytest


@pytest.fixture
def loop(event_loop):
    """The test's loop, under a shorter name."""
    return event_loop
