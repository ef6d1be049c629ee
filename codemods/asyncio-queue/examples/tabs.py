"""A tab-indented file; a sync function gets a plain `with` block."""
import asyncio


def batch(items):
	q = asyncio.Queue()
	for item in items:
		if item:
			q.put_nowait(item)
	out = []
	while not q.empty():
		out.append(q.get_nowait())
	return out


async def main():
	print(batch([1, 0, 2, None, 3]))
	q = asyncio.Queue()
	await q.put("tabs")
	print(await q.get())


if __name__ == "__main__":
	asyncio.run(main())
