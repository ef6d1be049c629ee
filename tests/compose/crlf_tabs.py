import asyncio


async def work(n):
	await asyncio.sleep(0)
	return n


async def main():
	if True:
		r = await asyncio.wait_for(asyncio.gather(work(1), work(2)), 1)
		print("crlf+tabs:", r)
		await asyncio.gather(work(3), work(4))
	print("done")
