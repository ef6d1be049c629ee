#!/usr/bin/env python3
"""Differential tester of anyio-migrate's verdicts.

    scripts/difftest/run.py --count N --seed S [--jobs J] [--keep DIR] [--bin PATH]
                            [--python PATH] [--shrink]
    scripts/difftest/run.py --shrink-case DIR/CASE      (minimise a kept case again)

For each of N generated asyncio programs (gen.py; a program whose asyncio run fails or gives
two different traces is regenerated, up to 5 attempts): run it under asyncio, migrate a copy
with `anyio-migrate --write --format json --target-anyio 4.16 --target-python 3.11` (the
JSON report gives each rewrite's code and verdict), run the migrated program as a script (its
`anyio.run(main)`: anyio's asyncio backend), and, when no `asyncio` is left in it, under
anyio's trio backend too (a driver importing the module and calling
`anyio.run(module.main, backend="trio")`). The traces (stdout, one time-stamped event per
line) are compared (compare()); a difference is re-run (original once more, migrated twice
more) and counts only if every pairing agrees, else it is "flaky" (timing).

Outcome of a program (one each):
  same               the asyncio-backend trace equals the original's
  order only         the same events; only events stamped at most a unit apart swapped
  SAFE violation     the events differ and every applied rewrite is SAFE or SAFE (edge)
  UNSAFE difference  the events differ and UNSAFE rewrites were applied (grouped by codes)
  tool refusal       the tool exited 2 or failed the file
  crash              the migrated program did not run (exit status, escaped exception, timeout)
  crash (named)      a crash whose traceback ends on a line a MANUAL finding names (the
                     report hands that spot to the user; listed for review, not a failure)
  flaky              a difference that did not reproduce on the re-runs (or, for a would-be
                     SAFE violation, that the original itself gave on one of 4 more runs)
An UNSAFE difference is migrated again with --safe-only: a difference there is a SAFE
violation the UNSAFE rewrites hid. A SAFE violation gets a blame: the codes whose
`--ignore CODE` makes the traces agree. The trio comparison is reported separately
(informational). docs/difftest.md has the details.

Python programs run with PYTHON (default: target/pyenv/bin/python of the repository, or the
environment variable PYTHON). With --keep DIR: summary.json, results.jsonl (one line per
program) and a folder per SAFE violation, crash and refusal (and the first three programs of
each UNSAFE group) with the program, the migrated program, the diff, the report and the
traces. --shrink minimises each SAFE violation and crash (delta debugging on the generator's
idiom tree) into min.py / min.migrated.py in its folder.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))
import gen  # noqa: E402

RUN_TIMEOUT_S = 30
SIMULTANEOUS = 1  # units: events this close may come in either order (see compare())
ATTEMPTS = 5

# Runs a program in a child: argv = [mode, path]. "script" runs the file as __main__ (its
# `asyncio.run(main())` / `anyio.run(main)`); "trio" imports it and runs
# anyio.run(module.main, backend="trio"). An exception escaping ends the child with status 3
# and a last stdout line "escaped: Type: message".
DRIVER = r"""
import importlib.util, runpy, sys, traceback

def describe(exc):
    if isinstance(exc, BaseExceptionGroup):
        return type(exc).__name__ + "[" + ", ".join(describe(e) for e in exc.exceptions) + "]"
    msg = str(exc)
    return type(exc).__name__ + (": " + msg if msg else "")

mode, path = sys.argv[1], sys.argv[2]
try:
    if mode == "script":
        runpy.run_path(path, run_name="__main__")
    else:
        import anyio
        spec = importlib.util.spec_from_file_location("prog", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["prog"] = module
        spec.loader.exec_module(module)
        anyio.run(module.main, backend=mode)
except BaseException as exc:
    traceback.print_exc()
    sys.stdout.flush()
    print("escaped:", describe(exc), flush=True)
    sys.exit(3)
"""


# --------------------------------------------------------------------------------------------
# Running programs and the tool


class Ctx:
    def __init__(self, python: str, binary: str, target_anyio: str, target_python: str,
                 anyio_path: str | None = None):
        self.python = python
        self.binary = binary
        self.target_anyio = target_anyio
        self.target_python = target_python
        self.anyio_path = anyio_path  # put first on PYTHONPATH: another anyio (and trio)


def run_program(ctx: Ctx, path: Path, mode: str = "script") -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1",
               PYTHONIOENCODING="utf-8")
    env.pop("PYTHONSTARTUP", None)
    if ctx.anyio_path:
        env["PYTHONPATH"] = os.pathsep.join(
            x for x in (ctx.anyio_path, env.get("PYTHONPATH")) if x)
    cmd = [ctx.python, "-W", "ignore::DeprecationWarning", "-c", DRIVER, mode, str(path)]
    try:
        p = subprocess.run(cmd, cwd=path.parent, env=env, stdin=subprocess.DEVNULL, check=False,
                           capture_output=True, timeout=RUN_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        return {"trace": normalise(e.stdout), "rc": None, "stderr": decode(e.stderr)[-3000:],
                "problem": f"timed out after {RUN_TIMEOUT_S} s"}
    problem = "" if p.returncode == 0 else f"exit status {p.returncode}"
    return {"trace": normalise(p.stdout), "rc": p.returncode,
            "stderr": decode(p.stderr)[-3000:], "problem": problem}


def decode(b) -> str:
    return (b or b"").decode("utf-8", errors="replace")


def normalise(b) -> str:
    text = re.sub(r" at 0x[0-9a-fA-F]+", "", decode(b))
    return "\n".join(line.rstrip() for line in text.rstrip().splitlines())


def events(trace: str) -> list[tuple[int | None, str]]:
    """(time stamp in units, message) per trace line; the programs' log() stamps each line,
    the driver's "escaped:" line has none."""
    out = []
    for line in trace.splitlines():
        m = re.match(r"\s*(\d+) (.*)$", line)
        out.append((int(m.group(1)), m.group(2)) if m else (None, line))
    return out


def strict(trace: str) -> list[str]:
    """The messages in order (time stamps dropped)."""
    return [msg for _, msg in events(trace)]


def compare(a: str, b: str) -> str:
    """"same"; "order": the same events, and every pair the two traces order differently is
    stamped at most SIMULTANEOUS units apart in both (tasks due at about the same instant may
    run in either order, and a loaded machine shifts a stamp by a unit); else "events"."""
    if strict(a) == strict(b):
        return "same"
    ea, eb = stamped(a), stamped(b)
    if sorted(m for _, m in ea) != sorted(m for _, m in eb):
        return "events"
    ka, kb = occurrences(ea), occurrences(eb)
    keys = list(ka)
    for i, x in enumerate(keys):
        for y in keys[i + 1:]:
            (pax, sax), (pay, say) = ka[x], ka[y]
            (pbx, sbx), (pby, sby) = kb[x], kb[y]
            if (pax < pay) != (pbx < pby) and max(abs(sax - say), abs(sbx - sby)) > SIMULTANEOUS:
                return "events"
    return "order"


def stamped(trace: str) -> list[tuple[int, str]]:
    """events(), a line without a stamp taking the stamp before it."""
    out, last = [], 0
    for stamp, msg in events(trace):
        last = last if stamp is None else stamp
        out.append((last, msg))
    return out


def occurrences(evs) -> dict:
    """(message, n-th occurrence) -> (position, stamp): the same event in both traces."""
    seen, out = Counter(), {}
    for pos, (stamp, msg) in enumerate(evs):
        out[(msg, seen[msg])] = (pos, stamp)
        seen[msg] += 1
    return out


def migrate(ctx: Ctx, path: Path, safe_only: bool = False, ignore: str | None = None) -> dict:
    cmd = [ctx.binary, "--write", "--format", "json", "--jobs", "1",
           "--target-anyio", ctx.target_anyio, "--target-python", ctx.target_python]
    if safe_only:
        cmd.append("--safe-only")
    if ignore:
        cmd += ["--ignore", ignore]
    cmd.append(path.name)
    p = subprocess.run(cmd, cwd=path.parent, stdin=subprocess.DEVNULL, capture_output=True,
                       check=False,
                       timeout=120)
    out = {"rc": p.returncode, "stderr": decode(p.stderr)[-3000:], "fixes": [],
           "findings": [], "status": None, "reason": None, "diff": ""}
    try:
        report = json.loads(decode(p.stdout))
    except ValueError:
        out["status"] = "no-report"
        return out
    for f in report.get("files", []):
        out["status"] = f.get("status")
        out["reason"] = f.get("reason")
        out["diff"] = f.get("diff") or ""
        out["fixes"] += [{"code": x["code"], "verdict": x["verdict"], "note": x.get("note"),
                          "line": x.get("line"), "applied": x.get("applied", True)}
                         for x in f.get("fixes", [])]
        out["findings"] += [{"code": x["code"], "verdict": x.get("verdict"),
                             "line": x.get("line"), "message": x.get("message")}
                            for x in f.get("findings", [])]
    return out


def uses_asyncio(text: str) -> bool:
    try:
        return any(t.type == tokenize.NAME and t.string == "asyncio"
                   for t in tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return "asyncio" in text


# --------------------------------------------------------------------------------------------
# One program


def valid_original(ctx: Ctx, path: Path) -> tuple[str | None, dict]:
    """Run the original twice: (reason it is unusable or None, first run)."""
    a = run_program(ctx, path)
    if a["problem"]:
        return "invalid: " + a["problem"], a
    b = run_program(ctx, path)
    if b["problem"] or strict(a["trace"]) != strict(b["trace"]):
        return "nondeterministic", a
    return None, a


def settle(ctx: Ctx, orig: Path, o1: dict, mig: Path, m1: dict, mode: str) -> str:
    """Compare the migrated run with the original's; a difference is re-run (the original
    once more, the migrated twice more) and stands only if every pairing agrees, else it is
    "flaky"."""
    kind = compare(o1["trace"], m1["trace"])
    if kind == "same":
        return kind
    o2 = run_program(ctx, orig)
    m2, m3 = run_program(ctx, mig, mode), run_program(ctx, mig, mode)
    if o2["problem"] or m2["problem"] or m3["problem"]:
        return "flaky"
    kinds = {kind, compare(o2["trace"], m2["trace"]), compare(o1["trace"], m3["trace"]),
             compare(o2["trace"], m3["trace"])}
    if kinds == {"events"}:
        return "events"
    if "events" in kinds:
        return "flaky"
    # Only orders differ (trio shuffles the tasks due at the same instant on purpose).
    return "order" if "order" in kinds else "same"


CONFIRM_RUNS = 4  # more runs of the original before a difference counts as a SAFE violation


def original_gives(ctx: Ctx, orig: Path, trace: str) -> bool:
    """Whether one of CONFIRM_RUNS more runs of the original gives this (migrated) trace, or
    one differing only in order: the program is nondeterministic under asyncio itself, and
    its two validation runs and the re-run of settle() happened to agree (a CI run of seed 11
    index 275, whose failure and a sibling's end were 1.5 ms apart)."""
    for _ in range(CONFIRM_RUNS):
        o = run_program(ctx, orig)
        if not o["problem"] and compare(o["trace"], trace) != "events":
            return True
    return False


def find_blame(ctx: Ctx, orig: Path, first: dict, work: Path, res: dict,
               safe_only: bool) -> list[str]:
    """The codes whose rewrites cause the difference: migrating again with `--ignore CODE`
    (one code at a time; asyncio-run stays, or nothing runs under anyio) makes the traces
    agree. Empty when no single code does (the rewrites interact)."""
    codes = sorted({f["code"] for f in res["fixes"]} - {"asyncio-run/asyncio-run"})
    blamed = []
    for code in codes:
        sub = migrate_and_compare(ctx, orig, first, work, safe_only, ignore=code)
        if sub["status"] in ("same", "order_only"):
            blamed.append(code)
    return blamed


def check_tree(ctx: Ctx, tree: gen.Node, work: Path, safe_only: bool = False,
               quick: bool = False) -> dict:
    """Generate, run, migrate, run again and classify one program (tree). The result holds
    everything the report and the kept folders need. When the full migration's difference
    comes with UNSAFE rewrites, the program is migrated again with --safe-only (only the
    SAFE and SAFE (edge) rewrites applied) and that run's outcome is res["safe_only"]: a
    difference there is a SAFE violation the UNSAFE rewrites had hidden. With safe_only the
    first migration already uses --safe-only (for the minimiser). quick (the minimiser's
    checks): no blame, no trio run, no second migration."""
    text = gen.render(tree)
    res = {"tree": tree.to_json(), "original": text}
    orig_dir = work / "orig"
    shutil.rmtree(orig_dir, ignore_errors=True)
    orig_dir.mkdir(parents=True)
    orig = orig_dir / "prog.py"
    orig.write_text(text, encoding="utf-8")
    bad, first = valid_original(ctx, orig)
    res["traces"] = {"original": first["trace"]}
    if bad:
        res["status"] = "invalid" if bad.startswith("invalid") else "nondeterministic"
        res["detail"] = bad + "\n" + first["stderr"][-1500:]
        return res
    res.update(migrate_and_compare(ctx, orig, first, work / "mig", safe_only, full=not quick))
    res["traces"].update(res.pop("migrated_traces"))
    if res["status"] == "unsafe_difference":
        res["categories"] = categories(res["traces"]["original"], res["traces"]["asyncio"])
        res["unexplained"] = unexplained(res)
    if res["status"] == "unsafe_difference" and not safe_only and not quick:
        sub = migrate_and_compare(ctx, orig, first, work / "safe", True)
        res["safe_only"] = sub
        res["unexplained"], res["shown_by_safe_only"] = split_by_safe_only(
            res["unexplained"], res["traces"]["original"], sub)
    return res


# --------------------------------------------------------------------------------------------
# How an UNSAFE difference differs, and whether the notes of the applied UNSAFE rewrites say so

# The categories (a difference can have several). Primary ones are what a note announces:
#   exception-group   an exception arrives wrapped differently: an ExceptionGroup, anyio's
#                     TaskFailed, one group level more or less (the same leaf exceptions)
#   siblings-cancelled  a leaf logs "cancelled" that did not (work cut short that used to
#                     finish, or used to fail)
#   siblings-run-on   a leaf cancelled in the original starts and is not cancelled
#   started           a leaf starts that did not (cancelled before it began under asyncio)
#   not-started       a leaf that started does not (cancelled before it began)
#   timing            the same events (exceptions compared by their leaf exceptions) in
#                     another order, one at least two units later or earlier, or main
#                     ends in another unit (work due meanwhile finishes or not)
# Consequences, which follow from a primary one (a handler that no longer matches, results and
# the program's outcome that change with them); alone, they are "other":
#   handler           a handler's event (caught, handled, timed out, swallowed, task
#                     cancelled) appears in one trace only
#   outcome           main's last line (its result or the exception it raised) differs
#   results           other logged values differ
PRIMARY = ("exception-group", "siblings-cancelled", "siblings-run-on", "started",
           "not-started", "timing")

# What the note of each UNSAFE rewrite announces (`anyio-migrate explain CODE`). A task
# group's failure cancels the siblings and raises an ExceptionGroup; children started in a
# group run in the group's order; a child cancelled before it started still runs to its first
# await (asyncio never ran it).
_GROUP = {"exception-group", "siblings-cancelled", "not-started", "started", "timing"}
ANNOUNCED: dict[str, set[str]] = {
    "asyncio-gather/anyio-gather": _GROUP,
    "asyncio-gather/gather-all-helper": _GROUP,
    "asyncio-gather/task-group": _GROUP,
    # a child (or the body) whose wake-up is scheduled runs on to its next await (seed 16
    # index 1979: the body logged a handle's value)
    "asyncio-task-group/task-group": _GROUP | {"siblings-run-on", "other"},
    # and a handle's cancel() is its scope's: a task whose wake-up is scheduled runs on, a task
    # with tasks of its own ends an iteration later (what `t.cancelled()` reads then), cleanup
    # that awaits is cut (seed 16; asyncio-create-task's example cancel_moment.py)
    "asyncio-create-task/create-task": _GROUP | {"siblings-run-on", "other"},
    "asyncio-wait/as-completed": _GROUP - {"started"},  # its note does not say it
    # re-raises the first failure bare, but cancels the siblings
    "asyncio-gather/in-handler": {"siblings-cancelled", "not-started", "timing"},
    # a cancelled caller waits for the shielded call: it ends later, and what the shielded
    # call's caller would have cut short runs on (to its next checkpoint: "other"); the call
    # runs in the caller's task, an iteration sooner (other tasks' work comes in another order,
    # a task is cancelled before it is done); asyncio's own Task.cancel() goes through the
    # shield (seed 16; asyncio-shield's example in_callers_task.py)
    "asyncio-shield/shield": {"timing", "siblings-run-on", "started", "siblings-cancelled",
                              "not-started", "other"},
    # send() / receive() always checkpoint: the tasks interleave differently
    "asyncio-queue/memory-streams": {"timing"},
    # the timed wait runs before the rest of the statement
    "asyncio-timeout/wait-for-hoisted": {"timing"},
    # UNSAFE only for a target anyio without fast_acquire (< 4.5): taking a free lock or
    # semaphore yields to the other tasks, so they interleave differently and what a task
    # reads of shared state (a semaphore's value, say) differs: effects the categories cannot
    # name (seed 12 at the 4.0 floor, indices 26, 51, 96)
    "asyncio-sync-primitives/constructor": {"timing", "other"},
    # ContextVars propagate into the thread (the programs use none)
    "asyncio-to-thread/run-in-executor": set(),
}

_LEAF_CANCELLED = re.compile(r"n\d+ (forever )?cancelled$")
_LEAF_START = re.compile(r"n\d+ start$")
_HANDLER = re.compile(r"n\d+ (caught|handled|timed out|swallowed|task cancelled)\b")


def _ends_main(msg: str) -> bool:
    """main's last line: its result or exception, or the driver's line for one escaping."""
    return msg.startswith(("main ", "escaped:"))


def unwrap(msg: str) -> str:
    """The message with every exception reduced to its leaf exceptions: `ExceptionGroup[...]`
    (and BaseExceptionGroup) replaced by its contents, anyio's TaskFailed / TaskCancelled
    wrappers dropped."""
    msg = re.sub(r"Task(Failed|Cancelled): [^,\]']*(, )?", "", msg)
    while True:
        m = re.search(r"(Base)?ExceptionGroup\[", msg)
        if not m:
            return msg
        depth, i = 1, m.end()
        while i < len(msg) and depth:
            depth += {"[": 1, "]": -1}.get(msg[i], 0)
            i += 1
        msg = msg[:m.start()] + msg[m.end():i - 1] + msg[i:]


def categories(original: str, migrated: str) -> list[str]:
    """How the migrated trace differs from the original (see PRIMARY and the list above)."""
    ea, eb = stamped(original), stamped(migrated)
    ma, mb = Counter(m for _, m in ea), Counter(m for _, m in eb)
    ua = Counter(unwrap(m) for _, m in ea)
    ub = Counter(unwrap(m) for _, m in eb)
    cats = set()
    if ma != mb and any(unwrap(m) != m for m in (ma - mb) + (mb - ma)):
        cats.add("exception-group")

    def leaves(evs, pattern):
        """The leaves whose event matches, before main's last line (a leaf cancelled after
        it was left running: asyncio.run cancels it on the way out)."""
        end = next((i for i, (_, m) in enumerate(evs) if _ends_main(m)), len(evs))
        return {m.split()[0] for _, m in evs[:end] if pattern.match(m)}
    cancelled_a, cancelled_b = leaves(ea, _LEAF_CANCELLED), leaves(eb, _LEAF_CANCELLED)
    started_a, started_b = leaves(ea, _LEAF_START), leaves(eb, _LEAF_START)
    if cancelled_b - cancelled_a:
        cats.add("siblings-cancelled")
    if (cancelled_a - cancelled_b) & started_b:
        cats.add("siblings-run-on")
    if started_b - started_a:
        cats.add("started")
    if started_a - started_b:
        cats.add("not-started")
    end_a = [(t, m) for t, m in ea if _ends_main(m)]
    end_b = [(t, m) for t, m in eb if _ends_main(m)]
    if end_a and end_b and end_a[0][0] != end_b[0][0]:
        cats.add("timing")  # the program ends in another unit: what ran meanwhile differs
    if ua == ub:
        wa = "\n".join(f"{t} {unwrap(m)}" for t, m in ea)
        wb = "\n".join(f"{t} {unwrap(m)}" for t, m in eb)
        if compare(wa, wb) == "events":
            cats.add("timing")
    else:
        diff = (ua - ub) + (ub - ua)
        if any(_HANDLER.match(m) for m in diff):
            cats.add("handler")
        if [unwrap(m) for _, m in end_a] != [unwrap(m) for _, m in end_b]:
            cats.add("outcome")
        if any(not (_LEAF_CANCELLED.match(m) or _LEAF_START.match(m) or _HANDLER.match(m)
                    or _ends_main(m)) for m in diff):
            cats.add("results")
    if not cats & set(PRIMARY):
        cats.add("other")
    return sorted(cats)


def unexplained(res: dict) -> list[str]:
    """The primary categories (and "other") of an UNSAFE difference that no applied UNSAFE
    rewrite's note announces."""
    said = set()
    for code in unsafe_codes(res):
        said |= ANNOUNCED.get(code, set())
    return [c for c in res["categories"] if c in (*PRIMARY, "other") and c not in said]


def split_by_safe_only(unexplained_cats: list[str], original: str, sub: dict):
    """(still unexplained, shown by the --safe-only migration): a category that the program's
    --safe-only migration (SAFE and SAFE (edge) rewrites only) differs by too is the doing of
    those rewrites' edges, not of an UNSAFE note; that migration is a SAFE violation of its
    own, listed and read with the others (seed 16: 6 of the 7 unannounced differences left
    after the note fixes)."""
    if sub.get("status") != "safe_violation":
        return unexplained_cats, []
    shown = set(categories(original, sub["migrated_traces"]["asyncio"]))
    return ([c for c in unexplained_cats if c not in shown],
            [c for c in unexplained_cats if c in shown])


def manual_lines_changed(original: str, migrated: str, findings: list[dict]) -> list[str]:
    """The codes of the MANUAL findings whose line is no longer in the migrated program as it
    was (a MANUAL spot must be left as written): matched by the line's text."""
    olines = original.splitlines()
    kept = {line.strip() for line in migrated.splitlines()}
    return [f["code"] for f in findings
            if f.get("line") and 0 < f["line"] <= len(olines)
            and olines[f["line"] - 1].strip() not in kept]


def manual_spot(stderr: str, migrated: str, original: str, findings: list[dict]) -> str | None:
    """The MANUAL finding (its code) at the line where the migrated program's traceback ends
    (its innermost frame in the program), if there is one: such a crash happens at a spot
    the report hands to the user. Lines are matched by their text (findings give original
    line numbers)."""
    frames = re.findall(r'File "[^"]*prog\.py", line (\d+)', stderr)
    if not frames:
        return None
    lines, olines = migrated.splitlines(), original.splitlines()
    n = int(frames[-1])
    if not 0 < n <= len(lines):
        return None
    text = lines[n - 1].strip()
    for f in findings:
        line = f.get("line")
        if line and 0 < line <= len(olines) and olines[line - 1].strip() == text:
            return f["code"]
    return None


def migrate_and_compare(ctx: Ctx, orig: Path, first: dict, mig_dir: Path,
                        safe_only: bool, ignore: str | None = None, full: bool = True) -> dict:
    """Migrate a copy of the original (--safe-only, --ignore CODE), run it and classify it.
    full: also find the blame of a SAFE violation and run trio."""
    res = {"safe_only_mode": safe_only, "migrated_traces": {}}
    shutil.rmtree(mig_dir, ignore_errors=True)
    mig_dir.mkdir(parents=True)
    mig = mig_dir / "prog.py"
    shutil.copyfile(orig, mig)
    m = migrate(ctx, mig, safe_only, ignore)
    res["tool"] = {k: m[k] for k in ("rc", "status", "reason", "stderr")}
    res["diff"] = m["diff"]
    res["fixes"] = [f for f in m["fixes"] if f["applied"]]
    res["withheld"] = [f for f in m["fixes"] if not f["applied"]]
    res["findings"] = m["findings"]
    if m["rc"] == 2 or m["status"] in ("failed", "no-report"):
        res["status"] = "refusal"
        return res
    migrated = mig.read_text(encoding="utf-8")
    res["migrated"] = migrated
    original = orig.read_text(encoding="utf-8")
    res["manual_changed"] = manual_lines_changed(original, migrated, res["findings"])
    res["left_asyncio"] = uses_asyncio(migrated)
    a = run_program(ctx, mig)
    res["migrated_traces"]["asyncio"] = a["trace"]
    if a["problem"]:
        spot = manual_spot(a["stderr"], migrated, original, res["findings"])
        res["status"] = "crash_named" if spot else "crash"
        res["detail"] = a["problem"] + "\n" + a["stderr"][-1500:]
        if spot:
            res["named_by"] = spot
    else:
        kind = settle(ctx, orig, first, mig, a, "script")
        if kind == "events":
            unsafe = any(f["verdict"] == "UNSAFE" for f in res["fixes"])
            res["status"] = "unsafe_difference" if unsafe else "safe_violation"
            if not unsafe and original_gives(ctx, orig, a["trace"]):
                res["status"] = "flaky"
        else:
            res["status"] = {"same": "same", "order": "order_only", "flaky": "flaky"}[kind]
    res["trio"] = "not run (asyncio left)" if res["left_asyncio"] else None
    if not full or ignore:
        return res
    if res["status"] == "safe_violation":
        res["blame"] = find_blame(ctx, orig, first, mig_dir.parent / "blame", res, safe_only)
    if not res["left_asyncio"] and res["status"] != "crash" and not safe_only:
        t = run_program(ctx, mig, "trio")
        res["migrated_traces"]["trio"] = t["trace"]
        if t["problem"]:
            res["trio"] = "crash"
            res["trio_detail"] = t["problem"] + "\n" + t["stderr"][-1500:]
        else:
            res["trio"] = {"same": "same", "order": "order only", "events": "differs",
                           "flaky": "flaky"}[settle(ctx, orig, first, mig, t, "trio")]
    return res


def examine(ctx: Ctx, seed: int, index: int) -> dict:
    discarded = Counter()
    with tempfile.TemporaryDirectory(prefix="difftest-") as tmp:
        for attempt in range(ATTEMPTS):
            tree = gen.program_tree(seed, index, attempt)
            res = check_tree(ctx, tree, Path(tmp))
            if res["status"] in ("invalid", "nondeterministic"):
                discarded[res["status"]] += 1
                last = res
                continue
            break
        else:
            res = last
            res["status"] = "discarded"
    res.update(seed=seed, index=index, attempt=attempt, discarded=dict(discarded))
    return res


# --------------------------------------------------------------------------------------------
# Minimiser: delta debugging on the idiom tree


def edits(tree: gen.Node):
    """Candidate smaller trees, biggest reductions first."""
    paths = [p for p, _ in nodes_with_paths(tree)]
    small_leaf = gen.Node("leaf", {"style": "literal", "fail": False, "fail_when": "after",
                                   "units": 3})
    for path in paths:  # replace an idiom by one of its children, or by a leaf
        node = get(tree, path)
        if node.kind != "leaf":
            for c in node.children:
                yield put(tree, path, c)
            yield put(tree, path, small_leaf)
    for path in paths:  # drop a child
        node = get(tree, path)
        if node.kind != "leaf" and len(node.children) > gen.IDIOMS[node.kind]["arity"][0]:
            for j in range(len(node.children)):
                new = clone(node)
                del new.children[j]
                if j < len(new.params.get("kinds", [])):
                    del new.params["kinds"][j]
                yield put(tree, path, new)
    for path in paths:  # simplify parameters
        node = get(tree, path)
        options = gen.LEAF_OPTIONS if node.kind == "leaf" else gen.IDIOMS[node.kind]["options"]
        for key, spec in options.items():
            simplest = (spec[0] if isinstance(spec, tuple) else spec)[0]
            if node.params.get(key) != simplest:
                new = clone(node)
                new.params[key] = simplest
                yield put(tree, path, new)
        for i, kind in enumerate(node.params.get("kinds", [])):
            if kind != "coro":
                new = clone(node)
                new.params["kinds"][i] = "coro"
                yield put(tree, path, new)
        if node.kind == "leaf" and node.params["units"] > 1:
            for units in (1, node.params["units"] // 2):
                new = clone(node)
                new.params["units"] = max(1, units)
                yield put(tree, path, new)


def nodes_with_paths(tree, path=()):
    yield path, tree
    for i, c in enumerate(tree.children):
        yield from nodes_with_paths(c, path + (i,))


def clone(node: gen.Node) -> gen.Node:
    return gen.Node.from_json(json.loads(json.dumps(node.to_json())))


def get(tree, path):
    for i in path:
        tree = tree.children[i]
    return tree


def put(tree, path, new):
    if not path:
        return clone(new)
    root = clone(tree)
    parent = get(root, path[:-1])
    parent.children[path[-1]] = clone(new)
    return root


def shrink(ctx: Ctx, tree: gen.Node, status: str, had_manual: bool, safe_only: bool = False,
           budget: int = 200, log=print) -> tuple[gen.Node, dict]:
    """Greedy delta debugging: take the first edit that keeps the disagreement (same status;
    no MANUAL finding if the case had none), until no edit does or the budget is spent.
    safe_only: the case came from the --safe-only migration, and so do the checks."""
    with tempfile.TemporaryDirectory(prefix="difftest-shrink-") as tmp:
        best = check_tree(ctx, tree, Path(tmp), safe_only)
        if best["status"] != status:
            log(f"  not reproduced: {best['status']}")
            return tree, best
        tries = 0
        improved = True
        seen = {best["original"]}  # programs tried (a failed edit is not tried again)
        while improved and tries < budget:
            improved = False
            for cand in edits(tree):
                text = gen.render(cand)
                if text in seen:
                    continue
                seen.add(text)
                tries += 1
                res = check_tree(ctx, cand, Path(tmp), safe_only, quick=True)
                if res["status"] == status and (had_manual or not res.get("findings")):
                    tree, best = cand, res
                    improved = True
                    log(f"  shrunk to {len(text.splitlines())} lines "
                        f"({cand.count_idioms()} idioms)")
                    break
                if tries >= budget:
                    break
        final = check_tree(ctx, tree, Path(tmp), safe_only)  # with the blame and trio
        if final["status"] == status:
            best = final
    return tree, best


# --------------------------------------------------------------------------------------------
# Reporting


OUTCOMES = [("same", "same trace"), ("safe_violation", "SAFE violations"),
            ("unsafe_difference", "UNSAFE differences"), ("refusal", "tool refusals"),
            ("crash", "crashes (migrated program did not run)"),
            ("crash_named", "crashes at a spot a MANUAL finding names"),
            ("order_only", "order only (same events per time slot)"),
            ("flaky", "flaky (difference not reproduced)"),
            ("discarded", "discarded (no valid program in 5 attempts)")]


def unsafe_codes(res) -> list[str]:
    """The codes of the UNSAFE rewrites applied, sorted."""
    return sorted({f["code"] for f in res["fixes"] if f["verdict"] == "UNSAFE"})


def categorised(res, key: str) -> dict:
    """A program and the categories res[key] of its UNSAFE difference, for summary.json."""
    return {"seed": res["seed"], "index": res["index"], "categories": res[key],
            "codes": unsafe_group(res)}


def unsafe_group(res) -> str:
    return " + ".join(unsafe_codes(res))


def blame_text(r: dict) -> str:
    if not r.get("blame"):
        return "no single code (rewrites interact)" if "blame" in r else "not computed"
    def verdicts(code):
        return "/".join(sorted({f["verdict"] for f in r["fixes"] if f["code"] == code}))
    return ", ".join(f"{c} ({verdicts(c)})" for c in r["blame"])


def edge_only(r: dict) -> bool:
    """The blamed rewrites are all SAFE (edge): check whether their note names the case."""
    verdicts = {f["verdict"] for f in r["fixes"] if f["code"] in (r.get("blame") or [])}
    return verdicts == {"SAFE (edge)"}


def violation_line(r: dict) -> str:
    return (f"seed {r['seed']} index {r['index']} attempt {r['attempt']}: blame "
            f"{blame_text(r)}{' (+MANUAL findings)' if r.get('findings') else ''}")


def summarise(results: list[dict], elapsed: float, args) -> tuple[str, dict]:
    status = Counter(r["status"] for r in results)
    discarded = Counter()
    for r in results:
        discarded.update(r.get("discarded", {}))
    rewrites = Counter((f["code"], f["verdict"]) for r in results for f in r.get("fixes", []))
    verdicts = Counter(f["verdict"] for r in results for f in r.get("fixes", []))
    manual = Counter(f["code"] for r in results for f in r.get("findings", []))
    unsafe = Counter(unsafe_group(r) for r in results if r["status"] == "unsafe_difference")
    unsafe_total = Counter(unsafe_group(r) for r in results
                           if any(f["verdict"] == "UNSAFE" for f in r.get("fixes", [])))
    trio = Counter(r.get("trio") for r in results if r.get("trio"))
    with_manual = sum(1 for r in results if r.get("findings"))
    crash_manual = sum(1 for r in results
                       if r["status"] in ("crash", "crash_named") and r.get("findings"))
    violations = [r for r in results if r["status"] == "safe_violation"]
    safe_only = Counter(r["safe_only"]["status"] for r in results if r.get("safe_only"))
    hidden = [safe_only_view(r) for r in results
              if r.get("safe_only", {}).get("status") == "safe_violation"]
    out = io.StringIO()
    def w(line=""):
        print(line, file=out)
    w(f"difftest: seed {args.seed}, {len(results)} programs, {elapsed:.0f} s "
      f"({args.jobs} jobs)")
    w(f"  programs regenerated: {sum(discarded.values())} "
      f"({', '.join(f'{k} {v}' for k, v in sorted(discarded.items())) or 'none'})")
    w()
    w("outcome                                         programs")
    for key, label in OUTCOMES:
        w(f"  {label:<45} {status.get(key, 0):>6}")
    w(f"  programs with MANUAL findings                 {with_manual:>6}"
      f"  (of which crashed: {crash_manual})")
    w("  the UNSAFE-differing programs migrated again with --safe-only: "
      + (", ".join(f"{k} {v}" for k, v in sorted(safe_only.items())) or "none"))
    w()
    w("rewrites by verdict: " + ", ".join(f"{v} {n}" for v, n in sorted(verdicts.items())))
    w("rewrites by code                                      verdict        count")
    for (code, verdict), n in sorted(rewrites.items(), key=lambda x: (-x[1], x[0])):
        w(f"  {code:<52} {verdict:<14} {n:>5}")
    w()
    w("MANUAL findings by code                               count")
    for code, n in manual.most_common():
        w(f"  {code:<52} {n:>5}")
    w()
    w("UNSAFE differences by code (differing / programs with those UNSAFE rewrites)")
    for group, n in unsafe.most_common():
        w(f"  {group:<70} {n:>4} / {unsafe_total[group]}")
    w()
    cats = Counter(c for r in results if r["status"] == "unsafe_difference"
                   for c in r.get("categories", []))
    by_code = Counter((c, code) for r in results if r["status"] == "unsafe_difference"
                      for c in r.get("categories", []) for code in unsafe_codes(r))
    w("UNSAFE differences by category (programs; then by UNSAFE code present)")
    for c, n in cats.most_common():
        w(f"  {c:<20} {n:>5}  " + ", ".join(f"{code} {m}" for (cc, code), m
                                             in by_code.most_common() if cc == c))
    unexpl = [r for r in results if r["status"] == "unsafe_difference" and r.get("unexplained")]
    by_edges = [r for r in results
                if r["status"] == "unsafe_difference" and r.get("shown_by_safe_only")]
    w("UNSAFE differences whose unannounced categories the --safe-only migration shows too "
      f"(the SAFE (edge) rewrites' doing, listed with its SAFE violations): {len(by_edges)}")
    w(f"UNSAFE differences no applied note announces: {len(unexpl)}")
    for r in unexpl:
        w(f"  seed {r['seed']} index {r['index']}: {', '.join(r['unexplained'])} "
          f"(codes: {unsafe_group(r)})")
    w()
    w("trio backend (programs with no asyncio left): "
      + ", ".join(f"{k} {v}" for k, v in sorted(trio.items())))
    w()
    w(f"SAFE violations: {len(violations)} "
      f"(blamed on SAFE (edge) rewrites only: {sum(edge_only(r) for r in violations)})")
    for r in violations:
        w("  " + violation_line(r))
    changed = Counter(c for r in results for c in r.get("manual_changed", []))
    w(f"MANUAL findings whose line the migration changed: {sum(changed.values())}"
      + "".join(f"\n  {c} {n}" for c, n in changed.most_common()))
    named = [r for r in results if r["status"] == "crash_named"]
    w(f"crashes at a spot a MANUAL finding names (review that the finding explains it): "
      f"{len(named)}")
    for r in named:
        w(f"  seed {r['seed']} index {r['index']} attempt {r['attempt']}: {r['named_by']}")
    w(f"SAFE violations of the --safe-only migration (hidden by UNSAFE rewrites): {len(hidden)}")
    for r in hidden:
        w("  " + violation_line(r))
    summary = {
        "seed": args.seed, "programs": len(results), "seconds": round(elapsed),
        "jobs": args.jobs, "outcomes": dict(status), "regenerated": dict(discarded),
        "rewrites": {f"{c} {v}": n for (c, v), n in sorted(rewrites.items())},
        "verdicts": dict(verdicts), "manual_findings": dict(manual),
        "programs_with_manual": with_manual, "crashes_with_manual": crash_manual,
        "unsafe_differences": dict(unsafe), "unsafe_programs": dict(unsafe_total),
        "trio": dict(trio),
        "safe_violations": [{"seed": r["seed"], "index": r["index"], "attempt": r["attempt"],
                             "blame": r.get("blame"), "edge_only": edge_only(r),
                             "codes": sorted({f["code"] for f in r["fixes"]})}
                            for r in violations],
        "unsafe_categories": dict(cats),
        "unsafe_categories_by_code": {f"{c} {code}": n for (c, code), n in by_code.items()},
        "unexplained": [categorised(r, "unexplained") for r in unexpl],
        "shown_by_safe_only": [categorised(r, "shown_by_safe_only") for r in by_edges],
        "manual_lines_changed": dict(changed),
        "crashes_named": [{"seed": r["seed"], "index": r["index"], "attempt": r["attempt"],
                           "finding": r["named_by"]} for r in named],
        "safe_only_pass": dict(safe_only),
        "safe_only_violations": [{"seed": r["seed"], "index": r["index"],
                                  "attempt": r["attempt"], "blame": r.get("blame"),
                                  "edge_only": edge_only(r),
                                  "codes": sorted({f["code"] for f in r["fixes"]})}
                                 for r in hidden],
    }
    return out.getvalue(), summary


def safe_only_view(r: dict) -> dict:
    """The program with its --safe-only migration in place of the full one."""
    sub = r["safe_only"]
    view = {**r, **{k: v for k, v in sub.items() if k != "migrated_traces"}}
    view["traces"] = {"original": r["traces"]["original"], **sub["migrated_traces"]}
    return view


def keep_case(root: Path, name: str, res: dict) -> Path:
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "original.py").write_text(res["original"], encoding="utf-8")
    if res.get("migrated") is not None:
        (d / "migrated.py").write_text(res["migrated"], encoding="utf-8")
    (d / "migration.diff").write_text(res.get("diff", ""), encoding="utf-8")
    (d / "tree.json").write_text(json.dumps(res["tree"], indent=1) + "\n", encoding="utf-8")
    for k, v in res.get("traces", {}).items():
        (d / f"trace.{k}.txt").write_text(v + "\n", encoding="utf-8")
    meta = {k: res.get(k) for k in ("seed", "index", "attempt", "status", "safe_only_mode",
                                    "blame", "fixes", "findings", "withheld", "tool",
                                    "left_asyncio", "trio", "detail", "trio_detail")}
    (d / "case.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    (d / "traces.diff").write_text(trace_diff(res), encoding="utf-8")
    return d


def trace_diff(res: dict) -> str:
    t = res.get("traces", {})
    out = []
    for backend in ("asyncio", "trio"):
        if backend in t and t[backend] != t["original"]:
            out += difflib.unified_diff(t["original"].splitlines(), t[backend].splitlines(),
                                        "original (asyncio.run)", f"migrated (anyio, {backend})",
                                        lineterm="")
    return "\n".join(out) + "\n"


def write_shrunk(d: Path, res: dict) -> None:
    (d / "min.py").write_text(res["original"], encoding="utf-8")
    if res.get("migrated") is not None:
        (d / "min.migrated.py").write_text(res["migrated"], encoding="utf-8")
    (d / "min.tree.json").write_text(json.dumps(res["tree"], indent=1) + "\n", encoding="utf-8")
    (d / "min.diff").write_text(res.get("diff", ""), encoding="utf-8")
    (d / "min.traces.diff").write_text(trace_diff(res), encoding="utf-8")
    meta = {k: res.get(k) for k in ("status", "safe_only_mode", "blame", "fixes", "findings",
                                    "detail")}
    (d / "min.case.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first program index")
    ap.add_argument("--indices", type=Path, metavar="FILE",
                    help="run the program indices listed in FILE (one per line) instead of "
                         "--start/--count, e.g. the UNSAFE differences of an earlier run")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--max-seconds", type=float,
                    help="start no program after this many seconds (the summary covers the "
                         "programs run)")
    ap.add_argument("--keep", type=Path, help="folder for the summary and the kept cases")
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "anyio-migrate"))
    ap.add_argument("--python", default=os.environ.get(
        "PYTHON", str(REPO / "target" / "pyenv" / "bin" / "python")))
    ap.add_argument("--target-anyio", default="4.16")
    ap.add_argument("--anyio-path", metavar="DIR",
                    help="a folder holding another anyio release (and its trio), put first on "
                         "the programs' PYTHONPATH; pair it with --target-anyio of that release "
                         "(the test command installs the floors under target/anyio-floors/)")
    ap.add_argument("--target-python", default="3.11",
                    help="the programs use Python 3.11 APIs (TaskGroup, asyncio.timeout)")
    ap.add_argument("--shrink", action="store_true",
                    help="minimise every SAFE violation and crash (needs --keep)")
    ap.add_argument("--shrink-case", type=Path, help="minimise this kept case folder, then exit")
    ap.add_argument("--shrink-budget", type=int, default=200)
    ap.add_argument("--fail-on-violation", action="store_true",
                    help="exit 1 on a SAFE violation not blamed on SAFE (edge) rewrites only (also "
                         "one the --safe-only migration shows), a crash or a refusal (CI)")
    args = ap.parse_args(argv)
    for what, path in (("--bin", args.bin), ("--python", args.python)):
        if not Path(path).exists():
            print(f"difftest: {what} {path} does not exist", file=sys.stderr)
            return 2
    ctx = Ctx(args.python, args.bin, args.target_anyio, args.target_python, args.anyio_path)

    if args.shrink_case:
        meta = json.loads((args.shrink_case / "case.json").read_text(encoding="utf-8"))
        tree = gen.Node.from_json(json.loads((args.shrink_case / "tree.json").read_text()))
        print(f"shrinking {args.shrink_case} ({meta['status']})")
        tree, res = shrink(ctx, tree, meta["status"], bool(meta.get("findings")),
                           bool(meta.get("safe_only_mode")), args.shrink_budget)
        write_shrunk(args.shrink_case, res)
        print(f"wrote {args.shrink_case / 'min.py'} ({res['status']})")
        return 0

    indices = range(args.start, args.start + args.count)
    if args.indices:
        indices = [int(x) for x in args.indices.read_text(encoding="utf-8").split()]
        args.count = len(indices)
    started = time.monotonic()
    results = []
    done = 0
    lock = threading.Lock()

    def one(i):
        nonlocal done
        if args.max_seconds and time.monotonic() - started > args.max_seconds:
            return None  # out of time: not started
        r = examine(ctx, args.seed, i)
        with lock:
            done += 1
            if r["status"] not in ("same",) or done % 50 == 0:
                extra = f" [{unsafe_group(r)}]" if r["status"] == "unsafe_difference" else ""
                print(f"[{done}/{args.count}] index {i}: {r['status']}{extra}",
                      file=sys.stderr, flush=True)
        return r

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = [r for r in pool.map(one, indices) if r]
    if len(results) < args.count:
        print(f"difftest: time limit reached, {len(results)} of {args.count} programs run",
              file=sys.stderr)
    elapsed = time.monotonic() - started
    text, summary = summarise(results, elapsed, args)
    print(text)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        with open(args.keep / "results.jsonl", "w", encoding="utf-8") as f:
            for r in results:
                line = {k: r.get(k) for k in ("seed", "index", "attempt", "status", "trio",
                                              "left_asyncio", "fixes", "findings",
                                              "manual_changed", "discarded", "categories",
                                              "unexplained", "shown_by_safe_only", "traces")}
                line["safe_only"] = (r.get("safe_only") or {}).get("status")
                f.write(json.dumps(line) + "\n")
        per_group = Counter()
        kept = []
        for r in results:
            name = f"{r['status']}-{r['seed']}-{r['index']}"
            if r["status"] in ("safe_violation", "crash", "refusal", "crash_named"):
                kept.append((keep_case(args.keep, name, r), r))
            elif r["status"] == "unsafe_difference":
                if r["safe_only"]["status"] in ("safe_violation", "crash", "refusal"):
                    v = safe_only_view(r)
                    kept.append((keep_case(args.keep, f"safe_only_{v['status']}-{r['seed']}-"
                                           f"{r['index']}", v), v))
                g = unsafe_group(r)
                per_group[g] += 1
                if per_group[g] <= 3:
                    keep_case(args.keep / "unsafe", name, r)
                if r.get("unexplained"):
                    keep_case(args.keep / "unexplained", name, r)
            elif r.get("trio") in ("differs", "crash", "flaky"):
                keep_case(args.keep / "trio", f"trio-{r['trio']}-{r['seed']}-{r['index']}", r)
        if args.shrink:
            for d, r in kept:
                if r["status"] not in ("safe_violation", "crash"):
                    continue
                print(f"shrinking {d.name}", file=sys.stderr)
                _, res = shrink(ctx, gen.Node.from_json(r["tree"]), r["status"],
                                bool(r.get("findings")), bool(r.get("safe_only_mode")),
                                args.shrink_budget, log=lambda s: print(s, file=sys.stderr))
                write_shrunk(d, res)
            summary["seconds_with_shrinking"] = round(time.monotonic() - started)
        (args.keep / "summary.json").write_text(json.dumps(summary, indent=1) + "\n",
                                                encoding="utf-8")
        (args.keep / "summary.txt").write_text(text, encoding="utf-8")
    if args.fail_on_violation:
        hidden = [safe_only_view(r) for r in results
                  if r.get("safe_only", {}).get("status") == "safe_violation"]
        bad = [r for r in results + hidden
               if r["status"] in ("safe_violation", "crash", "refusal")
               and not (r["status"] == "safe_violation" and edge_only(r))]
        if bad:
            print(f"difftest: {len(bad)} SAFE violation(s) not blamed on SAFE (edge) rewrites, "
                  "crash(es) or refusal(s)", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
