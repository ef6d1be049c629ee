"""Tab-indented code."""
from asyncio import *


async def tick(n):
	for _ in range(n):
		await sleep(0)
	return Semaphore(n)
