//! End-to-end tests of the project pass: pytest-asyncio suites (config files, the conftest.py
//! it creates, dependencies) and the targets (the oldest anyio and Python the project allows),
//! run by the real binary on temporary projects.

#![cfg(unix)]

mod common;

use common::cli::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// pytest-asyncio projects: config files, the created conftest.py

const MARKED_TEST: &str =
    "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n";
const PYPROJECT: &str = "[project]\nname = \"p\"\n\n[project.optional-dependencies]\n# test tools\ntest = [\"pytest\", \"pytest-asyncio>=0.23\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"  # no markers\n";
const PYPROJECT_MIGRATED: &str = "[project]\nname = \"p\"\n\n[project.optional-dependencies]\n# test tools\ntest = [\"pytest\", \"anyio>=4.16\"]\n\n[tool.pytest.ini_options]\nanyio_mode = \"auto\"  # no markers\n";
/// The helper the run gives the asyncio backend as its `loop_factory` (its loops keep asyncio's
/// exception handler, as under pytest-asyncio: `docs/evidence/loop_exception_handler.py`).
const LOGGING_LOOP: &str = "def _loop_logging_handler_errors():\n    # pytest-asyncio only logged what reaches the loop's exception handler (a task's exception\n    # never retrieved, `loop.call_exception_handler()`); anyio's plugin installs a handler that\n    # fails the running test with it. This loop keeps asyncio's handler, as before: delete the\n    # `loop_factory` below to have such errors fail the tests.\n    loop = asyncio.new_event_loop()  # anyio-migrate: ignore[asyncio-loop]\n    set_handler, close = loop.set_exception_handler, loop.close\n\n    def set_exception_handler(handler):\n        if not type(getattr(handler, \"__self__\", None)).__module__.startswith(\"anyio.\"):\n            set_handler(handler)\n\n    def close_as_current_loop():\n        del loop.close  # an event loop policy's set_event_loop() may close the old loop\n        asyncio.set_event_loop(None)  # anyio-migrate: ignore[asyncio-loop]\n        close()\n\n    try:\n        loop.set_exception_handler = set_exception_handler\n        loop.close = close_as_current_loop\n    except AttributeError:\n        return loop\n    asyncio.set_event_loop(loop)  # anyio-migrate: ignore[asyncio-loop]\n    return loop\n";
const CONFTEST_HEAD: &str = "import asyncio\n\nimport pytest\n\n\n";
const CONFTEST_FIXTURE: &str = "\n\n# anyio's pytest plugin runs each anyio test on every installed backend unless told\n# otherwise; session scope lets module- and session-scoped async fixtures work.\n@pytest.fixture(scope=\"session\")\ndef anyio_backend():\n    return \"asyncio\", {\"loop_factory\": _loop_logging_handler_errors}\n";

/// The root conftest.py a run over one backend (asyncio) creates.
fn conftest() -> String {
    format!("{CONFTEST_HEAD}{LOGGING_LOOP}{CONFTEST_FIXTURE}")
}

fn pytest_project(dir: &Path) {
    put(dir, "pyproject.toml", PYPROJECT);
    put(dir, "tests/test_x.py", MARKED_TEST);
}

#[test]
fn created_conftest_is_a_dev_null_diff_that_git_apply_creates() {
    let work = tmp();
    let dir = work.path();
    pytest_project(dir);
    let before = snapshot(dir);
    let run = migrate(dir, &["."]);
    assert_code(&run, 0);
    let out = run.out();
    assert!(
        out.contains(&format!(
            "--- /dev/null\n+++ b/conftest.py\n@@ -0,0 +1,{} @@\n",
            conftest().lines().count()
        )),
        "{out}"
    );
    assert!(
        out.contains("--- a/pyproject.toml\n+++ b/pyproject.toml\n"),
        "{out}"
    );
    assert!(run.stderr.contains("conftest.py:1:1: [pytest-asyncio/anyio-backend-fixture] SAFE (edge): added the session-scoped `anyio_backend` fixture (\"asyncio\" only): anyio's default runs each test on every installed backend; its asyncio backend makes its loops with `_loop_logging_handler_errors`, on which anyio's plugin does not install its exception handler"), "{}", run.stderr);
    assert!(run.stderr.contains("pyproject.toml:9:1: [pytest-asyncio/anyio-mode] SAFE: asyncio_mode = \"auto\" → anyio_mode = \"auto\""), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "2 files scanned: 2 would change, 0 unchanged, 0 skipped, 0 failed, 1 would be created"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir), before, "a dry run wrote something");
    git(dir, &["init", "-q"], b"");
    git(dir, &["apply", "-"], &run.stdout);
    assert_eq!(read_str(dir, "conftest.py"), conftest());
    assert_eq!(read_str(dir, "pyproject.toml"), PYPROJECT_MIGRATED);
    assert_eq!(
        read_str(dir, "tests/test_x.py"),
        MARKED_TEST.replace("mark.asyncio", "mark.anyio")
    );
    // Nothing left to do.
    let again = migrate(dir, &["--check", "."]);
    assert_code(&again, 0);
}

#[test]
fn write_creates_the_conftest_and_check_reports_it() {
    let work = tmp();
    let dir = work.path();
    pytest_project(dir);
    let before = snapshot(dir);
    let check = migrate(dir, &["--check", "."]);
    assert_code(&check, 1);
    assert!(
        check.stderr.contains("1 would be created"),
        "{}",
        check.stderr
    );
    assert_eq!(snapshot(dir), before);
    let run = migrate(dir, &["--write", "."]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("2 changed, 0 unchanged, 0 skipped, 0 failed, 1 created"),
        "{}",
        run.stderr
    );
    assert_eq!(read_str(dir, "conftest.py"), conftest());
    assert_eq!(mode(&dir.join("conftest.py")), 0o644);
    assert_eq!(read_str(dir, "pyproject.toml"), PYPROJECT_MIGRATED);
    let leftovers: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".anyio-migrate"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn json_reports_config_edits_and_created_files() {
    let work = tmp();
    let dir = work.path();
    pytest_project(dir);
    let run = migrate(dir, &["--format", "json", "."]);
    assert_code(&run, 0);
    let v: Value = serde_json::from_slice(&run.stdout).unwrap();
    let file = |p: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p} missing: {v}"))
            .clone()
    };
    assert_eq!(file("conftest.py")["status"], "created");
    assert_eq!(file("pyproject.toml")["status"], "changed");
    let fixes = file("pyproject.toml")["fixes"].clone();
    assert_eq!(fixes.as_array().unwrap().len(), 2, "{fixes}");
    assert_eq!(fixes[0]["codemod"], "pytest-asyncio");
    assert_eq!(
        (fixes[0]["line"].clone(), fixes[0]["column"].clone()),
        (6.into(), 19.into())
    );
    assert_eq!(fixes[0]["verdict"], "SAFE");
    assert!(
        fixes[0]["note"]
            .as_str()
            .unwrap()
            .contains("replaced by `anyio>=4.16`")
    );
    assert_eq!(v["summary"]["files_created"], 1);
    assert_eq!(v["summary"]["files_scanned"], 2);
}

#[test]
fn backends_option_emits_the_parametrised_fixture_into_an_existing_conftest() {
    let work = tmp();
    let dir = work.path();
    put(dir, "tests/test_x.py", MARKED_TEST);
    put(
        dir,
        "tests/conftest.py",
        "\"\"\"Fixtures.\"\"\"\nimport os\n\nROOT = os.getcwd()\n",
    );
    let run = migrate(dir, &["--write", "--backends", "asyncio,trio", "."]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir, "tests/conftest.py"),
        format!(
            "\"\"\"Fixtures.\"\"\"\nimport asyncio\nimport os\n\nimport pytest\n\nROOT = os.getcwd()\n\n\n{LOGGING_LOOP}\n\n# anyio's pytest plugin: run each anyio test on these backends; session scope lets module-\n# and session-scoped async fixtures work.\n@pytest.fixture(scope=\"session\", params=[\"asyncio\", \"trio\"])\ndef anyio_backend(request):\n    if request.param == \"asyncio\":\n        return \"asyncio\", {{\"loop_factory\": _loop_logging_handler_errors}}\n    return request.param\n"
        )
    );
    assert!(!dir.join("conftest.py").exists());
    let bad = migrate(dir, &["--backends", "curio", "."]);
    assert_code(&bad, 2);
}

#[test]
fn explicit_config_files_are_migrated_and_broken_ones_left_alone() {
    let work = tmp();
    let dir = work.path();
    put(dir, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(dir, "requirements-test.txt", "pytest-asyncio==1.5.0\n");
    put(
        dir,
        "broken/pyproject.toml",
        "[tool.pytest.ini_options\nasyncio_mode = 'auto'\n",
    );
    let run = migrate(
        dir,
        &[
            "--write",
            "pytest.ini",
            "requirements-test.txt",
            "broken/pyproject.toml",
        ],
    );
    assert_code(&run, 0);
    assert_eq!(read_str(dir, "pytest.ini"), "[pytest]\nanyio_mode = auto\n");
    assert_eq!(read_str(dir, "requirements-test.txt"), "anyio>=4.16\n");
    assert_eq!(
        read_str(dir, "broken/pyproject.toml"),
        "[tool.pytest.ini_options\nasyncio_mode = 'auto'\n"
    );
    assert!(
        run.stderr
            .contains("broken/pyproject.toml: skipped: does not parse"),
        "{}",
        run.stderr
    );
    // The conftest goes beside the pytest config.
    assert_eq!(read_str(dir, "conftest.py"), conftest());
}

#[test]
fn ignoring_the_codemod_leaves_config_files_alone() {
    let work = tmp();
    let dir = work.path();
    pytest_project(dir);
    let before = snapshot(dir);
    let run = migrate(dir, &["--write", "--ignore", "pytest-asyncio", "."]);
    assert_code(&run, 0);
    assert_eq!(snapshot(dir), before);
}

#[test]
fn a_conftest_that_appears_meanwhile_is_not_overwritten() {
    let work = tmp();
    let dir = work.path();
    put(dir, "conftest.py", "X = 1\n");
    let err = anyio_migrate::write::create_new(&dir.join("conftest.py"), b"Y = 2\n").unwrap_err();
    assert!(format!("{err:#}").contains("appeared meanwhile"), "{err:#}");
    assert_eq!(read_str(dir, "conftest.py"), "X = 1\n");
}

#[test]
fn check_reports_markers_left_outside_the_paths_given() {
    let work = tmp();
    let dir = work.path();
    put(dir, "pyproject.toml", PYPROJECT);
    put(dir, "tests/unit/test_a.py", MARKED_TEST);
    put(dir, "tests/integration/test_b.py", MARKED_TEST);
    let run = migrate(dir, &["--check", "pyproject.toml", "tests/unit"]);
    assert_code(&run, 1);
    assert!(
        run.stderr.contains("tests/integration/test_b.py:4:2: [pytest-asyncio/file-outside-paths] MANUAL: outside the paths given, this file still uses pytest-asyncio"),
        "{}",
        run.stderr
    );
    // Given every path, nothing is left over.
    let run = migrate(dir, &["--check", "."]);
    assert!(
        !run.stderr.contains("outside the paths given"),
        "{}",
        run.stderr
    );
}

#[test]
fn sync_tests_requesting_async_conftest_fixtures_are_marked_to_use_anyio_backend() {
    let work = tmp();
    let dir = work.path();
    put(dir, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(
        dir,
        "tests/conftest.py",
        "import pytest\n\n\n@pytest.fixture\nasync def client():\n    return 1\n",
    );
    put(
        dir,
        "tests/test_c.py",
        "import pytest\n\n\ndef test_sync(client):\n    assert client\n\n\nasync def test_async(client):\n    assert client\n\n\n@pytest.fixture\ndef other():\n    return 2\n",
    );
    put(
        dir,
        "tests/test_own.py",
        "import pytest\n\n\n@pytest.fixture\ndef client():\n    return 3\n\n\ndef test_sync(client):\n    assert client\n",
    );
    let run = migrate(dir, &["--write", "."]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir, "tests/test_c.py"),
        "import pytest\n\n\n@pytest.mark.usefixtures(\"anyio_backend\")\ndef test_sync(client):\n    assert client\n\n\nasync def test_async(client):\n    assert client\n\n\n@pytest.fixture\ndef other():\n    return 2\n"
    );
    // Its own sync fixture of that name: nothing async to set up.
    assert_eq!(
        read_str(dir, "tests/test_own.py"),
        "import pytest\n\n\n@pytest.fixture\ndef client():\n    return 3\n\n\ndef test_sync(client):\n    assert client\n"
    );
    let again = migrate(dir, &["--check", "."]);
    assert_code(&again, 0);
}

#[test]
fn pyproject_settings_choose_backends_and_codemods_and_flags_win() {
    let work = tmp();
    let dir = work.path();
    put(
        dir,
        "pyproject.toml",
        "[tool.anyio-migrate]\nbackends = [\"asyncio\", \"trio\"]\nignore = [\"asyncio-sleep\"]\n",
    );
    put(
        dir,
        "tests/test_x.py",
        "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    await asyncio.sleep(0)\n",
    );
    let run = migrate(dir, &["tests"]);
    assert_code(&run, 0);
    let diff = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(diff.contains("params=[\"asyncio\", \"trio\"]"), "{diff}");
    assert!(
        diff.contains("await asyncio.sleep(0)") && !diff.contains("anyio.sleep"),
        "{diff}"
    );
    // A flag on the command line wins over the file.
    let run = migrate(
        dir,
        &["--backends", "trio", "--ignore", "asyncio-run", "tests"],
    );
    let diff = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(diff.contains("return \"trio\""), "{diff}");
    assert!(diff.contains("+    await anyio.sleep(0)"), "{diff}");
    // Found from a subfolder too; a typo is an error, not a silent default.
    put(
        dir,
        "pyproject.toml",
        "[tool.anyio-migrate]\nbackend = [\"trio\"]\n",
    );
    let mut cmd = cli(&dir.join("tests"));
    cmd.arg(".");
    let run = exec(cmd, b"");
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("unknown key `backend`"),
        "{}",
        run.stderr
    );
}

#[test]
fn governing_config_outside_the_paths_is_reported_with_the_command_to_migrate_it() {
    let work = tmp();
    let dir = work.path();
    pytest_project(dir);
    let run = migrate(dir, &["--format", "json", "tests"]);
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let files = v["files"].as_array().unwrap();
    let config = files
        .iter()
        .find(|f| f["path"] == "pyproject.toml")
        .expect("pyproject.toml reported");
    assert_eq!(config["status"], "unchanged");
    let finding = &config["findings"][0];
    assert_eq!(finding["codemod"], "pytest-asyncio");
    assert_eq!(finding["line"], 6, "the first pending edit: the dependency");
    assert!(
        finding["suggestion"]
            .as_str()
            .unwrap()
            .ends_with("anyio-migrate --write pyproject.toml")
    );
    assert_eq!(read_str(dir, "pyproject.toml"), PYPROJECT);
    // Given with the paths, it is migrated instead, and nothing is reported about it.
    let run = migrate(dir, &["--write", "tests", "pyproject.toml"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir, "pyproject.toml"), PYPROJECT_MIGRATED);
    let again = migrate(dir, &["--check", "tests"]);
    assert!(
        !again.stderr.contains("outside the paths given"),
        "{}",
        again.stderr
    );
}

/// A root conftest.py outside the paths given (`anyio-migrate src tests`): pytest loads it for
/// the tests, so one that still uses pytest-asyncio keeps their suite on it (the run switches
/// nothing), and its patch of `asyncio.sleep` keeps the calls it reaches as they are, with the
/// command that lets the run twin the patch. Given with the paths, all of it is migrated.
#[test]
fn root_conftest_outside_the_paths_keeps_the_suite_and_its_patches() {
    let work = tmp();
    let dir = work.path();
    put(dir, "pyproject.toml", PYPROJECT);
    let conftest = "import asyncio\nimport pytest\nimport pytest_asyncio\n\n\n@pytest_asyncio.fixture\nasync def thing():\n    yield 42\n\n\n@pytest.fixture\ndef fast(monkeypatch):\n    original = asyncio.sleep\n    monkeypatch.setattr(asyncio, \"sleep\", lambda d: original(0))\n";
    put(dir, "conftest.py", conftest);
    let test = "import asyncio\n\n\nasync def test_x(thing, fast):\n    await asyncio.sleep(100)\n    assert thing == 42\n";
    put(dir, "tests/test_x.py", test);
    let before = snapshot(dir);
    let run = migrate(dir, &["--write", "tests", "pyproject.toml"]);
    assert!(
        run.stderr.contains("conftest.py:3:1: [pytest-asyncio/file-outside-paths] MANUAL: outside the paths given, this conftest.py, which pytest loads for tests migrated here, still uses pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tests/test_x.py:5:11: [asyncio-sleep/patched-api] MANUAL: `asyncio.sleep` is replaced at run time in conftest.py:14"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("run the migration with conftest.py among its paths: it then puts the patch's replacement on the anyio function as well"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(dir), before, "the suite is kept: nothing to write");
    // With it among the paths, the suite moves and the patch gets its twin.
    let run = migrate(dir, &["--write", "tests", "pyproject.toml", "conftest.py"]);
    assert_code(&run, 0);
    let migrated = read_str(dir, "conftest.py");
    assert!(
        migrated.contains("    monkeypatch.setattr(asyncio, \"sleep\", lambda d: original(0))\n    monkeypatch.setattr(\"anyio.sleep\", lambda d: original(0))\n"),
        "{migrated}"
    );
    assert!(!migrated.contains("pytest_asyncio"), "{migrated}");
    assert!(
        read_str(dir, "tests/test_x.py").contains("await anyio.sleep(100)"),
        "{}",
        read_str(dir, "tests/test_x.py")
    );
}

/// A test module outside the run patches `asyncio.sleep`: the run over the library alone
/// leaves the calls the patch reaches as they are (it cannot write the patch's twin there).
#[test]
fn a_patch_in_a_test_outside_the_run_keeps_the_library_calls_it_reaches() {
    let work = tmp();
    let dir = work.path();
    put(dir, "pyproject.toml", "[project]\nname = \"p\"\n");
    let lib = "import asyncio\n\n\nasync def pause():\n    await asyncio.sleep(5)\n";
    put(dir, "src/p/__init__.py", lib);
    put(
        dir,
        "tests/test_p.py",
        "from unittest import mock\n\nimport p\n\n\nasync def test_pause():\n    with mock.patch(\"asyncio.sleep\") as s:\n        await p.pause()\n    s.assert_called_once_with(5)\n",
    );
    let run = migrate(dir, &["--write", "src"]);
    assert_eq!(read_str(dir, "src/p/__init__.py"), lib, "{}", run.stderr);
    assert!(
        run.stderr.contains("src/p/__init__.py:5:11: [asyncio-sleep/patched-api] MANUAL: `asyncio.sleep` is replaced at run time in tests/test_p.py:7"),
        "{}",
        run.stderr
    );
    // Both in the run: the patch gets its twin, the call is migrated.
    let run = migrate(dir, &["--write", "src", "tests"]);
    assert!(
        read_str(dir, "src/p/__init__.py").contains("await anyio.sleep(5)"),
        "{}",
        run.stderr
    );
}

/// Async tests that compare syrupy snapshots (the `snapshot` fixture, a `__snapshots__`
/// folder beside the module) are stored under their node ids: a parametrised `anyio_backend`
/// would rename them (`test_x[asyncio]`) and no snapshot would be found, so the fixture the run
/// adds keeps the first backend only, and its note says why and how to add the others.
#[test]
fn snapshot_tests_keep_their_node_ids_with_one_backend() {
    // A suite with one snapshot test, with or without its `__snapshots__` folder.
    let suite = |stored: bool| {
        let work = tmp();
        let dir = work.path();
        put(dir, "pyproject.toml", PYPROJECT);
        put(
            dir,
            "tests/test_x.py",
            "async def test_x(snapshot):\n    assert {\"a\": 1} == snapshot\n",
        );
        if stored {
            put(
                dir,
                "tests/__snapshots__/test_x.ambr",
                "# serializer version: 1\n# name: test_x\n  dict({\n    'a': 1,\n  })\n# ---\n",
            );
        }
        let run = migrate(dir, &["--write", "--backends", "asyncio,trio", "."]);
        assert_code(&run, 0);
        (work, run)
    };
    let (work, run) = suite(true);
    let conftest = read_str(work.path(), "conftest.py");
    assert!(
        conftest.contains(
            "@pytest.fixture(scope=\"session\")\ndef anyio_backend():\n    return \"asyncio\", {\"loop_factory\": _loop_logging_handler_errors}\n"
        ),
        "{conftest}"
    );
    assert!(
        run.stderr.contains("(\"asyncio\" only, not parametrised over the backends asked for): 1 async test(s) compare syrupy snapshots stored under their node ids (`tests/test_x.py::test_x`)"),
        "{}",
        run.stderr
    );
    // Without the snapshots folder nothing is stored under the ids: both backends.
    let (work, _) = suite(false);
    let conftest = read_str(work.path(), "conftest.py");
    assert!(
        conftest.contains("params=[\"asyncio\", \"trio\"]"),
        "{conftest}"
    );
}

#[test]
fn unmarked_async_tests_without_auto_mode_config_are_reported_and_keep_the_suite() {
    let work = tmp();
    let dir = work.path();
    let unmarked = "import pytest\n\n\n@pytest.fixture\nasync def thing():\n    return 1\n\n\nasync def test_a(thing):\n    assert thing == 1\n\n\nasync def test_b():\n    pass\n";
    put(dir, "tests/test_auto.py", unmarked);
    // unittest's async test methods and nested functions are not pytest-asyncio's.
    put(
        dir,
        "tests/test_unit.py",
        "import unittest\n\n\nclass T(unittest.IsolatedAsyncioTestCase):\n    async def test_x(self):\n        async def test_inner():\n            pass\n",
    );
    // Tests another async plugin runs (pytest-trio's marker) are not pytest-asyncio's either.
    put(
        dir,
        "tests/test_trio.py",
        "import pytest\n\n\n@pytest.mark.trio\n# a comment between\n@pytest.mark.slow\nasync def test_t(nursery):\n    pass\n",
    );
    let run = migrate(dir, &["--write", "tests"]);
    assert_code(&run, 0);
    assert!(
        !run.stderr
            .contains("test_unit.py:5:5: [pytest-asyncio/unmarked-async-tests] MANUAL: 1 async"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("carry no marker").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tests/test_auto.py:9:1: [pytest-asyncio/unmarked-async-tests] MANUAL: 2 async test(s) in this module carry no marker"),
        "{}",
        run.stderr
    );
    assert_eq!(read_str(dir, "tests/test_auto.py"), unmarked);
    // Without the command line's auto mode anyio's plugin would not run them: the suite stays
    // on pytest-asyncio, so no anyio_backend fixture either.
    assert!(
        run.stderr
            .contains("tests kept on pytest-asyncio: tests: 1 blocker(s)"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("tests/conftest.py").exists());
    // With auto mode in the configuration the tests run as they are: nothing to report.
    let work = tmp();
    let dir = work.path();
    put(dir, "tests/test_auto.py", unmarked);
    put(dir, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    let run = migrate(dir, &["--write", "tests", "pytest.ini"]);
    assert!(!run.stderr.contains("carry no marker"), "{}", run.stderr);
    assert_eq!(read_str(dir, "pytest.ini"), "[pytest]\nanyio_mode = auto\n");
}

#[test]
fn calls_through_a_modules_reexport_of_an_asyncio_api_are_reported_where_they_are() {
    let work = tmp();
    let dir = work.path();
    put(
        dir,
        "pkg/__init__.py",
        "from .compat import get_running_loop\n",
    );
    put(
        dir,
        "pkg/compat.py",
        "import asyncio\n\nget_running_loop = asyncio.get_running_loop\nfrom asyncio import open_connection as connect\nfrom asyncio import start_server\n",
    );
    put(
        dir,
        "pkg/fork.py",
        "from .compat import get_running_loop\n\n\nasync def fork(fd, cb):\n    loop = get_running_loop()\n    loop.add_reader(fd, cb)\n\n\ndef local(get_running_loop):\n    return get_running_loop()\n",
    );
    put(
        dir,
        "pkg/sub/timer.py",
        "from .. import compat\nimport pkg.compat as c\n\n\nasync def tick():\n    compat.get_running_loop().call_soon(print)\n    await compat.start_server(print)\n    return await c.connect('h', 1)\n",
    );
    put(dir, "pkg/sub/__init__.py", "");
    // Through the package's own re-export, from a test folder that is not a package.
    put(
        dir,
        "tests/test_fork.py",
        "from pkg import get_running_loop\n\n\nasync def test_loop():\n    assert get_running_loop() is not None\n",
    );
    let run = migrate(dir, &["pkg", "tests"]);
    assert_code(&run, 0);
    let reported: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("re-exported at"))
        .collect();
    let at = |prefix: &str| reported.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(
        at(
            "pkg/fork.py:5:12: [asyncio-loop/reexported-api] MANUAL: `get_running_loop()` is `asyncio.get_running_loop` (re-exported at pkg/compat.py:3)"
        ),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        at(
            "pkg/sub/timer.py:6:5: [asyncio-loop/reexported-api] MANUAL: `compat.get_running_loop()` is `asyncio.get_running_loop`"
        ),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        at(
            "pkg/sub/timer.py:8:18: [asyncio-loop/reexported-api] MANUAL: `c.connect()` is `asyncio.open_connection` (re-exported at pkg/compat.py:4)"
        ),
        1,
        "{}",
        run.stderr
    );
    // A plain `from asyncio import start_server` re-exports it too.
    assert_eq!(
        at(
            "pkg/sub/timer.py:7:11: [asyncio-loop/reexported-api] MANUAL: `compat.start_server()` is `asyncio.start_server` (re-exported at pkg/compat.py:5)"
        ),
        1,
        "{}",
        run.stderr
    );
    assert_eq!(
        at(
            "tests/test_fork.py:5:12: [asyncio-loop/reexported-api] MANUAL: `get_running_loop()` is `asyncio.get_running_loop` (re-exported at pkg/compat.py:3)"
        ),
        1,
        "{}",
        run.stderr
    );
    // The parameter that shadows the name in `local` is not the re-export.
    assert_eq!(reported.len(), 5, "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Targets: the oldest anyio and Python the project allows decide what the run writes.

const LIB_WITH_LOCKS: &str = "import asyncio\n\nasync def work(f):\n    lock = asyncio.Semaphore(2)\n    async with lock:\n        await asyncio.sleep(0)\n    return await asyncio.to_thread(f)\n";

const TEST_WITH_MARK: &str = "import asyncio\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    await asyncio.sleep(0)\n";

/// The project being migrated is `async_timeout` itself: its own `timeout()`, which its tests
/// exercise, is not rewritten to `anyio.fail_after` (the tests would no longer test it); a
/// project that only uses the package gets the rewrite.
#[test]
fn a_package_the_codemods_rewrite_is_left_in_its_own_project() {
    let test = "import asyncio\nfrom async_timeout import timeout\n\n\nasync def test_t():\n    async with timeout(1):\n        await asyncio.sleep(0)\n";
    let own = tmp();
    put(
        own.path(),
        "pyproject.toml",
        "[project]\nname = \"async-timeout\"\n",
    );
    put(
        own.path(),
        "async_timeout/__init__.py",
        "import asyncio\n\n\ndef timeout(delay):\n    return asyncio.timeout(delay)\n",
    );
    put(own.path(), "tests/test_t.py", test);
    let run = migrate(own.path(), &["tests"]);
    assert!(!run.out().contains("fail_after"), "{}", run.out());
    let user = tmp();
    put(
        user.path(),
        "pyproject.toml",
        "[project]\nname = \"user\"\n",
    );
    put(user.path(), "tests/test_t.py", test);
    let run = migrate(user.path(), &["tests"]);
    assert!(run.out().contains("anyio.fail_after(1)"), "{}", run.out());
}

/// A project that supports Python 3.9 and does not depend on anyio: the output and the
/// requirement the run adds are for anyio 4.12.1, the newest release Python 3.9 installs
/// (4.13 and later need 3.10): no task handle (4.14), a raise of asyncio's `TimeoutError` left
/// (not the builtin before 3.11), and the tests move to anyio 4.11's plugin (the oldest with
/// `anyio_mode`; 4.16 needs Python 3.10).
#[test]
fn a_python_3_9_project_gets_the_anyio_python_3_9_installs() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\nrequires-python = \">=3.9\"\ndependencies = []\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"strict\"\n",
    );
    put(
        dir.path(),
        "p/lib.py",
        "import asyncio\n\nasync def work(job):\n    t = asyncio.create_task(job())\n    await asyncio.sleep(0)\n    return await t\n\ndef late():\n    raise asyncio.TimeoutError\n\nasync def shared():\n    lock = asyncio.Lock()\n    cond = asyncio.Condition(lock)\n    async with lock:\n        cond.notify()\n",
    );
    put(dir.path(), "tests/test_lib.py", TEST_WITH_MARK);
    put(dir.path(), "tox.ini", "[tox]\nenvlist = py39\n");
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("anyio 4.12.1 (anyio is not a dependency yet"),
        "{}",
        run.stderr
    );
    let lib = read_str(dir.path(), "p/lib.py");
    // No TaskHandle before 4.14: the task group is the module helper that adds create_task().
    assert!(
        lib.contains("    async with _TaskGroup() as tg:\n        t = tg.create_task(job())\n"),
        "{lib}"
    );
    assert!(lib.contains("\nclass _TaskGroup:\n"), "{lib}");
    assert!(lib.contains("raise asyncio.TimeoutError"), "{lib}");
    assert!(run.stderr.contains("raised-before-3-11"), "{}", run.stderr);
    // Before anyio 4.16 a Condition(lock) raised in notify() with the lock taken directly.
    assert!(lib.contains("asyncio.Condition(lock)"), "{lib}");
    assert!(
        run.stderr
            .contains("[asyncio-sync-primitives/anyio-too-old]"),
        "{}",
        run.stderr
    );
    let pyproject = read_str(dir.path(), "pyproject.toml");
    assert!(
        pyproject.contains("dependencies = [\"anyio>=4.12.1\"]"),
        "{pyproject}"
    );
    assert!(
        pyproject.contains("test = [\"pytest\", \"anyio>=4.11\"]"),
        "{pyproject}"
    );
    assert!(!pyproject.contains("anyio>=4.16"), "{pyproject}");
    assert!(
        !run.stderr.contains("python-too-old-for-plugin"),
        "{}",
        run.stderr
    );
    assert!(read_str(dir.path(), "tests/test_lib.py").contains("pytest.mark.anyio"));
}

/// A project that still supports Python 3.8 installs no release of anyio's plugin with
/// `anyio_mode` (4.11 needs 3.9), and one that passes `--asyncio-mode=auto` on the command
/// line on Python 3.9 none with `--anyio-mode` (4.15, Python 3.10): where the configuration
/// also changes what pytest collects (`python_files`, `python_classes`), the run cannot mark
/// the tests instead, so they stay on pytest-asyncio, with one blocker for the folder's
/// configuration files; and a 3.8 suite whose test requests pytest-asyncio's `unused_tcp_port`
/// (anyio's `free_tcp_port` came in 4.9) stays as well.
/// A pyproject.toml whose oldest Python is `python`, with pytest-asyncio for the tests and
/// `options` in its pytest table.
fn pyproject_with(python: &str, options: &str) -> String {
    format!(
        "[project]\nname = \"p\"\nrequires-python = \">={python}\"\ndependencies = []\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\n{options}"
    )
}

#[test]
fn tests_stay_on_pytest_asyncio_where_the_python_floor_has_no_plugin_for_them() {
    let port_test = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_port(unused_tcp_port):\n    assert unused_tcp_port > 0\n";
    for (python, options, test, code, needs) in [
        (
            "3.8",
            "asyncio_mode = \"auto\"\npython_files = [\"test_*.py\", \"check_*.py\"]\n",
            TEST_WITH_MARK,
            "[pytest-asyncio/python-too-old-for-plugin]",
            "anyio 4.11, the oldest release of anyio's pytest plugin with what the migrated tests use (`anyio_mode`, for the configuration's `asyncio_mode = auto`), installs on Python 3.9 and later",
        ),
        (
            "3.9",
            "addopts = \"--asyncio-mode=auto\"\npython_classes = [\"Check\"]\n",
            TEST_WITH_MARK,
            "[pytest-asyncio/python-too-old-for-plugin]",
            "anyio 4.15, the oldest release of anyio's pytest plugin with what the migrated tests use (the `--anyio-mode` command-line option the configuration's `--asyncio-mode=auto` becomes), installs on Python 3.10 and later",
        ),
        (
            "3.8",
            "",
            port_test,
            "[pytest-asyncio/port-fixture-too-new]",
            "anyio's `free_tcp_port` came in anyio 4.9, which installs on Python 3.9 and later, where the project supports Python 3.8",
        ),
    ] {
        let dir = tmp();
        put(
            dir.path(),
            "pyproject.toml",
            pyproject_with(python, options),
        );
        put(dir.path(), "tests/test_lib.py", test);
        put(dir.path(), "tox.ini", "[tox]\nenvlist = py39\n");
        let run = migrate(dir.path(), &["--write", "."]);
        assert_code(&run, 0);
        // One blocker for the folder's configuration files, not one per file.
        assert_eq!(run.stderr.matches(code).count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(needs), "{}", run.stderr);
        assert!(
            run.stderr.contains("tests kept on pytest-asyncio"),
            "{}",
            run.stderr
        );
        let pyproject = read_str(dir.path(), "pyproject.toml");
        assert!(pyproject.contains("pytest-asyncio>=0.21"), "{pyproject}");
        assert!(read_str(dir.path(), "tests/test_lib.py").contains("pytest.mark.asyncio"));
    }
}

/// Auto mode where the suite's release lacks its anyio form (`anyio_mode` on Python 3.8,
/// `--anyio-mode` on 3.9): the setting is deleted and every async test is marked instead, so
/// the suite moves to anyio's plugin (the release its Python installs) rather than staying.
#[test]
fn auto_mode_without_its_anyio_form_becomes_markers() {
    let test = "import asyncio\n\n\nasync def test_x():\n    await asyncio.sleep(0)\n\n\nclass TestC:\n    async def test_m(self):\n        pass\n";
    for (python, options, plugin) in [
        ("3.8", "asyncio_mode = \"auto\"\n", "anyio>=4.5"),
        (
            "3.9",
            "addopts = \"-ra --asyncio-mode=auto\"\n",
            "anyio>=4.11",
        ),
    ] {
        let dir = tmp();
        put(
            dir.path(),
            "pyproject.toml",
            pyproject_with(python, options),
        );
        put(dir.path(), "tests/test_lib.py", test);
        let run = migrate(dir.path(), &["--write", "."]);
        assert_code(&run, 0);
        assert!(
            !run.stderr.contains("tests kept on pytest-asyncio"),
            "{}",
            run.stderr
        );
        let pyproject = read_str(dir.path(), "pyproject.toml");
        assert!(
            pyproject.contains(&format!("test = [\"pytest\", \"{plugin}\"]")),
            "{pyproject}"
        );
        assert!(!pyproject.contains("mode"), "{pyproject}");
        assert_eq!(
            read_str(dir.path(), "tests/test_lib.py"),
            "import anyio\nimport pytest\n\n\n@pytest.mark.anyio\nasync def test_x():\n    await anyio.sleep(0)\n\n\nclass TestC:\n    @pytest.mark.anyio\n    async def test_m(self):\n        pass\n"
        );
        // A second run changes nothing and reports nothing new.
        let again = migrate(dir.path(), &["--check", "."]);
        assert_code(&again, 0);
    }
}

/// The markers' report points at the first test marked, found in the file as it was even where
/// its name is written earlier in the file (a comment, a sync helper of that name in a class).
#[test]
fn auto_mode_markers_are_reported_at_the_first_test_marked() {
    let test = "# def test_x(): see below\nimport asyncio\n\n\nclass Helper:\n    def test_x(self):\n        pass\n\n\nasync def test_x():\n    await asyncio.sleep(0)\n";
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        pyproject_with("3.8", "asyncio_mode = \"auto\"\n"),
    );
    put(dir.path(), "tests/test_lib.py", test);
    let run = migrate(dir.path(), &["tests", "pyproject.toml"]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("tests/test_lib.py:10:1: [pytest-asyncio/auto-mode-markers]"),
        "{}",
        run.stderr
    );
}

/// A project on Python 3.10 whose anyio pin excludes 4.16 but allows 4.11 (`<4.14`): its tests
/// move to the newest plugin the pin allows, 4.11, and not to pytest-asyncio's keep.
#[test]
fn an_anyio_pin_below_the_newest_plugin_gets_the_newest_plugin_it_allows() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\nrequires-python = \">=3.10\"\ndependencies = [\"anyio>=4.5,<4.14\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
    );
    put(dir.path(), "tests/test_lib.py", TEST_WITH_MARK);
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    let pyproject = read_str(dir.path(), "pyproject.toml");
    assert!(
        pyproject.contains("test = [\"pytest\", \"anyio>=4.11\"]"),
        "{pyproject}"
    );
    assert!(pyproject.contains("anyio_mode = \"auto\""), "{pyproject}");
    assert!(
        !run.stderr.contains("tests kept on pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert!(read_str(dir.path(), "tests/test_lib.py").contains("pytest.mark.anyio"));
}

/// An Event kept on an attribute that a test of the same run clears (anyio's Event has no
/// `clear()`) stays asyncio's, and the constructor's finding names the use; the scan runs
/// before any file is planned (`analysis::member_uses`). A file's own uses are its own
/// codemod's business: they do not count against it.
#[test]
fn a_member_anyio_lacks_used_in_another_file_keeps_the_constructor() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/pool.py",
        "import asyncio\n\n\nclass Pool:\n    def __init__(self):\n        self._closed = asyncio.Event()\n\n    async def wait_closed(self):\n        await self._closed.wait()\n\n    def close(self):\n        self._closed.set()\n",
    );
    put(
        dir.path(),
        "tests/test_pool.py",
        "from pkg.pool import Pool\n\n\ndef test_reopen():\n    p = Pool()\n    p.close()\n    p._closed.clear()\n",
    );
    // A class whose `_ready` only its own file uses (and resets there: the codemod's
    // event-reset rewrite) is rewritten.
    put(
        dir.path(),
        "pkg/client.py",
        "import asyncio\n\n\nclass Client:\n    def __init__(self):\n        self._ready = asyncio.Event()\n\n    async def wait(self):\n        await self._ready.wait()\n\n    def reset(self):\n        self._ready.clear()\n",
    );
    let run = migrate(dir.path(), &["pkg", "tests"]);
    let out = run.out();
    assert!(
        !out.contains("+        self._closed = anyio.Event()"),
        "{out}"
    );
    assert!(
        out.contains("+        self._ready = anyio.Event()"),
        "{out}"
    );
    assert!(
        run.stderr.contains("pkg/pool.py:6:24: [asyncio-sync-primitives/used-elsewhere] MANUAL: an attribute named `_closed` is used in a way anyio's Event refuses: in tests/test_pool.py:7, `clear()` is called"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("member-elsewhere"), "{}", run.stderr);
}

#[test]
fn an_anyio_3_pin_gets_anyio_3_forms_and_no_conflicting_requirement() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\nrequires-python = \">=3.9\"\ndependencies = [\"anyio>=3.6,<4\"]\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"strict\"\n",
    );
    put(dir.path(), "p/lib.py", LIB_WITH_LOCKS);
    put(dir.path(), "tests/test_lib.py", TEST_WITH_MARK);
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    let lib = read_str(dir.path(), "p/lib.py");
    assert!(
        lib.contains("anyio.Semaphore(2)\n"),
        "no fast_acquire before 4.5:\n{lib}"
    );
    assert!(
        lib.contains("cancellable=True"),
        "cancellable= before 4.1:\n{lib}"
    );
    assert!(!lib.contains("abandon_on_cancel"), "{lib}");
    assert!(
        run.stderr
            .contains("UNSAFE: the target anyio (< 4.5) has no fast_acquire"),
        "{}",
        run.stderr
    );
    // The test side runs on the plugin of the anyio line the pin allows, 3.7 (markers and
    // fixtures, as 4.5's): no anyio 4 requirement beside `anyio>=3.6,<4`.
    let pyproject = read_str(dir.path(), "pyproject.toml");
    assert!(!pyproject.contains("anyio>=4"), "{pyproject}");
    assert!(
        pyproject.contains("test = [\"pytest\", \"anyio>=3.7\"]"),
        "{pyproject}"
    );
    assert!(read_str(dir.path(), "tests/test_lib.py").contains("pytest.mark.anyio"));
    assert!(
        !run.stderr.contains("tests kept on pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("targets of pyproject.toml: anyio 3.6 (pyproject.toml: `anyio>=3.6,<4`), Python 3.9 (pyproject.toml: `requires-python >=3.9`)"),
        "{}",
        run.stderr
    );
    let again = migrate(dir.path(), &["."]);
    assert!(
        again.out().is_empty(),
        "a second run changes nothing: {}",
        again.out()
    );
}

#[test]
fn a_package_that_starts_importing_anyio_depends_on_it() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\ndependencies = [\"httpx\", \"aiohttp\"]\n",
    );
    put(dir.path(), "p/lib.py", LIB_WITH_LOCKS);
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir.path(), "pyproject.toml"),
        "[project]\nname = \"p\"\ndependencies = [\"httpx\", \"aiohttp\", \"anyio>=4.16\"]\n"
    );
    assert!(
        run.stderr.contains(
            "[anyio-dependency/runtime-requirement] SAFE: runtime dependency `anyio>=4.16` added"
        ),
        "{}",
        run.stderr
    );
    let again = migrate(dir.path(), &["."]);
    assert!(again.out().is_empty(), "{}", again.out());
}

#[test]
fn target_flags_and_settings_override_the_pin_and_raise_it() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\ndependencies = [\"anyio>=3.6,<5\"]\n\n[tool.anyio-migrate]\ntarget-anyio = \"4.0\"\n",
    );
    put(dir.path(), "p/lib.py", LIB_WITH_LOCKS);
    // The setting: anyio 4.0 (abandon_on_cancel from 4.1, fast_acquire from 4.5).
    let run = migrate(dir.path(), &["."]);
    assert!(run.out().contains("cancellable=True"), "{}", run.out());
    assert!(
        run.stderr
            .contains("anyio 4.0 ([tool.anyio-migrate] target-anyio = \"4.0\")"),
        "{}",
        run.stderr
    );
    assert!(
        run.out().contains("+dependencies = [\"anyio>=4.0,<5\"]"),
        "{}",
        run.out()
    );
    assert!(
        run.stderr
            .contains("UNSAFE: runtime requirement `anyio>=3.6,<5` replaced by `anyio>=4.0,<5`"),
        "{}",
        run.stderr
    );
    // The flag wins over the setting.
    let run = migrate(
        dir.path(),
        &[".", "--target-anyio", "4.16", "--target-python", "3.11"],
    );
    assert!(run.out().contains("fast_acquire=True"), "{}", run.out());
    assert!(
        run.out().contains("abandon_on_cancel=True"),
        "{}",
        run.out()
    );
    assert!(
        run.stderr
            .contains("anyio 4.16 (--target-anyio 4.16), Python 3.11 (--target-python 3.11)"),
        "{}",
        run.stderr
    );
    let bad = migrate(dir.path(), &[".", "--target-anyio", "four"]);
    assert_code(&bad, 2);
    assert!(
        bad.stderr.contains("not a release number"),
        "{}",
        bad.stderr
    );
}

#[test]
fn task_group_results_below_anyio_4_14_use_the_helper_group_and_plain_starts_use_start_soon() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\ndependencies = [\"anyio>=4.5,<4.14\"]\n",
    );
    put(
        dir.path(),
        "p/lib.py",
        "import asyncio\n\nasync def one(x):\n    return x\n\nasync def results():\n    async with asyncio.TaskGroup() as tg:\n        t = tg.create_task(one(1))\n    return t.result()\n\nasync def background():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(one(2))\n",
    );
    let run = migrate(dir.path(), &["."]);
    assert!(
        run.out().contains("+    async with _TaskGroup() as tg:\n         t = tg.create_task(one(1))\n-    return t.result()\n+    return t.return_value\n"),
        "{}",
        run.out()
    );
    assert!(
        run.out().contains("+        tg.start_soon(one, 2)"),
        "{}",
        run.out()
    );
    assert!(
        run.stderr
            .contains("anyio < 4.14 has no `tg.create_task()`"),
        "{}",
        run.stderr
    );
}

#[test]
fn ruff_named_flags_diff_fix_exit_zero_and_extend_exclude() {
    let dir = tmp();
    let d = dir.path();
    put(d, "a.py", SLEEP);
    put(d, "gen/b.py", SLEEP);
    // `--diff`: the dry run, exit 1 when a file would change; `--exit-zero` makes it 0.
    let run = migrate(d, &["--diff", "a.py"]);
    assert_code(&run, 1);
    assert!(run.out().starts_with("--- a/a.py"), "{run:?}");
    assert_code(&migrate(d, &["--diff", "--exit-zero", "a.py"]), 0);
    assert_code(&migrate(d, &["--check", "--exit-zero", "a.py"]), 0);
    assert_eq!(read_str(d, "a.py"), SLEEP);
    // `--extend-exclude` adds to the excludes; `--fix` writes.
    let run = migrate(d, &["--fix", "--extend-exclude", "gen", "."]);
    assert_code(&run, 0);
    assert_eq!(read_str(d, "a.py"), SLEEP_MIGRATED);
    assert_eq!(read_str(d, "gen/b.py"), SLEEP);
    // A file named explicitly is migrated despite the exclude, unless `--force-exclude`.
    let run = migrate(
        d,
        &["--check", "--exclude", "gen", "--force-exclude", "gen/b.py"],
    );
    assert_code(&run, 0);
    assert!(
        run.stderr.contains("gen/b.py: skipped: excluded"),
        "{run:?}"
    );
    assert_code(&migrate(d, &["--check", "--exclude", "gen", "gen/b.py"]), 1);
}

#[test]
fn settings_are_found_from_the_paths_or_given_with_config() {
    let dir = tmp();
    let d = dir.path();
    put(
        d,
        "proj/pyproject.toml",
        "[tool.anyio-migrate]\nignore = [\"asyncio-sleep\"]\n",
    );
    put(d, "proj/a.py", SLEEP);
    put(
        d,
        "other/pyproject.toml",
        "[tool.anyio-migrate]\nexclude = [\"x\"]\n",
    );
    put(d, "other/b.py", SLEEP);
    put(d, "alt.toml", "select = [\"asyncio-sleep\"]\n");
    // Run from the parent folder: proj's table applies to proj's files.
    assert_code(&migrate(d, &["--check", "proj"]), 0);
    assert_code(&migrate(d, &["--check", "other"]), 1);
    // Two projects with different tables in one run: an error naming both.
    let run = migrate(d, &["--check", "proj", "other"]);
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("different [tool.anyio-migrate] settings"),
        "{run:?}"
    );
    // `--config` picks the file (a plain TOML file holds the keys at its top level).
    assert_code(&migrate(d, &["--check", "--config", "alt.toml", "proj"]), 1);
    let run = migrate(d, &["--check", "--config", "other/b.py", "proj"]);
    assert_code(&run, 2);
    let run = migrate(d, &["--check", "--config", "missing.toml", "proj"]);
    assert_code(&run, 2);
    assert!(run.stderr.contains("missing.toml"), "{run:?}");
}

#[test]
fn ignore_comments_skip_file_and_per_file_ignores_suppress_and_are_counted() {
    let dir = tmp();
    let d = dir.path();
    // The SAFE rewrite on line 5 is suppressed by name, the UNSAFE one on line 6 by a bare
    // ignore; the MANUAL finding (line 7) stays.
    put(
        d,
        "a.py",
        "import asyncio\n\n\nasync def main(f, *args):\n    await asyncio.sleep(1)  # anyio-migrate: ignore[asyncio-sleep]\n    f(asyncio.sleep)  # noqa: B1  # anyio-migrate: ignore\n    await asyncio.sleep(*args)\n",
    );
    put(d, "skip.py", format!("# anyio-migrate: skip-file\n{SLEEP}"));
    put(d, "gen/g.py", SLEEP);
    put(
        d,
        "pyproject.toml",
        "[tool.anyio-migrate]\nper-file-ignores = { \"gen/*\" = [\"asyncio-sleep\"] }\n",
    );
    let run = migrate(d, &["--format", "json", "."]);
    assert_code(&run, 0);
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(doc["summary"]["suppressed"], 3, "{doc:#}");
    let a = &doc["files"][0];
    assert_eq!(a["status"], "unchanged", "{a:#}");
    assert_eq!(a["findings"].as_array().unwrap().len(), 1);
    assert_eq!(a["findings"][0]["line"], 7);
    let skip = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "skip.py")
        .unwrap();
    assert_eq!(skip["status"], "skipped");
    assert!(skip["reason"].as_str().unwrap().contains("skip-file"));
    // The text summary says so.
    let run = migrate(d, &["."]);
    assert!(run.stderr.contains("suppressed: 3"), "{run:?}");
    // An unknown id in per-file-ignores is an error, as in --ignore.
    put(
        d,
        "pyproject.toml",
        "[tool.anyio-migrate]\nper-file-ignores = { \"gen/*\" = [\"asyncio-slep\"] }\n",
    );
    let run = migrate(d, &["."]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("did you mean `asyncio-sleep`"),
        "{run:?}"
    );
}

#[test]
fn select_and_ignore_take_codes_and_add_ignore_silences_what_is_left() {
    let dir = tmp();
    let d = dir.path();
    put(d, "a.py", MIXED);
    // A code narrows a codemod: here every asyncio-sleep outcome has the same code as the
    // codemod id or one of its kinds; ignoring the finding's exact code keeps the rewrites.
    let run = migrate(d, &["--format", "json", "."]);
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    let code = doc["files"][0]["findings"][0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let run = migrate(d, &["--format", "json", "--ignore", &code, "."]);
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    if code.contains('/') {
        assert!(doc["files"][0]["findings"].as_array().unwrap().is_empty());
        assert_eq!(doc["files"][0]["status"], "changed");
    }
    let run = migrate(d, &["--ignore", "asyncio-slep/x", "."]);
    assert_code(&run, 2);
    // --add-ignore: the comment goes on the finding's line; nothing else changes; --check
    // then still finds the rewrites but no finding.
    let run = migrate(d, &["--add-ignore", "."]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("added 1 ignore comment(s) to 1 file(s)"),
        "{run:?}"
    );
    let text = read_str(d, "a.py");
    assert_eq!(
        text,
        MIXED.replace(
            "await asyncio.sleep(*args)\n",
            &format!("await asyncio.sleep(*args)  # anyio-migrate: ignore[{code}]\n")
        )
    );
    let run = migrate(d, &["--format", "json", "--check", "."]);
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(doc["files"][0]["findings"].as_array().unwrap().is_empty());
    assert_eq!(doc["summary"]["suppressed"], 1);
    // A second --add-ignore has nothing to add.
    let run = migrate(d, &["--add-ignore", "."]);
    assert!(run.stderr.contains("added 0 ignore comment(s)"), "{run:?}");
}

/// What tree-sitter-python cannot parse although `CPython` does (from the standard library's
/// `test_compile.py`): an attribute continued on a dedented line inside brackets.
const PARSER_LIMIT: &str = "def f():\n    (bar.\nbaz)\n";

#[test]
fn a_file_only_the_parser_cannot_read_is_skipped_and_counts_under_check_if_it_uses_asyncio() {
    let dir = tmp();
    let d = dir.path();
    // A file that names no asyncio is not even parsed (the pre-filter): unchanged.
    put(d, "plain.py", PARSER_LIMIT);
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/pyenv/bin/python");
    let run_with = |args: &[&str]| {
        let mut cmd = cli(d);
        cmd.env("ANYIO_MIGRATE_PYTHON", &python).args(args);
        exec(cmd, b"")
    };
    assert_code(&run_with(&["--check", "."]), 0);
    // With asyncio in it: the skip says to migrate it by hand, and --check finds work.
    put(d, "uses.py", format!("import asyncio\n{PARSER_LIMIT}"));
    let run = run_with(&["."]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains(
            "uses.py: skipped: parser limitation: tree-sitter-python cannot parse 3:5, which CPython parses"
        ),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("it uses asyncio: migrate it by hand"),
        "{run:?}"
    );
    assert_code(&run_with(&["--check", "."]), 1);
    // Without a Python to ask, it stays a syntax error (exit 2).
    let mut cmd = cli(d);
    cmd.env("ANYIO_MIGRATE_PYTHON", d.join("no-such-python"))
        .arg("uses.py");
    let run = exec(cmd, b"");
    assert_code(&run, 2);
    assert!(run.stderr.contains("syntax error at 3:5"), "{run:?}");
}

#[test]
fn a_mistyped_subcommand_gets_did_you_mean_and_an_empty_selection_says_so() {
    let dir = tmp();
    let d = dir.path();
    let run = migrate(d, &["lst"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("did you mean `anyio-migrate list`?"),
        "{run:?}"
    );
    let run = migrate(d, &["explian", "asyncio-sleep"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("did you mean `anyio-migrate explain`?"),
        "{run:?}"
    );
    put(d, "empty/readme.txt", "no Python here\n");
    let run = migrate(d, &["empty"]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("warning: no Python files found under empty"),
        "{run:?}"
    );
}

#[test]
fn explain_takes_a_code_and_unknown_codes_get_did_you_mean() {
    let dir = tmp();
    let run = migrate(dir.path(), &["explain", "asyncio-sleep/sleep-forever"]);
    assert_code(&run, 0);
    let text = run.out();
    assert!(
        text.starts_with("asyncio-sleep/sleep-forever (SAFE)\n"),
        "{text}"
    );
    assert!(text.contains("anyio.sleep_forever()"), "{text}");
    assert!(
        text.contains("# anyio-migrate: ignore[asyncio-sleep/sleep-forever]"),
        "{text}"
    );
    let run = migrate(dir.path(), &["explain", "asyncio-sleep/sleep-forevr"]);
    assert_code(&run, 2);
    assert!(
        run.stderr
            .contains("did you mean `asyncio-sleep/sleep-forever`?"),
        "{run:?}"
    );
    let run = migrate(dir.path(), &["--ignore", "asyncio-sleep/nope", "."]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("unknown code `asyncio-sleep/nope`"),
        "{run:?}"
    );
}

#[test]
fn an_excluded_test_folder_is_never_left_half_migrated() {
    let dir = tmp();
    let d = dir.path();
    put(d, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
    put(d, "tests/test_a.py", MARKED_TEST);
    put(d, "tests/legacy/test_b.py", MARKED_TEST);
    let before = snapshot(d);
    let run = migrate(d, &["--write", "--exclude", "tests/legacy", "."]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains(
            "tests/legacy/test_b.py:4:2: [pytest-asyncio/file-outside-paths] MANUAL: excluded from this run, this file still uses pytest-asyncio"
        ),
        "{run:?}"
    );
    assert!(run.stderr.contains("without the --exclude"), "{run:?}");
    // The suite stays on pytest-asyncio as a whole: nothing was written.
    assert!(
        run.stderr.contains("tests kept on pytest-asyncio"),
        "{run:?}"
    );
    assert_eq!(snapshot(d), before);
}

/// A library function that cancels every task of the running loop (a SIGINT handler's
/// shutdown) also cancels anyio's pytest plugin's own tasks: an async test that calls it, in a
/// suite moved to anyio's plugin, is reported at the call (`docs/evidence/loop_wide_cancel.py`);
/// a method is matched only through an attribute, and a test calling neither is not reported.
#[test]
fn a_test_calling_code_that_cancels_every_task_is_reported() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\nrequires-python = \">=3.10\"\ndependencies = []\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n",
    );
    put(
        dir.path(),
        "pkg/signals.py",
        "import asyncio\n\n\ndef on_sigint():\n    async def stop():\n        for task in asyncio.all_tasks():\n            if task is not asyncio.current_task():\n                task.cancel()\n\n    asyncio.ensure_future(stop())\n\n\nclass Server:\n    def shutdown(self):\n        for t in asyncio.all_tasks():\n            t.cancel()\n\n\ndef count():\n    return len(asyncio.all_tasks())\n",
    );
    put(
        dir.path(),
        "tests/test_signals.py",
        "import asyncio\n\nimport pytest\n\nfrom pkg import signals\nfrom pkg.signals import Server, count, on_sigint\n\n\n@pytest.mark.asyncio\nasync def test_sigint():\n    signals.on_sigint()\n    with pytest.raises(asyncio.CancelledError):\n        await asyncio.sleep(0)\n\n\n@pytest.mark.asyncio\nasync def test_shutdown():\n    Server().shutdown()\n    shutdown = 1\n    assert count() >= 1\n\n\n@pytest.mark.asyncio\nasync def test_itself():\n    for t in asyncio.all_tasks():\n        t.cancel()\n",
    );
    let run = migrate(dir.path(), &["."]);
    let code = "[pytest-asyncio/loop-wide-cancel]";
    assert_eq!(run.stderr.matches(code).count(), 3, "{}", run.stderr);
    for (line, what) in [
        ("tests/test_signals.py:11:5", "calls `on_sigint`"),
        ("tests/test_signals.py:18:5", "calls `shutdown`"),
        (
            "tests/test_signals.py:25:14",
            "cancels every task of the running loop",
        ),
    ] {
        assert!(
            run.stderr
                .contains(&format!("{line}: {code} MANUAL: this test {what}")),
            "{line}\n{}",
            run.stderr
        );
    }
}

/// Requirements files by the other names projects give them (`test-requirements.txt`, a
/// `requirements/` folder) get the same dependency edit as `requirements*.txt`.
#[test]
fn requirements_files_under_other_names_are_edited_too() {
    let dir = tmp();
    put(
        dir.path(),
        "pytest.ini",
        "[pytest]\nasyncio_mode = strict\n",
    );
    put(
        dir.path(),
        "test-requirements.txt",
        "pytest\npytest-asyncio==0.23.8\n",
    );
    put(
        dir.path(),
        "requirements/test.txt",
        "pytest-asyncio>=0.21  # tests\n",
    );
    put(dir.path(), "tests/test_lib.py", TEST_WITH_MARK);
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir.path(), "test-requirements.txt"),
        "pytest\nanyio>=4.16\n"
    );
    assert_eq!(
        read_str(dir.path(), "requirements/test.txt"),
        "anyio>=4.16  # tests\n"
    );
}

/// pytest-asyncio's options on tox's pytest command lines go as they do in `addopts` (pytest
/// stops on an option of a plugin that is not installed); other tools' lines stay, and the
/// suite's async tests run in the anyio auto mode the command now passes.
#[test]
fn pytest_asyncio_options_on_tox_pytest_commands_are_migrated() {
    let dir = tmp();
    put(
        dir.path(),
        "tox.ini",
        "[tox]\nenv_list = py311\n\n[testenv]\ndeps =\n    pytest\n    pytest-asyncio\ncommands =\n    mypy -p asyncio\n    python -m pytest -p pytest_asyncio --asyncio-mode=auto {posargs}\n",
    );
    put(
        dir.path(),
        "tests/test_a.py",
        "import asyncio\n\n\nasync def test_a():\n    await asyncio.sleep(0)\n",
    );
    let run = migrate(dir.path(), &["--write", "."]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir.path(), "tox.ini"),
        "[tox]\nenv_list = py311\n\n[testenv]\ndeps =\n    pytest\n    anyio>=4.16\ncommands =\n    mypy -p asyncio\n    python -m pytest --anyio-mode=auto {posargs}\n"
    );
    assert!(run.stderr.contains("in the tox command"), "{}", run.stderr);
    // The root conftest goes beside tox.ini, the folder tox runs pytest in.
    assert!(read_str(dir.path(), "conftest.py").contains("def anyio_backend"));
}

/// The files that run or install a suite the run moved to anyio's plugin (CI workflows, a
/// Makefile, a noxfile of the run) are reported where they still install pytest-asyncio or pass
/// its options; comments are not, and nothing is reported when the suite stays on
/// pytest-asyncio.
#[test]
fn runners_that_still_use_pytest_asyncio_are_reported() {
    // A pytest-asyncio hook the run cannot rewrite keeps the suite on pytest-asyncio.
    let blocker = "def pytest_asyncio_custom_hook():\n    pass\n";
    for (conftest, switched) in [("", true), (blocker, false)] {
        let dir = tmp();
        put(dir.path(), "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
        put(dir.path(), "tests/conftest.py", conftest);
        put(
            dir.path(),
            "tests/test_a.py",
            "import asyncio\n\n\nasync def test_a():\n    await asyncio.sleep(0)\n",
        );
        put(
            dir.path(),
            ".github/workflows/ci.yml",
            "jobs:\n  test:\n    steps:\n      - run: pip install pytest pytest-asyncio\n      # pytest --asyncio-mode=auto\n      - run: pytest --asyncio-mode=auto tests\n",
        );
        put(
            dir.path(),
            "Makefile",
            "test:\n\tpytest -p pytest_asyncio tests\n",
        );
        put(
            dir.path(),
            "noxfile.py",
            "import nox\n\n\n@nox.session\ndef tests(session):\n    session.install(\"pytest\", \"pytest-asyncio\")\n",
        );
        let run = migrate(dir.path(), &["."]);
        let code = "[pytest-asyncio/runner-uses-pytest-asyncio] MANUAL";
        assert_eq!(
            run.stderr.matches(code).count(),
            if switched { 3 } else { 0 },
            "{}",
            run.stderr
        );
        if !switched {
            assert!(
                run.stderr.contains("tests kept on pytest-asyncio"),
                "{}",
                run.stderr
            );
            continue;
        }
        for at in [
            ".github/workflows/ci.yml:4:33:",
            "Makefile:2:9:",
            "noxfile.py:6:32:",
        ] {
            assert!(
                run.stderr.contains(&format!("{at} {code}")),
                "{at}\n{}",
                run.stderr
            );
        }
        assert!(
            run.stderr.contains("(line 4 installs pytest-asyncio; line 6 passes pytest-asyncio's option `--asyncio-mode=auto`)"),
            "{}",
            run.stderr
        );
    }
}

/// A project that supports a Python no anyio release installs on (below 3.7): no rewrite is
/// made (not even `asyncio.TimeoutError` → the builtin, which needs no import but is only right
/// once the timeouts are anyio's), each is reported where it would have been, and the anyio
/// dependency is not added. With `--target-python 3.7` the module is migrated.
#[test]
fn nothing_is_migrated_for_a_python_anyio_does_not_install_on() {
    let module = "import asyncio\n\n\nasync def main():\n    try:\n        await asyncio.sleep(1)\n    except asyncio.TimeoutError:\n        pass\n";
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\nrequires-python = \">=3.6\"\ndependencies = []\n",
    );
    put(dir.path(), "p/core.py", module);
    let run = migrate(dir.path(), &["--write", "p", "pyproject.toml"]);
    assert_code(&run, 0);
    for (at, codemod) in [("6:15", "asyncio-sleep"), ("7:12", "asyncio-timeout-error")] {
        assert!(
            run.stderr.contains(&format!(
                "p/core.py:{at}: [{codemod}/python-too-old-for-anyio] MANUAL: the project supports Python 3.6"
            )),
            "{}",
            run.stderr
        );
    }
    assert_eq!(read_str(dir.path(), "p/core.py"), module);
    assert!(!read_str(dir.path(), "pyproject.toml").contains("anyio"));
    let again = migrate(
        dir.path(),
        &["--write", "--target-python", "3.7", "p", "pyproject.toml"],
    );
    assert_code(&again, 0);
    let after = read_str(dir.path(), "p/core.py");
    assert!(after.contains("await anyio.sleep(1)"), "{after}");
    assert!(read_str(dir.path(), "pyproject.toml").contains("anyio>=3.7.1"));
}

/// A sync fixture running coroutines on `event_loop` becomes an async fixture awaiting them,
/// on both backends; one that also passes the loop on needs `--backends asyncio`; one whose new
/// async body a second run would rewrite (`subprocess.run` there) is not made async.
#[test]
fn a_fixture_running_coroutines_on_event_loop_awaits_them() {
    let module = |body: &str| {
        format!(
            "import subprocess\n\nimport pytest\n\n\nasync def start(loop=None):\n    return 1\n\n\n@pytest.fixture\ndef server(event_loop):\n{body}\n\n\n@pytest.mark.asyncio\nasync def test_a(server):\n    assert server == 1\n"
        )
    };
    let pyproject = "[project]\nname = \"p\"\nrequires-python = \">=3.10\"\ndependencies = []\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n";
    let cases = [
        (
            "    srv = event_loop.run_until_complete(start())\n    yield srv\n    event_loop.run_until_complete(start())",
            "asyncio,trio",
            Some("async def server():\n    srv = await start()\n    yield srv\n    await start()"),
        ),
        (
            "    return event_loop.run_until_complete(start(loop=event_loop))",
            "asyncio",
            Some(
                "async def server():\n    event_loop = asyncio.get_running_loop()\n    return await start(loop=event_loop)",
            ),
        ),
        (
            "    return event_loop.run_until_complete(start(loop=event_loop))",
            "asyncio,trio",
            None,
        ),
        (
            "    subprocess.run([\"true\"])\n    return event_loop.run_until_complete(start())",
            "asyncio",
            None,
        ),
    ];
    for (body, backends, want) in cases {
        let dir = tmp();
        put(dir.path(), "pyproject.toml", pyproject);
        put(dir.path(), "tests/test_a.py", module(body));
        let run = migrate(
            dir.path(),
            &["--write", "--backends", backends, "tests", "pyproject.toml"],
        );
        assert_code(&run, 0);
        let after = read_str(dir.path(), "tests/test_a.py");
        if let Some(fixture) = want {
            assert!(after.contains(fixture), "{body}\n{after}");
            assert!(
                run.stderr.contains("event-loop-run-fixture"),
                "{}",
                run.stderr
            );
            assert!(!run.stderr.contains("unknown-loop"), "{}", run.stderr);
            let again = migrate(dir.path(), &["--check", "--backends", backends, "tests"]);
            let diff = String::from_utf8_lossy(&again.stdout);
            assert!(!diff.contains("@@"), "{diff}");
        } else {
            assert!(after.contains("def server(event_loop):"), "{body}\n{after}");
            assert!(
                run.stderr.contains("tests kept on pytest-asyncio"),
                "{}",
                run.stderr
            );
        }
    }
}

/// A test's class check of a primitive another module makes (`assertIsInstance(reg._lock,
/// Lock)`) is not taken for a factory and not rewritten: that module keeps its asyncio Lock
/// (released in another method than the one that acquired it), and the check must keep
/// passing; it is reported instead.
#[test]
fn a_class_check_of_a_primitive_made_elsewhere_is_left_and_reported() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/register.py",
        "from asyncio.locks import Lock\n\n\nclass Register:\n    def __init__(self):\n        self._lock = Lock()\n\n    async def acquire(self):\n        await self._lock.acquire()\n\n    def release(self):\n        self._lock.release()\n",
    );
    let test = "from asyncio.locks import Lock\nfrom unittest import IsolatedAsyncioTestCase\n\nfrom pkg.register import Register\n\n\nclass RegisterTest(IsolatedAsyncioTestCase):\n    def test_init(self):\n        reg = Register()\n        self.assertIsInstance(reg._lock, Lock)\n";
    put(dir.path(), "tests/test_register.py", test);
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert!(read_str(dir.path(), "pkg/register.py").contains("self._lock = Lock()"));
    assert_eq!(read_str(dir.path(), "tests/test_register.py"), test);
    assert!(
        run.stderr.contains(
            "tests/test_register.py:10:42: [asyncio-sync-primitives/class-check-elsewhere] MANUAL"
        ),
        "{}",
        run.stderr
    );
}

/// With two backends an async test's node id gains the backend: a conftest's list of ids and
/// a `--deselect` naming async tests by their old ids are reported; a sync test's id, which
/// keeps its name, and a run with one backend are not.
#[test]
fn node_ids_of_async_tests_are_reported_when_the_backend_is_parametrised() {
    let conftest = "import pytest\n\nKNOWN = {\"tests/test_a.py::test_x\", \"tests/test_a.py::test_sync\"}\n\n\ndef pytest_collection_modifyitems(config, items):\n    for item in items:\n        if item.nodeid in KNOWN:\n            item.add_marker(pytest.mark.xfail(strict=False))\n";
    let test = "import asyncio\n\nimport pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    await asyncio.sleep(0)\n\n\n@pytest.mark.asyncio\nasync def test_y():\n    await asyncio.sleep(0)\n\n\ndef test_sync():\n    pass\n";
    for (backends, reported) in [("asyncio,trio", 2), ("asyncio", 0)] {
        let dir = tmp();
        put(
            dir.path(),
            "pytest.ini",
            "[pytest]\naddopts = --deselect tests/test_a.py::test_y\n",
        );
        put(dir.path(), "tests/conftest.py", conftest);
        put(dir.path(), "tests/test_a.py", test);
        let run = migrate(dir.path(), &["--backends", backends, "."]);
        assert_eq!(
            run.stderr.matches("node-id-changes").count(),
            reported,
            "{}",
            run.stderr
        );
        if reported > 0 {
            for at in ["tests/conftest.py:3:11:", "pytest.ini:2:22:"] {
                assert!(
                    run.stderr
                        .contains(&format!("{at} [pytest-asyncio/node-id-changes]")),
                    "{}",
                    run.stderr
                );
            }
        }
    }
}

/// A fixture named like pytest-aiohttp's that the project's conftest defines itself is the
/// project's: the test requesting it does not keep the suite on pytest-asyncio. Without the
/// conftest's fixture (pytest-aiohttp's, then) it does.
#[test]
fn an_aiohttp_named_fixture_the_project_defines_blocks_nothing() {
    let conftest = "import pytest_asyncio\n\n\n@pytest_asyncio.fixture\nasync def aiohttp_server():\n    yield \"server\"\n";
    let test = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_a(aiohttp_server):\n    assert aiohttp_server == \"server\"\n";
    for (own, kept) in [(true, false), (false, true)] {
        let dir = tmp();
        put(
            dir.path(),
            "pytest.ini",
            "[pytest]\nasyncio_mode = strict\n",
        );
        if own {
            put(dir.path(), "tests/conftest.py", conftest);
        }
        put(dir.path(), "tests/test_a.py", test);
        let run = migrate(dir.path(), &["--write", "."]);
        assert_code(&run, 0);
        assert_eq!(
            run.stderr.contains("tests kept on pytest-asyncio"),
            kept,
            "{}",
            run.stderr
        );
        assert_eq!(
            read_str(dir.path(), "tests/test_a.py").contains("pytest.mark.anyio"),
            !kept
        );
    }
}

/// A test that patches a method on an object's primitive attribute (`patch.object(i.ready,
/// "wait")`) keeps that attribute's constructor asyncio's: anyio's primitives have `__slots__`,
/// so the patch would fail. The constructors of attributes no test patches so are rewritten.
#[test]
fn a_patch_of_a_method_on_a_primitive_attribute_keeps_its_constructor() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/core.py",
        "import asyncio\nimport dataclasses\n\n\n@dataclasses.dataclass\nclass Insights:\n    ready: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)\n\n\nclass Pool:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n        self._other = asyncio.Lock()\n\n    async def run(self):\n        async with self._lock:\n            async with self._other:\n                pass\n",
    );
    put(
        dir.path(),
        "tests/test_core.py",
        "from unittest import mock\n\nfrom pkg.core import Insights, Pool\n\n\ndef test_x(monkeypatch):\n    i = Insights()\n    with mock.patch.object(i.ready, \"wait\"):\n        pass\n    monkeypatch.setattr(Pool()._lock, \"locked\", lambda: True)\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    let core = read_str(dir.path(), "pkg/core.py");
    assert!(core.contains("default_factory=asyncio.Event"), "{core}");
    assert!(core.contains("self._lock = asyncio.Lock()"), "{core}");
    assert!(core.contains("self._other = anyio.Lock("), "{core}");
    for at in ["pkg/core.py:7:", "pkg/core.py:12:"] {
        assert!(
            run.stderr.lines().any(|l| l.starts_with(at)
                && l.contains("[asyncio-sync-primitives/patched-api] MANUAL")
                && l.contains("is patched on an object's")),
            "{}",
            run.stderr
        );
    }
}

/// A test that patches a method of asyncio's class (`asyncio.Lock.locked`) reaches every object
/// the class makes: the code's constructor stays asyncio's, reported where it is.
#[test]
fn a_patched_method_of_an_asyncio_class_keeps_its_constructors() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/core.py",
        "import asyncio\n\n\nclass Pool:\n    def __init__(self):\n        self._lock = asyncio.Lock()\n\n    async def run(self):\n        async with self._lock:\n            pass\n",
    );
    put(
        dir.path(),
        "tests/test_core.py",
        "from unittest import mock\n\n\ndef test_x():\n    with mock.patch(\"asyncio.locks.Lock.locked\", return_value=True):\n        pass\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert!(read_str(dir.path(), "pkg/core.py").contains("self._lock = asyncio.Lock()"));
    assert!(
        run.stderr.contains(
            "pkg/core.py:6:22: [asyncio-sync-primitives/patched-api] MANUAL: `asyncio.Lock.locked` is replaced at run time in tests/test_core.py:5"
        ),
        "{}",
        run.stderr
    );
}

/// A file that stubs `asyncio.sleep` by hand keeps every reference to it: the saved original
/// (`_real = asyncio.sleep`, which a restore would put back) and a check of the stub
/// (`hasattr(asyncio.sleep, ...)`) would otherwise name the `_asyncio_sleep` helper, whose
/// docstring mentions `asyncio.sleep` (that mention is no call through the patch).
#[test]
fn a_stubbed_asyncio_sleep_keeps_its_references_in_the_file_that_stubs_it() {
    const HELPER: &str = "import asyncio

_real = asyncio.sleep


async def _fake_sleep(t):
    await _real(0)


def stub(fn=None):
    asyncio.sleep = fn or _fake_sleep


def restore():
    asyncio.sleep = _real


def is_stubbed():
    return hasattr(asyncio.sleep, \"_sleep_time\")
";
    let dir = tmp();
    put(dir.path(), "tests/helper.py", HELPER);
    let run = migrate(dir.path(), &["--write", "tests"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "tests/helper.py"), HELPER);
    for at in ["tests/helper.py:3:9:", "tests/helper.py:19:20:"] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(at) && l.contains("[asyncio-sleep/patched-api] MANUAL")),
            "{}",
            run.stderr
        );
    }
}

/// The original saved by a from-import (`from asyncio import sleep as real_sleep`) and put back
/// by a restore (`asyncio.sleep = real_sleep`) stays the original: rewritten to the
/// `_asyncio_sleep` helper, the restore would install the helper into asyncio. Its calls are
/// no patch's business (the patch of the module's attribute never reached the name) and
/// become `anyio.sleep`.
#[test]
fn a_saved_original_put_back_by_a_restore_is_left_as_it_is() {
    const HELPER: &str = "import asyncio\nfrom asyncio import sleep as real_sleep\n\n\ndef stub(fn):\n    asyncio.sleep = fn\n\n\ndef restore():\n    asyncio.sleep = real_sleep\n\n\nasync def main():\n    await real_sleep(0.01)\n";
    let dir = tmp();
    put(dir.path(), "tests/helper.py", HELPER);
    let run = migrate(dir.path(), &["--write", "tests"]);
    assert_code(&run, 0);
    let helper = read_str(dir.path(), "tests/helper.py");
    assert!(
        helper.contains("    asyncio.sleep = real_sleep\n"),
        "{helper}"
    );
    assert!(helper.contains("    await anyio.sleep(0.01)\n"), "{helper}");
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("tests/helper.py:10:21:")
                && l.contains(
                    "[asyncio-sleep/patched-api] MANUAL: `real_sleep` here is the original"
                )),
        "{}",
        run.stderr
    );
}

/// An object's queue splits into streams its object never closes; where a top-level conftest
/// turns warnings into errors (`config.addinivalue_line("filterwarnings", "error")`), anyio's
/// warning about an unclosed stream would fail the tests, so the queue is kept whole as the
/// `_Queue` helper instead. The same code in a project without that filter splits.
#[test]
fn an_objects_queue_is_kept_whole_where_the_tests_fail_on_warnings() {
    const FEED: &str = "import asyncio\n\n\nclass Feed:\n    def __init__(self):\n        self._items = asyncio.Queue()\n\n    async def publish(self, item):\n        await self._items.put(item)\n\n    async def next(self):\n        return await self._items.get()\n";
    for (conftest, kept) in [
        (
            "def pytest_configure(config):\n    config.addinivalue_line(\"filterwarnings\", \"error\")\n",
            true,
        ),
        ("def pytest_configure(config):\n    pass\n", false),
    ] {
        let dir = tmp();
        put(dir.path(), "pyproject.toml", "[project]\nname = \"p\"\n");
        put(dir.path(), "pkg/feed.py", FEED);
        put(dir.path(), "tests/conftest.py", conftest);
        let run = migrate(dir.path(), &["pkg"]);
        let out = run.out();
        assert_eq!(out.contains("self._items = _Queue()"), kept, "{out}");
        assert_eq!(!out.contains("create_memory_object_stream"), kept, "{out}");
    }
}

/// `time.sleep` in an `async def` of test code is left as it is (MANUAL `in-test`): a test that
/// blocks the loop usually means to. The same line in library code becomes `anyio.sleep`.
#[test]
fn a_blocking_sleep_in_test_code_is_left_to_the_reader() {
    const BODY: &str = "import time\n\n\nasync def blocks_event_loop():\n    time.sleep(0.5)\n";
    let dir = tmp();
    put(dir.path(), "pkg/work.py", BODY);
    put(dir.path(), "tests/support/helpers.py", BODY);
    put(dir.path(), "tests/test_work.py", BODY);
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert!(read_str(dir.path(), "pkg/work.py").contains("await anyio.sleep(0.5)"));
    for test in ["tests/support/helpers.py", "tests/test_work.py"] {
        assert_eq!(read_str(dir.path(), test), BODY);
        assert!(
            run.stderr
                .contains(&format!("{test}:5:5: [blocking-sleep/in-test] MANUAL")),
            "{}",
            run.stderr
        );
    }
}

/// A pytest plugin of the project that looks pytest-asyncio's plugin up at run time
/// (`config.pluginmanager.getplugin("asyncio")`) finds nothing once the suite runs on anyio's
/// plugin: the suite stays on pytest-asyncio, the lookup named as its blocker.
#[test]
fn a_lookup_of_pytest_asyncios_plugin_keeps_the_suite() {
    let dir = tmp();
    put(
        dir.path(),
        "pyproject.toml",
        "[project]\nname = \"p\"\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"\n",
    );
    put(
        dir.path(),
        "pkg/plugin.py",
        "import pytest\n\n\n@pytest.fixture\ndef loops(request):\n    plugin = request.config.pluginmanager.getplugin(\"asyncio\")\n    return plugin.__name__\n",
    );
    put(
        dir.path(),
        "tests/test_a.py",
        "async def test_a():\n    assert True\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests", "pyproject.toml"]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("pkg/plugin.py:6:14: [pytest-asyncio/plugin-lookup] MANUAL"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tests kept on pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert!(read_str(dir.path(), "pyproject.toml").contains("asyncio_mode = \"auto\""));
}

/// Another object's attribute in the same file counts as a use: a pool that clears the Event
/// its events object holds (`self.events.ready.clear()`) keeps that Event asyncio's (found on a
/// task dispatcher whose test then failed with "'Event' object has no attribute 'clear'"). The
/// codemod judges such a use itself (`x.attr` through the holder's instances), so the finding
/// is at the use, with its own code.
#[test]
fn another_objects_attribute_in_the_same_file_keeps_the_constructor() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/pool.py",
        "import asyncio\n\n\nclass Events:\n    def __init__(self):\n        self.ready = asyncio.Event()\n\n\nclass Pool:\n    def __init__(self):\n        self.events = Events()\n\n    async def tend(self):\n        await self.events.ready.wait()\n        self.events.ready.clear()\n",
    );
    let run = migrate(dir.path(), &["pkg"]);
    assert!(!run.out().contains("anyio.Event()"), "{}", run.out());
    assert!(
        run.stderr.contains("pkg/pool.py:15:9: [asyncio-sync-primitives/event-clear] MANUAL: anyio.Event has no clear(): `self.events.ready.clear()`"),
        "{}",
        run.stderr
    );
}

/// A Future kept on an attribute whose callbacks another file adds (`p.waiter.add_done_callback`,
/// a library registering a test's fake protocol) stays asyncio's: below anyio 4.15 the
/// `_Future` helper has no callbacks, and anyio's Future neither (nor `set_result`, which it
/// spells `return_value`). Found on a telnet library's test, whose class attribute
/// `_waiter_connected = asyncio.Future()` the library called `add_done_callback` on.
#[test]
fn a_future_attribute_another_file_adds_callbacks_to_stays_asyncios() {
    for (python, anyio) in [
        (">=3.9", "the `_Future` helper"),
        (">=3.11", "anyio's Future"),
    ] {
        let dir = tmp();
        put(
            dir.path(),
            "pyproject.toml",
            format!("[project]\nname = \"p\"\nrequires-python = \"{python}\"\n"),
        );
        put(
            dir.path(),
            "pkg/lib.py",
            "def register(p):\n    p.waiter.add_done_callback(lambda f: None)\n",
        );
        put(
            dir.path(),
            "tests/test_lib.py",
            "import asyncio\n\nfrom pkg.lib import register\n\n\nasync def test_register():\n    class P:\n        waiter = asyncio.Future()\n\n    register(P())\n",
        );
        let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
        assert_code(&run, 0);
        let test = read_str(dir.path(), "tests/test_lib.py");
        assert!(test.contains("waiter = asyncio.Future()"), "{test}");
        assert!(
            run.stderr.contains(&format!("tests/test_lib.py:8:18: [asyncio-sync-primitives/used-elsewhere] MANUAL: an attribute named `waiter` is used in a way {anyio}")),
            "{}",
            run.stderr
        );
    }
}

/// A pytest-mock patch of `asyncio.sleep` (a fixture named `*mocker`, whose `patch` returns the
/// replacement) gets its twin as a wrapper that puts the same object on `anyio.sleep`, so the
/// library's migrated call stays in its reach (`docs/evidence/sleep_patch_twin.py`, test 1);
/// a second run finds the twin and writes nothing.
#[test]
fn a_pytest_mock_patch_of_asyncio_sleep_gets_a_twin_on_anyio_sleep() {
    let dir = tmp();
    put(
        dir.path(),
        "pkg/retry.py",
        "import asyncio\n\n\nasync def backoff(delay):\n    await asyncio.sleep(delay)\n",
    );
    put(
        dir.path(),
        "tests/test_retry.py",
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef sleep(mocker):\n    return mocker.patch(\"asyncio.sleep\")\n\n\ndef test_object(session_mocker):\n    session_mocker.patch.object(asyncio, \"sleep\", new=print)\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir.path(), "pkg/retry.py"),
        "import anyio\n\n\nasync def backoff(delay):\n    await anyio.sleep(max(0, delay))\n"
    );
    assert_eq!(
        read_str(dir.path(), "tests/test_retry.py"),
        "import asyncio\n\nimport pytest\n\n\n@pytest.fixture\ndef sleep(mocker):\n    return mocker.patch(\"anyio.sleep\", new=mocker.patch(\"asyncio.sleep\"))\n\n\ndef test_object(session_mocker):\n    session_mocker.patch(\"anyio.sleep\", new=session_mocker.patch.object(asyncio, \"sleep\", new=print))\n"
    );
    let again = migrate(dir.path(), &["pkg", "tests"]);
    assert_code(&again, 0);
    assert!(
        again.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stdout)
    );
}

/// One patch of `asyncio.sleep` in a form with no twin (by hand here) keeps every patch of it
/// as it is, and every call the patches reach: a twin on some would leave the calls the others
/// reach out of theirs.
#[test]
fn one_sleep_patch_without_a_twin_keeps_every_patch_and_call() {
    const TEST: &str = "import asyncio\n\n\ndef test_fast(monkeypatch):\n    monkeypatch.setattr(asyncio, \"sleep\", print)\n\n\ndef stub():\n    asyncio.sleep = print\n";
    const LIB: &str = "import asyncio\n\n\nasync def backoff():\n    await asyncio.sleep(1)\n";
    let dir = tmp();
    put(dir.path(), "pkg/retry.py", LIB);
    put(dir.path(), "tests/test_retry.py", TEST);
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "pkg/retry.py"), LIB);
    assert_eq!(read_str(dir.path(), "tests/test_retry.py"), TEST);
    for at in [
        "pkg/retry.py:5:11: [asyncio-sleep/patched-api] MANUAL",
        "tests/test_retry.py:5:34: [asyncio-sleep/test-patch] MANUAL",
    ] {
        assert!(run.stderr.contains(at), "{at}\n{}", run.stderr);
    }
}

/// With the patch twinned, a call it never reached must not start to reach it: a name
/// imported from asyncio (bound to the original before any patch), a blocking `time.sleep` in
/// a coroutine (test 3 of the evidence). A reached call that would not become an `anyio.sleep`
/// call (`sleep_forever()`), or `asyncio.sleep` as a value, stays as before.
#[test]
fn calls_a_twinned_sleep_patch_never_reached_stay_out_of_its_reach() {
    const LIB: &str = "import asyncio\nimport math\nimport time\nfrom asyncio import sleep as pause\n\n\nasync def settle():\n    await pause(0.2)\n\n\nasync def block():\n    time.sleep(0.01)\n\n\nasync def forever():\n    await asyncio.sleep(math.inf)\n\n\nSLEEP = asyncio.sleep\n";
    let dir = tmp();
    put(dir.path(), "pkg/lib.py", LIB);
    put(
        dir.path(),
        "tests/conftest.py",
        "import asyncio\n\n\ndef fast(monkeypatch):\n    monkeypatch.setattr(asyncio, \"sleep\", print)\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "pkg/lib.py"), LIB);
    assert!(
        read_str(dir.path(), "tests/conftest.py")
            .ends_with("    monkeypatch.setattr(asyncio, \"sleep\", print)\n    monkeypatch.setattr(\"anyio.sleep\", print)\n")
    );
    for (at, said) in [
        (
            "pkg/lib.py:8:11: [asyncio-sleep/patched-api]",
            "never reached the patch",
        ),
        (
            "pkg/lib.py:12:5: [blocking-sleep/patched-api]",
            "never reached the patch",
        ),
        (
            "pkg/lib.py:16:11: [asyncio-sleep/patched-api]",
            "take the call out of that patch's reach",
        ),
        (
            "pkg/lib.py:19:9: [asyncio-sleep/patched-api]",
            "take the call out of that patch's reach",
        ),
    ] {
        assert!(
            run.stderr
                .lines()
                .any(|l| l.starts_with(at) && l.contains(said)),
            "{at}\n{}",
            run.stderr
        );
    }
}

/// `assert await asyncio.wait_for(...) == x` in test code: the wait is hoisted before the
/// assertion (pytest runs with assertions on). In library code it stays: under `python -O`
/// the assertion and its wait do not run, and hoisted the wait would.
#[test]
fn a_wait_for_in_an_assert_is_hoisted_in_test_code_only() {
    const LIB: &str = "import asyncio\n\n\nasync def check(reader):\n    assert await asyncio.wait_for(reader.readline(), 1) == b\"x\"\n";
    let dir = tmp();
    put(dir.path(), "pkg/check.py", LIB);
    put(
        dir.path(),
        "tests/test_read.py",
        "import asyncio\n\n\nasync def test_read(reader):\n    assert await asyncio.wait_for(reader.readline(), 1) == b\"x\", \"no line\"\n",
    );
    let run = migrate(dir.path(), &["--write", "pkg", "tests"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "pkg/check.py"), LIB);
    assert!(
        run.stderr.lines().any(|l| l
            .starts_with("pkg/check.py:5:18: [asyncio-timeout/cannot-hoist] MANUAL")
            && l.contains("`python -O`")),
        "{}",
        run.stderr
    );
    assert!(
        read_str(dir.path(), "tests/test_read.py").ends_with(
            "    with anyio.fail_after(1):\n        wait_result = await reader.readline()\n    assert wait_result == b\"x\", \"no line\"\n"
        ),
        "{}",
        read_str(dir.path(), "tests/test_read.py")
    );
}

/// `assert await asyncio.wait_for(t, x) == v` on a task the test starts: in test code the task
/// goes to a group and the assertion under `with anyio.fail_after(x):`; in library code the
/// task stays (the assertion and its wait do not run under `python -O`).
#[test]
fn a_timed_wait_for_a_task_in_an_assert_is_taken_in_test_code_only() {
    const LIB: &str = "import asyncio\n\n\nasync def job():\n    return 1\n\n\nasync def check():\n    t = asyncio.create_task(job())\n    assert await asyncio.wait_for(t, 1) == 1\n";
    let dir = tmp();
    put(dir.path(), "pkg/check.py", LIB);
    put(
        dir.path(),
        "tests/test_job.py",
        "import asyncio\n\n\nasync def job():\n    return 1\n\n\nasync def test_job():\n    t = asyncio.create_task(job())\n    assert await asyncio.wait_for(t, timeout=1) == 1\n",
    );
    let run = migrate(
        dir.path(),
        &["--write", "--select", "asyncio-create-task", "pkg", "tests"],
    );
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "pkg/check.py"), LIB);
    assert!(
        run.stderr
            .lines()
            .any(|l| l
                .starts_with("pkg/check.py:9:9: [asyncio-create-task/passed-to-asyncio] MANUAL")),
        "{}",
        run.stderr
    );
    assert!(
        read_str(dir.path(), "tests/test_job.py").ends_with(
            "    async with anyio.create_task_group() as tg:\n        t = tg.create_task(job())\n        with anyio.fail_after(1):\n            assert await t == 1\n"
        ),
        "{}",
        read_str(dir.path(), "tests/test_job.py")
    );
}

/// A sync test that releases a primitive runs outside any event loop: anyio's `release()` raises
/// `NoEventLoopError` there (asyncio's works), so the primitive stays asyncio's (MANUAL
/// `outside-event-loop`); the same call in a plain function of a library module may run inside a
/// loop, and the rewrite says so (UNSAFE). Found on a probe of unseen projects (a sync test
/// checking a `BoundedSemaphore`'s `ValueError`).
#[test]
fn a_sync_test_releasing_a_primitive_keeps_it() {
    let work = tmp();
    let dir = work.path();
    let test = "import asyncio\n\n\ndef test_release_not_acquired():\n    sem = asyncio.BoundedSemaphore()\n    try:\n        sem.release()\n    except ValueError:\n        pass\n";
    put(dir, "tests/test_sem.py", test);
    let lib = "import asyncio\n\n\ndef release_one():\n    sem = asyncio.BoundedSemaphore()\n    sem.release()\n";
    put(dir, "lib/limits.py", lib);
    let run = migrate(dir, &["tests", "lib"]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains(
            "tests/test_sem.py:7:9: [asyncio-sync-primitives/outside-event-loop] MANUAL: `sem.release()` runs in a plain function"
        ),
        "{run:?}"
    );
    assert_eq!(diffed(&run), ["lib/limits.py"], "{run:?}");
    assert!(
        run.stderr.contains(
            "lib/limits.py:5:11: [asyncio-sync-primitives/constructor] UNSAFE: `sem.release()` runs in a plain function"
        ),
        "{run:?}"
    );
}

/// A run given the test folder only, in a project whose Python floor (from `setup.py`, no
/// configuration file among the paths) installs no anyio: the suite stays on pytest-asyncio, as
/// it does with the configuration in the run (`python-too-old-for-plugin`). Found on a probe of
/// unseen projects: a Python 3.6 project's markers were moved to anyio's plugin.
#[test]
fn a_test_folder_alone_of_a_python_3_6_project_stays_on_pytest_asyncio() {
    let dir = tmp();
    put(
        dir.path(),
        "setup.py",
        "from setuptools import setup\nsetup(name=\"demo\", python_requires=\">=3.6\")\n",
    );
    put(dir.path(), "tests/test_lib.py", TEST_WITH_MARK);
    let run = migrate(dir.path(), &["--write", "tests"]);
    assert!(
        run.stderr
            .contains("[pytest-asyncio/python-too-old-for-plugin]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("tests kept on pytest-asyncio"),
        "{}",
        run.stderr
    );
    assert_eq!(read_str(dir.path(), "tests/test_lib.py"), TEST_WITH_MARK);
    assert!(!dir.path().join("tests/conftest.py").exists());
}
