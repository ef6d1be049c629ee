import asyncio


class Gate:
	def __init__(self, n):
		self._sem = asyncio.BoundedSemaphore(n * 2)

	def full(self):
		return self._sem.locked()


async def main():
	gate = Gate(1)
	async with gate._sem:
		print("tab-indented", gate.full())
	print("tab-indented", gate.full())
