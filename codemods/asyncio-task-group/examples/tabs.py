"""A tab-indented file: handles mapped, indentation kept."""
import asyncio


async def job(n):
	await asyncio.sleep(0)
	return n


async def main():
	for n in range(2):
		async with asyncio.TaskGroup() as tg:
			t = tg.create_task(job(n))
			if not t.done():
				print("running")
		print(t.result(), t.cancelled())
