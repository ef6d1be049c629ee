"""Tab indentation is kept."""
import asyncio


async def work():
	await asyncio.sleep(0)
	return "ok"


async def main():
	for _ in range(2):
		result = await asyncio.wait_for(work(), 1)
		print(result)
		try:
			await asyncio.wait_for(work(), 1)
		except TimeoutError:
			pass
	async with asyncio.timeout(1), asyncio.Lock():
		print(await work())
		print(len([await asyncio.wait_for(work(), 1)]))


if __name__ == "__main__":
	asyncio.run(main())
