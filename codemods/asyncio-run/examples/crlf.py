import asyncio


async def serve(port):
    return port


def start():
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(serve(1))
        print("done")
    finally:
        loop.close()
    return asyncio.run(serve(port=2), debug=True)
