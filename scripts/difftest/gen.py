#!/usr/bin/env python3
"""Seeded generator of small asyncio programs for differential testing of anyio-migrate.

A program is built in two steps:

1. `build_tree(rng, n_idioms)` draws a random tree of 1-4 *idioms* (gather, wait_for, a
   timeout block, shield, create_task, TaskGroup, a Queue, Lock / Event / Semaphore /
   Condition, CancelledError and TimeoutError handlers, plain sequential awaits) whose free
   child slots are *leaves* (a coroutine that sleeps in one of several ways, runs a thread,
   waits on a Future fed by a loop callback, and may fail). Every random choice is stored in
   the tree (`Node.params`), so the tree alone determines the program.
2. `render(tree)` turns the tree into the program text, deterministically: one helper
   coroutine `nK()` per node (pre-order numbering), then `main()` printing a trace, then
   `if __name__ == "__main__": asyncio.run(main())`.

The trace is what `log()` prints: one event per line, stamped with the whole time units (of
UNIT_S seconds) since main() started; run.py compares the messages, and forgives a different
order among events stamped with the same unit (tasks due at the same instant).

Timings: the leaves sleep whole units (a thread leaf 0.15 units more, see THREAD_OFFSET).
Each rendered node knows the earliest and latest time (in units) it can finish (`Info.lo` /
`Info.hi`), so a timeout meant to be hit is at least MARGIN units below the work's earliest
end and one meant to be missed is at least MARGIN units above its latest end; timeouts fall
DEADLINE_OFFSET into a unit so that they never tie with a sleep (threads end THREAD_OFFSET
and failures FAIL_OFFSET into a unit; one leaf per program fails at once). The runner also runs every program twice
and drops those whose traces differ. The minimiser (run.py --shrink) edits trees and
re-renders them: an idiom's timeout is re-derived from the new children, so "hit" stays hit.

Usage:
    gen.py --seed S [--count N] [--index I] [--out DIR] [--tree] [--validate]
prints (or writes into DIR as prog_<seed>_<index>.py) the programs; --validate runs each
twice under asyncio (PYTHON=..., default target/pyenv/bin/python) and lists the programs
that fail or give two traces. Program I of seed S is tree `program_tree(S, I)` (run.py tries
attempts 1, 2, ... when attempt 0 is unusable; --attempt A).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

# One time unit in seconds. Within a unit the events come in this order: the timers of whole
# units end (0), the threads (THREAD_OFFSET), the failures after a timer (FAIL_OFFSET), the
# deadlines (DEADLINE_OFFSET), 3, 5, 5 and 7 ms apart. asyncio's timers fire up to 2 ms late
# (epoll rounds its timeout up to a millisecond, and starting a worker thread holds the loop up
# about 1 ms), so at 10 ms a unit a failure due 1.5 ms before a sibling's end fired after it
# in 2 of 3 runs of the same program (seed 11 index 275).
UNIT_S = 0.02
MARGIN = 4  # units between a timeout and the end of the work it does or does not cut
MAX_LEAF_UNITS = 9
# A thread leaf sleeps this much longer than its whole units: a worker thread's start and its
# result's hand-over take longer under anyio than under asyncio, so a thread and a timer due
# at the same whole unit would finish in either order. A thread can only be late, never early,
# so the offset is small (at 10 ms a unit, a thread due 3 ms into a unit met a deadline under
# load: seed 13 index 5470).
THREAD_OFFSET = 0.15
# A leaf that fails after a timer sleeps this much longer than its whole units, so that a
# failure never ties with a sibling's end (which of two timers due at the same unit fires
# first depends on microseconds of start-up, and decides whether the sibling is cancelled).
FAIL_OFFSET = 0.4
# Deadlines (timeouts, the sleeps timed to end before or after a task) fall this far into a
# unit: never on a whole unit, where the timers end.
DEADLINE_OFFSET = 0.65
# Leaf styles that run `block()` in a worker thread (to_thread, run_in_executor).
THREAD_STYLES = ("thread", "executor", "executor_inline", "thread_kw")
TIMER_STYLES = ("literal", "computed", "param", "result", "future_later", "future_event_loop",
                "clock")

# Which awaitable expressions an idiom may receive for a child (see Renderer.awaitable):
AWAIT_ANY = ("coro", "task", "future", "awaitobj", "method", "param", "self")
CORO_ONLY = ("coro", "method", "param", "self")  # create_task / tg.create_task need coroutines


# --------------------------------------------------------------------------------------------
# The tree


@dataclass
class Node:
    kind: str  # "leaf" or an idiom name (IDIOMS)
    params: dict = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"kind": self.kind, "params": self.params,
                "children": [c.to_json() for c in self.children]}

    @staticmethod
    def from_json(d: dict) -> Node:
        return Node(d["kind"], dict(d["params"]), [Node.from_json(c) for c in d["children"]])

    def count_idioms(self) -> int:
        return (self.kind != "leaf") + sum(c.count_idioms() for c in self.children)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


# Each option list starts with its simplest value (the minimiser moves parameters towards it);
# a tuple of weights may follow. "blocking" (time.sleep in the coroutine) is off: it stops the
# loop, so a deadline passed meanwhile ties with whatever else became due, and the order of
# the two is decided by how many loop iterations each side takes (noise, not a finding).
LEAF_OPTIONS = {
    "style": (["literal", "zero", "computed", "param", "negative", "result", "thread",
               "future_soon", "future_later", "blocking", "executor", "executor_inline",
               "thread_kw", "clock", "future_event_loop"],
              (30, 6, 10, 8, 6, 6, 10, 2, 2, 0, 4, 2, 3, 4, 2)),
    "fail": ([False, True], (88, 12)),
    "fail_when": (["after", "before"], (80, 20)),
}

IDIOMS: dict[str, dict] = {}  # name -> {"arity": (lo, hi), "options": {...}, "render": fn}


def idiom(name, arity, **options):
    def register(fn):
        IDIOMS[name] = {"arity": arity, "options": options, "render": fn}
        return fn
    return register


def choose(rng: random.Random, spec):
    values, weights = spec if isinstance(spec, tuple) else (spec, None)
    return rng.choices(values, weights=weights)[0] if weights else rng.choice(values)


def build_leaf(rng: random.Random) -> Node:
    params = {k: choose(rng, spec) for k, spec in LEAF_OPTIONS.items()}
    params["units"] = rng.randint(1, MAX_LEAF_UNITS)
    return Node("leaf", params)


def build_tree(rng: random.Random, n_idioms: int) -> Node:
    """A random tree with exactly n_idioms idiom nodes (>= 1); free slots become leaves."""
    name = rng.choice(sorted(IDIOMS))
    spec = IDIOMS[name]
    params = {k: choose(rng, opt) for k, opt in spec["options"].items()}
    arity = rng.randint(*spec["arity"])
    params["kinds"] = [choose(rng, (list(AWAIT_ANY), (66, 7, 2, 7, 7, 6, 5)))
                       for _ in range(arity)]
    budget = [0] * arity
    for _ in range(n_idioms - 1):
        budget[rng.randrange(arity)] += 1
    children = [build_tree(rng, b) if b else build_leaf(rng) for b in budget]
    return Node(name, params, children)


def program_tree(seed: int, index: int, attempt: int = 0) -> Node:
    rng = random.Random(f"difftest:{seed}:{index}:{attempt}")
    return build_tree(rng, rng.randint(1, 4))


# --------------------------------------------------------------------------------------------
# Rendering


@dataclass
class Info:
    """A rendered node: its coroutine function and when it can finish (in units)."""
    name: str
    lo: int  # earliest end (normal or by an exception)
    hi: int  # latest end
    fails: bool  # may raise


def secs(units: float) -> str:
    return f"{round(units * UNIT_S, 4):g}"


def any_fail(kids) -> bool:
    return any(k.fails for k in kids)


def concurrent_lo(kids) -> int:
    """Earliest end of children run concurrently whose first failure ends the whole."""
    lo = max(k.lo for k in kids)
    failing = [k.lo for k in kids if k.fails]
    return min([lo] + failing)


def sequential_lo(kids) -> int:
    total, best = 0, None
    for k in kids:
        if k.fails:
            best = total + k.lo if best is None else min(best, total + k.lo)
        total += k.lo
    return total if best is None else min(best, total)


PRELUDE_PARTS = {
    "block": '''
def block(delay, value=None):
    time.sleep(delay)
    return value
''',
    "resolve": '''
def resolve(fut, value):
    if not fut.done():
        fut.set_result(value)
''',
    "future_of": '''
def future_of(fn):
    """A Future fed by a done-callback of the task running fn()."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def copy(task):
        if fut.done():
            return
        if task.cancelled():
            fut.cancel()
        elif task.exception() is not None:
            fut.set_exception(task.exception())
        else:
            fut.set_result(task.result())

    loop.create_task(fn()).add_done_callback(copy)
    return fut
''',
    "awaitobj": '''
class AwaitObj:
    """An awaitable that is not a coroutine."""

    def __init__(self, fn):
        self.fn = fn

    def __await__(self):
        return self.fn().__await__()
''',
    "method": '''
class Maker:
    def make(self, fn):
        return fn()


MAKER = Maker()
''',
    "self": '''
class Holder:
    def __init__(self, aw):
        self.aw = aw
''',
}


class Renderer:
    def __init__(self):
        self.defs: list[str] = []
        self.needs: set[str] = set()
        self.counter = 0
        self.thread_ends: set[int] = set()
        self.failed_early = False  # a leaf that fails at once was rendered
        # > 0 while rendering the children of an asyncio.as_completed: it starts them in the
        # order of a set (of object addresses), so nothing there may fail at once (below)
        self.unordered = 0

    def thread_units(self, units: int) -> int:
        """The whole units a thread leaf sleeps: the first not taken by another thread leaf of
        the program, so that two threads never end together (which of two equal threads
        hands its result over first depends on when each worker started: anyio starts its
        workers later than asyncio's executor, noise rather than a difference)."""
        while units in self.thread_ends:
            units += 1
        self.thread_ends.add(units)
        return units

    # -- awaitable expressions ----------------------------------------------------------------
    def awaitable(self, fn: FnBuilder, node: Node, i: int, kid: Info, allowed=AWAIT_ANY) -> str:
        """The expression handing child i to the idiom, in the kind the tree chose for it."""
        kinds = node.params.get("kinds", [])
        kind = kinds[i] if i < len(kinds) and kinds[i] in allowed else "coro"
        call = f"{kid.name}()"
        if kind == "coro":
            return call
        if kind == "task":
            return f"asyncio.create_task({call})"
        if kind in ("future", "awaitobj", "method"):
            self.needs.add({"future": "future_of", "awaitobj": "awaitobj",
                            "method": "method"}[kind])
            return {"future": f"future_of({kid.name})", "awaitobj": f"AwaitObj({kid.name})",
                    "method": f"MAKER.make({kid.name})"}[kind]
        if kind == "self":
            self.needs.add("self")
            fn.setup.append(f"h{i} = Holder({call})")
            return f"h{i}.aw"
        if kind == "param":
            fn.params.append((f"aw{i}", call))
            return f"aw{i}"
        raise ValueError(kind)

    # -- nodes -----------------------------------------------------------------------------------
    def render(self, node: Node) -> Info:
        name = f"n{self.counter}"
        self.counter += 1
        if node.kind == "leaf":
            return self.leaf(node, name)
        self.unordered += node.kind == "as_completed"
        kids = [self.render(c) for c in node.children]
        self.unordered -= node.kind == "as_completed"
        fn = FnBuilder(name)
        info = IDIOMS[node.kind]["render"](self, fn, node, kids)
        self.defs.append(fn.text())
        return info

    def leaf(self, node: Node, name: str) -> Info:
        p = node.params
        style, units = p["style"], p["units"]
        k = int(name[1:])
        if style in ("zero", "negative", "future_soon"):
            units = 0
        whole = units
        if p["fail"] and p["fail_when"] == "after" and style in TIMER_STYLES:
            units += FAIL_OFFSET
        sig = f"delay={secs(units)}" if style == "param" else ""
        body = [f'log("{name} start")']
        fail_before = p["fail"] and p["fail_when"] == "before"
        zero_time = p["fail"] and (fail_before or style in ("zero", "negative", "future_soon"))
        if zero_time and (self.failed_early or self.unordered):
            # one failure at once (no timer before it) per program: two of them in concurrent
            # branches tie, and which comes first depends on how many loop iterations each
            # branch took to start (seed 13 indices 2644, 8301); none under as_completed, which
            # starts its children in the order of a set of addresses, so whether a sibling
            # done at once comes before the failure changes with the memory layout (seed 15
            # indices 6253, 8706); this one fails after a timer instead
            end = whole + FAIL_OFFSET
            body += [f"await asyncio.sleep({secs(end)})", f'raise ValueError("{name} failed")']
            self.defs.append(f"async def {name}({sig}):\n" + indent(body) + "\n")
            return Info(name, end, whole + 1, True)
        self.failed_early = self.failed_early or zero_time
        if fail_before:
            body.append(f'raise ValueError("{name} failed early")')
            self.defs.append(f"async def {name}({sig}):\n" + indent(body) + "\n")
            return Info(name, 0, 0, True)
        value = str(k)
        if style in THREAD_STYLES:
            units = self.thread_units(units)
        work = {
            "literal": [f"await asyncio.sleep({secs(units)})"],
            "zero": ["await asyncio.sleep(0)"],
            "computed": [f"await asyncio.sleep({units} * UNIT)"],
            "param": ["await asyncio.sleep(delay)"],
            "negative": [f"await asyncio.sleep(UNIT * ({k % 3} - {k % 3 + 2}))"],
            "result": [f"value = await asyncio.sleep({secs(units)}, {k})"],
            "thread": [(f"value = await asyncio.to_thread(block, "
                        f"{secs(units + THREAD_OFFSET)}, {k})")],
            "future_soon": ["loop = asyncio.get_running_loop()", "fut = loop.create_future()",
                            f"loop.call_soon(resolve, fut, {k})", "value = await fut"],
            "future_later": ["loop = asyncio.get_running_loop()", "fut = loop.create_future()",
                             f"loop.call_later({secs(units)}, resolve, fut, {k})",
                             "value = await fut"],
            "future_event_loop": ["loop = asyncio.get_event_loop()",
                                  "fut = loop.create_future()",
                                  f"loop.call_later({secs(units)}, resolve, fut, {k})",
                                  "value = await fut"],
            "blocking": [f"time.sleep({secs(units)})"],
            "executor": ["loop = asyncio.get_running_loop()",
                         (f"value = await loop.run_in_executor(None, block, "
                          f"{secs(units + THREAD_OFFSET)}, {k})")],
            "executor_inline": [(f"value = await asyncio.get_running_loop().run_in_executor("
                                 f"None, block, {secs(units + THREAD_OFFSET)}, {k})")],
            "thread_kw": [(f"value = await asyncio.to_thread(block, "
                           f"{secs(units + THREAD_OFFSET)}, value={k})")],
            "clock": ["loop = asyncio.get_running_loop()",
                      f"end = loop.time() + {units} * UNIT",
                      "await asyncio.sleep(end - loop.time())"],
        }[style]
        if style in ("result", "future_soon", "future_later", "future_event_loop",
                     *THREAD_STYLES):
            value = "value"
        if style in THREAD_STYLES:
            self.needs.add("block")
        if style in ("future_soon", "future_later", "future_event_loop"):
            self.needs.add("resolve")
        body += ["done = False", "try:", *("    " + w for w in work), "    done = True",
                 "finally:", "    if not done:", f'        log("{name} cancelled")']
        if p["fail"]:
            body.append(f'raise ValueError("{name} failed")')
        else:
            body += [f'log("{name} done")', f"return {value}"]
        self.defs.append(f"async def {name}({sig}):\n" + indent(body) + "\n")
        if style in THREAD_STYLES:
            return Info(name, units + THREAD_OFFSET, units + 1, bool(p["fail"]))
        return Info(name, units, max(units, whole + (style == "blocking")), bool(p["fail"]))

    def program(self, tree: Node) -> str:
        root = self.render(tree)
        imports = "import asyncio\n" + ("import math\n" if "math" in self.needs else "")
        parts = [imports + "import time\n", f"UNIT = {UNIT_S}\nSTART = [0.0]\n", '''
def log(*args):
    """Print an event, stamped with the time since main() started, in whole units."""
    units = int((time.monotonic() - START[0]) / UNIT)
    print(f"{units:3d}", *args, flush=True)


def describe(exc):
    if isinstance(exc, BaseExceptionGroup):
        return type(exc).__name__ + "[" + ", ".join(describe(e) for e in exc.exceptions) + "]"
    msg = str(exc)
    return type(exc).__name__ + (": " + msg if msg else "")
''']
        parts += [text for key, text in PRELUDE_PARTS.items() if key in self.needs]
        parts += ["\n" + d for d in self.defs]
        parts.append(f'''
async def main():
    START[0] = time.monotonic()
    try:
        result = await {root.name}()
    except Exception as exc:
        log("main raised", describe(exc))
    else:
        log("main result", result)


if __name__ == "__main__":
    asyncio.run(main())
''')
        return "\n".join(p.rstrip("\n") + "\n" for p in parts)


class FnBuilder:
    """The coroutine function of one idiom node. Children passed as parameters (kind "param")
    make it `nK_body(aw0, ...)` plus a wrapper `nK()` that passes them."""

    def __init__(self, name: str):
        self.name = name
        self.setup: list[str] = []
        self.params: list[tuple[str, str]] = []
        self.body: list[str] = []
        self.inner: list[str] = []  # nested helper coroutines (inside the function)

    def text(self) -> str:
        body = self.setup + self.body
        if not self.params:
            return f"async def {self.name}():\n" + indent(body) + "\n"
        names = ", ".join(p for p, _ in self.params)
        args = ", ".join(a for _, a in self.params)
        return (f"async def {self.name}_body({names}):\n" + indent(body) + "\n\n\n"
                f"async def {self.name}():\n    return await {self.name}_body({args})\n")


def indent(lines, n=1) -> str:
    pad = "    " * n
    return "\n".join(pad + line if line else "" for line in lines)


def render(tree: Node) -> str:
    return Renderer().program(tree)


# --------------------------------------------------------------------------------------------
# Idioms: one function each. `fn.body` gets the lines of the node's coroutine; the function
# returns when it can end. `kids` are the rendered children (in order).


@idiom("seq", (2, 3))
def idiom_seq(r: Renderer, fn: FnBuilder, node: Node, kids: list[Info]) -> Info:
    """Plain sequential awaits of any kind of awaitable."""
    names = []
    for i, k in enumerate(kids):
        fn.body.append(f"r{i} = await {r.awaitable(fn, node, i, k)}")
        names.append(f"r{i}")
    fn.body += [f'log("{fn.name} seq", {", ".join(names)})', f"return [{', '.join(names)}]"]
    return Info(fn.name, sequential_lo(kids), sum(k.hi for k in kids), any_fail(kids))


@idiom("gather", (2, 3), style=["used", "discarded", "return_exceptions"],
       handler=([False, True], (75, 25)))
def idiom_gather(r, fn, node, kids):
    """asyncio.gather: results used / discarded / return_exceptions=True, optionally under
    a ValueError handler in the same function."""
    args = ", ".join(r.awaitable(fn, node, i, k) for i, k in enumerate(kids))
    style = node.params["style"]
    if style == "used":
        work = [f"rs = await asyncio.gather({args})", f'log("{fn.name} gather", rs)']
    elif style == "discarded":
        work = [f"await asyncio.gather({args})", f'log("{fn.name} gathered")', "rs = None"]
    else:
        work = [f"rs = await asyncio.gather({args}, return_exceptions=True)",
                "rs = [describe(x) if isinstance(x, BaseException) else x for x in rs]",
                f'log("{fn.name} gather", rs)']
    if node.params["handler"]:
        fn.body += ["try:", *("    " + w for w in work), "except ValueError as exc:",
                    f'    log("{fn.name} caught", describe(exc))', "    rs = None"]
    else:
        fn.body += work
    fn.body.append("return rs")
    if style == "return_exceptions":
        return Info(fn.name, max(k.lo for k in kids), max(k.hi for k in kids), False)
    return Info(fn.name, concurrent_lo(kids), max(k.hi for k in kids), any_fail(kids))


def timeout_units(node: Node, kid_lo: float, kid_hi: float) -> tuple[float, bool]:
    """The timeout for the node's intent ("hit" or "miss"), re-derived from the children so
    it stays right when the minimiser changes them; a hit that cannot be timed safely
    becomes a miss. Returns (units, hit). Timeouts fall DEADLINE_OFFSET into a unit,
    away from the whole units where the leaves' sleeps end, so a deadline never ties with
    another event."""
    extra = node.params.get("slack", 0)
    if node.params["intent"] == "hit" and kid_lo >= MARGIN + 1:
        whole = int(kid_lo - MARGIN)
        return max(0, whole - 1 - extra % max(1, whole)) + DEADLINE_OFFSET, True
    return int(kid_hi) + MARGIN + extra + DEADLINE_OFFSET, False


@idiom("wait_for", (1, 1), form=["stmt", "uncaught", "move_on", "hoisted", "none"],
       intent=["miss", "hit"], keyword=[False, True], exc=["asyncio.TimeoutError", "TimeoutError"],
       slack=[0, 1, 2, 3])
def idiom_wait_for(r, fn, node, kids):
    """asyncio.wait_for(aw, t): timeout hit / missed, caught / uncaught, the move-on form
    (`except TimeoutError: pass`), hoisted out of an expression, and timeout None."""
    k = kids[0]
    form = node.params["form"]
    t, hit = timeout_units(node, k.lo, k.hi)
    tout = "None" if form == "none" else secs(t)
    if form == "none":
        hit = False
    tout = f"timeout={tout}" if node.params["keyword"] else tout
    call = f"asyncio.wait_for({r.awaitable(fn, node, 0, k)}, {tout})"
    exc = node.params["exc"]
    if form == "move_on":
        fn.body += ["r = None", "try:", f"    r = await {call}", f"except {exc}:", "    pass"]
    elif form == "hoisted":
        fn.body += ["r = None", "try:", f'    log("{fn.name} got", await {call})',
                    f"except {exc}:", f'    log("{fn.name} timed out")']
    elif form in ("uncaught", "none"):
        fn.body.append(f"r = await {call}")
    else:
        fn.body += ["try:", f"    r = await {call}", f"except {exc}:",
                    f'    log("{fn.name} timed out")', "    r = None"]
    fn.body += [f'log("{fn.name} wait_for", r)', "return r"]
    if hit:
        return Info(fn.name, t, t + 1, form == "uncaught" or k.fails)
    return Info(fn.name, k.lo, k.hi, k.fails)


@idiom("timeout", (1, 2), form=["plain", "as_cm", "timeout_at", "none"], intent=["miss", "hit"],
       caught=([True, False], (80, 20)), exc=["TimeoutError", "asyncio.TimeoutError"],
       slack=[0, 1, 2, 3])
def idiom_timeout(r, fn, node, kids):
    """`async with asyncio.timeout(t)` (or `as cm` with cm.expired(), timeout_at on the loop's
    clock, timeout None) around one or two awaits; hit / missed, caught / uncaught."""
    form = node.params["form"]
    lo, hi = sequential_lo(kids), sum(k.hi for k in kids)
    t, hit = timeout_units(node, lo, hi)
    if form == "none":
        hit = False
    inner = []
    for i, k in enumerate(kids):
        inner.append(f"r{i} = await {r.awaitable(fn, node, i, k)}")
    names = [f"r{i}" for i in range(len(kids))]
    fn.body += [f"{n} = None" for n in names]
    if form == "timeout_at":
        fn.body.append("loop = asyncio.get_running_loop()")
        header = f"async with asyncio.timeout_at(loop.time() + {secs(t)}):"
    elif form == "as_cm":
        header = f"async with asyncio.timeout({secs(t)}) as cm:"
    elif form == "none":
        header = "async with asyncio.timeout(None):"
    else:
        header = f"async with asyncio.timeout({secs(t)}):"
    block = [header, *("    " + w for w in inner)]
    if node.params["caught"]:
        fn.body += ["try:", *("    " + b for b in block), f"except {node.params['exc']}:",
                    f'    log("{fn.name} timed out")']
    else:
        fn.body += block
    if form == "as_cm":
        fn.body.append(f'log("{fn.name} expired", cm.expired())')
    fn.body += [f'log("{fn.name} timeout block", {", ".join(names)})',
                f"return [{', '.join(names)}]"]
    if hit:
        return Info(fn.name, t, t + 1, not node.params["caught"] or any_fail(kids))
    return Info(fn.name, lo, hi, any_fail(kids))


@idiom("shield", (1, 1), form=["stmt", "value"])
def idiom_shield(r, fn, node, kids):
    """await asyncio.shield(aw), as a statement or with its value used."""
    k = kids[0]
    aw = r.awaitable(fn, node, 0, k)
    if node.params["form"] == "stmt":
        fn.body += [f"await asyncio.shield({aw})", f'log("{fn.name} shielded")', "return None"]
    else:
        fn.body += [f"r = await asyncio.shield({aw})", f'log("{fn.name} shielded", r)',
                    "return r"]
    return Info(fn.name, k.lo, k.hi, k.fails)


@idiom("create_task", (1, 2), form=["await", "cancel", "cancel_finally", "passed", "done"],
       spelling=["create_task", "ensure_future", "loop"], intent=["finish", "cancel"],
       target=(["child", "forever"], (85, 15)))
def idiom_create_task(r, fn, node, kids):
    """A task created with asyncio.create_task / ensure_future /
    get_running_loop().create_task while other work runs (a second child, or a sleep timed to
    end before the task can, or after it surely has), then awaited (directly, after logging
    t.done(), or passed on to a coroutine that awaits it), or cancelled: its end observed by
    awaiting it under `except CancelledError`, or by t.cancelled() after a cancel in a
    `finally:`. target "forever": the task sleeps `math.inf` until cancelled (the child then
    runs as the other work)."""
    form = node.params["form"]
    if node.params.get("target") == "forever":
        r.needs.add("math")
        fn.body += ["async def forever():", "    try:", "        await asyncio.sleep(math.inf)",
                    "    finally:", f'        log("{fn.name} forever cancelled")', ""]
        coro = "forever()"
        k = Info("forever", 10**6, 10**6, False)
        kids = [k, *kids]
        if form not in ("cancel", "cancel_finally"):
            form = "cancel"
    else:
        k = kids[0]
        coro = r.awaitable(fn, node, 0, k, CORO_ONLY)
    spelling = node.params["spelling"]
    maker = ("asyncio.get_running_loop().create_task" if spelling == "loop"
             else f"asyncio.{spelling}")
    fn.body.append(f"t = {maker}({coro})")
    if len(kids) > 1:
        other = kids[1]
        work = [f"r1 = await {r.awaitable(fn, node, 1, other)}"]
    else:
        w = int(k.lo) - MARGIN + DEADLINE_OFFSET \
            if node.params["intent"] == "cancel" and k.lo > MARGIN \
            else int(k.hi) + MARGIN + DEADLINE_OFFSET
        work = [f"await asyncio.sleep({secs(w)})", "r1 = None"]
        other = Info("", w, w, False)
    if form in ("await", "passed", "done"):
        if form == "passed":
            fn.body[:0] = ["async def finish(task):", "    return await task", ""]
            wait = ["r0 = await finish(t)"]
        elif form == "done":
            wait = [f'log("{fn.name} done before", t.done())', "r0 = await t",
                    f'log("{fn.name} done after", t.done())']
        else:
            wait = ["r0 = await t"]
        fn.body += work + wait + [f'log("{fn.name} task", r0, r1)', "return [r0, r1]"]
        return Info(fn.name, concurrent_lo([k, other]), max(k.hi, other.hi),
                    k.fails or other.fails)
    if form == "cancel":
        fn.body += work + ["t.cancel()", "try:", "    await t", "except asyncio.CancelledError:",
                           f'    log("{fn.name} task cancelled")']
    else:
        fn.body += ["try:", *("    " + w for w in work), "finally:", "    t.cancel()",
                    "await asyncio.sleep(0)"]
    fn.body += [f'log("{fn.name} cancelled", t.cancelled())', "return r1"]
    return Info(fn.name, other.lo, other.hi + 1, other.fails or (form == "cancel" and k.fails))


@idiom("task_group", (2, 3), form=["names", "comprehension", "await_inside"],
       handler=([False, True], (70, 30)))
def idiom_task_group(r, fn, node, kids):
    """async with asyncio.TaskGroup() as tg: handles read after the block (or one awaited
    inside it), optionally under `except* ValueError`."""
    form = node.params["form"]
    block = ["async with asyncio.TaskGroup() as tg:"]
    n = len(kids)
    if form == "comprehension":  # coroutine calls only: the kinds are not used
        fns = ", ".join(k.name for k in kids)
        block.append(f"    ts = [tg.create_task(f()) for f in ({fns},)]")
        results = "[t.result() for t in ts]"
    else:
        for i, k in enumerate(kids):
            block.append(f"    t{i} = tg.create_task({r.awaitable(fn, node, i, k, CORO_ONLY)})")
        if form == "await_inside":
            block.append(f'    log("{fn.name} first", await t0)')
        results = "[" + ", ".join(f"t{i}.result()" for i in range(n)) + "]"
    block.append(f"rs = {results}")
    if node.params["handler"]:  # (no return in an except* block)
        fn.body += ["rs = None", "try:", *("    " + b for b in block),
                    "except* ValueError as eg:", f'    log("{fn.name} caught", describe(eg))']
    else:
        fn.body += block
    fn.body += [f'log("{fn.name} group", rs)', "return rs"]
    return Info(fn.name, concurrent_lo(kids), max(k.hi for k in kids) + 1, any_fail(kids))


@idiom("queue", (2, 3), form=["sentinel", "count", "join", "drain"], maxsize=[0, 1, 2],
       put=["put", "put_nowait"], runner=["gather", "task_group", "create_task"],
       cls=(["Queue", "LifoQueue", "PriorityQueue"], (70, 15, 15)))
def idiom_queue(r, fn, node, kids):
    """An asyncio.Queue between a producer (awaiting the children one by one and putting
    their results) and a consumer (until a sentinel, or a known count), run by gather, a
    TaskGroup or create_task; or a worker with task_done() and q.join(); or ("drain") a
    Queue / LifoQueue / PriorityQueue filled with put_nowait, looked at (qsize, empty, full,
    QueueFull), then emptied with get_nowait until QueueEmpty."""
    p = node.params
    makers = ", ".join(k.name for k in kids) + ("," if len(kids) == 1 else "")
    n = len(kids)
    lo, hi = sequential_lo(kids), sum(k.hi for k in kids) + 1
    if p["form"] == "drain":
        size = n if p["maxsize"] else 0  # bounded: exactly full after the children
        fn.body += [
            f"q = asyncio.{p.get('cls', 'Queue')}({size or ''})",
            f"for i, make in enumerate(({makers})):",
            "    q.put_nowait((i, await make()))",
            f'log("{fn.name} sizes", q.qsize(), q.empty(), q.full())',
            "try:",
            f"    q.put_nowait(({n}, None))",
            "except asyncio.QueueFull:",
            f'    log("{fn.name} full")',
            "items = []",
            "while not q.empty():",
            "    items.append(q.get_nowait())",
            "try:",
            "    q.get_nowait()",
            "except asyncio.QueueEmpty:",
            f'    log("{fn.name} empty", q.qsize())',
            f'log("{fn.name} drained", items)',
            "return items",
        ]
        return Info(fn.name, lo, hi, any_fail(kids))
    if p["form"] == "join":
        fn.body += [
            "q = asyncio.Queue()",
            "seen = []",
            "",
            "async def worker():",
            "    while True:",
            "        item = await q.get()",
            "        seen.append(item)",
            "        q.task_done()",
            "",
            "w = asyncio.create_task(worker())",
            f"for make in ({makers}):",
            "    q.put_nowait(await make())",
            "await q.join()",
            "w.cancel()",
            f'log("{fn.name} joined", seen)',
            "return seen",
        ]
        return Info(fn.name, lo, hi, any_fail(kids))
    maxsize = p["maxsize"]
    put = "q.put_nowait(item)" if p["put"] == "put_nowait" and maxsize == 0 \
        else "await q.put(item)"
    fn.body += [f"q = asyncio.Queue({maxsize or ''})", "stop = object()  # (a child may return None)",
                ""]
    fn.body += ["async def producer():", f"    for make in ({makers}):",
                "        item = await make()", f"        {put}"]
    if p["form"] == "sentinel":
        fn.body += ["    await q.put(stop)", "", "async def consumer():", "    items = []",
                    "    while True:", "        item = await q.get()",
                    "        if item is stop:", "            return items",
                    "        items.append(item)", ""]
    else:
        fn.body += ["", "async def consumer():", f"    return [await q.get() for _ in range({n})]",
                    ""]
    runner = p["runner"]
    if runner == "gather":
        fn.body.append("_, items = await asyncio.gather(producer(), consumer())")
    elif runner == "task_group":
        fn.body += ["async with asyncio.TaskGroup() as tg:", "    tg.create_task(producer())",
                    "    c = tg.create_task(consumer())", "items = c.result()"]
    else:
        fn.body += ["c = asyncio.create_task(consumer())", "await producer()",
                    "items = await c"]
    fn.body += [f'log("{fn.name} queue", items)', "return items"]
    return Info(fn.name, lo, hi, any_fail(kids))


@idiom("lock", (2, 3), runner=["gather", "task_group"])
def idiom_lock(r, fn, node, kids):
    """Children run concurrently, each holding an asyncio.Lock while it runs."""
    fn.body += ["lock = asyncio.Lock()", "", "async def guarded(i, make):", "    async with lock:",
                f'        log("{fn.name} holder", i)', "        return await make()", ""]
    calls = [f"guarded({i}, {k.name})" for i, k in enumerate(kids)]
    run_concurrently(fn, node.params["runner"], calls)
    fn.body += [f'log("{fn.name} lock", rs, lock.locked())', "return rs"]
    return Info(fn.name, sequential_lo(kids), sum(k.hi for k in kids) + 1, any_fail(kids))


def run_concurrently(fn: FnBuilder, runner: str, calls: list[str]) -> None:
    """`rs = ` the results of the calls run concurrently (gather or a TaskGroup)."""
    if runner == "gather":
        fn.body.append(f"rs = await asyncio.gather({', '.join(calls)})")
    else:
        fn.body.append("async with asyncio.TaskGroup() as tg:")
        fn.body += [f"    t{i} = tg.create_task({c})" for i, c in enumerate(calls)]
        fn.body.append("rs = [" + ", ".join(f"t{i}.result()" for i in range(len(calls))) + "]")


@idiom("event", (2, 2), runner=["gather", "task_group"], clear=[False, True])
def idiom_event(r, fn, node, kids):
    """A waiter blocked on asyncio.Event until a setter has finished its child (the waiter
    may clear() it again)."""
    a, b = kids
    clear = ["    ev.clear()", f'    log("{fn.name} cleared", ev.is_set())'] \
        if node.params.get("clear") else []
    fn.body += ["ev = asyncio.Event()", "", "async def waiter():", "    await ev.wait()",
                f'    log("{fn.name} event seen", ev.is_set())', *clear,
                f"    return await {a.name}()",
                "", "async def setter():", f"    r = await {b.name}()", "    ev.set()",
                f'    log("{fn.name} event set")', "    return r", ""]
    run_concurrently(fn, node.params["runner"], ["waiter()", "setter()"])
    fn.body += [f'log("{fn.name} event", rs)', "return rs"]
    lo = b.lo if b.fails else b.lo + a.lo
    return Info(fn.name, lo, a.hi + b.hi + 1, any_fail(kids))


@idiom("semaphore", (2, 3), value=[1, 2], bounded=[False, True], runner=["gather", "task_group"])
def idiom_semaphore(r, fn, node, kids):
    """Children run concurrently under an asyncio.Semaphore / BoundedSemaphore."""
    cls = "BoundedSemaphore" if node.params["bounded"] else "Semaphore"
    fn.body += [f"sem = asyncio.{cls}({node.params['value']})", "",
                "async def limited(i, make):", "    async with sem:",
                f'        log("{fn.name} enter", i, sem.locked())', "        return await make()",
                ""]
    run_concurrently(fn, node.params["runner"],
                     [f"limited({i}, {k.name})" for i, k in enumerate(kids)])
    fn.body += [f'log("{fn.name} semaphore", rs, sem.locked())', "return rs"]
    lo = min(concurrent_lo(kids), sequential_lo(kids))
    return Info(fn.name, lo, sum(k.hi for k in kids) + 1, any_fail(kids))


@idiom("condition", (2, 2), runner=["gather", "task_group"], notify=["notify_all", "notify"])
def idiom_condition(r, fn, node, kids):
    """A waiter in `cond.wait_for(pred)` until a notifier appends its child's result and calls
    notify_all() or notify(1)."""
    a, b = kids
    notify = "notify_all()" if node.params.get("notify", "notify_all") == "notify_all" \
        else "notify(1)"
    fn.body += ["cond = asyncio.Condition()", "box = []", "", "async def waiter():",
                "    async with cond:", "        await cond.wait_for(lambda: box)",
                f'        log("{fn.name} woke", box)', f"    return await {a.name}()", "",
                "async def notifier():", f"    r = await {b.name}()", "    async with cond:",
                "        box.append(r)", f"        cond.{notify}", "    return r", ""]
    run_concurrently(fn, node.params["runner"], ["waiter()", "notifier()"])
    fn.body += [f'log("{fn.name} condition", rs)', "return rs"]
    lo = b.lo if b.fails else b.lo + a.lo
    return Info(fn.name, lo, a.hi + b.hi + 1, any_fail(kids))


@idiom("cancel_handler", (1, 1), form=["reraise", "cleanup_await", "finally_await", "swallow"])
def idiom_cancel_handler(r, fn, node, kids):
    """`except asyncio.CancelledError:` that logs and re-raises (with an awaited cleanup), or
    swallows it (returns None), or a `finally:` whose cleanup awaits."""
    k = kids[0]
    aw = r.awaitable(fn, node, 0, k)
    form = node.params["form"]
    if form == "finally_await":
        fn.body += ["try:", f"    return await {aw}", "finally:", "    await asyncio.sleep(0)",
                    f'    log("{fn.name} cleanup done")']
    elif form == "swallow":  # (MANUAL: asyncio-cancelled-error/swallowed)
        fn.body += ["try:", f"    return await {aw}", "except asyncio.CancelledError:",
                    f'    log("{fn.name} swallowed")', "    return None"]
    else:
        fn.body += ["try:", f"    return await {aw}", "except asyncio.CancelledError:",
                    f'    log("{fn.name} cancelled")']
        if form == "cleanup_await":
            fn.body += ["    await asyncio.sleep(0)", f'    log("{fn.name} cleanup done")']
        fn.body.append("    raise")
    return Info(fn.name, k.lo, k.hi, k.fails)


@idiom("handler", (1, 1), exc=["ValueError", "asyncio.TimeoutError", "TimeoutError",
                               "(ValueError, asyncio.TimeoutError)", "Exception"])
def idiom_handler(r, fn, node, kids):
    """try: await child / except <ValueError | asyncio.TimeoutError | ...> as exc: log it."""
    k = kids[0]
    aw = r.awaitable(fn, node, 0, k)
    fn.body += ["try:", f"    return await {aw}", f"except {node.params['exc']} as exc:",
                f'    log("{fn.name} handled", describe(exc))', "    return None"]
    return Info(fn.name, k.lo, k.hi, k.fails)


@idiom("as_completed", (2, 3))
def idiom_as_completed(r, fn, node, kids):
    """`for fut in asyncio.as_completed([...]): r = await fut`: each result logged as it
    comes, the results returned sorted (children due at the same unit come in either
    order)."""
    aws = ", ".join(r.awaitable(fn, node, i, k) for i, k in enumerate(kids))
    fn.body += ["rs = []", f"for fut in asyncio.as_completed([{aws}]):", "    r = await fut",
                f'    log("{fn.name} completed", r)', "    rs.append(r)",
                "rs = sorted(rs, key=repr)", f'log("{fn.name} as_completed", rs)', "return rs"]
    return Info(fn.name, concurrent_lo(kids), max(k.hi for k in kids), any_fail(kids))


@idiom("wait", (2, 3), form=["all", "first", "timeout"], intent=["miss", "hit"],
       slack=[0, 1, 2, 3])
def idiom_wait(r, fn, node, kids):
    """`done, pending = await asyncio.wait(tasks)` (ALL_COMPLETED, FIRST_COMPLETED, or a
    timeout hit or missed) over tasks or Futures; the pending ones cancelled and waited for;
    the outcomes of the done ones logged (sorted)."""
    kinds = node.params.get("kinds", [])
    aws = []
    for i, k in enumerate(kids):
        kind = kinds[i] if i < len(kinds) else "task"
        aws.append(f"future_of({k.name})" if kind == "future" else
                   f"asyncio.create_task({k.name}())")
        if kind == "future":
            r.needs.add("future_of")
    form = node.params["form"]
    arg = ""
    lo, hi = max(k.lo for k in kids), max(k.hi for k in kids)
    if form == "first":
        arg = ", return_when=asyncio.FIRST_COMPLETED"
        lo, hi = min(k.lo for k in kids), min(k.hi for k in kids)
    elif form == "timeout":
        t, hit = timeout_units(node, lo, hi)
        arg = f", timeout={secs(t)}"
        if hit:
            lo, hi = t, t + 1
    fn.body += [
        f"tasks = [{', '.join(aws)}]",
        f"done, pending = await asyncio.wait(tasks{arg})",
        "for t in pending:",
        "    t.cancel()",
        "if pending:",
        "    await asyncio.wait(pending)",
        "outcomes = sorted(describe(t.exception()) if t.exception() else repr(t.result())",
        "                  for t in done)",
        f'log("{fn.name} wait", len(done), len(pending), outcomes)',
        "return outcomes",
    ]
    return Info(fn.name, lo, hi + 1, False)


@idiom("identity", (1, 1))
def idiom_identity(r, fn, node, kids):
    """asyncio.current_task() kept as an identity across an await of the child."""
    k = kids[0]
    fn.body += ["me = asyncio.current_task()", f"r = await {r.awaitable(fn, node, 0, k)}",
                f'log("{fn.name} same task", asyncio.current_task() is me)', "return r"]
    return Info(fn.name, k.lo, k.hi, k.fails)


# --------------------------------------------------------------------------------------------


def validate(args) -> int:
    import os
    import tempfile

    import run  # the runner's child-process driver
    ctx = run.Ctx(os.environ.get("PYTHON", str(run.REPO / "target/pyenv/bin/python")), "", "", "")
    bad = 0
    with tempfile.TemporaryDirectory(prefix="difftest-gen-") as tmp:
        path = Path(tmp) / "prog.py"
        for i in range(args.index, args.index + args.count):
            path.write_text(render(program_tree(args.seed, i, args.attempt)),
                            encoding="utf-8")
            reason, first = run.valid_original(ctx, path)
            if reason:
                bad += 1
                print(f"index {i}: {reason}\n{first['stderr'][-800:]}")
    print(f"{bad} of {args.count} programs unusable")
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--index", type=int, default=0, help="first program index")
    ap.add_argument("--attempt", type=int, default=0,
                    help="the attempt (run.py regenerates an unusable program)")
    ap.add_argument("--out", type=Path, help="write prog_<seed>_<index>.py files here")
    ap.add_argument("--tree", action="store_true", help="print the trees as JSON too")
    ap.add_argument("--validate", action="store_true",
                    help="run each program twice under asyncio (PYTHON, default "
                         "target/pyenv/bin/python) and list the failing or unstable ones")
    args = ap.parse_args(argv)
    if args.validate:
        return validate(args)
    for i in range(args.index, args.index + args.count):
        tree = program_tree(args.seed, i, args.attempt)
        text = render(tree)
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"prog_{args.seed}_{i}.py").write_text(text, encoding="utf-8")
        else:
            print(f"# ---- seed {args.seed} index {i}")
            if args.tree:
                print("# tree:", json.dumps(tree.to_json()))
            print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
