"""Tab-indented code keeps its tabs."""
import asyncio


async def main():
	loop = asyncio.get_running_loop()
	for i in range(2):
		start = loop.time()
		await asyncio.sleep(0)
		print("tab-indented", i, loop.time() >= start)
