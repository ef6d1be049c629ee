"""Tab-indented file: the new block uses tabs."""
import asyncio


async def fetch(name, delay):
	await asyncio.sleep(delay)
	return name


async def main():
	if True:
		for fut in asyncio.as_completed([fetch("b", 0.2), fetch("a", 0.1)]):
			# per item
			print("got", await fut)
