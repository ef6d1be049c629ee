"""Execution tests: run an asyncio example and its anyio migration, compare output.

Run with the venv python made by scripts/setup-python.sh:

    target/pyenv/bin/python tests/exec/run_examples.py CASES.json

CASES.json is a JSON array of cases:

    [{"name": "sleep", "original": "path/to/orig.py",
      "migrated": "path/to/migrated.py", "expected": null}, ...]

Relative paths are resolved against the current working directory. Two optional keys:
"pythonpath" (put first on every run's import path: an older anyio release and the trio it
supports, for the floors test) and "left_on_asyncio": true (the migration left asyncio
code for a target anyio without the API; the reference output is then also accepted on the
asyncio backend and trio is not run).

For each case three child processes run (sys.executable, 60 s timeout each,
cwd = the folder of the file being run, stdin closed,
`-W ignore::DeprecationWarning -W error::ResourceWarning`, PYTHONHASHSEED=0,
PYTHONDONTWRITEBYTECODE=1):

    reference      ORIGINAL file, asyncio.run(module.main())
    anyio-asyncio  MIGRATED file, anyio.run(module.main, backend="asyncio")
    anyio-trio     MIGRATED file, anyio.run(module.main, backend="trio")

The file is loaded with importlib under the module name "exec_example" (not
"__main__", so `if __name__ == "__main__":` blocks do not run). If main()
raises, the child prints a last stdout line and exits 0, so the outcome is part
of the compared output:

    raised: ValueError: boom                  (builtins are unqualified;
    raised: exec_example.MyError: boom         other types are module.qualname
                                               (anyio.X for a class anyio exports);
    raised: ValueError                         no ": " when the message is empty)
    raised: ExceptionGroup[ValueError, KeyError]
        (any BaseExceptionGroup: the group's type name, then the leaf
         exceptions of the whole tree, depth-first, comma+space separated)

A ResourceWarning (an unclosed stream, socket, ...) is an error in every child.
Raised in running code it ends main() like any exception; raised where Python
cannot propagate it (a __del__, so "Exception ignored in ..." on stderr), the
child also prints a stdout line, with the object's address dropped:

    unraisable: ResourceWarning: Unclosed <MemoryObjectSendStream>

so it fails the case unless the expected file documents it.

A child that fails otherwise (the file does not import, no main, a timeout,
a crash) fails the case.

Comparison (the only normalisation: trailing whitespace at the end of each
output, and of each expected section, is stripped):

* "expected": null  -> the asyncio and trio outputs must both equal the
  reference output.
* "expected": PATH  -> the file documents a deliberate difference. Format:
  sections introduced by a header line that is exactly one of

      == anyio ==      expected output of both anyio runs (must be the only
                       section)
      == asyncio ==    expected output of the anyio asyncio-backend run
      == trio ==       expected output of the anyio trio-backend run

  Each section's body is the lines up to the next header (or end of file).
  The first line of the file must be a header; each header at most once.
  A backend with no section (e.g. a file with only `== trio ==`) must equal
  the reference output, as with "expected": null. The reference output is
  never compared against the expected file; it is only shown.

Output: a JSON object on stdout

    {"cases": [{"name": str, "ok": bool, "reference": str, "asyncio": str,
                "trio": str,
                "stderr": {"reference": str, "asyncio": str, "trio": str},
                "detail": str}]}

("detail" is "" for passing cases; for failing ones it explains why, with
unified diffs). Progress and a final "N passed, N failed" line go to stderr.
Exit status: 0 if every case is ok, 1 if any is not, 2 on bad usage/input.
"""

from __future__ import annotations

import concurrent.futures
import difflib
import json
import os
import subprocess
import sys
from pathlib import Path

TIMEOUT_S = 60
MAX_WORKERS = 2
MODULE_NAME = "exec_example"
HEADERS = {"== anyio ==": "anyio", "== asyncio ==": "asyncio", "== trio ==": "trio"}

# Code run in each child: argv = [mode, path]; mode is "reference", "asyncio"
# or "trio".
CHILD = r"""
import importlib.util, os, sys, traceback
try:
    BaseExceptionGroup
except NameError:  # Python 3.10
    from exceptiongroup import BaseExceptionGroup

def qualname(t):
    if t.__module__ == "builtins":
        return t.__qualname__
    # A class anyio exports is named by its public name (its defining module moved between
    # releases: anyio.TaskFailed was anyio._core._exceptions.TaskFailed in 4.16).
    top = t.__module__.split(".")[0]
    if top == "anyio" and getattr(sys.modules.get("anyio"), t.__qualname__, None) is t:
        return "anyio." + t.__qualname__
    return t.__module__ + "." + t.__qualname__

def leaves(exc):
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            yield from leaves(sub)
    else:
        yield exc

def unraisable(args, default=sys.unraisablehook):
    # Under -W error::ResourceWarning a warning from __del__ cannot propagate: make it
    # part of the compared output (address dropped, so runs compare equal).
    if args.exc_type is not None and issubclass(args.exc_type, ResourceWarning):
        import re
        msg = re.sub(r" at (0x)?[0-9a-fA-F]+>", ">", str(args.exc_value))
        print("unraisable: ResourceWarning: " + msg, flush=True)
    default(args)

sys.unraisablehook = unraisable

mode, path = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
module = importlib.util.module_from_spec(spec)
sys.modules[MODULE_NAME] = module
spec.loader.exec_module(module)  # load errors propagate: exit code 1
main = module.main

try:
    if mode == "reference":
        import asyncio
        asyncio.run(main())
    else:
        import anyio
        anyio.run(main, backend=mode)
except BaseException as exc:
    traceback.print_exc()
    sys.stderr.flush()
    if isinstance(exc, BaseExceptionGroup):
        names = ", ".join(qualname(type(e)) for e in leaves(exc))
        line = "raised: %s[%s]" % (qualname(type(exc)), names)
    else:
        msg = str(exc)
        line = "raised: " + qualname(type(exc)) + (": " + msg if msg else "")
    print(line, flush=True)
sys.stdout.flush()
""".replace("MODULE_NAME", repr(MODULE_NAME))

RUNS = (("reference", "original"), ("asyncio", "migrated"), ("trio", "migrated"))


def run_child(mode: str, path: Path, pythonpath: str | None = None) -> dict:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    env.update(
        PYTHONHASHSEED="0",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONIOENCODING="utf-8",
    )
    env.pop("PYTHONSTARTUP", None)
    cmd = [
        sys.executable,
        "-W",
        "ignore::DeprecationWarning",
        "-W",
        "error::ResourceWarning",
        "-c",
        CHILD,
        mode,
        str(path),
    ]
    try:
        proc = subprocess.run(
            cmd,
            cwd=path.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as e:
        return {
            "stdout": decode(e.stdout).rstrip(),
            "stderr": decode(e.stderr),
            "problem": f"timed out after {TIMEOUT_S} s",
        }
    problem = "" if proc.returncode == 0 else f"exited with status {proc.returncode}"
    return {"stdout": decode(proc.stdout).rstrip(), "stderr": decode(proc.stderr), "problem": problem}


def decode(b: bytes | None) -> str:
    return (b or b"").decode("utf-8", errors="replace")


def parse_expected(text: str) -> dict:
    """Return {"asyncio": str, "trio": str} with only the backends specified."""
    sections: dict[str, list[str]] = {}
    current = None
    for i, line in enumerate(text.splitlines(), 1):
        key = HEADERS.get(line)
        if key is not None:
            if key in sections:
                raise ValueError(f"line {i}: duplicate section {line!r}")
            sections[key] = []
            current = key
        elif current is None:
            raise ValueError(
                f"line 1 must be one of {', '.join(HEADERS)}; got {line!r}"
            )
        else:
            sections[current].append(line)
    if not sections:
        raise ValueError(f"no section header ({', '.join(HEADERS)})")
    if "anyio" in sections and len(sections) > 1:
        raise ValueError("'== anyio ==' must be the only section")
    bodies = {k: "\n".join(v).rstrip() for k, v in sections.items()}
    if "anyio" in bodies:
        return {"asyncio": bodies["anyio"], "trio": bodies["anyio"]}
    return bodies


def diff(want: str, got: str, want_label: str, got_label: str) -> str:
    lines = difflib.unified_diff(
        want.splitlines(), got.splitlines(), want_label, got_label, lineterm=""
    )
    return "\n".join(lines)


def run_case(case: dict) -> dict:
    name = case["name"]
    paths = {"original": Path(case["original"]), "migrated": Path(case["migrated"])}
    # Optional case keys: "pythonpath" goes first on every run's path (an older anyio release
    # and the trio it supports; the reference too, for examples whose own driver uses anyio); "left_on_asyncio" (the migration left asyncio code,
    # MANUAL, because the target anyio lacks an API) accepts the reference output on each
    # backend and does not run trio, where asyncio's loop does not exist.
    left = bool(case.get("left_on_asyncio"))
    results = {
        mode: run_child(mode, paths[which].resolve(), case.get("pythonpath"))
        for mode, which in RUNS
        if not (left and mode == "trio")
    }
    if left:
        results["trio"] = {"stdout": "(not run: asyncio code left)", "stderr": "", "problem": ""}
    out = {mode: r["stdout"] for mode, r in results.items()}
    problems = [
        f"{label(mode)} run {r['problem']}" for mode, r in results.items() if r["problem"]
    ]

    wants = {"asyncio": (out["reference"], "reference"), "trio": (out["reference"], "reference")}
    if case.get("expected") is not None:
        exp_path = Path(case["expected"])
        try:
            spec = parse_expected(exp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            problems.append(f"bad expected file {exp_path}: {e}")
            spec = {}
        for backend, body in spec.items():
            wants[backend] = (body, f"expected [{backend}] ({exp_path})")

    for backend in ("asyncio", "trio"):
        want, want_label = wants[backend]
        if left and (backend == "trio" or out[backend] == out["reference"]):
            continue
        if out[backend] != want:
            problems.append(
                f"{label(backend)} output differs from {want_label}:\n"
                + diff(want, out[backend], want_label, label(backend))
            )

    return {
        "name": name,
        "ok": not problems,
        "reference": out["reference"],
        "asyncio": out["asyncio"],
        "trio": out["trio"],
        "stderr": {mode: r["stderr"] for mode, r in results.items()},
        "detail": "\n\n".join(problems),
    }


def label(mode: str) -> str:
    return mode if mode == "reference" else f"anyio-{mode}"


def load_cases(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)
    if not isinstance(cases, list):
        raise ValueError("top level must be a JSON array")
    for i, c in enumerate(cases):
        if not isinstance(c, dict):
            raise ValueError(f"case {i}: not an object")
        for key in ("name", "original", "migrated"):
            if not isinstance(c.get(key), str):
                raise ValueError(f"case {i}: {key!r} must be a string")
        if "expected" not in c or not (c["expected"] is None or isinstance(c["expected"], str)):
            raise ValueError(f"case {i}: 'expected' must be a string or null")
    return cases


def main() -> int:
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} CASES.json", file=sys.stderr)
        return 2
    try:
        import anyio  # noqa: F401
        import trio  # noqa: F401
    except ImportError as e:
        print(f"run_examples: {e}; run with target/pyenv/bin/python "
              "(see scripts/setup-python.sh)", file=sys.stderr)
        return 2
    try:
        cases = load_cases(sys.argv[1])
    except (OSError, ValueError) as e:
        print(f"run_examples: cannot read cases from {sys.argv[1]}: {e}", file=sys.stderr)
        return 2

    with concurrent.futures.ThreadPoolExecutor(max_workers=MAX_WORKERS) as pool:
        reports = list(pool.map(run_case, cases))

    for r in reports:
        print(f"{'ok  ' if r['ok'] else 'FAIL'} {r['name']}", file=sys.stderr)
    passed = sum(r["ok"] for r in reports)
    print(f"{passed} passed, {len(reports) - passed} failed", file=sys.stderr)
    json.dump({"cases": reports}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0 if passed == len(reports) else 1


if __name__ == "__main__":
    sys.exit(main())
