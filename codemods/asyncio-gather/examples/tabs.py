"""A tab-indented file: the new block is indented with tabs."""
import asyncio


async def fetch(url, timeout=1):
	await asyncio.sleep(0)
	return url


async def run(urls):
	if urls:
		await asyncio.gather(
			fetch(urls[0]),
			# second
			fetch(urls[1], timeout=2),
		)
	await asyncio.gather(*(fetch(u) for u in urls if u))
	try:
		return await asyncio.gather(fetch(urls[0]), return_exceptions=True)
	finally:
		try:
			await asyncio.gather(fetch("x"))
		except ValueError:
			pass
