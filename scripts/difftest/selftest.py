#!/usr/bin/env python3
"""Checks of the differential tester's own judgement (run.py's comparison, classification,
crash attribution and confirmation of a SAFE violation; gen.py's timing rules), on
hand-written traces, programs and trees. Each check states the case it guards; a failure
names it. Run by the test command; needs only the standard library."""
from __future__ import annotations

import sys

import gen
import run

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def trace(*lines: str) -> str:
    return "\n".join(lines)


@check
def unwrap_reduces_groups_to_leaf_exceptions():
    assert run.unwrap("main raised ExceptionGroup[TaskFailed: the task raised an exception, "
                      "ExceptionGroup[ValueError: n5 failed]]") == "main raised ValueError: n5 failed"
    assert run.unwrap("n1 gather ['ExceptionGroup[ValueError: x]', 2]") == \
        "n1 gather ['ValueError: x', 2]"
    assert run.unwrap("n1 gather [1, 2]") == "n1 gather [1, 2]"


@check
def compare_forgives_order_within_a_unit_only():
    a = trace("  0 n1 start", "  0 n2 start", "  3 main result 1")
    b = trace("  0 n2 start", "  0 n1 start", "  3 main result 1")
    assert run.compare(a, a) == "same"
    assert run.compare(a, b) == "order"
    c = trace("  0 n1 start", "  3 n2 start", "  3 main result 1")
    d = trace("  3 n2 start", "  0 n1 start", "  3 main result 1")
    assert run.compare(c, d) == "events"
    assert run.compare(a, trace("  0 n1 start", "  3 main result 1")) == "events"


@check
def a_wrapped_failure_is_exception_group():
    a = trace("  0 n5 start", "  7 main raised ValueError: n5 failed")
    b = trace("  0 n5 start", "  7 main raised ExceptionGroup[ValueError: n5 failed]")
    assert run.categories(a, b) == ["exception-group"]


@check
def a_sibling_cut_short_is_siblings_cancelled():
    a = trace("  0 n1 start", "  0 n2 start", "  2 n1 done", "  4 main raised ValueError: x")
    b = trace("  0 n1 start", "  0 n2 start", "  1 n1 cancelled",
              "  4 main raised ExceptionGroup[ValueError: x]")
    cats = run.categories(a, b)
    assert "siblings-cancelled" in cats and "exception-group" in cats, cats


@check
def a_leaf_cancelled_at_exit_was_left_running():
    # asyncio.run cancels what is still running after main: not a cancellation by the program
    a = trace("  0 n1 start", "  1 main result 1", "  1 n1 cancelled")
    b = trace("  0 n1 start", "  1 n1 cancelled", "  1 main result 1")
    assert "siblings-cancelled" in run.categories(a, b)
    assert "siblings-cancelled" not in run.categories(a, a)


@check
def a_changed_value_alone_is_other():
    a = trace("  0 n1 start", "  1 n2 cancelled True", "  1 main result 1")
    b = trace("  0 n1 start", "  1 n2 cancelled False", "  1 main result 1")
    assert run.categories(a, b) == ["other", "results"]


@check
def unexplained_names_what_no_note_announces():
    res = {"fixes": [{"code": "asyncio-queue/memory-streams", "verdict": "UNSAFE"},
                     {"code": "asyncio-sleep/sleep", "verdict": "SAFE"}],
           "categories": ["exception-group", "results", "timing"]}
    assert run.unexplained(res) == ["exception-group"]
    res["fixes"].append({"code": "asyncio-gather/anyio-gather", "verdict": "UNSAFE"})
    assert run.unexplained(res) == []


@check
def a_category_the_safe_only_migration_shows_is_not_the_notes():
    original = trace("0 n1 start", "1 n1 done", "1 main result 1")
    cut = {"migrated_traces": {"asyncio": trace("0 n1 start", "1 n1 cancelled",
                                                "1 main result None")}}
    assert run.split_by_safe_only(["siblings-cancelled"], original,
                                  dict(cut, status="safe_violation")) == (
        [], ["siblings-cancelled"])
    assert run.split_by_safe_only(["siblings-cancelled"], original,
                                  dict(cut, status="same")) == (["siblings-cancelled"], [])
    other = {"status": "safe_violation", "migrated_traces": {"asyncio": trace(
        "0 n1 start", "2 n1 done", "2 main result 1")}}
    assert run.split_by_safe_only(["siblings-cancelled"], original, other) == (
        ["siblings-cancelled"], [])


@check
def a_crash_on_a_manual_line_is_named():
    original = "import asyncio\n\nasync def f():\n    await asyncio.gather(t, return_exceptions=True)\n"
    migrated = "import asyncio\n\nimport anyio\n\nasync def f():\n" \
               "    await asyncio.gather(t, return_exceptions=True)\n"
    stderr = 'Traceback:\n  File "/x/mig/prog.py", line 6, in f\nCancelledError\n'
    findings = [{"code": "asyncio-gather/task-argument", "line": 4}]
    assert run.manual_spot(stderr, migrated, original, findings) == \
        "asyncio-gather/task-argument"
    assert run.manual_spot(stderr.replace("line 6", "line 5"), migrated, original,
                           findings) is None
    assert run.manual_lines_changed(original, migrated, findings) == []
    assert run.manual_lines_changed(original, migrated.replace("gather(t", "gather(u"),
                                    findings) == ["asyncio-gather/task-argument"]


@check
def a_trace_the_original_gives_on_a_rerun_is_no_violation():
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        prog = Path(tmp) / "prog.py"
        # prints "0 first" on its first run, "0 later" on the others
        prog.write_text("from pathlib import Path\n"
                        "seen = Path(__file__).with_name('seen')\n"
                        "print('  0', 'later' if seen.exists() else 'first')\n"
                        "seen.touch()\n", encoding="utf-8")
        ctx = run.Ctx(sys.executable, "", "", "")
        assert run.run_program(ctx, prog)["trace"] == "  0 first"
        assert run.original_gives(ctx, prog, trace("  0 later"))
        assert not run.original_gives(ctx, prog, trace("  0 other"))


def gather_of(*leaves: dict) -> str:
    """The program of a gather (results used) over leaves of these parameters."""
    kinds = ["coro"] * len(leaves)
    return gen.render(gen.Node("gather", {"style": "used", "handler": False, "kinds": kinds},
                               [gen.Node("leaf", dict(leaf)) for leaf in leaves]))


@check
def threads_of_a_program_never_end_in_the_same_unit():
    text = gather_of(*[{"style": "thread", "fail": False, "fail_when": "after", "units": 4}] * 3)
    delays = [line.split("block, ")[1].split(",")[0] for line in text.splitlines()
              if "to_thread(block, " in line]
    assert sorted(delays) == ["0.083", "0.103", "0.123"], delays


@check
def only_one_leaf_fails_at_once():
    text = gather_of(*[{"style": "literal", "fail": True, "fail_when": "before", "units": 3}] * 2)
    assert text.count('failed early")') == 1 and "asyncio.sleep(0.068)" in text, text


@check
def a_zero_time_failure_keeps_its_style():
    text = gather_of(*[{"style": "zero", "fail": True, "fail_when": "after", "units": 3}] * 2)
    first = text[text.index("async def n1("):text.index("async def n2(")]
    assert "asyncio.sleep(0)" in first and 'failed")' in first, first
    assert "asyncio.sleep(0.008)" in text, text


@check
def a_failure_after_a_timer_never_ends_on_a_whole_unit():
    text = gather_of({"style": "literal", "fail": True, "fail_when": "after", "units": 4},
                     {"style": "literal", "fail": False, "fail_when": "after", "units": 4})
    assert "asyncio.sleep(0.088)" in text and "asyncio.sleep(0.08)" in text, "sleeps moved"


def main() -> int:
    failed = 0
    for fn in CHECKS:
        try:
            fn()
        except AssertionError as exc:
            failed += 1
            print(f"FAIL {fn.__name__}: {exc}")
    print(f"difftest selftest: {len(CHECKS) - failed} of {len(CHECKS)} checks pass")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
