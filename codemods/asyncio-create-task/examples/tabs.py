"""A tab-indented file."""
import asyncio


async def job(n):
	await asyncio.sleep(0)
	return n


async def main():
	for n in range(2):
		t = asyncio.create_task(job(n))
		if n:
			print("odd")
		print(await t, t.get_coro().__qualname__)
