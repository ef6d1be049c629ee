import json


def test_sync(answer):
    assert json.loads("42") == answer


async def test_async(answer):
    assert json.loads("42") == answer
