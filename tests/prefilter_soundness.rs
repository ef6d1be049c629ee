//! The pre-filter's soundness, end to end: with it on, every run's output (diff, text and
//! JSON reports) is the output with it off (`ANYIO_MIGRATE_NO_PREFILTER=1`).

#![cfg(unix)]

mod common;

use common::cli::*;
use serde_json::Value;
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// The pre-filter (registry triggers): it may skip a file or a pass only when no codemod would
// have any output there. `ANYIO_MIGRATE_NO_PREFILTER=1` turns it off.

/// Stdout and stderr of a dry run (diff and text report) and of a JSON run, with the pre-filter
/// on or off.
fn prefilter_outputs(dir: &Path, paths: &[&str], off: bool) -> (Vec<u8>, String, Vec<u8>) {
    let run = |format: &str| {
        let mut cmd = cli(dir);
        cmd.args(["--color", "never", "--format", format])
            .args(paths);
        if off {
            cmd.env("ANYIO_MIGRATE_NO_PREFILTER", "1");
        } else {
            cmd.env_remove("ANYIO_MIGRATE_NO_PREFILTER");
        }
        exec(cmd, b"")
    };
    let text = run("text");
    let json = run("json");
    (text.stdout, text.stderr, json.stdout)
}

#[test]
fn prefilter_drops_no_output_of_any_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = ["codemods", "tests/compose", "examples"];
    let on = prefilter_outputs(root, &paths, false);
    let off = prefilter_outputs(root, &paths, true);
    assert!(on.0 == off.0, "the diff differs without the pre-filter");
    assert_eq!(
        on.1, off.1,
        "the text report differs without the pre-filter"
    );
    assert!(
        on.2 == off.2,
        "the JSON report differs without the pre-filter"
    );
    // Not vacuous: the examples give many rewrites and findings.
    assert!(on.1.matches("MANUAL").count() > 100, "{}", on.1);
    assert!(on.0.len() > 10_000);
}

#[test]
fn prefilter_keeps_files_whose_output_needs_no_asyncio_mention() {
    let tmp = tmp();
    let dir = tmp.path();
    // (file, text, the codemod that must report or rewrite something in it)
    let cases = [
        (
            "catch_all.py",
            "async def f(g):\n    try:\n        await g()\n    except BaseException:\n        pass\n",
            "asyncio-cancelled-error",
        ),
        (
            "bare_except.py",
            "async def f(g):\n    try:\n        async with g():\n            pass\n    except :\n        pass\n",
            "asyncio-cancelled-error",
        ),
        (
            "loop_methods.py",
            "class P:\n    def f(self):\n        self._loop.call_soon(print)\n",
            "asyncio-loop",
        ),
        (
            "run_loop.py",
            "def main(loop, f):\n    loop.run_until_complete(f())\n",
            "asyncio-run",
        ),
        (
            "executor.py",
            "async def f(loop, g):\n    await loop.run_in_executor(None, g)\n",
            "asyncio-to-thread",
        ),
        (
            "blocking.py",
            "from time import sleep as pause\n\n\nasync def f():\n    pause(1)\n",
            "blocking-sleep",
        ),
        (
            "aliased.py",
            "import asyncio.tasks as t\n\n\nasync def f():\n    await t.sleep(1)\n",
            "asyncio-sleep",
        ),
        (
            "fixtures.py",
            "import pytest as pt\n\n\n@pt.fixture\nasync def conn():\n    return 1\n\n\ndef test_sync(conn):\n    assert conn\n",
            "pytest-asyncio",
        ),
        // A suite of its own (its own pytest.ini): fixtures.py's sync test keeps the other
        // suite on pytest-asyncio, which undoes that suite's pytest-asyncio rewrites.
        (
            "switched/ports.py",
            "def test_port(unused_tcp_port):\n    assert unused_tcp_port\n",
            "pytest-asyncio",
        ),
        (
            "unittest_case.py",
            "import unittest\n\n\nclass T(unittest.IsolatedAsyncioTestCase):\n    pass\n",
            "pytest-asyncio",
        ),
    ];
    for (name, text, _) in &cases {
        put(dir, name, text);
    }
    put(dir, "switched/pytest.ini", "[pytest]\n");
    let on = prefilter_outputs(dir, &["."], false);
    let off = prefilter_outputs(dir, &["."], true);
    assert_eq!(
        String::from_utf8_lossy(&on.0),
        String::from_utf8_lossy(&off.0)
    );
    assert_eq!(on.1, off.1);
    assert_eq!(
        String::from_utf8_lossy(&on.2),
        String::from_utf8_lossy(&off.2)
    );
    let report: Value = serde_json::from_slice(&on.2).unwrap();
    for (name, _, codemod) in &cases {
        let file = report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == *name)
            .unwrap_or_else(|| panic!("{name} missing: {report}"));
        let hits = ["fixes", "findings"]
            .iter()
            .flat_map(|k| file[k].as_array().cloned().unwrap_or_default())
            .filter(|o| o["codemod"] == *codemod)
            .count();
        assert!(hits > 0, "{name}: nothing from {codemod}: {file}");
    }
}

#[test]
fn a_plugin_built_on_pytest_asyncio_keeps_the_suite_and_its_dependency() {
    let work = tmp();
    let dir = work.path();
    let pyproject = "[project]\nname = \"p\"\nversion = \"0\"\n\n[project.optional-dependencies]\ntest = [\"pytest-asyncio>=0.23\", \"pytest-aiohttp>=1.0\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n";
    put(dir, "pyproject.toml", pyproject);
    let test = "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    await asyncio.sleep(0)\n";
    put(dir, "tests/test_x.py", test);
    let run = migrate(dir, &["--write", "."]);
    assert_code(&run, 0);
    // The configuration and the dependency stay; the marker stays; the body is migrated.
    assert_eq!(read_str(dir, "pyproject.toml"), pyproject);
    assert_eq!(
        read_str(dir, "tests/test_x.py"),
        "import anyio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    await anyio.sleep(0)\n"
    );
    assert!(!dir.join("conftest.py").exists());
    assert!(
        run.stderr.contains("pyproject.toml:6:34: [pytest-asyncio/plugin-needs-pytest-asyncio] MANUAL: `pytest-aiohttp` is used by this project and runs on pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("tests kept on pytest-asyncio: .: 1 blocker(s)"),
        "{}",
        run.stderr
    );
    // Still work to do: --check says so; a second run changes nothing.
    let again = migrate(dir, &["--check", "."]);
    assert_code(&again, 1);
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

#[test]
fn a_blocked_suite_is_kept_and_the_other_suite_still_switches() {
    let work = tmp();
    let dir = work.path();
    put(dir, "requirements-dev.txt", "pytest-asyncio==1.5.0\n");
    put(dir, "a/pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(
        dir,
        "a/test_a.py",
        // Two calls share the test's loop (separate asyncio.run calls would not): a blocker.
        "import asyncio\n\n\ndef test_a(event_loop):\n    event_loop.run_until_complete(asyncio.sleep(0))\n    event_loop.run_until_complete(asyncio.sleep(0))\n",
    );
    put(dir, "b/pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(
        dir,
        "b/test_b.py",
        "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_b():\n    pass\n",
    );
    let run = migrate(dir, &["--write", "."]);
    assert_code(&run, 0);
    // a/ keeps pytest-asyncio: its configuration is untouched.
    assert_eq!(
        read_str(dir, "a/pytest.ini"),
        "[pytest]\nasyncio_mode = auto\n"
    );
    assert!(
        run.stderr
            .contains("tests kept on pytest-asyncio: a: 1 blocker(s)"),
        "{}",
        run.stderr
    );
    // b/ switches to anyio's plugin.
    assert_eq!(
        read_str(dir, "b/pytest.ini"),
        "[pytest]\nanyio_mode = auto\n"
    );
    assert!(read_str(dir, "b/test_b.py").contains("@pytest.mark.anyio"));
    // One environment serves both suites: pytest-asyncio stays a dependency.
    assert_eq!(
        read_str(dir, "requirements-dev.txt"),
        "pytest-asyncio==1.5.0\n"
    );
}

/// A suite whose conftest is `conftest` and whose test modules are `tests`, migrated with
/// `--backends backends`: the conftest after, the report, and whether the suite stayed on
/// pytest-asyncio (a second run changes nothing either way).
fn migrate_fixture_suite(conftest: &str, tests: &[&str], backends: &str) -> (String, String, bool) {
    let work = tmp();
    let dir = work.path();
    put(dir, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(dir, "tests/conftest.py", conftest);
    for (i, t) in tests.iter().enumerate() {
        put(dir, &format!("tests/test_{i}.py"), t);
    }
    let run = migrate(dir, &["--write", "--backends", backends, "."]);
    assert_code(&run, 0);
    let again = migrate(dir, &["--backends", backends, "."]);
    assert!(
        again.out().is_empty(),
        "a second run changes nothing: {}",
        again.out()
    );
    let kept = run.stderr.contains("tests kept on pytest-asyncio");
    (read_str(dir, "tests/conftest.py"), run.stderr, kept)
}

#[test]
fn an_event_loop_alias_fixture_is_migrated_only_when_every_requester_is_async_on_asyncio_alone() {
    let conftest =
        "import pytest\n\n\n@pytest.fixture\ndef loop(event_loop):\n    return event_loop\n";
    let async_test = "async def test_a(loop):\n    assert loop\n";
    let sync_test = "def test_s(loop):\n    assert loop\n";
    for (tests, backends, migrated) in [
        (vec![async_test], "asyncio", true),
        (vec![async_test, sync_test], "asyncio", false),
        (vec![async_test], "asyncio,trio", false),
    ] {
        let (after, stderr, kept) = migrate_fixture_suite(conftest, &tests, backends);
        assert_eq!(
            after.contains("async def loop():\n    return asyncio.get_running_loop()"),
            migrated,
            "{backends} {tests:?}: {after}\n{stderr}"
        );
        assert_eq!(kept, !migrated, "{stderr}");
    }
}

/// A sync fixture that passes `event_loop` on as a value becomes async and binds the running
/// loop; one that calls a method of the loop (which could drive or close it, and which
/// asyncio-loop would rewrite on a second run) or rebinds the name keeps its blocker.
#[test]
fn a_sync_fixture_passing_the_loop_on_becomes_async_only_without_loop_methods() {
    let test = "async def test_a(owner):\n    assert owner\n";
    for (body, migrated) in [
        ("    return {\"loop\": event_loop}\n", true),
        ("    return event_loop.time()\n", false),
        ("    event_loop = None\n    return event_loop\n", false),
    ] {
        let conftest =
            format!("import pytest\n\n\n@pytest.fixture\ndef owner(event_loop):\n{body}");
        let (after, stderr, kept) = migrate_fixture_suite(&conftest, &[test], "asyncio");
        assert_eq!(
            after.contains(
                "async def owner():\n    event_loop = asyncio.get_running_loop()\n    return {\"loop\": event_loop}\n"
            ),
            migrated,
            "{body}: {after}\n{stderr}"
        );
        assert_eq!(kept, !migrated, "{stderr}");
    }
}
