//! Find the files to migrate: an ignore-aware walk of directories; explicit files always kept.
//! Python files go to the codemods; pytest configuration and dependency files (`pyproject.toml`,
//! `pytest.ini`, `setup.cfg`, `tox.ini`, `requirements*.txt`) to the project pass.

use anyhow::{Context, Result};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Directories that hold other people's code or build output (ruff's defaults, less the hidden
/// ones the walker already skips).
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

#[derive(Debug, Default)]
pub struct Discovered {
    /// Files to process, sorted, each once (by real path).
    pub files: Vec<PathBuf>,
    /// Configuration and dependency files for the project pass, sorted, each once.
    pub configs: Vec<PathBuf>,
    /// Paths passed over with a reason (symlink loops, ...).
    pub skipped: Vec<(PathBuf, String)>,
    /// Paths that could not be read at all (missing, permission denied).
    pub errors: Vec<(PathBuf, String)>,
}

pub struct Walk<'a> {
    pub excludes: &'a [String],
    pub no_ignore: bool,
    /// Apply the excludes to files named explicitly too (`--force-exclude`).
    pub force_exclude: bool,
}

pub fn is_python(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "py" || e == "pyi")
}

/// A pytest configuration or dependency file the project pass edits.
pub fn is_config(path: &Path) -> bool {
    ConfigKind::of(path).is_some()
}

pub fn discover(paths: &[PathBuf], opts: &Walk) -> Result<Discovered> {
    let mut out = Discovered::default();
    // Real path -> the path as the user will see it (first one found).
    let mut seen: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    let mut configs: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
    for path in paths {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                let why = if path.symlink_metadata().is_ok() {
                    format!("cannot follow link: {e}")
                } else {
                    format!("cannot read: {e}")
                };
                out.errors.push((path.clone(), why));
                continue;
            }
        };
        if meta.is_file() {
            if opts.force_exclude && excluded(path, opts.excludes)? {
                out.skipped.push((
                    clean(path),
                    "excluded (--force-exclude applies the excludes to files named explicitly)"
                        .to_owned(),
                ));
                continue;
            }
            if is_config(path) {
                remember(&mut configs, path);
            } else {
                remember(&mut seen, path);
            }
            continue;
        }
        if !meta.is_dir() {
            // A FIFO, socket or device: reading it could block forever or never end.
            out.skipped
                .push((clean(path), "not a regular file".to_owned()));
            continue;
        }
        let mut overrides = OverrideBuilder::new(path);
        for glob in opts
            .excludes
            .iter()
            .map(String::as_str)
            .chain(DEFAULT_EXCLUDES.iter().copied())
        {
            overrides
                .add(&format!("!{glob}"))
                .with_context(|| format!("bad --exclude glob `{glob}`"))?;
        }
        let walker = WalkBuilder::new(path)
            .standard_filters(!opts.no_ignore)
            .require_git(false)
            .follow_links(true)
            .overrides(overrides.build().context("building exclude globs")?)
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let p = entry.path();
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        if is_python(p) {
                            remember(&mut seen, p);
                        } else if is_config(p) {
                            remember(&mut configs, p);
                        }
                    }
                }
                Err(err) => classify(&mut out, path, &err),
            }
        }
    }
    let mut files: Vec<PathBuf> = seen.into_values().collect();
    files.sort();
    out.files = files;
    let mut configs: Vec<PathBuf> = configs.into_values().collect();
    configs.sort();
    out.configs = configs;
    Ok(out)
}

/// What marks the top folder of a Python project: its packaging or pytest configuration (as
/// pytest finds its root). A repository's top is not one: it may hold other projects.
const PROJECT_MARKERS: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "pytest.ini",
    "tox.ini",
];

/// The project's Python files outside the run (`run`, the files discovered from `paths`):
/// code that runs with the run's code (a test module of a run over `src`, a conftest.py above
/// the tests given), whose patches and attribute uses decide what the run may rewrite, though
/// the run writes none of it. The project is the nearest folder at or above the paths' common
/// folder that holds a packaging or pytest configuration file; without one, there are none.
/// The walk is the run's, less its excludes (an excluded file still runs); a path is shown as
/// the run shows its own.
pub fn context_files(paths: &[PathBuf], run: &[PathBuf], opts: &Walk) -> Vec<PathBuf> {
    let Some(root) = project_root(paths) else {
        return Vec::new();
    };
    // The whole project is the run's already: nothing to walk again.
    if opts.excludes.is_empty()
        && paths
            .iter()
            .any(|p| std::fs::canonicalize(p).is_ok_and(|p| p == root))
    {
        return Vec::new();
    }
    let everything = Walk {
        excludes: &[],
        ..*opts
    };
    let Ok(found) = discover(std::slice::from_ref(&root), &everything) else {
        return Vec::new();
    };
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let mut taken: Vec<PathBuf> = run.iter().map(|p| real(p)).collect();
    taken.sort();
    found
        .files
        .into_iter()
        .filter(|p| taken.binary_search(&real(p)).is_err())
        .map(|p| clean(&p))
        .collect()
}

/// The nearest folder at or above the common folder of `paths` that holds one of
/// [`PROJECT_MARKERS`].
fn project_root(paths: &[PathBuf]) -> Option<PathBuf> {
    real_common_folder(paths)?
        .ancestors()
        .find(|dir| is_project_root(dir))
        .map(Path::to_path_buf)
}

/// `dir` holds one of [`PROJECT_MARKERS`]: the top folder of a project.
pub fn is_project_root(dir: &Path) -> bool {
    PROJECT_MARKERS.iter().any(|m| dir.join(m).exists())
}

/// The deepest folder that holds every one of `paths` (a file's folder, a folder itself), by
/// real path.
pub fn real_common_folder(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut dirs = paths.iter().filter_map(|p| {
        let real = std::fs::canonicalize(p).ok()?;
        Some(if real.is_dir() {
            real
        } else {
            real.parent()?.to_path_buf()
        })
    });
    let first = dirs.next()?;
    Some(dirs.fold(first, |acc, d| common_prefix(&acc, &d)))
}

/// The longest path both `a` and `b` start with.
pub fn common_prefix(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// Does an exclude glob (or a default exclude) match `path` or a folder above it? Globs are
/// gitignore-style, relative to the working directory.
pub fn excluded(path: &Path, excludes: &[String]) -> Result<bool> {
    let cwd = std::env::current_dir().context("reading the working directory")?;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| cwd.join(path));
    // The matcher wants a path under its root: a file outside the working directory is matched
    // from the file system's root (unanchored globs match a name at any depth either way).
    let root = if absolute.starts_with(&cwd) {
        cwd
    } else {
        PathBuf::from("/")
    };
    let mut builder = ignore::gitignore::GitignoreBuilder::new(&root);
    for glob in excludes
        .iter()
        .map(String::as_str)
        .chain(DEFAULT_EXCLUDES.iter().copied())
    {
        builder
            .add_line(None, glob)
            .with_context(|| format!("bad --exclude glob `{glob}`"))?;
    }
    let matcher = builder.build().context("building exclude globs")?;
    let relative = absolute.strip_prefix(&root).unwrap_or(&absolute);
    Ok(matcher
        .matched_path_or_any_parents(relative, false)
        .is_ignore())
}

fn remember(seen: &mut BTreeMap<PathBuf, PathBuf>, path: &Path) {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    seen.entry(real).or_insert_with(|| clean(path));
}

/// Drop a leading `./` so paths read as the user typed them, and show an absolute path under
/// the current folder relative to it (diff headers must be relative for `git apply`).
pub fn clean(path: &Path) -> PathBuf {
    if path.is_absolute() {
        if let Some(rel) = std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .filter(|rel| !rel.as_os_str().is_empty())
        {
            return rel;
        }
        return path.to_path_buf();
    }
    path.strip_prefix(".")
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

fn classify(out: &mut Discovered, root: &Path, err: &ignore::Error) {
    let mut e = err;
    let mut at = root.to_path_buf();
    loop {
        match e {
            ignore::Error::WithPath { path, err } => {
                at.clone_from(path);
                e = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                e = err;
            }
            ignore::Error::Loop { child, .. } => {
                out.skipped
                    .push((clean(child), "symlink loop: not followed".to_owned()));
                return;
            }
            _ => {
                if at
                    .symlink_metadata()
                    .is_ok_and(|m| m.file_type().is_symlink())
                {
                    // A link found by the walk that cannot be followed (dangling, or a loop of
                    // links): nothing to read. Only a Python file's name is worth a line.
                    if is_python(&at) {
                        let why = match std::fs::metadata(&at) {
                            Err(io) if io.kind() == std::io::ErrorKind::NotFound => {
                                "broken symlink: its target does not exist".to_owned()
                            }
                            Err(io) => format!("symlink not followed: {io}"),
                            Ok(_) => "symlink not followed".to_owned(),
                        };
                        out.skipped.push((clean(&at), why));
                    }
                    return;
                }
                // The walker's own message repeats the path; describe the OS error alone.
                let why = probe(&at)
                    .err()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                out.errors.push((clean(&at), format!("cannot read: {why}")));
                return;
            }
        }
    }
}

/// Open a path the way the walk would (list a directory, open a file) to recover the OS error.
fn probe(path: &Path) -> std::io::Result<()> {
    if std::fs::metadata(path)?.is_dir() {
        std::fs::read_dir(path)?;
    } else {
        std::fs::File::open(path)?;
    }
    Ok(())
}

/// The configuration and dependency files the project pass edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    Pyproject,
    Ini(Flavour),
    Requirements,
}

impl ConfigKind {
    pub fn of(path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        match name {
            "pyproject.toml" => Some(Self::Pyproject),
            "pytest.ini" => Some(Self::Ini(Flavour::PytestIni)),
            "setup.cfg" => Some(Self::Ini(Flavour::SetupCfg)),
            "tox.ini" => Some(Self::Ini(Flavour::ToxIni)),
            _ if is_requirements_file(path) => Some(Self::Requirements),
            _ => None,
        }
    }
}

/// A pip requirements file by the names projects give them: `requirements*.txt`,
/// `test-requirements.txt` / `dev_requirements.txt` (the word anywhere in the name), and any
/// `.txt` in a `requirements/` folder (`requirements/test.txt`).
fn is_requirements_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let txt = Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    let in_folder = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d.eq_ignore_ascii_case("requirements"));
    txt && (name.to_ascii_lowercase().contains("requirements") || in_folder)
}

/// Which INI flavour, for its sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    PytestIni,
    SetupCfg,
    ToxIni,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_files_by_their_usual_names() {
        for yes in [
            "requirements.txt",
            "requirements-dev.txt",
            "test-requirements.txt",
            "ci/dev_requirements.txt",
            "requirements/test.txt",
            "Requirements/Dev.TXT",
        ] {
            assert_eq!(
                ConfigKind::of(Path::new(yes)),
                Some(ConfigKind::Requirements),
                "{yes}"
            );
        }
        for no in [
            "requirements.in",
            "docs/notes.txt",
            "requirements/README.md",
        ] {
            assert_eq!(ConfigKind::of(Path::new(no)), None, "{no}");
        }
    }
}
