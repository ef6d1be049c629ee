"""A tab-indented file: the shield is indented with tabs."""
import asyncio

import anyio

log = []


async def record(what):
	log.append(what)  # no checkpoint: runs the same everywhere


async def main():
	with anyio.move_on_after(0.01):
		try:
			await asyncio.sleep(1)
		except asyncio.CancelledError:
			await record("cleanup")
			raise
		finally:
			await record("finally")
	print(log)
