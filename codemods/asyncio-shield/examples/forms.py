"""The three statement forms of asyncio.shield, in several spellings; prints what it does."""
import asyncio
from asyncio import shield as protect


async def save(item):
    await asyncio.sleep(0.01)
    return f"saved {item}"


async def discard():
    # The result is thrown away: the statement itself goes in the shielded block.
    await asyncio.shield(save("a"))


async def assign():
    result = await protect(save("b"))  # a from-import with an alias
    return result


async def give_back():
    return await asyncio.shield(save("c"))


async def keyword_and_comments():
    value = await asyncio.shield(
        # a comment inside the call is kept (moved above the block)
        arg=save("d"),
    )
    return value


async def main():
    await discard()
    print(await assign())
    print(await give_back())
    print(await keyword_and_comments())


if __name__ == "__main__":
    asyncio.run(main())
