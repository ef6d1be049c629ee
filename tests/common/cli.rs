//! The command-line tests' helpers: the real binary run on temporary folders, the files
//! and runs they compare, and the sample inputs (each uses only `asyncio.sleep`).

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use tempfile::TempDir;

pub const BIN: &str = env!("CARGO_BIN_EXE_anyio-migrate");

/// One SAFE rewrite; `import asyncio` is then unused and swapped for `import anyio`.
pub const SLEEP: &str = "import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n";
pub const SLEEP_MIGRATED: &str = "import anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n";
/// Only a MANUAL finding (5:11): nothing is rewritten.
pub const MANUAL: &str =
    "import asyncio\n\n\nasync def main(*args):\n    await asyncio.sleep(*args)\n";
/// A SAFE rewrite (6:11) and an UNSAFE one (7:5): `time.sleep` in an `async def`.
pub const UNSAFE: &str = "import asyncio\nimport time\n\n\nasync def main():\n    await asyncio.sleep(1)\n    time.sleep(1)\n";
/// SAFE (6:11), UNSAFE (7:5) and MANUAL (8:11) in one file.
pub const MIXED: &str = "import asyncio\nimport time\n\n\nasync def main(*args):\n    await asyncio.sleep(1)\n    time.sleep(1)\n    await asyncio.sleep(*args)\n";
/// Already migrated.
pub const CLEAN: &str = "import anyio\n\n\nasync def main():\n    await anyio.sleep(1)\n";
/// A syntax error at 1:7, in a file that mentions asyncio (so it is parsed).
pub const BROKEN: &str = "def f(:\n    await asyncio.sleep(1)\n";

// ---------------------------------------------------------------------------------------------
// Helpers

pub struct Run {
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    pub fn out(&self) -> String {
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
pub fn exec(mut cmd: Command, stdin: &[u8]) -> Run {
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

pub fn cli(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// `anyio-migrate ARGS` in `dir`.
pub fn migrate(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = cli(dir);
    cmd.args(args);
    exec(cmd, b"")
}

/// `anyio-migrate ARGS` in `dir` with `input` on stdin.
pub fn migrate_stdin(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut cmd = cli(dir);
    cmd.args(args);
    exec(cmd, input)
}

/// `git ARGS` in `dir`, independent of the user's line-ending settings.
pub fn git(dir: &Path, args: &[&str], stdin: &[u8]) -> Run {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .args(["-c", "core.autocrlf=false", "-c", "core.safecrlf=false"])
        .args(args);
    let run = exec(cmd, stdin);
    assert_eq!(run.code, Some(0), "git {args:?} failed: {run:?}");
    run
}

pub fn tmp() -> TempDir {
    tempfile::tempdir().unwrap()
}

pub fn put(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

pub fn read(dir: &Path, rel: &str) -> Vec<u8> {
    fs::read(dir.join(rel)).unwrap()
}

pub fn read_str(dir: &Path, rel: &str) -> String {
    String::from_utf8(read(dir, rel)).unwrap()
}

pub fn mode(path: &Path) -> u32 {
    fs::symlink_metadata(path).unwrap().permissions().mode() & 0o7777
}

pub fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    File(Vec<u8>),
    Link(PathBuf),
    Dir,
    Other,
}

/// Every entry under `root` (links not followed, `.git` left out): file bytes, link targets.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
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
pub fn with_file(
    mut snap: BTreeMap<PathBuf, Entry>,
    rel: &str,
    bytes: &str,
) -> BTreeMap<PathBuf, Entry> {
    let old = snap.insert(PathBuf::from(rel), Entry::File(bytes.as_bytes().to_vec()));
    assert!(matches!(old, Some(Entry::File(_))), "{rel} was not a file");
    snap
}

pub fn assert_code(run: &Run, code: i32) {
    assert_eq!(run.code, Some(code), "{run:?}");
}

/// Each of `lines` stands in the run's stderr.
pub fn assert_stderr(run: &Run, lines: &[&str]) {
    for line in lines {
        assert!(run.stderr.contains(line), "no `{line}` in stderr: {run:?}");
    }
}

/// The `--- a/` paths of a diff, in order.
pub fn diffed(run: &Run) -> Vec<String> {
    run.out()
        .lines()
        .filter_map(|l| l.strip_prefix("--- a/"))
        .map(str::to_owned)
        .collect()
}

/// A small project: LF, CRLF + tabs, BOM, no final newline, an UNSAFE rewrite, a clean file
/// and a non-Python file that mentions asyncio.
pub fn populate(dir: &Path) {
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
