"""Tab indentation is kept."""
import asyncio


async def work():
	await asyncio.sleep(0)
	return "ok"


async def main():
	for _ in range(2):
		result = await asyncio.shield(work())
		print(result)


if __name__ == "__main__":
	asyncio.run(main())
