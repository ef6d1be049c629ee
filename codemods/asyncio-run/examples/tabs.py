import asyncio


async def serve(port, *, host="localhost"):
	return (host, port)


def start():
	loop = asyncio.new_event_loop()
	try:
		first = loop.run_until_complete(serve(
			1,
			host="example.org",
		))
		if first:
			print(first)
	finally:
		loop.close()
	return asyncio.run(serve(2))
