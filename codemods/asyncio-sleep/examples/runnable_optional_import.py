"""asyncio imported the way optional dependencies are (`except ImportError: asyncio = None`):
where `asyncio.sleep` is evaluated the name is the module (None has no attributes), so the
fallback does not keep the uses from being migrated; the name itself stays (it is still read)."""
try:
    import asyncio
except (ImportError, SyntaxError):
    asyncio = None


async def main():
    await asyncio.sleep(0.01)
    print("slept; asyncio importable:", asyncio is not None)


if __name__ == "__main__":
    asyncio.run(main())
