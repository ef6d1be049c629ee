//! End-to-end tests of the command line's contract: the real binary, run on temporary folders:
//! the diff, `--write` and `--check`, the reports, stdin, choosing codemods and files, what
//! `--write` keeps, bad input. The project pass is in `project_pass.rs`, the pre-filter's
//! soundness in `prefilter_soundness.rs`; the helpers in `common/cli.rs`.
//!
//! Every input uses only `asyncio.sleep` (the `asyncio-sleep` codemod), so these tests do not
//! depend on the other codemods. Every bad-input test also checks that no file lost a byte.
//! Symlinks, file modes and FIFOs make these tests Unix-only.

#![cfg(unix)]

mod common;

use common::cli::*;
use serde_json::Value;
use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};

// ---------------------------------------------------------------------------------------------
// The diff, --write and --check

#[test]
fn dry_run_diff_applies_with_git_apply_and_equals_write() {
    let work = tmp();
    let copy = tmp();
    populate(work.path());
    populate(copy.path());
    let before = snapshot(work.path());

    let run = migrate(work.path(), &[]);
    assert_code(&run, 0);
    assert_eq!(snapshot(work.path()), before, "a dry run writes nothing");
    assert_eq!(
        diffed(&run),
        [
            "app/bom.py",
            "app/crlf.py",
            "app/main.py",
            "nonl.py",
            "unsafe.py"
        ]
    );
    // Headers are relative to the current folder, not to the path argument.
    assert_eq!(
        diffed(&migrate(work.path(), &["app"])),
        ["app/bom.py", "app/crlf.py", "app/main.py"]
    );

    git(work.path(), &["init", "-q"], b"");
    git(work.path(), &["apply", "--check", "-"], &run.stdout);
    git(work.path(), &["apply", "-"], &run.stdout);

    assert_code(&migrate(copy.path(), &["--write"]), 0);
    let applied = snapshot(work.path());
    assert_ne!(applied, before);
    assert_eq!(applied, snapshot(copy.path()), "git apply == --write");
}

#[test]
fn absolute_paths_give_relative_diff_headers() {
    let dir = tmp();
    let root = fs::canonicalize(dir.path()).unwrap();
    put(&root, "pkg/a.py", SLEEP);
    let abs = root.join("pkg/a.py");
    let run = migrate(&root, &[abs.to_str().unwrap()]);
    assert_code(&run, 0);
    assert_eq!(diffed(&run), ["pkg/a.py"]);
    let run = migrate(&root, &[root.join("pkg").to_str().unwrap()]);
    assert_eq!(diffed(&run), ["pkg/a.py"]);
    git(&root, &["init", "-q"], b"");
    git(&root, &["apply", "-"], &run.stdout);
    assert_eq!(read_str(&root, "pkg/a.py"), SLEEP_MIGRATED);
}

#[test]
fn write_then_second_run_finds_nothing() {
    let dir = tmp();
    populate(dir.path());
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert!(run.stdout.is_empty(), "--write prints no diff: {run:?}");
    assert_stderr(
        &run,
        &["6 files scanned: 5 changed, 1 unchanged, 0 skipped, 0 failed"],
    );
    assert_eq!(read_str(dir.path(), "app/main.py"), SLEEP_MIGRATED);
    assert_eq!(read_str(dir.path(), "clean.py"), CLEAN);
    assert_eq!(
        read_str(dir.path(), "notes.txt"),
        "await asyncio.sleep(1)\n"
    );
    let after = snapshot(dir.path());
    assert_ne!(after, before);

    let again = migrate(dir.path(), &[]);
    assert_code(&again, 0);
    assert!(again.stdout.is_empty(), "{again:?}");
    assert_code(&migrate(dir.path(), &["--check"]), 0);
    assert_code(&migrate(dir.path(), &["--write"]), 0);
    assert_eq!(snapshot(dir.path()), after);
}

#[test]
fn check_exits_0_when_clean_1_on_work_or_manual_2_on_failure() {
    let dir = tmp();
    put(dir.path(), "clean.py", CLEAN);
    assert_code(&migrate(dir.path(), &["--check"]), 0);

    put(dir.path(), "work.py", SLEEP);
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--check"]);
    assert_code(&run, 1);
    assert_stderr(&run, &["1 would change"]);
    assert_eq!(snapshot(dir.path()), before, "--check writes nothing");

    let manual = tmp();
    put(manual.path(), "m.py", MANUAL);
    let run = migrate(manual.path(), &["--check"]);
    assert_code(&run, 1);
    assert_stderr(
        &run,
        &["m.py:5:11: [asyncio-sleep/unknown-arguments] MANUAL: "],
    );
    assert_eq!(read_str(manual.path(), "m.py"), MANUAL);
    // A MANUAL finding alone is not an error outside --check.
    assert_code(&migrate(manual.path(), &[]), 0);

    put(manual.path(), "broken.py", BROKEN);
    assert_code(&migrate(manual.path(), &["--check"]), 2);
}

// ---------------------------------------------------------------------------------------------
// Reports

#[test]
fn text_report_lists_unsafe_and_manual_then_a_summary() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    let run = migrate(dir.path(), &[]);
    assert_code(&run, 0);
    assert_eq!(diffed(&run), ["a.py"]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let unsafe_note = lines
        .iter()
        .find_map(|l| l.strip_prefix("a.py:7:5: [blocking-sleep/time-sleep] UNSAFE: "))
        .unwrap_or_else(|| panic!("no UNSAFE line: {run:?}"));
    assert!(
        unsafe_note.len() > 10,
        "the review note is missing: {run:?}"
    );
    let manual = lines
        .iter()
        .position(|l| {
            l.starts_with("a.py:8:11: [asyncio-sleep/unknown-arguments] MANUAL: asyncio.sleep")
        })
        .unwrap_or_else(|| panic!("no MANUAL line: {run:?}"));
    assert!(
        lines[manual + 1].starts_with("    anyio.sleep"),
        "the suggested fix follows the finding: {run:?}"
    );
    assert!(
        !run.stderr.contains("a.py:6:11"),
        "SAFE rewrites are not listed: {run:?}"
    );
    for summary in [
        "1 file scanned: 1 would change, 0 unchanged, 0 skipped, 0 failed",
        "rewrites: asyncio-sleep 1, blocking-sleep 1",
        "manual findings: asyncio-sleep 1",
    ] {
        assert!(lines.contains(&summary), "missing `{summary}`: {run:?}");
    }
}

#[test]
fn json_spans_end_where_the_spot_ends_and_changed_files_carry_their_diff() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    put(dir.path(), "clean.py", CLEAN);
    let run = migrate(dir.path(), &["--format", "json"]);
    assert_code(&run, 0);
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    let a = &doc["files"][0];
    let end = |v: &Value| {
        (
            v["end_line"].as_u64().unwrap(),
            v["end_column"].as_u64().unwrap(),
        )
    };
    // The finding spans `asyncio.sleep(*args)` (8:11); the SAFE rewrite (6:11) the name it
    // replaced, `asyncio.sleep`.
    assert_eq!(end(&a["findings"][0]), (8, 31));
    assert_eq!(end(&a["fixes"][0]), (6, 24));
    let diff = a["diff"].as_str().unwrap();
    assert!(diff.starts_with("--- a/a.py\n+++ b/a.py\n"), "{diff}");
    assert!(diff.contains("+    await anyio.sleep(1)\n"), "{diff}");
    assert!(doc["files"][1]["diff"].is_null());
}

const FIX_KEYS: [&str; 9] = [
    "applied",
    "code",
    "codemod",
    "column",
    "end_column",
    "end_line",
    "line",
    "note",
    "verdict",
];

const FINDING_KEYS: [&str; 9] = [
    "code",
    "codemod",
    "column",
    "end_column",
    "end_line",
    "line",
    "message",
    "suggestion",
    "verdict",
];

const JSON_KEYS: [&str; 5] = [
    "files",
    "kept_on_pytest_asyncio",
    "summary",
    "targets",
    "version",
];

#[test]
fn json_report_is_one_document_with_the_documented_fields() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    put(dir.path(), "bad.py", BROKEN);
    put(dir.path(), "bin.py", b"import asyncio\0\n");
    put(dir.path(), "clean.py", CLEAN);
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--format", "json"]);
    assert_code(&run, 2); // bad.py failed
    assert_eq!(snapshot(dir.path()), before);
    let doc: Value = serde_json::from_slice(&run.stdout).expect("stdout is one JSON document");
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&doc), JSON_KEYS);
    assert_eq!(doc["version"], 1);
    let entries = doc["files"].as_array().unwrap();
    let paths: Vec<&str> = entries
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a.py", "bad.py", "bin.py", "clean.py"]);
    for f in entries {
        assert_eq!(
            keys(f),
            ["diff", "findings", "fixes", "path", "reason", "status"]
        );
    }
    let statuses: Vec<&str> = entries
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["changed", "failed", "skipped", "unchanged"]);
    assert!(entries[0]["reason"].is_null());
    assert!(
        entries[1]["reason"]
            .as_str()
            .unwrap()
            .contains("syntax error at 1:7")
    );
    assert!(entries[2]["reason"].as_str().unwrap().contains("binary"));

    let fixes = entries[0]["fixes"].as_array().unwrap();
    assert_eq!(fixes.len(), 2);
    for fix in fixes {
        let k = keys(fix);
        assert_eq!(k, FIX_KEYS);
        assert_eq!(fix["applied"], true);
    }
    assert_eq!(fixes[0]["codemod"], "asyncio-sleep");
    assert_eq!(fixes[1]["codemod"], "blocking-sleep");
    let at = |v: &Value| (v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap());
    assert_eq!(
        (at(&fixes[0]), &fixes[0]["verdict"]),
        ((6, 11), &"SAFE".into())
    );
    assert!(fixes[0]["note"].is_null());
    assert_eq!(
        (at(&fixes[1]), &fixes[1]["verdict"]),
        ((7, 5), &"UNSAFE".into())
    );
    assert!(fixes[1]["note"].as_str().unwrap().contains("other tasks"));

    let findings = entries[0]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    let finding = &findings[0];
    assert_eq!(keys(finding), FINDING_KEYS);
    assert_eq!(at(finding), (8, 11));
    assert_eq!(finding["verdict"], "MANUAL");
    assert_eq!(finding["codemod"], "asyncio-sleep");
    assert!(!finding["message"].as_str().unwrap().is_empty());
    assert!(!finding["suggestion"].as_str().unwrap().is_empty());

    let summary = &doc["summary"];
    let counts = [
        ("files_scanned", 4),
        ("files_changed", 1),
        ("files_unchanged", 1),
        ("files_skipped", 1),
        ("files_failed", 1),
    ];
    for (field, n) in counts {
        assert_eq!(summary[field], n, "{field}: {summary}");
    }
    assert_eq!(
        summary["rewrites"],
        serde_json::json!({"asyncio-sleep": 1, "blocking-sleep": 1})
    );
    assert_eq!(summary["findings"], serde_json::json!({"asyncio-sleep": 1}));
}

#[test]
fn quiet_keeps_the_diff_and_errors_only() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    put(dir.path(), "bad.py", BROKEN);
    put(dir.path(), "bin.py", b"\0asyncio");
    let run = migrate(dir.path(), &["--quiet"]);
    assert_code(&run, 2);
    assert_eq!(diffed(&run), ["a.py"]);
    assert_stderr(&run, &["bad.py: error: syntax error"]);
    for noise in ["MANUAL", "UNSAFE", "scanned", "skipped"] {
        assert!(
            !run.stderr.contains(noise),
            "`{noise}` with --quiet: {run:?}"
        );
    }
}

#[test]
fn color_always_colours_the_diff_never_and_piped_auto_do_not() {
    let dir = tmp();
    put(dir.path(), "a.py", SLEEP);
    let always = migrate(dir.path(), &["--color", "always"]);
    assert!(
        always
            .out()
            .contains("\u{1b}[31m-import asyncio\u{1b}[0m\n"),
        "{always:?}"
    );
    assert!(always.out().contains("\u{1b}[32m+import anyio\u{1b}[0m\n"));
    for args in [&["--color", "never"][..], &["--color", "auto"], &[]] {
        let run = migrate(dir.path(), args);
        assert!(!run.out().contains('\u{1b}'), "{args:?}: {run:?}");
        assert_eq!(diffed(&run), ["a.py"]);
    }
}

#[test]
fn jobs_do_not_change_the_output() {
    let dir = tmp();
    for i in 0..24 {
        put(
            dir.path(),
            &format!("m{i:02}.py"),
            if i % 3 == 0 { MIXED } else { SLEEP },
        );
    }
    let one = migrate(dir.path(), &["--jobs", "1"]);
    let many = migrate(dir.path(), &["-j", "8"]);
    assert_code(&one, 0);
    assert_eq!(diffed(&one).len(), 24);
    assert_eq!(one.stdout, many.stdout);
    assert_eq!(one.stderr, many.stderr);
}

// ---------------------------------------------------------------------------------------------
// stdin

#[test]
fn stdin_writes_the_migrated_text_to_stdout() {
    let dir = tmp();
    put(dir.path(), "a.py", SLEEP);
    let before = snapshot(dir.path());

    let run = migrate_stdin(dir.path(), &["-"], SLEEP.as_bytes());
    assert_code(&run, 0);
    assert_eq!(run.out(), SLEEP_MIGRATED);

    let bom_crlf =
        "\u{feff}import asyncio\r\n\r\n\r\nasync def main():\r\n\tawait asyncio.sleep(1)\r\n";
    let run = migrate_stdin(dir.path(), &["-"], bom_crlf.as_bytes());
    assert_code(&run, 0);
    assert_eq!(
        run.out(),
        "\u{feff}import anyio\r\n\r\n\r\nasync def main():\r\n\tawait anyio.sleep(1)\r\n"
    );

    // Nothing to rewrite: the input comes back as it was; messages use --stdin-filename.
    let run = migrate_stdin(
        dir.path(),
        &["-", "--stdin-filename", "pkg/m.py"],
        MANUAL.as_bytes(),
    );
    assert_code(&run, 0);
    assert_eq!(run.out(), MANUAL);
    assert_stderr(
        &run,
        &["pkg/m.py:5:11: [asyncio-sleep/unknown-arguments] MANUAL: "],
    );
    let run = migrate_stdin(dir.path(), &["-"], MANUAL.as_bytes());
    assert_stderr(
        &run,
        &["<stdin>:5:11: [asyncio-sleep/unknown-arguments] MANUAL: "],
    );

    let run = migrate_stdin(dir.path(), &["--check", "-"], SLEEP.as_bytes());
    assert_code(&run, 1);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_code(
        &migrate_stdin(dir.path(), &["--check", "-"], CLEAN.as_bytes()),
        0,
    );

    // A syntax error: the input is echoed untouched, and the run fails.
    let run = migrate_stdin(dir.path(), &["-"], BROKEN.as_bytes());
    assert_code(&run, 2);
    assert_eq!(run.out(), BROKEN);
    assert_stderr(&run, &["<stdin>: error: syntax error at 1:7"]);

    assert_code(
        &migrate_stdin(dir.path(), &["-", "a.py"], SLEEP.as_bytes()),
        2,
    );
    assert_eq!(snapshot(dir.path()), before, "stdin mode writes no file");
}

#[test]
fn stdin_json_report_goes_to_stderr() {
    let dir = tmp();
    let run = migrate_stdin(
        dir.path(),
        &["-", "--format", "json", "--stdin-filename", "x.py"],
        SLEEP.as_bytes(),
    );
    assert_code(&run, 0);
    assert_eq!(run.out(), SLEEP_MIGRATED);
    let doc: Value = serde_json::from_str(&run.stderr).expect("stderr is one JSON document");
    assert_eq!(doc["files"][0]["path"], "x.py");
    assert_eq!(doc["files"][0]["status"], "changed");
}

// ---------------------------------------------------------------------------------------------
// Choosing codemods and files

#[test]
fn safe_only_withholds_unsafe_rewrites() {
    let dir = tmp();
    put(dir.path(), "u.py", UNSAFE);
    let run = migrate(dir.path(), &["--safe-only", "--write"]);
    assert_code(&run, 0);
    assert_eq!(
        read_str(dir.path(), "u.py"),
        "import time\n\nimport anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n    time.sleep(1)\n"
    );
    assert!(
        run.stderr.contains(
            "u.py:7:5: [blocking-sleep/time-sleep] UNSAFE rewrite not applied (--safe-only): "
        ),
        "{run:?}"
    );
    // The withheld rewrite is still work to do.
    assert_code(&migrate(dir.path(), &["--safe-only", "--check"]), 1);

    // Without --safe-only it is applied and listed (line 8 now: `import anyio` was added in a
    // block of its own).
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert_stderr(&run, &["u.py:8:5: [blocking-sleep/time-sleep] UNSAFE: "]);
    assert_eq!(
        read_str(dir.path(), "u.py"),
        "import anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n    await anyio.sleep(1)\n"
    );
    assert_code(&migrate(dir.path(), &["--check"]), 0);
}

#[test]
fn select_and_ignore_choose_codemods() {
    let dir = tmp();
    put(dir.path(), "a.py", SLEEP);
    let before = snapshot(dir.path());

    let run = migrate(dir.path(), &["--ignore", "asyncio-sleep", "--write"]);
    assert_code(&run, 0);
    assert_eq!(snapshot(dir.path()), before);
    let both = ["--select", "asyncio-sleep", "--ignore", "asyncio-sleep"];
    assert!(migrate(dir.path(), &both).stdout.is_empty());
    let run = migrate(dir.path(), &["--select", "asyncio-sleep,asyncio-run"]);
    assert_eq!(diffed(&run), ["a.py"]);

    for args in [
        &["--select", "asyncio-slep", "--write"][..],
        &["--select", "asyncio-sleep,asyncio-slep", "--write"],
        &["--ignore", "asyncio_sleep", "--write"],
    ] {
        let run = migrate(dir.path(), args);
        assert_code(&run, 2);
        assert_stderr(
            &run,
            &["unknown codemod id", "did you mean `asyncio-sleep`?"],
        );
        assert!(run.stdout.is_empty());
    }
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn list_and_explain() {
    let dir = tmp();
    let run = migrate(dir.path(), &["list"]);
    assert_code(&run, 0);
    let out = run.out();
    for codemod in anyio_migrate::registry::CODEMODS {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().next() == Some(codemod.id))
            .unwrap_or_else(|| panic!("{} not listed: {run:?}", codemod.id));
        assert!(line.contains(codemod.summary));
    }

    let run = migrate(dir.path(), &["explain", "asyncio-sleep"]);
    assert_code(&run, 0);
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("codemods/asyncio-sleep/README.md");
    assert_eq!(run.out(), fs::read_to_string(readme).unwrap());

    let run = migrate(dir.path(), &["explain", "asyncio-slep"]);
    assert_code(&run, 2);
    assert_stderr(&run, &["did you mean `asyncio-sleep`?"]);
    assert!(run.stdout.is_empty());
}

#[test]
fn exclude_globs_skip_paths() {
    let dir = tmp();
    for rel in ["a.py", "gen/b.py", "pkg/sub/c.py", "pkg/d.py", "venv/e.py"] {
        put(dir.path(), rel, SLEEP);
    }
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &[]);
    // venv/ is skipped by default (someone else's code).
    assert_eq!(
        diffed(&run),
        ["a.py", "gen/b.py", "pkg/d.py", "pkg/sub/c.py"]
    );

    let run = migrate(
        dir.path(),
        &["--exclude", "gen", "--exclude", "pkg/sub", "--write"],
    );
    assert_code(&run, 0);
    let expected = with_file(before.clone(), "a.py", SLEEP_MIGRATED);
    assert_eq!(
        snapshot(dir.path()),
        with_file(expected, "pkg/d.py", SLEEP_MIGRATED)
    );

    let run = migrate(dir.path(), &["--exclude", "*.py", "gen"]);
    assert_code(&run, 0);
    assert!(run.stdout.is_empty(), "{run:?}");
    assert_stderr(&run, &["0 files scanned"]);
}

#[test]
fn gitignore_is_honoured_unless_no_ignore() {
    let dir = tmp();
    put(dir.path(), ".gitignore", "build/\nignored.py\n");
    put(dir.path(), "sub/.gitignore", "local.py\n");
    for rel in [
        "a.py",
        "build/b.py",
        "ignored.py",
        ".hidden/h.py",
        "sub/local.py",
    ] {
        put(dir.path(), rel, SLEEP);
    }
    let before = snapshot(dir.path());
    assert_eq!(diffed(&migrate(dir.path(), &[])), ["a.py"]);
    // The same inside a git work tree.
    git(dir.path(), &["init", "-q"], b"");
    assert_eq!(diffed(&migrate(dir.path(), &[])), ["a.py"]);
    // A file named on the command line is always processed.
    assert_eq!(
        diffed(&migrate(dir.path(), &["ignored.py"])),
        ["ignored.py"]
    );
    assert_eq!(
        diffed(&migrate(dir.path(), &["--no-ignore"])),
        [
            ".hidden/h.py",
            "a.py",
            "build/b.py",
            "ignored.py",
            "sub/local.py"
        ]
    );
    assert_eq!(snapshot(dir.path()), before);
}

// ---------------------------------------------------------------------------------------------
// What --write keeps

#[test]
fn crlf_bom_and_tabs_are_kept_byte_for_byte() {
    let dir = tmp();
    let input = "\u{feff}\"\"\"Tabs, CRLF and a BOM.\"\"\"\r\nimport asyncio\r\n\r\n\r\nasync def main():\r\n\tx = \"a\\tb\"  \r\n\tawait asyncio.sleep(1)\r\n\treturn x\r\n";
    put(dir.path(), "t.py", input);
    // asyncio stays in use: `import anyio` is added, in CRLF, after it.
    put(
        dir.path(),
        "k.py",
        "import asyncio\r\n\r\n\r\nasync def main(f):\r\n\tawait asyncio.sleep(1)\r\n\tf(asyncio)\r\n",
    );
    put(
        dir.path(),
        "tabs.py",
        "import asyncio\n\n\nclass A:\n\tasync def f(self):\n\t\tif True:\n\t\t\tawait asyncio.sleep(0.5)\t# tab before\n",
    );
    assert_code(&migrate(dir.path(), &["--write"]), 0);
    assert_eq!(
        read_str(dir.path(), "t.py"),
        "\u{feff}\"\"\"Tabs, CRLF and a BOM.\"\"\"\r\nimport anyio\r\n\r\n\r\nasync def main():\r\n\tx = \"a\\tb\"  \r\n\tawait anyio.sleep(1)\r\n\treturn x\r\n"
    );
    assert_eq!(
        read_str(dir.path(), "k.py"),
        "import asyncio\r\n\r\nimport anyio\r\n\r\n\r\nasync def main(f):\r\n\tawait anyio.sleep(1)\r\n\tf(asyncio)\r\n"
    );
    assert_eq!(
        read_str(dir.path(), "tabs.py"),
        "import anyio\n\n\nclass A:\n\tasync def f(self):\n\t\tif True:\n\t\t\tawait anyio.sleep(0.5)\t# tab before\n"
    );
}

#[test]
fn write_keeps_permissions_and_leaves_no_temporary_file() {
    let dir = tmp();
    for (name, m) in [
        ("exec.py", 0o750),
        ("private.py", 0o600),
        ("readonly.py", 0o444),
    ] {
        put(dir.path(), name, SLEEP);
        set_mode(&dir.path().join(name), m);
    }
    assert_code(&migrate(dir.path(), &["--write"]), 0);
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["exec.py", "private.py", "readonly.py"]);
    for (name, m) in [
        ("exec.py", 0o750),
        ("private.py", 0o600),
        ("readonly.py", 0o444),
    ] {
        assert_eq!(read_str(dir.path(), name), SLEEP_MIGRATED, "{name}");
        assert_eq!(mode(&dir.path().join(name)), m, "{name}");
    }
}

#[test]
fn write_goes_through_a_symlink_which_survives() {
    let dir = tmp();
    put(dir.path(), "real/target.py", SLEEP);
    symlink("real/target.py", dir.path().join("link.py")).unwrap();
    let run = migrate(dir.path(), &["--write", "link.py"]);
    assert_code(&run, 0);
    assert_eq!(
        fs::read_link(dir.path().join("link.py")).unwrap(),
        Path::new("real/target.py")
    );
    assert_eq!(read_str(dir.path(), "real/target.py"), SLEEP_MIGRATED);
    assert_eq!(fs::read_dir(dir.path().join("real")).unwrap().count(), 1);

    // Walking a folder with a file and a link to it: processed once.
    let walked = tmp();
    put(walked.path(), "target.py", SLEEP);
    symlink("target.py", walked.path().join("alias.py")).unwrap();
    let run = migrate(walked.path(), &["--write"]);
    assert_code(&run, 0);
    assert_stderr(&run, &["1 file scanned: 1 changed"]);
    assert_eq!(read_str(walked.path(), "target.py"), SLEEP_MIGRATED);
    assert!(
        fs::symlink_metadata(walked.path().join("alias.py"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A PEP 263 latin-1 file (as text: `latin1` gives its bytes), with a non-ASCII literal in the
/// diff's context.
const LATIN1: &str = "# -*- coding: latin-1 -*-\nimport asyncio\n\nNAME = 'caf\u{e9}'\n\n\nasync def main():\n    await asyncio.sleep(1)\n";
const LATIN1_MIGRATED: &str = "# -*- coding: latin-1 -*-\nimport anyio\n\nNAME = 'caf\u{e9}'\n\n\nasync def main():\n    await anyio.sleep(1)\n";

/// `text` in Python's latin-1: each character one byte.
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(c).expect("a latin-1 character"))
        .collect()
}

#[test]
fn pep263_latin1_file_is_migrated_and_written_in_latin1() {
    let dir = tmp();
    // The same text declared and stored as UTF-8: the migration to expect.
    let utf8 = LATIN1.replace("latin-1", "utf-8");
    put(dir.path(), "utf8.py", &utf8);
    put(dir.path(), "latin.py", latin1(LATIN1));
    assert!(read(dir.path(), "latin.py").contains(&0xe9));

    // The dry-run diff is in latin-1 too: its context line is the file's bytes.
    let run = migrate(dir.path(), &["latin.py"]);
    assert_code(&run, 0);
    assert!(
        run.stdout
            .windows(b" NAME = 'caf\xe9'\n".len())
            .any(|w| w == b" NAME = 'caf\xe9'\n"),
        "{run:?}"
    );
    assert_stderr(&run, &["1 would change"]);

    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert_stderr(
        &run,
        &["2 files scanned: 2 changed, 0 unchanged, 0 skipped, 0 failed"],
    );
    assert_eq!(
        read_str(dir.path(), "utf8.py"),
        LATIN1_MIGRATED.replace("latin-1", "utf-8")
    );
    assert_eq!(read(dir.path(), "latin.py"), latin1(LATIN1_MIGRATED));

    // stdin: decoded and written back the same way.
    let run = migrate_stdin(dir.path(), &["-"], &latin1(LATIN1));
    assert_code(&run, 0);
    assert_eq!(run.stdout, latin1(LATIN1_MIGRATED));
}

#[test]
fn pep263_cp1252_crlf_file_round_trips_and_its_diff_applies_with_git() {
    // vim style, on line 2 after a shebang; CRLF; 0x80 is the euro sign in cp1252.
    let input: &[u8] = b"#!/usr/bin/env python\r\n# vim: set fileencoding=cp1252 :\r\nimport asyncio\r\n\r\nPRICE = '\x80 5'\r\n\r\n\r\nasync def main():\r\n    await asyncio.sleep(1)\r\n";
    let expected: &[u8] = b"#!/usr/bin/env python\r\n# vim: set fileencoding=cp1252 :\r\nimport anyio\r\n\r\nPRICE = '\x80 5'\r\n\r\n\r\nasync def main():\r\n    await anyio.sleep(1)\r\n";
    let work = tmp();
    let copy = tmp();
    for dir in [work.path(), copy.path()] {
        put(dir, "euro.py", input);
    }
    let run = migrate(work.path(), &[]);
    assert_code(&run, 0);
    assert_eq!(
        read(work.path(), "euro.py"),
        input,
        "a dry run writes nothing"
    );
    // The euro sign as the file has it (0x80), never as UTF-8.
    assert!(run.stdout.windows(2).any(|w| w == b"'\x80"), "{run:?}");
    assert!(!run.stdout.windows(3).any(|w| w == "\u{20ac}".as_bytes()));

    git(work.path(), &["init", "-q"], b"");
    git(work.path(), &["apply", "--check", "-"], &run.stdout);
    git(work.path(), &["apply", "-"], &run.stdout);
    assert_code(&migrate(copy.path(), &["--write"]), 0);
    assert_eq!(read(copy.path(), "euro.py"), expected);
    assert_eq!(
        snapshot(work.path()),
        snapshot(copy.path()),
        "git apply == --write"
    );
}

#[test]
fn pep263_encodings_not_read_exactly_are_skipped_with_a_reason() {
    let dir = tmp();
    let sleep = "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n";
    put(
        dir.path(),
        "mbcs.py",
        format!("# -*- coding: mbcs -*-\n{sleep}"),
    );
    // 0x81 is undefined in Python's cp1252.
    put(
        dir.path(),
        "undefined.py",
        [
            b"# coding: cp1252\nx = '\x81'\n".as_slice(),
            sleep.as_bytes(),
        ]
        .concat(),
    );
    // Python refuses a declared utf-8 file that is not UTF-8.
    put(
        dir.path(),
        "liar.py",
        [
            b"# coding: utf-8\nx = '\xe9'\n".as_slice(),
            sleep.as_bytes(),
        ]
        .concat(),
    );
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert_stderr(
        &run,
        &[
            "mbcs.py: skipped: declared encoding \"mbcs\" is not supported; file left unchanged",
            "undefined.py: skipped: not valid in its declared encoding \"cp1252\"; file left unchanged",
            "liar.py: skipped: not valid UTF-8",
            "3 files scanned: 0 changed, 0 unchanged, 3 skipped, 0 failed",
        ],
    );
    assert_eq!(snapshot(dir.path()), before);
}

// ---------------------------------------------------------------------------------------------
// Bad input: reported, never damaged

#[test]
fn syntax_error_is_reported_untouched_and_the_rest_migrated() {
    let dir = tmp();
    put(dir.path(), "bad.py", BROKEN);
    put(dir.path(), "good.py", SLEEP);
    write_changes_good_only(
        dir.path(),
        2,
        &[
            "bad.py: error: syntax error at 1:7",
            "2 files scanned: 1 changed, 0 unchanged, 0 skipped, 1 failed",
        ],
    );
}

/// `--write` on `dir`, where `good.py` (`SLEEP`) is the one file to migrate: the exit code, each
/// line of stderr, and `good.py` the only file changed.
fn write_changes_good_only(dir: &Path, code: i32, stderr: &[&str]) -> Run {
    let before = snapshot(dir);
    let run = migrate(dir, &["--write"]);
    assert_code(&run, code);
    assert_stderr(&run, stderr);
    assert_eq!(snapshot(dir), with_file(before, "good.py", SLEEP_MIGRATED));
    run
}

#[test]
fn non_utf8_and_binary_files_are_skipped_with_a_reason() {
    let dir = tmp();
    // latin-1 bytes without a PEP 263 declaration: Python would read them as UTF-8.
    put(
        dir.path(),
        "latin.py",
        b"import asyncio\nx = '\xe9'\nasync def f():\n    await asyncio.sleep(1)\n",
    );
    put(
        dir.path(),
        "bin.py",
        b"import asyncio\n\0\x01\x02await asyncio.sleep(1)\n",
    );
    put(dir.path(), "good.py", SLEEP);
    write_changes_good_only(
        dir.path(),
        0,
        &[
            "latin.py: skipped: not valid UTF-8",
            "bin.py: skipped: binary file",
            "3 files scanned: 1 changed, 0 unchanged, 2 skipped, 0 failed",
        ],
    );
}

#[test]
fn empty_and_comment_only_files_are_left_alone() {
    let dir = tmp();
    put(dir.path(), "empty.py", "");
    put(
        dir.path(),
        "comments.py",
        "# await asyncio.sleep(1) is only mentioned here\n# import asyncio\n",
    );
    put(
        dir.path(),
        "docstring.py",
        "\"\"\"Uses asyncio.sleep(1).\"\"\"\n",
    );
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert_stderr(&run, &["3 files scanned: 0 changed, 3 unchanged"]);
    assert_code(&migrate(dir.path(), &["--check"]), 0);
    assert!(migrate(dir.path(), &[]).stdout.is_empty());
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn nonexistent_path_is_an_error_and_other_paths_still_run() {
    let dir = tmp();
    put(dir.path(), "good.py", SLEEP);
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["missing.py", "good.py", "nodir/"]);
    assert_code(&run, 2);
    assert_stderr(
        &run,
        &[
            "missing.py: error: cannot read: ",
            "nodir/: error: cannot read: ",
        ],
    );
    assert_eq!(diffed(&run), ["good.py"]);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn symlink_loops_and_dangling_links_are_skipped() {
    let dir = tmp();
    let d = dir.path();
    put(d, "good.py", SLEEP);
    put(d, "sub/inner.py", CLEAN);
    symlink("..", d.join("sub/loop")).unwrap();
    symlink("l2.py", d.join("l1.py")).unwrap();
    symlink("l1.py", d.join("l2.py")).unwrap();
    symlink("missing.py", d.join("dangling.py")).unwrap();
    symlink("nowhere", d.join("dangling.txt")).unwrap();
    let run = write_changes_good_only(
        d,
        0,
        &[
            "sub/loop: skipped: symlink loop",
            "l1.py: skipped: symlink not followed",
            "l2.py: skipped: symlink not followed",
            "dangling.py: skipped: broken symlink",
        ],
    );
    assert!(!run.stderr.contains("dangling.txt"), "not Python: {run:?}");

    // Named on the command line, a link that cannot be followed is an unreadable path.
    let run = migrate(d, &["l1.py"]);
    assert_code(&run, 2);
    assert_stderr(&run, &["l1.py: error: cannot follow link"]);
}

#[test]
fn fifo_is_skipped_not_read() {
    let dir = tmp();
    put(dir.path(), "good.py", SLEEP);
    let made = Command::new("mkfifo")
        .arg(dir.path().join("fifo.py"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("mkfifo is unavailable: FIFO test skipped");
        return;
    }
    let before = snapshot(dir.path());
    // Reading a FIFO nobody writes to blocks forever: a hang fails `exec`.
    let run = migrate(dir.path(), &["fifo.py", "good.py"]);
    assert_code(&run, 0);
    assert_stderr(&run, &["fifo.py: skipped: not a regular file"]);
    assert_eq!(diffed(&run), ["good.py"]);
    assert_eq!(snapshot(dir.path()), before);
    write_changes_good_only(dir.path(), 0, &[]);
}

#[test]
fn bad_flags_exit_2_and_write_nothing() {
    let dir = tmp();
    put(dir.path(), "a.py", SLEEP);
    let before = snapshot(dir.path());
    for args in [
        &["--write", "--jobs", "0"][..],
        &["--write", "--jobs", "many"],
        &["--write", "--format", "xml"],
        &["--write", "--color", "sometimes"],
        &["--write", "--check"],
        &["--write", "--frobnicate"],
        &["--write", "--exclude", "[unclosed"],
        &["explain"],
        &["explain", "no-such-codemod"],
    ] {
        let run = migrate(dir.path(), args);
        assert_code(&run, 2);
        assert!(run.stderr.contains("error"), "{args:?}: {run:?}");
        assert_eq!(snapshot(dir.path()), before, "{args:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Unreadable files and folders. Root (or CAP_DAC_OVERRIDE) reads a mode-000 file anyway; then
// the binary runs as user `nobody` through `setpriv`, and when that is impossible too only the
// permission-denied assertions are skipped.

/// This process reads files whatever their mode.
fn privileged() -> bool {
    let probe = tmp();
    let path = probe.path().join("probe");
    fs::write(&path, "x").unwrap();
    set_mode(&path, 0o000);
    fs::read(&path).is_ok()
}

/// A command for the binary, run in `dir`, that cannot read a mode-000 file; `None` when none
/// can be had. `dir` is opened to other users so that `nobody` can work in it.
fn unprivileged(dir: &Path) -> Option<Command> {
    if !privileged() {
        return Some(cli(dir));
    }
    set_mode(dir, 0o755);
    let nobody = || {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN])
            .current_dir(dir)
            .env_remove("NO_COLOR");
        cmd
    };
    let mut probe = nobody();
    probe.arg("--version");
    let ok = probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then(nobody)
}

#[test]
fn unreadable_file_is_an_error_and_the_rest_is_processed() {
    let dir = tmp();
    put(dir.path(), "good.py", SLEEP);
    put(dir.path(), "locked.py", SLEEP);
    let before = snapshot(dir.path());
    let locked = dir.path().join("locked.py");
    set_mode(&locked, 0o000);
    match unprivileged(dir.path()) {
        Some(mut cmd) => {
            cmd.arg("--check");
            let run = exec(cmd, b"");
            assert_code(&run, 2);
            assert_stderr(&run, &["locked.py: error: cannot read: "]);
            assert!(
                run.stderr.contains("1 would change"),
                "good.py still ran: {run:?}"
            );
        }
        None => eprintln!("running privileged without setpriv: permission-denied checks skipped"),
    }
    if privileged() {
        // Root reads it; --write must keep the mode (000) of what it rewrites.
        assert_code(&migrate(dir.path(), &["--write", "locked.py"]), 0);
        assert_eq!(mode(&locked), 0o000);
        set_mode(&locked, 0o644);
        assert_eq!(read_str(dir.path(), "locked.py"), SLEEP_MIGRATED);
        put(dir.path(), "locked.py", SLEEP);
    }
    set_mode(&locked, 0o644);
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn unreadable_folder_is_an_error_and_the_rest_is_processed() {
    let dir = tmp();
    put(dir.path(), "good.py", SLEEP);
    put(dir.path(), "locked/inner.py", SLEEP);
    let before = snapshot(dir.path());
    let locked = dir.path().join("locked");
    let cmd = unprivileged(dir.path());
    set_mode(&locked, 0o000);
    let run = cmd.map(|mut cmd| {
        cmd.arg("--check");
        exec(cmd, b"")
    });
    set_mode(&locked, 0o755);
    match run {
        Some(run) => {
            assert_code(&run, 2);
            assert_stderr(&run, &["locked: error: cannot read: "]);
            assert!(
                run.stderr.contains("1 would change"),
                "good.py still ran: {run:?}"
            );
        }
        None => eprintln!("running privileged without setpriv: permission-denied checks skipped"),
    }
    assert_eq!(snapshot(dir.path()), before);
}

// ---------------------------------------------------------------------------------------------
// The bundled demo (the README's "try it")

#[test]
fn demo_project_dry_run_prints_a_diff() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let before = snapshot(&root.join("examples/demo"));
    let run = migrate(root, &["examples/demo"]);
    assert_code(&run, 0);
    assert!(
        run.out().contains("--- a/examples/demo/"),
        "no diff: {run:?}"
    );
    assert_eq!(snapshot(&root.join("examples/demo")), before);
}

// ---------------------------------------------------------------------------------------------
// Colour and suppressed rewrites

#[test]
fn the_report_is_coloured_only_when_asked_or_on_a_terminal() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    let run = migrate(dir.path(), &["--color", "always", "."]);
    assert!(
        run.stderr.contains("\x1b[1;31mMANUAL\x1b[0m"),
        "MANUAL in red: {run:?}"
    );
    assert_stderr(&run, &["\x1b[36masyncio-sleep/unknown-arguments\x1b[0m"]);
    // Not a terminal (auto), or never: plain text.
    for args in [&["."][..], &["--color", "never", "."]] {
        let run = migrate(dir.path(), args);
        assert!(!run.stderr.contains('\x1b'), "{run:?}");
    }
}

#[test]
fn a_rewrite_that_completes_a_suppressed_one_is_not_made_alone() {
    let dir = tmp();
    // `sem.locked()` becomes `sem.value == 0` only with the constructor's rewrite: an asyncio
    // Semaphore has no `value` (found by the differential tester).
    let src = "import asyncio\n\n\nasync def main():\n    sem = asyncio.Semaphore(1)  # anyio-migrate: ignore[asyncio-sync-primitives/constructor]\n    async with sem:\n        print(sem.locked())\n";
    put(dir.path(), "a.py", src);
    let run = migrate(dir.path(), &["--write", "a.py"]);
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "a.py"), src, "{run:?}");
    // By --ignore too.
    let plain = src.replace(
        "  # anyio-migrate: ignore[asyncio-sync-primitives/constructor]",
        "",
    );
    put(dir.path(), "b.py", &plain);
    let run = migrate(
        dir.path(),
        &[
            "--write",
            "--ignore",
            "asyncio-sync-primitives/constructor",
            "b.py",
        ],
    );
    assert_code(&run, 0);
    assert_eq!(read_str(dir.path(), "b.py"), plain, "{run:?}");
    // Without the suppression both go together.
    let run = migrate(dir.path(), &["--write", "b.py"]);
    assert_code(&run, 0);
    let out = read_str(dir.path(), "b.py");
    assert!(
        out.contains("anyio.Semaphore(1") && out.contains("sem.value == 0"),
        "{out}"
    );
}
