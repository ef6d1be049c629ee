import asyncio
import threading
from typing import Any, Callable, Coroutine


def serve(main, runner: Callable[[Coroutine[Any, Any, None]], None] = asyncio.run):
    runner(main())


def in_thread(main):
    threading.Thread(target=asyncio.run, args=(main(),)).start()


def steps(a, b):
    with asyncio.Runner(debug=True) as runner:
        runner.run(a())
        runner.run(b())


def lookalike(run=print):
    # Not asyncio's.
    run("x")


def default_runner():
    return asyncio.run
