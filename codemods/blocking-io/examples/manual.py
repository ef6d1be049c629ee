"""Blocking calls in coroutines that are reported, not rewritten."""
import json
import os
import subprocess
import threading
from contextlib import suppress

LOCK = threading.Lock()


async def processes(cmd, data, args, opts):
    proc = subprocess.Popen(["cat"], stdin=subprocess.PIPE)  # MANUAL: popen
    os.system("make")  # MANUAL: shell-call
    subprocess.getoutput("ls")  # MANUAL: shell-call
    subprocess.run(["ls"], text=True)  # MANUAL: text-mode
    subprocess.run(["sleep", "9"], timeout=1)  # MANUAL: timeout-argument
    subprocess.run(cmd)  # MANUAL: command-form
    subprocess.run("ls -l")  # MANUAL: command-form
    subprocess.run(["cat"], input=data)  # MANUAL: input-maybe-empty
    subprocess.run(["cat"], input=b"")  # MANUAL: input-maybe-empty
    subprocess.run(*args)  # MANUAL: unknown-arguments
    subprocess.run(["ls"], **opts)  # MANUAL: unknown-arguments
    subprocess.run(["ls"], -1)  # MANUAL: unknown-arguments
    subprocess.run(["ls"], close_fds=False)  # MANUAL: unsupported-argument
    subprocess.run(["ls"], capture_output=True, stdout=subprocess.PIPE)  # MANUAL: unsupported-argument
    subprocess.check_output(["ls"], check=False)  # MANUAL: unsupported-argument
    codes = list(subprocess.call([c]) for c in cmd)  # MANUAL: in-generator
    with LOCK:
        subprocess.run(["ls"])  # MANUAL: in-sync-with
    return proc, codes


async def files(path, sink):
    with open(path) as f:
        config = json.load(f)  # MANUAL: file-escapes
    with open(path) as f:
        sink.append(f)  # MANUAL: file-escapes
    with open(path) as f:
        print(f.fileno())  # MANUAL: file-escapes
    with open(path, "w") as f:
        write = f.write  # MANUAL: file-escapes
        write("x")
    return config


async def after_the_block(path):
    with open(path) as f:
        pass
    return f.closed  # MANUAL: file-escapes


async def in_a_comprehension(path):
    with open(path) as f:
        return [line for line in f]  # MANUAL: file-escapes


async def in_nested_code(path):
    with open(path) as f:
        def inner():
            return f.read()  # MANUAL: file-escapes

        return inner()


async def rebound(path, other):
    with open(path) as f:
        f = other  # MANUAL: file-escapes
        return f.read()


async def other_forms(path):
    data = open(path).read()  # MANUAL: open-outside-with
    with LOCK, open(path) as f:  # MANUAL: in-sync-with
        data = f.read()
    with suppress(OSError), open(path) as f:  # MANUAL: mixed-with
        data = f.read()
    with open(path) as f:
        with LOCK:
            data = f.read()  # MANUAL: in-sync-with
    with open(path) as f:
        with LOCK:
            for line in f:  # MANUAL: in-sync-with
                data = line
    return data
