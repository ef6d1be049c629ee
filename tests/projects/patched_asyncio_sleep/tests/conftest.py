import asyncio

import pytest


class FakeSleep:
    def __init__(self):
        self.asked = []

    async def __call__(self, delay, result=None):
        self.asked.append(delay)
        return result


@pytest.fixture
def fake_sleep(monkeypatch):
    fake = FakeSleep()
    with monkeypatch.context() as m:
        m.setattr(asyncio, "sleep", fake)
        yield fake
