import asyncio


async def test_without_pytest_imported(greeting):
    await asyncio.sleep(0)
    assert greeting == "hello"
