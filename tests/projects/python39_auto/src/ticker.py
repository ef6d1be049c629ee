import asyncio


async def tick(n):
    out = []
    for i in range(n):
        await asyncio.sleep(0)
        out.append(i)
    return out


async def echo_once(port):
    async def handle(reader, writer):
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"ping\n")
        await writer.drain()
        line = await reader.readline()
        writer.close()
        await writer.wait_closed()
    return line
