//! Robustness of the real binary on hostile trees: a `--write` killed mid-run, huge files,
//! deep nesting, very long lines, mixed indentation, unusual path names.

#![cfg(unix)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_anyio-migrate"))
}

const IDIOMS: &str = "import asyncio\n\n\nasync def f(delay):\n    await asyncio.sleep(delay)\n    await asyncio.sleep(1)\n    try:\n        await asyncio.sleep(2)\n    except asyncio.TimeoutError:\n        pass\n";

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Kill `--write` while it writes: every file is byte-for-byte the original or the fully
/// migrated text, never a truncated or half-written one.
#[test]
fn killed_write_leaves_each_file_wholly_old_or_wholly_new() {
    const FILES: usize = 60;
    let tmp = tempfile::tempdir().unwrap();
    let pristine = tmp.path().join("pristine");
    for i in 0..FILES {
        let dir = pristine.join(format!("pkg{}", i % 20));
        std::fs::create_dir_all(&dir).unwrap();
        // Statements, not comments: tree-sitter-python's scanner is quadratic in runs of
        // comment lines, which would only measure the parser.
        let padding = (0..20 + i).fold(String::new(), |mut acc, j| {
            let _ = writeln!(acc, "PAD_{j} = {j}");
            acc
        });
        std::fs::write(dir.join(format!("m{i}.py")), format!("{IDIOMS}{padding}")).unwrap();
    }
    // The fully migrated version of every file, from an uninterrupted run on a copy.
    let done = tmp.path().join("done");
    copy_tree(&pristine, &done);
    let started = std::time::Instant::now();
    let status = bin()
        .args(["--write", "--quiet"])
        .arg(&done)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    let full = started.elapsed();
    assert!(status.success());
    let mut mixed = 0;
    // With a pause between file writes (a test hook), the write phase lasts FILES * 20 ms.
    let writes = std::time::Duration::from_millis(20 * FILES as u64);
    for percent in [0u32, 25, 50, 75, 100] {
        let victim = tmp.path().join(format!("victim{percent}"));
        copy_tree(&pristine, &victim);
        let mut child = bin()
            .env("ANYIO_MIGRATE_TEST_WRITE_PAUSE_MS", "20")
            .args(["--write", "--quiet"])
            .arg(&victim)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full + writes * percent / 100);
        let _ = child.kill();
        let _ = child.wait();
        let (mut old, mut new) = (0, 0);
        for path in all_files(&victim) {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with(".anyio-migrate-") {
                // A temporary file the kill left behind: never one of the user's files.
                continue;
            }
            let rel = path.strip_prefix(&victim).unwrap();
            let got = std::fs::read(&path).unwrap();
            if got == std::fs::read(pristine.join(rel)).unwrap() {
                old += 1;
            } else if got == std::fs::read(done.join(rel)).unwrap() {
                new += 1;
            } else {
                panic!(
                    "{}: neither the original nor the migrated text after a kill at {percent}%",
                    rel.display()
                );
            }
        }
        assert_eq!(
            old + new,
            FILES,
            "a file went missing after a kill at {percent}%"
        );
        mixed += usize::from(old > 0 && new > 0);
    }
    eprintln!(
        "uninterrupted run {full:?}; kills that landed mid-write (old and new files side by side): {mixed}/5"
    );
    assert!(
        mixed >= 2,
        "the kills never landed while files were being written: the test proves nothing"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for path in all_files(from) {
        let target = to.join(path.strip_prefix(from).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&path, &target).unwrap();
    }
}

fn run_on(dir: &Path) -> (i32, String, String) {
    let out = bin().arg(dir).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn huge_file_is_skipped_with_a_reason_and_the_rest_migrated() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = format!("{IDIOMS}{}", "x = 1\n".repeat(10 * 1024 * 1024 / 6));
    std::fs::write(tmp.path().join("huge.py"), &huge).unwrap();
    std::fs::write(tmp.path().join("small.py"), IDIOMS).unwrap();
    let (code, diff, err) = run_on(tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("huge.py: skipped: file too large"), "{err}");
    assert!(
        diff.contains("+++ b/") && diff.contains("small.py"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("huge.py")).unwrap(),
        huge
    );
}

#[test]
fn deep_nesting_long_lines_and_mixed_indentation_migrate() {
    let tmp = tempfile::tempdir().unwrap();
    // 90 nested blocks (CPython allows 100 levels of indentation).
    let mut deep = String::from("import asyncio\n\n\nasync def f(x):\n");
    for level in 1..=90 {
        let _ = writeln!(deep, "{}if x:", " ".repeat(level * 4));
    }
    let _ = writeln!(deep, "{}await asyncio.sleep(0)", " ".repeat(91 * 4));
    std::fs::write(tmp.path().join("deep.py"), &deep).unwrap();
    // Deeply nested parentheses and a 1 MB line.
    let parens = format!(
        "import asyncio\n\n\nasync def g():\n    x = {}1{}\n    await asyncio.sleep(0)\n",
        "(".repeat(150),
        ")".repeat(150)
    );
    std::fs::write(tmp.path().join("parens.py"), parens).unwrap();
    let long = format!(
        "import asyncio\n\n\nasync def h():\n    s = '{}'\n    await asyncio.sleep(0)\n",
        "a".repeat(1024 * 1024)
    );
    std::fs::write(tmp.path().join("long.py"), long).unwrap();
    // One function indented with tabs, another with spaces.
    let mixed = "import asyncio\n\n\nasync def a():\n\tawait asyncio.sleep(0, 1)\n\n\nasync def b():\n    await asyncio.sleep(0, 2)\n";
    std::fs::write(tmp.path().join("mixed.py"), mixed).unwrap();
    let status = bin()
        .arg("--write")
        .arg("--quiet")
        .arg(tmp.path())
        .status()
        .unwrap();
    assert!(status.success());
    let deep_after = std::fs::read_to_string(tmp.path().join("deep.py")).unwrap();
    assert!(deep_after.contains(&format!("{}await anyio.sleep(0)\n", " ".repeat(91 * 4))));
    for name in ["parens.py", "long.py"] {
        let text = std::fs::read_to_string(tmp.path().join(name)).unwrap();
        assert!(
            text.contains("await anyio.sleep(0)") && !text.contains("import asyncio"),
            "{name}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("mixed.py")).unwrap(),
        "import anyio\n\n\nasync def a():\n\tawait anyio.sleep(0)\n\n\nasync def b():\n    await anyio.sleep(0)\n"
    );
    // And a second run changes nothing.
    let (code, diff, _) = run_on(tmp.path());
    assert_eq!((code, diff.as_str()), (0, ""));
}

#[test]
fn paths_with_spaces_and_non_ascii_names() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("my project").join("módulo ñ");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tâche 1.py"), IDIOMS).unwrap();
    let out = bin()
        .current_dir(tmp.path())
        .arg("my project")
        .output()
        .unwrap();
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        diff.contains("+++ b/my project/módulo ñ/tâche 1.py"),
        "{diff}"
    );
    // git apply takes the diff as printed.
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    if git(&["init", "-q"]).status.success() {
        std::fs::write(tmp.path().join("patch.diff"), diff.as_bytes()).unwrap();
        let applied = git(&["apply", "patch.diff"]);
        assert!(
            applied.status.success(),
            "{}",
            String::from_utf8_lossy(&applied.stderr)
        );
        let after = std::fs::read_to_string(dir.join("tâche 1.py")).unwrap();
        assert!(after.contains("anyio.sleep"), "{after}");
    }
}

#[test]
fn read_only_file_is_written_through_keeping_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ro.py");
    std::fs::write(&file, IDIOMS).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let status = bin()
        .arg("--write")
        .arg("--quiet")
        .arg(&file)
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("anyio.sleep")
    );
}

/// A file edited by someone else between the run's read and its write keeps their bytes.
#[test]
fn a_file_changed_during_the_run_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let first = tmp.path().join("a.py");
    let second = tmp.path().join("b.py");
    std::fs::write(&first, IDIOMS).unwrap();
    std::fs::write(&second, IDIOMS).unwrap();
    let child = bin()
        .env("ANYIO_MIGRATE_TEST_WRITE_PAUSE_MS", "1500")
        .args(["--write"])
        .arg(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The first pause is before a.py is written: edit b.py (written after the second pause).
    std::thread::sleep(std::time::Duration::from_millis(700));
    std::fs::write(&second, "# edited by the user meanwhile\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("b.py: error: cannot write: the file changed on disk since it was read"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&second).unwrap(),
        "# edited by the user meanwhile\n"
    );
    assert!(
        std::fs::read_to_string(&first)
            .unwrap()
            .contains("anyio.sleep")
    );
}
