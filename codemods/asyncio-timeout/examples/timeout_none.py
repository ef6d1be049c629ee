"""asyncio.timeout(None): no deadline. `cm.when()` was None; `cm.deadline` is inf (spec §5,
05 B9). See timeout_none.expected."""
import asyncio


async def main():
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print("no deadline:", cm.when())
    print("expired:", cm.expired())


if __name__ == "__main__":
    asyncio.run(main())
