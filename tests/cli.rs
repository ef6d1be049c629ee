//! End-to-end tests of the command line: the real binary, run on temporary folders.
//!
//! Every input uses only `asyncio.sleep` (the `asyncio-sleep` codemod), so these tests do not
//! depend on the other codemods. Every bad-input test also checks that no file lost a byte.
//! Symlinks, file modes and FIFOs make these tests Unix-only.

#![cfg(unix)]

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_anyio-migrate");

/// One SAFE rewrite; `import asyncio` is then unused and swapped for `import anyio`.
const SLEEP: &str = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n";
const SLEEP_MIGRATED: &str = "import anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n";
/// Only a MANUAL finding (5:11): nothing is rewritten.
const MANUAL: &str = "import asyncio\n\n\nasync def main(*args):\n    await asyncio.sleep(*args)\n";
/// A SAFE rewrite (6:11) and an UNSAFE one (7:5): `time.sleep` in an `async def`.
const UNSAFE: &str = "import asyncio\nimport time\n\n\nasync def main():\n    await asyncio.sleep(1)\n    time.sleep(1)\n";
/// SAFE (6:11), UNSAFE (7:5) and MANUAL (8:11) in one file.
const MIXED: &str = "import asyncio\nimport time\n\n\nasync def main(*args):\n    await asyncio.sleep(1)\n    time.sleep(1)\n    await asyncio.sleep(*args)\n";
/// Already migrated.
const CLEAN: &str = "import anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n";
/// A syntax error at 1:7, in a file that mentions asyncio (so it is parsed).
const BROKEN: &str = "def f(:\n    await asyncio.sleep(1)\n";

// ---------------------------------------------------------------------------------------------
// Helpers

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.code,
            String::from_utf8_lossy(&self.stdout),
            self.stderr
        )
    }
}

/// Run a command to completion (killed after a minute: a hang is a failure), feeding `stdin`.
fn exec(mut cmd: Command, stdin: &[u8]) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawning {cmd:?}: {e}"));
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    // The program may exit without reading its input: a broken pipe here is fine.
    let writer = thread::spawn(move || drop(input.write_all(&data)));
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        out.read_to_end(&mut buf).map(|_| buf)
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        err.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("timed out (a hang): {cmd:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    writer.join().unwrap();
    Run {
        code: status.code(),
        stdout: out_reader.join().unwrap().unwrap(),
        stderr: String::from_utf8_lossy(&err_reader.join().unwrap().unwrap()).into_owned(),
    }
}

fn cli(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// `anyio-migrate ARGS` in `dir`.
fn migrate(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = cli(dir);
    cmd.args(args);
    exec(cmd, b"")
}

/// `anyio-migrate ARGS` in `dir` with `input` on stdin.
fn migrate_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut cmd = cli(dir);
    cmd.args(args);
    exec(cmd, input)
}

/// `git ARGS` in `dir`, independent of the user's line-ending settings.
fn git(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
        .args(args);
    let run = exec(cmd, stdin);
    assert_eq!(run.code, Some(0), "git {args:?} failed: {run:?}");
    run
}

fn tmp() -> TempDir {
    tempfile::tempdir().unwrap()
}

fn put(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).unwrap()
}

fn read_str(dir: &Path, rel: &str) -> String {
    String::from_utf8(read(dir, rel)).unwrap()
}

fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
    Other,
}

/// Every entry under `root` (links not followed, `.git` left out): file bytes, link targets.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(root: &Path, dir: &Path, map: &mut BTreeMap<PathBuf, Entry>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            if rel == Path::new(".git") {
                continue;
            }
            let kind = fs::symlink_metadata(&path).unwrap().file_type();
            let node = if kind.is_symlink() {
                Entry::Link(fs::read_link(&path).unwrap())
            } else if kind.is_dir() {
                walk(root, &path, map);
                Entry::Dir
            } else if kind.is_file() {
                Entry::File(fs::read(&path).unwrap())
            } else {
                Entry::Other
            };
            map.insert(rel, node);
        }
    }
    let mut map = BTreeMap::new();
    walk(root, root, &mut map);
    map
}

/// The same entries with one file's bytes replaced: what a run should have changed.
fn with_file(
    mut snap: BTreeMap<PathBuf, Entry>,
    rel: &str,
    bytes: &str,
) -> BTreeMap<PathBuf, Entry> {
    let old = snap.insert(PathBuf::from(rel), Entry::File(bytes.as_bytes().to_vec()));
    assert!(matches!(old, Some(Entry::File(_))), "{rel} was not a file");
    snap
}

fn assert_code(run: &Run, code: i32) {
    assert_eq!(run.code, Some(code), "{run:?}");
}

/// The `--- a/` paths of a diff, in order.
fn diffed(run: &Run) -> Vec<String> {
    run.out()
        .lines()
        .filter_map(|l| l.strip_prefix("--- a/"))
        .map(str::to_owned)
        .collect()
}

/// A small project: LF, CRLF + tabs, BOM, no final newline, an UNSAFE rewrite, a clean file
/// and a non-Python file that mentions asyncio.
fn populate(dir: &Path) {
    put(dir, "app/main.py", SLEEP);
    put(
        dir,
        "app/crlf.py",
        "import asyncio\r\n\r\n\r\nasync def main():\r\n\tx = 1  \r\n\tawait asyncio.sleep(x)\r\n",
    );
    put(dir, "app/bom.py", format!("\u{feff}{SLEEP}"));
    put(
        dir,
        "nonl.py",
        "import asyncio\nasync def f():\n    await asyncio.sleep(1)",
    );
    put(dir, "unsafe.py", UNSAFE);
    put(dir, "clean.py", CLEAN);
    put(dir, "notes.txt", "await asyncio.sleep(1)\n");
}

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
    assert!(
        run.stderr
            .contains("6 files scanned: 5 changed, 1 unchanged, 0 skipped, 0 failed"),
        "{run:?}"
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
    assert!(run.stderr.contains("1 would change"), "{run:?}");
    assert_eq!(snapshot(dir.path()), before, "--check writes nothing");

    let manual = tmp();
    put(manual.path(), "m.py", MANUAL);
    let run = migrate(manual.path(), &["--check"]);
    assert_code(&run, 1);
    assert!(
        run.stderr
            .contains("m.py:5:11: [asyncio-sleep/unknown-arguments] MANUAL: "),
        "{run:?}"
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
    assert!(
        run.stderr.contains("bad.py: error: syntax error"),
        "{run:?}"
    );
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
    assert!(
        run.stderr
            .contains("pkg/m.py:5:11: [asyncio-sleep/unknown-arguments] MANUAL: "),
        "{run:?}"
    );
    let run = migrate_stdin(dir.path(), &["-"], MANUAL.as_bytes());
    assert!(
        run.stderr
            .contains("<stdin>:5:11: [asyncio-sleep/unknown-arguments] MANUAL: ")
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
    assert!(run.stderr.contains("<stdin>: error: syntax error at 1:7"));

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
    assert!(
        run.stderr
            .contains("u.py:8:5: [blocking-sleep/time-sleep] UNSAFE: "),
        "{run:?}"
    );
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
        assert!(run.stderr.contains("unknown codemod id"), "{run:?}");
        assert!(
            run.stderr.contains("did you mean `asyncio-sleep`?"),
            "{run:?}"
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
    assert!(
        run.stderr.contains("did you mean `asyncio-sleep`?"),
        "{run:?}"
    );
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
    assert!(run.stderr.contains("0 files scanned"), "{run:?}");
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
    assert!(run.stderr.contains("1 file scanned: 1 changed"), "{run:?}");
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
    assert!(run.stderr.contains("1 would change"), "{run:?}");

    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert!(
        run.stderr
            .contains("2 files scanned: 2 changed, 0 unchanged, 0 skipped, 0 failed"),
        "{run:?}"
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
    for line in [
        "mbcs.py: skipped: declared encoding \"mbcs\" is not supported; file left unchanged",
        "undefined.py: skipped: not valid in its declared encoding \"cp1252\"; file left unchanged",
        "liar.py: skipped: not valid UTF-8",
        "3 files scanned: 0 changed, 0 unchanged, 3 skipped, 0 failed",
    ] {
        assert!(run.stderr.contains(line), "{line}\n{run:?}");
    }
    assert_eq!(snapshot(dir.path()), before);
}

// ---------------------------------------------------------------------------------------------
// Bad input: reported, never damaged

#[test]
fn syntax_error_is_reported_untouched_and_the_rest_migrated() {
    let dir = tmp();
    put(dir.path(), "bad.py", BROKEN);
    put(dir.path(), "good.py", SLEEP);
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("bad.py: error: syntax error at 1:7"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("2 files scanned: 1 changed, 0 unchanged, 0 skipped, 1 failed")
    );
    assert_eq!(
        snapshot(dir.path()),
        with_file(before, "good.py", SLEEP_MIGRATED)
    );
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
    let before = snapshot(dir.path());
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert!(
        run.stderr.contains("latin.py: skipped: not valid UTF-8"),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("bin.py: skipped: binary file"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("3 files scanned: 1 changed, 0 unchanged, 2 skipped, 0 failed")
    );
    assert_eq!(
        snapshot(dir.path()),
        with_file(before, "good.py", SLEEP_MIGRATED)
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
    assert!(
        run.stderr
            .contains("3 files scanned: 0 changed, 3 unchanged"),
        "{run:?}"
    );
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
    assert!(
        run.stderr.contains("missing.py: error: cannot read: "),
        "{run:?}"
    );
    assert!(
        run.stderr.contains("nodir/: error: cannot read: "),
        "{run:?}"
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
    let before = snapshot(d);
    let run = migrate(d, &["--write"]);
    assert_code(&run, 0);
    for line in [
        "sub/loop: skipped: symlink loop",
        "l1.py: skipped: symlink not followed",
        "l2.py: skipped: symlink not followed",
        "dangling.py: skipped: broken symlink",
    ] {
        assert!(run.stderr.contains(line), "no `{line}`: {run:?}");
    }
    assert!(!run.stderr.contains("dangling.txt"), "not Python: {run:?}");
    assert_eq!(
        snapshot(d),
        with_file(before.clone(), "good.py", SLEEP_MIGRATED)
    );

    // Named on the command line, a link that cannot be followed is an unreadable path.
    let run = migrate(d, &["l1.py"]);
    assert_code(&run, 2);
    assert!(
        run.stderr.contains("l1.py: error: cannot follow link"),
        "{run:?}"
    );
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
    assert!(
        run.stderr.contains("fifo.py: skipped: not a regular file"),
        "{run:?}"
    );
    assert_eq!(diffed(&run), ["good.py"]);
    let run = migrate(dir.path(), &["--write"]);
    assert_code(&run, 0);
    assert_eq!(
        snapshot(dir.path()),
        with_file(before, "good.py", SLEEP_MIGRATED)
    );
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
            assert!(
                run.stderr.contains("locked.py: error: cannot read: "),
                "{run:?}"
            );
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
            assert!(
                run.stderr.contains("locked: error: cannot read: "),
                "{run:?}"
            );
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
// pytest-asyncio projects: config files, the created conftest.py

const MARKED_TEST: &str =
    "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_x():\n    pass\n";
const PYPROJECT: &str = "[project]\nname = \"p\"\n\n[project.optional-dependencies]\n# test tools\ntest = [\"pytest\", \"pytest-asyncio>=0.23\"]\n\n[tool.pytest.ini_options]\nasyncio_mode = \"auto\"  # no markers\n";
const PYPROJECT_MIGRATED: &str = "[project]\nname = \"p\"\n\n[project.optional-dependencies]\n# test tools\ntest = [\"pytest\", \"anyio>=4.16\"]\n\n[tool.pytest.ini_options]\nanyio_mode = \"auto\"  # no markers\n";
const CONFTEST: &str = "import pytest\n\n\n# anyio's pytest plugin runs each anyio test on every installed backend unless told\n# otherwise; session scope lets module- and session-scoped async fixtures work.\n@pytest.fixture(scope=\"session\")\ndef anyio_backend():\n    return \"asyncio\"\n";

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
        out.contains("--- /dev/null\n+++ b/conftest.py\n@@ -0,0 +1,8 @@\n"),
        "{out}"
    );
    assert!(
        out.contains("--- a/pyproject.toml\n+++ b/pyproject.toml\n"),
        "{out}"
    );
    assert!(run.stderr.contains("conftest.py:1:1: [pytest-asyncio/anyio-backend-fixture] SAFE (edge): added the session-scoped `anyio_backend` fixture (\"asyncio\" only): anyio's default runs each test on every installed backend; on the asyncio backend anyio's plugin fails a test when an exception reaches the event loop's exception handler"), "{}", run.stderr);
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
    assert_eq!(read_str(dir, "conftest.py"), CONFTEST);
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
    assert_eq!(read_str(dir, "conftest.py"), CONFTEST);
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
        "\"\"\"Fixtures.\"\"\"\nimport os\n\nimport pytest\n\nROOT = os.getcwd()\n\n\n# anyio's pytest plugin: run each anyio test on these backends; session scope lets module-\n# and session-scoped async fixtures work.\n@pytest.fixture(scope=\"session\", params=[\"asyncio\", \"trio\"])\ndef anyio_backend(request):\n    return request.param\n"
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
    assert_eq!(read_str(dir, "conftest.py"), CONFTEST);
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
        "import asyncio\n\n\ndef test_a(event_loop):\n    event_loop.run_until_complete(asyncio.sleep(0))\n",
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
        let work = tmp();
        let dir = work.path();
        put(dir, "pytest.ini", "[pytest]\nasyncio_mode = auto\n");
        put(dir, "tests/conftest.py", conftest);
        for (i, t) in tests.iter().enumerate() {
            put(dir, &format!("tests/test_{i}.py"), t);
        }
        let run = migrate(dir, &["--write", "--backends", backends, "."]);
        assert_code(&run, 0);
        let after = read_str(dir, "tests/conftest.py");
        assert_eq!(
            after.contains("async def loop():\n    return asyncio.get_running_loop()"),
            migrated,
            "{backends} {tests:?}: {after}\n{}",
            run.stderr
        );
        assert_eq!(
            run.stderr.contains("tests kept on pytest-asyncio"),
            !migrated,
            "{}",
            run.stderr
        );
    }
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
/// `anyio_mode` (4.11 needs 3.9): its auto-mode tests stay on pytest-asyncio, with one blocker
/// for the folder's configuration files; one that passes `--asyncio-mode=auto` on the command
/// line needs `--anyio-mode` (4.15, Python 3.10), so on Python 3.9 it stays too; and a 3.8
/// suite whose test requests pytest-asyncio's `unused_tcp_port` (anyio's `free_tcp_port`
/// came in 4.9) stays as well.
#[test]
fn tests_stay_on_pytest_asyncio_where_the_python_floor_has_no_plugin_for_them() {
    let port_test = "import pytest\n\n\n@pytest.mark.asyncio\nasync def test_port(unused_tcp_port):\n    assert unused_tcp_port > 0\n";
    for (python, options, test, code, needs) in [
        (
            "3.8",
            "asyncio_mode = \"auto\"\n",
            TEST_WITH_MARK,
            "[pytest-asyncio/python-too-old-for-plugin]",
            "anyio 4.11, the oldest release of anyio's pytest plugin with what the migrated tests use (`anyio_mode`, for the configuration's `asyncio_mode = auto`), installs on Python 3.9 and later",
        ),
        (
            "3.9",
            "addopts = \"--asyncio-mode=auto\"\n",
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
            format!(
                "[project]\nname = \"p\"\nrequires-python = \">={python}\"\ndependencies = []\n\n[project.optional-dependencies]\ntest = [\"pytest\", \"pytest-asyncio>=0.21\"]\n\n[tool.pytest.ini_options]\n{options}"
            ),
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

/// An Event kept on an attribute is rewritten from its uses in its own file; a test of the same
/// run that clears it (anyio's Event has no `clear()`) is reported where it does.
#[test]
fn a_member_anyio_lacks_used_in_another_file_is_reported_there() {
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
    // Another class with an attribute of the same name, which it clears itself: its own
    // rewrite (left asyncio's here) judged those uses, so nothing is reported there.
    put(
        dir.path(),
        "pkg/client.py",
        "import asyncio\n\n\nclass Client:\n    def __init__(self):\n        self._closed = asyncio.Event()\n\n    def reset(self):\n        self._closed.clear()\n",
    );
    let run = migrate(dir.path(), &["pkg", "tests"]);
    assert_eq!(
        run.stderr.matches("member-elsewhere").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.out().contains("+        self._closed = anyio.Event()"),
        "{}",
        run.out()
    );
    assert!(
        run.stderr.contains("tests/test_pool.py:7:5: [asyncio-sync-primitives/member-elsewhere] MANUAL: `._closed.clear` is used here, and pkg/")
            && run.stderr.contains(".py:6 made `_closed` an anyio.Event"),
        "{}",
        run.stderr
    );
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
    // The test side would need anyio 4.11 beside `anyio>=3.6,<4`: the suite stays on
    // pytest-asyncio, and no anyio requirement is written.
    let pyproject = read_str(dir.path(), "pyproject.toml");
    assert!(!pyproject.contains("anyio>=4.1"), "{pyproject}");
    assert!(pyproject.contains("pytest-asyncio>=0.21"), "{pyproject}");
    assert!(read_str(dir.path(), "tests/test_lib.py").contains("pytest.mark.asyncio"));
    assert!(run.stderr.contains("excludes anyio 4.11"), "{}", run.stderr);
    assert!(
        run.stderr.contains("tests kept on pytest-asyncio"),
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

#[test]
fn the_report_is_coloured_only_when_asked_or_on_a_terminal() {
    let dir = tmp();
    put(dir.path(), "a.py", MIXED);
    let run = migrate(dir.path(), &["--color", "always", "."]);
    assert!(
        run.stderr.contains("\x1b[1;31mMANUAL\x1b[0m"),
        "MANUAL in red: {run:?}"
    );
    assert!(
        run.stderr
            .contains("\x1b[36masyncio-sleep/unknown-arguments\x1b[0m"),
        "{run:?}"
    );
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
