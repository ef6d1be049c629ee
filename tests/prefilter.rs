//! The pre-filter's lexical stage (`src/prefilter.rs`): it keeps every file a planner has
//! something to say about, in every spelling tree-sitter accepts (checked against a run
//! without the pre-filter), and it drops files whose only trigger words sit in prose.

use anyio_migrate::engine::{NO_PREFILTER_ENV, triggered};
use anyio_migrate::registry::CODEMODS;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Files without "asyncio" that a codemod rewrites or reports, each written the way the
/// lexical tests must still see: (file, text, the codemod that must report or rewrite it).
const KEPT: &[(&str, &str, &str)] = &[
    (
        "continued.py",
        "async def f(g):\n    try:\n        await g()\n    except \\\n:\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "star.py",
        "async def f(g):\n    try:\n        await g()\n    except* :\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "tab.py",
        "async def f(g):\n    try:\n        await\\\n  g()\n    except\t:\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "comprehension.py",
        "async def f(g):\n    try:\n        return [x async for x in g()]\n    except:\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "async_with.py",
        "async def f(g):\n    try:\n        async  with g():\n            pass\n    except:\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "tuple.py",
        "async def f(g):\n    try:\n        await g()\n    except (\n        OSError,\n        BaseException,\n    ):\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "builtins_base.py",
        "import builtins\n\n\nasync def f(g):\n    try:\n        await g()\n    except builtins.BaseException:\n        pass\n",
        "asyncio-cancelled-error",
    ),
    (
        "sleep_continued.py",
        "import time\n\n\nasync \\\n  def f():\n    time.sleep(1)\n",
        "blocking-sleep",
    ),
    (
        "async_timeout_module.py",
        "import async_timeout\n\n\nasync def f(g):\n    async with async_timeout.timeout(1):\n        await g()\n",
        "asyncio-timeout",
    ),
    (
        "async_timeout_name.py",
        "from async_timeout import timeout as deadline\n\n\nasync def f(g):\n    async with deadline(1):\n        await g()\n",
        "asyncio-timeout",
    ),
    (
        "sleep_method.py",
        "from time import sleep\n\n\nclass C:\n    async\tdef f(self):\n        sleep(1)\n",
        "blocking-sleep",
    ),
];

/// Texts that mention the trigger words only in prose, strings or longer names: no codemod
/// can have an outcome there, and the pre-filter does not parse them.
const DROPPED: &[&str] = &[
    // A bare `except:` in a synchronous function; "async" only in a comment.
    "def f():\n    try:\n        g()\n    except:\n        pass  # not async\n",
    // `except:` and `await` inside strings that do not start a line of code.
    "DOC = (\n    \"try:\\n    await x\\n\"\n    \"except:\\n\"\n)\n",
    // Longer names: `awaitable`, `BaseExceptionGroup`, `async_mode`.
    "def f(awaitable):\n    try:\n        async_mode = awaitable\n    except BaseExceptionGroup:\n        pass\n",
    // `BaseException` and `await` in a docstring of a file without any `except` clause.
    "\"\"\"Wraps BaseException; callers await it.\"\"\"\nx = 1\n",
    // time.sleep outside any `async def` ("async" only in a name).
    "import time\n\n\ndef f(async_ok):\n    time.sleep(1)\n",
    // A test named after async_timeout, without the package; a bare `except:` and
    // "async with" only in a string, after a longer name (`map_async`).
    "def test_async_timeout(pool):\n    try:\n        pool.join(timeout=1)\n    except:\n        fail(\"map_async with chunks stalled\")\n",
    // A sleep in an `async def`, with "time" only in prose: no import of the module.
    "\"\"\"Sleep a short time.\"\"\"\n\n\nasync def f(sleep):\n    sleep(1)\n",
];

fn all_codemods() -> Vec<&'static anyio_migrate::registry::Codemod> {
    CODEMODS.iter().collect()
}

#[test]
fn lexical_stage_admits_every_kept_file_and_drops_prose() {
    let codemods = all_codemods();
    for (name, text, _) in KEPT {
        assert!(triggered(text, &codemods), "{name} must be looked at");
    }
    for text in DROPPED {
        assert!(!triggered(text, &codemods), "{text:?} must not be parsed");
    }
}

/// The report and diff of a run over `dir`, with or without the pre-filter.
fn outputs(dir: &Path, off: bool) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let run = |format: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_anyio-migrate"));
        cmd.current_dir(dir)
            .args(["--color", "never", "--format", format, "."]);
        if off {
            cmd.env(NO_PREFILTER_ENV, "1");
        } else {
            cmd.env_remove(NO_PREFILTER_ENV);
        }
        cmd.output().expect("running anyio-migrate")
    };
    let text = run("text");
    let json = run("json");
    (text.stdout, text.stderr, json.stdout)
}

#[test]
fn kept_files_give_the_same_output_as_without_the_prefilter() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text, _) in KEPT {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    for (i, text) in DROPPED.iter().enumerate() {
        std::fs::write(tmp.path().join(format!("dropped_{i}.py")), text).unwrap();
    }
    let on = outputs(tmp.path(), false);
    let off = outputs(tmp.path(), true);
    assert_eq!(
        String::from_utf8_lossy(&on.0),
        String::from_utf8_lossy(&off.0),
        "the diff differs without the pre-filter"
    );
    assert_eq!(
        String::from_utf8_lossy(&on.1),
        String::from_utf8_lossy(&off.1),
        "the text report differs without the pre-filter"
    );
    assert_eq!(
        String::from_utf8_lossy(&on.2),
        String::from_utf8_lossy(&off.2),
        "the JSON report differs without the pre-filter"
    );
    // Not vacuous: each kept file has an outcome of its codemod, and no dropped file has any.
    let report: Value = serde_json::from_slice(&on.2).unwrap();
    let files = report["files"].as_array().unwrap();
    let outcomes = |name: &str| -> Vec<Value> {
        files
            .iter()
            .filter(|f| f["path"] == name)
            .flat_map(|f| {
                ["fixes", "findings"]
                    .iter()
                    .flat_map(|k| f[k].as_array().cloned().unwrap_or_default())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    for (name, _, codemod) in KEPT {
        assert!(
            outcomes(name).iter().any(|o| o["codemod"] == *codemod),
            "{name}: nothing from {codemod}: {report}"
        );
    }
    for i in 0..DROPPED.len() {
        let name = format!("dropped_{i}.py");
        assert!(outcomes(&name).is_empty(), "{name}: {report}");
    }
}
