"""Code that stays as it is: not run by a coroutine, or not the blocking functions, or not\nshown to be what a rewrite needs."""
import subprocess
from pathlib import Path

from tool import run

COMMAND = ["make"]
ROOT = Path(".")


def reconfigure(command, root):
    global COMMAND, ROOT
    COMMAND = command
    ROOT = root


def sync_build():
    subprocess.run(["make"], check=True)  # OK
    with open("log") as f:  # OK
        return f.read()


async def in_nested_code():
    def worker():
        return subprocess.check_output(["ls"])  # OK

    callback = lambda: subprocess.call(["true"])  # OK
    return worker, callback


async def not_subprocess(open_file):
    run(["make"])  # OK
    open = open_file
    with open("x") as f:  # OK
        return f.read()


async def already_async():
    async with open_async("x") as f:
        return await f.read()


class Builder:
    subprocess.run(["echo", "class body"])  # OK

    async def build(self, make=subprocess.run):
        return make


async def not_shown_paths(p, other, zip_path):
    # A parameter, a string, a zipfile.Path: not shown to be a pathlib.Path.
    p.read_text()  # OK
    name = "notes.txt"
    name.upper()
    zip_path.read_bytes()  # OK
    twice = Path("a")
    twice = other
    twice.exists()  # OK
    # Methods that return paths or iterators stay as they are.
    here = Path(".")
    return here.resolve(), list(here.iterdir())  # OK


async def rebound_globals():
    # Another function rebinds them (`global`): not shown to be a list or a path.
    subprocess.run(COMMAND, check=True)  # MANUAL: command-form
    return ROOT.exists()  # OK
