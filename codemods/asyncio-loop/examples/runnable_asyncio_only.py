# asyncio's streams, subprocess and server APIs need asyncio's own event loop: each call is
# reported (MANUAL) and left as it is. Run on anyio's trio backend, each one fails.
import asyncio
import sys


async def attempt(name, fn):
    try:
        print(name, await fn())
    except RuntimeError as e:
        print(name, "RuntimeError:", e)


async def echo_once():
    async def handle(reader, writer):
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"ping\n")
    line = await reader.readline()
    writer.close()
    server.close()
    await server.wait_closed()
    return line


async def child():
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "print(6 * 7)", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await proc.communicate()
    return out.strip()


async def main():
    await attempt("echo", echo_once)
    await attempt("child", child)
