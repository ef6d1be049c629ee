"""Library coroutines that make blocking calls; the tests replace some of them."""
import subprocess
import sys
import time


async def compiler_version():
    # Its test patches subprocess.check_output: rewriting this call would bypass the patch.
    return subprocess.check_output(["cc", "--version"]).decode().splitlines()[0]


async def settle(seconds):
    # Its test replaces time.sleep to skip the wait.
    time.sleep(seconds)
    return seconds


async def python_says(word):
    # Not patched anywhere: rewritten to anyio.run_process.
    done = subprocess.run([sys.executable, "-c", f"print({word!r})"], capture_output=True, check=True)
    return done.stdout.decode().strip()
