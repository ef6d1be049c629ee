"""Drive `anyio-migrate --interactive` through a pseudo-terminal (tests/tooling.rs).

Usage: pty_drive.py BINARY FOLDER ANSWER... [-- ARG...]: runs the binary with ARGs (default
`-i --color never .`) in FOLDER on a pseudo-terminal, answers each "Apply this" prompt with the
next ANSWER (the last one repeats), prints everything the terminal showed and exits with the
binary's exit code.
"""

import os
import pty
import signal
import sys

binary, folder, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
answers, args = rest, ["-i", "--color", "never", "."]
if "--" in rest:
    answers, args = rest[: rest.index("--")], rest[rest.index("--") + 1 :]
pid, fd = pty.fork()
if pid == 0:
    os.chdir(folder)
    os.execv(binary, [binary, *args])
# A hang (a prompt never answered, a lock never released) fails the test instead of blocking it.
signal.alarm(60)
seen = b""
asked = 0
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    seen += data
    while seen.count(b"? [y]es") > asked:
        answer = answers[min(asked, len(answers) - 1)]
        os.write(fd, answer.encode() + b"\n")
        asked += 1
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(seen)
print(f"\nprompts answered: {asked}")
sys.exit(os.waitstatus_to_exitcode(status))
