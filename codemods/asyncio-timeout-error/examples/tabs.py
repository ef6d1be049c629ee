"""A tab-indented file."""
import asyncio

import anyio


async def main():
	try:
		with anyio.fail_after(0.01):
			await anyio.sleep(1)
	except asyncio.TimeoutError as e:
		print("caught", type(e).__name__)
