"""asyncio.to_thread / loop.run_in_executor(None, ...) -> anyio.to_thread.run_sync, in code that
runs in an asyncio task anyio did not start, on a loop that is stopped rather than shut down
(aioconsole: `apython` runs its console with `loop.run_forever()` and `loop.stop()`; its stream
writer runs `run_in_executor(None, stream.write, data)` in an `asyncio.ensure_future(...)` task).

anyio's worker threads are not daemon threads. A worker is stopped by a done-callback on its
"root task": anyio.run's main task, the task run by `run_until_complete()`, or else the calling
task itself. If the loop stops before that callback runs, the idle worker waits forever and the
interpreter hangs at exit (threading._shutdown joins it). asyncio's default executor threads are
told to exit at interpreter shutdown, so the original program exits.

Each scenario runs in a child process with a 5 s limit; the output is its exit status.
A = the original (run_in_executor / to_thread), B = the rewrite (anyio.to_thread.run_sync).
Run: python docs/evidence/to_thread_detached_task.py  (output: to_thread_detached_task.out)
"""
import subprocess
import sys
import textwrap
import time

COMMON = """
import asyncio, sys, anyio, anyio.to_thread

def blocking(x):
    return x

async def thread_call(kind, x):
    if kind == "run_in_executor":
        return await asyncio.get_running_loop().run_in_executor(None, blocking, x)
    if kind == "to_thread":
        return await asyncio.to_thread(blocking, x)
    return await anyio.to_thread.run_sync(blocking, x, abandon_on_cancel=True)
"""

SCENARIOS = {
    # aioconsole: the loop runs forever; a writer task is started from sync code with
    # ensure_future for every write; the console stops the loop on EOF. The last writer has
    # made its thread call but has not finished when the loop stops (here it is still
    # flushing; in aioconsole its done-callbacks had not run yet, which is timing-dependent).
    "ensure_future'd writer still pending at loop.stop() (loop.run_forever())": """
        async def writer(data):
            await thread_call(KIND, data)
            await asyncio.sleep(0.1)                  # still busy when the loop stops

        async def console(loop):
            asyncio.ensure_future(writer(">>> "))     # NonFileStreamWriter.write
            await asyncio.sleep(0.05)
            loop.stop()                               # interact(stop=True) on EOF

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        asyncio.ensure_future(console(loop))
        loop.run_forever()
        print("loop stopped")
        sys.exit(0)
    """,
    # The same, but the writer has finished before the loop is stopped.
    "ensure_future'd writer finished before loop.stop() (loop.run_forever())": """
        async def writer(data):
            await thread_call(KIND, data)

        async def console(loop):
            asyncio.ensure_future(writer(">>> "))
            await asyncio.sleep(0.05)
            loop.stop()

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        asyncio.ensure_future(console(loop))
        loop.run_forever()
        print("loop stopped")
    """,
    # The call made in the task run_until_complete() drives (anyio's root task then).
    "run_until_complete(main()), the call in main, main still running another task": """
        async def background():
            await thread_call(KIND, "x")
            await asyncio.sleep(10)

        async def main():
            asyncio.ensure_future(background())
            await asyncio.sleep(0.05)

        loop = asyncio.new_event_loop()
        loop.run_until_complete(main())
        print("run_until_complete returned")
    """,
    # asyncio.run cancels and finishes the remaining tasks before closing the loop.
    "ensure_future'd task still pending when asyncio.run() ends": """
        async def background():
            await thread_call(KIND, "x")
            await asyncio.sleep(10)

        async def main():
            asyncio.ensure_future(background())
            await asyncio.sleep(0.05)

        asyncio.run(main())
        print("asyncio.run returned")
    """,
    # anyio.run: the root task is anyio's main task.
    "task started by anyio.run's main (spawned with ensure_future) still pending at the end": """
        async def background():
            await thread_call(KIND, "x")
            await asyncio.sleep(10)

        async def main():
            asyncio.ensure_future(background())
            await asyncio.sleep(0.05)

        anyio.run(main)
        print("anyio.run returned")
    """,
}


def run(kind, body):
    code = COMMON + f"\nKIND = {kind!r}\n" + textwrap.dedent(body)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        return "HUNG at interpreter exit (killed after 5 s)"
    took = time.perf_counter() - t0
    last = proc.stdout.strip().splitlines()[-1:] or [""]
    err = proc.stderr.strip().splitlines()[-1:] or [""]
    return f"exited rc={proc.returncode} in {took:.1f}s (stdout: {last[0]!r}{', stderr: ' + repr(err[0]) if err[0] else ''})"


if __name__ == "__main__":
    import importlib.metadata

    print("python", sys.version.split()[0], "| anyio", importlib.metadata.version("anyio"))
    for n, (name, body) in enumerate(SCENARIOS.items(), 1):
        for tag, kind in (("A", "run_in_executor"), ("A", "to_thread"), ("B", "anyio")):
            print(f"{tag}{n} {name} | {kind}: {run(kind, body)}")
