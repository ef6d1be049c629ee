import asyncio


async def main():
	for i in range(2):
		n = await asyncio.sleep(0, i)
		print("tab-indented", n)
