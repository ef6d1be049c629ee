"""The async_timeout package: the same rewrites as asyncio.timeout, plus its own methods.
The import goes once nothing uses it. (Not runnable here: async_timeout is not installed.)"""
import async_timeout
from async_timeout import timeout_at as deadline_at


async def fetch(session, url):
    async with async_timeout.timeout(10) as cm:
        cm.shift(5)  # five more seconds
        data = await session.get(url)
    if cm.expired:
        return None
    return data


async def until(session, when):
    async with deadline_at(when) as cm:
        cm.update(when + 1)
        print("deadline:", cm.deadline)
        await session.get("/")
    return cm.expired()


async def no_deadline(session):
    async with async_timeout.timeout(None) as cm:
        cm.reject()
        await session.get("/")


async def moved(session, new_deadline):
    async with async_timeout.timeout(1) as cm:
        cm.update(new_deadline)  # may be None: the note says what changes
        await session.get("/")
