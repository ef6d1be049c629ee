"""A blocking `requests` call in a coroutine, and the same call in a worker thread.

A1: under asyncio, `requests.get()` in a coroutine returns the response, and a ticker task does
not run while the server takes 0.3 s to answer (the event loop is blocked).
B1 (anyio, both backends): `await anyio.to_thread.run_sync(functools.partial(requests.get, url,
timeout=5))` returns the same status and body, and the ticker runs meanwhile.
B2: an HTTP error status and a connection error surface the same way (the same exception type
from `raise_for_status()` / the call).
Run with anyio, trio and requests installed."""
import asyncio
import functools
import http.server
import threading
import time

import anyio
import requests


class Slow(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(0.3)
        code = 404 if self.path == "/missing" else 200
        self.send_response(code)
        self.end_headers()
        self.wfile.write(b"body:" + self.path.encode())

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
threading.Thread(target=server.serve_forever, daemon=True).start()
URL = f"http://127.0.0.1:{server.server_port}"


def outcome(fetch):
    try:
        r = fetch(URL + "/missing")
        r.raise_for_status()
    except Exception as e:
        missing = type(e).__name__
    try:
        fetch("http://127.0.0.1:9/")
    except Exception as e:
        refused = type(e).__name__
    return missing, refused


async def a1():
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    r = requests.get(URL + "/x", timeout=5)
    t.cancel()
    print("A1", r.status_code, r.content, "ticks during the request:", ticks)
    print("A2", *outcome(lambda u: requests.get(u, timeout=5)))


async def b1():
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await anyio.sleep(0.01)
            ticks += 1

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        await anyio.sleep(0)
        r = await anyio.to_thread.run_sync(functools.partial(requests.get, URL + "/x", timeout=5))
        tg.cancel_scope.cancel()
    print("B1", r.status_code, r.content,
          "ticks during the request > 10:", ticks > 10)
    missing, refused = [], []

    def fetch(u):
        return requests.get(u, timeout=5)

    async def one(u):
        return await anyio.to_thread.run_sync(functools.partial(requests.get, u, timeout=5))

    try:
        (await one(URL + "/missing")).raise_for_status()
    except Exception as e:
        missing = type(e).__name__
    try:
        await one("http://127.0.0.1:9/")
    except Exception as e:
        refused = type(e).__name__
    print("B2", missing, refused, "same as sync:", (missing, refused) == outcome(fetch))


asyncio.run(a1())
for backend in ("asyncio", "trio"):
    print("--", backend)
    anyio.run(b1, backend=backend)
