//! The targets of each file: the oldest anyio and the oldest Python its project allows, read
//! from the nearest project metadata (`pyproject.toml`: PEP 621, Poetry, PDM, Hatch;
//! `setup.cfg`; the literals of `setup.py`; `requirements*.txt` beside them), unless the
//! command line or `[tool.anyio-migrate]` says otherwise.

use super::deps;
use crate::target::{DEFAULT_PYTHON, OLDEST_ANYIO, Targets, Version, newest_anyio_for};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use toml_edit::{Document, Item, Value};

/// Where a target came from, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// `--target-anyio` / `--target-python`, or `[tool.anyio-migrate]`.
    Override(String),
    /// A requirement or `requires-python` in a metadata file: (file, the text read).
    Metadata(PathBuf, String),
    /// Nothing says: the default, and why.
    Default(&'static str),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Override(what) => write!(f, "{what}"),
            Origin::Metadata(path, text) => write!(f, "{}: `{text}`", path.display()),
            Origin::Default(why) => write!(f, "{why}"),
        }
    }
}

/// The targets of one project and where each came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derived {
    pub targets: Targets,
    pub anyio_from: Origin,
    pub python_from: Origin,
    /// The metadata file the targets were read from, if any.
    pub metadata: Option<PathBuf>,
    /// Whether the project already depends on anyio at run time (any version).
    pub runtime_anyio: bool,
    /// The project's own anyio requirement (its text), whatever overrides it.
    pub anyio_requirement: Option<String>,
}

impl Derived {
    /// The floor of the project's own anyio requirement, whatever overrides it (the oldest
    /// release the tool knows when it has no lower bound).
    pub fn required_floor(&self) -> Option<Version> {
        self.anyio_requirement
            .as_deref()
            .map(|req| floor_of_requirement(req).unwrap_or(OLDEST_ANYIO))
    }
}

/// What the user said, which wins over the metadata.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub anyio: Option<(Version, String)>,
    pub python: Option<(Version, String)>,
}

/// Finds and caches the targets of every directory's project.
#[derive(Debug, Default)]
pub struct Finder {
    overrides: Overrides,
    cache: Mutex<HashMap<PathBuf, Derived>>,
    /// The projects (by their metadata file; `None`: files outside any) whose files' targets
    /// say `Targets::default_loop_kept` (set by `project::default_loop`).
    default_loop_kept: Mutex<Vec<Option<PathBuf>>>,
}

impl Finder {
    pub fn new(overrides: Overrides) -> Self {
        Finder {
            overrides,
            cache: Mutex::default(),
            default_loop_kept: Mutex::default(),
        }
    }

    /// From now on the targets of the files of `path`'s project say that code of the project
    /// keeps using the thread's default loop.
    pub fn keep_default_loop(&self, path: &Path) {
        let project = self.derived_for(path).metadata;
        let mut kept = self.default_loop_kept.lock().unwrap();
        if !kept.contains(&project) {
            kept.push(project);
        }
    }

    /// The targets of the project `path` belongs to.
    pub fn for_file(&self, path: &Path) -> Derived {
        let mut derived = self.derived_for(path);
        derived.targets.default_loop_kept = self
            .default_loop_kept
            .lock()
            .unwrap()
            .contains(&derived.metadata);
        derived
    }

    fn derived_for(&self, path: &Path) -> Derived {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(d) = self.cache.lock().unwrap().get(&dir) {
            return d.clone();
        }
        let derived = self.derive(&dir);
        self.cache.lock().unwrap().insert(dir, derived.clone());
        derived
    }

    /// Every distinct set of targets used so far, sorted by metadata file.
    pub fn used(&self) -> Vec<Derived> {
        let mut out: Vec<Derived> = Vec::new();
        for d in self.cache.lock().unwrap().values() {
            if !out.contains(d) {
                out.push(d.clone());
            }
        }
        out.sort_by(|a, b| a.metadata.cmp(&b.metadata));
        out
    }

    fn derive(&self, dir: &Path) -> Derived {
        let facts = dir.ancestors().find_map(read_project);
        let metadata = facts.as_ref().map(|f| f.file.clone());
        let runtime_anyio = facts.as_ref().is_some_and(|f| f.runtime_anyio);
        let anyio_requirement = facts
            .as_ref()
            .and_then(|f| f.anyio.as_ref())
            .map(|(_, req)| req.clone());
        let (python, python_from) = match (&self.overrides.python, &facts) {
            (Some((v, what)), _) => (*v, Origin::Override(what.clone())),
            (
                None,
                Some(Facts {
                    file,
                    python: Some((v, text)),
                    ..
                }),
            ) => (*v, Origin::Metadata(file.clone(), text.clone())),
            _ => (
                DEFAULT_PYTHON,
                Origin::Default("no requires-python in the project: the default"),
            ),
        };
        let (anyio, anyio_from) = match (&self.overrides.anyio, &facts) {
            (Some((v, what)), _) => (*v, Origin::Override(what.clone())),
            (None, Some(f)) if f.anyio.is_some() => {
                let (floor, text) = f.anyio.clone().unwrap_or_default();
                (
                    floor.unwrap_or(OLDEST_ANYIO),
                    Origin::Metadata(f.file.clone(), text),
                )
            }
            // The release the run adds: the newest that installs on the project's oldest Python.
            _ => (
                newest_anyio_for(python),
                Origin::Default(
                    "anyio is not a dependency yet: the newest release the project's oldest Python installs",
                ),
            ),
        };
        Derived {
            targets: Targets {
                anyio,
                python,
                unclosed_streams_fail: facts.as_ref().is_some_and(|f| f.unclosed_streams_fail),
                default_loop_kept: false,
            },
            anyio_from,
            python_from,
            metadata,
            runtime_anyio,
            anyio_requirement,
        }
    }
}

/// What one project's metadata says.
#[derive(Debug, Default)]
struct Facts {
    file: PathBuf,
    /// The anyio requirement: its lower bound (None: none) and its text.
    anyio: Option<(Option<Version>, String)>,
    runtime_anyio: bool,
    python: Option<(Version, String)>,
    unclosed_streams_fail: bool,
}

/// The metadata of the project rooted at `dir`, when `dir` holds a `pyproject.toml`,
/// `setup.cfg` or `setup.py`.
fn read_project(dir: &Path) -> Option<Facts> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let pyproject = read("pyproject.toml");
    let setup_cfg = read("setup.cfg");
    let setup_py = read("setup.py");
    if pyproject.is_none() && setup_cfg.is_none() && setup_py.is_none() {
        return None;
    }
    let mut facts = Facts::default();
    let sources = [
        ("pyproject.toml", pyproject.as_deref().map(from_pyproject)),
        ("setup.cfg", setup_cfg.as_deref().map(from_setup_cfg)),
        ("setup.py", setup_py.as_deref().map(from_setup_py)),
    ];
    for (name, found) in sources {
        let Some(found) = found else { continue };
        if facts.file.as_os_str().is_empty() {
            facts.file = PathBuf::from(name);
        }
        if facts.anyio.is_none()
            && let Some((req, runtime)) = found.anyio
        {
            facts.file = PathBuf::from(name);
            facts.anyio = Some((floor_of_requirement(&req), req));
            facts.runtime_anyio = runtime;
        }
        if facts.python.is_none() {
            facts.python = found
                .python
                .and_then(|p| python_floor(&p).map(|v| (v, format!("requires-python {p}"))));
        }
    }
    if facts.anyio.is_none() {
        for req_file in requirement_files(dir) {
            let Ok(text) = std::fs::read_to_string(dir.join(&req_file)) else {
                continue;
            };
            if let Some(req) = text
                .lines()
                .map(|l| l.split(" #").next().unwrap_or("").trim())
                .find(|l| deps::name(l).as_deref() == Some("anyio"))
            {
                facts.anyio = Some((floor_of_requirement(req), req.to_owned()));
                facts.runtime_anyio = req_file == "requirements.txt";
                facts.file = PathBuf::from(req_file);
                break;
            }
        }
    }
    facts.file = shown(&dir.join(&facts.file));
    facts.unclosed_streams_fail =
        super::warnings::unclosed_streams_fail(&super::warnings::filters(dir));
    Some(facts)
}

/// A path as the report shows it: relative to the working directory when under it.
fn shown(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(cwd).ok())
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}

/// `requirements*.txt` in `dir`, `requirements.txt` first.
fn requirement_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| {
            n.starts_with("requirements")
                && Path::new(n)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("txt"))
        })
        .collect();
    out.sort_by_key(|n| (n != "requirements.txt", n.clone()));
    out
}

/// What one file says: the anyio requirement (text, whether it is a run-time one) and the
/// `requires-python` text.
#[derive(Debug, Default, PartialEq)]
struct Found {
    anyio: Option<(String, bool)>,
    python: Option<String>,
}

fn from_pyproject(text: &str) -> Found {
    let Ok(doc) = Document::parse(text) else {
        return Found::default();
    };
    let root = doc.as_table();
    let get = |path: &[&str]| -> Option<&Item> {
        let mut item = root.get(path[0])?;
        for key in &path[1..] {
            item = item.as_table_like()?.get(key)?;
        }
        Some(item)
    };
    let anyio_in = |item: Option<&Item>| -> Option<String> {
        item?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .find(|r| deps::name(r).as_deref() == Some("anyio"))
            .map(str::to_owned)
    };
    let poetry_anyio = |t: Option<&Item>| -> Option<String> {
        let item = t?.as_table_like()?.get("anyio")?;
        let version = item.as_str().map(str::to_owned).or_else(|| {
            item.as_inline_table()?
                .get("version")?
                .as_str()
                .map(str::to_owned)
        })?;
        Some(format!("anyio {version}"))
    };
    let mut found = Found::default();
    if let Some(req) = anyio_in(get(&["project", "dependencies"]))
        .or_else(|| poetry_anyio(get(&["tool", "poetry", "dependencies"])))
        // flit's metadata table before PEP 621 (`[tool.flit.metadata] requires = [...]`).
        .or_else(|| anyio_in(get(&["tool", "flit", "metadata", "requires"])))
    {
        found.anyio = Some((req, true));
    } else {
        let mut others: Vec<Option<String>> = Vec::new();
        for path in [
            &["project", "optional-dependencies"][..],
            &["dependency-groups"],
            &["tool", "pdm", "dev-dependencies"],
        ] {
            if let Some(t) = get(path).and_then(Item::as_table_like) {
                others.extend(t.iter().map(|(_, v)| anyio_in(Some(v))));
            }
        }
        others.push(poetry_anyio(get(&["tool", "poetry", "dev-dependencies"])));
        if let Some(groups) = get(&["tool", "poetry", "group"]).and_then(Item::as_table_like) {
            for (_, g) in groups.iter() {
                others.push(poetry_anyio(
                    g.as_table_like().and_then(|g| g.get("dependencies")),
                ));
            }
        }
        found.anyio = others.into_iter().flatten().next().map(|r| (r, false));
    }
    found.python = get(&["project", "requires-python"])
        .and_then(Item::as_str)
        .or_else(|| get(&["tool", "poetry", "dependencies", "python"]).and_then(Item::as_str))
        .or_else(|| get(&["tool", "flit", "metadata", "requires-python"]).and_then(Item::as_str))
        .map(str::to_owned);
    found
}

fn from_setup_cfg(text: &str) -> Found {
    let Ok(sections) = super::ini::parse(text) else {
        return Found::default();
    };
    let mut found = Found::default();
    for s in &sections {
        for entry in &s.entries {
            let value: Vec<&str> = entry
                .lines
                .iter()
                .flat_map(|r| text[r.clone()].lines())
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            match (s.name.as_str(), entry.key.as_str()) {
                ("options", "python_requires") => found.python = Some(value.join(",")),
                ("options", "install_requires") | ("options.extras_require", _) => {
                    let runtime = s.name == "options";
                    if let Some(req) = value
                        .iter()
                        .find(|r| deps::name(r).as_deref() == Some("anyio"))
                        && found.anyio.as_ref().is_none_or(|(_, rt)| !rt && runtime)
                    {
                        found.anyio = Some(((*req).to_owned(), runtime));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// `setup.py`: the string literals only (`"anyio>=3.6"`, `python_requires=">=3.8"`); code that
/// computes them is not run.
fn from_setup_py(text: &str) -> Found {
    let mut found = Found::default();
    let strings = string_literals(text);
    if let Some((_, s)) = strings
        .iter()
        .find(|(_, s)| deps::name(s).as_deref() == Some("anyio"))
    {
        found.anyio = Some((s.clone(), true));
    }
    found.python = strings.iter().find_map(|(at, s)| {
        let before = text[..*at].trim_end().strip_suffix('=')?.trim_end();
        before.ends_with("python_requires").then(|| s.clone())
    });
    found
}

/// The simple string literals of a Python text: (offset of the opening quote, content).
fn string_literals(text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            q @ (b'"' | b'\'') => {
                let start = i;
                i += 1;
                let content_start = i;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i < bytes.len() && bytes[i] == q {
                    out.push((start, text[content_start..i].to_owned()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The lower bound of a version constraint list (`>=3.6,<4`, `~=4.5`, `^4.5`, `==4.5.0`,
/// `>4.5`): the highest of its lower bounds; `None` when it has none (`<5`, empty).
pub fn floor_of_constraints(spec: &str) -> Option<Version> {
    spec.split(',')
        .filter_map(|part| {
            let part = part.trim().trim_matches(|c| c == '(' || c == ')').trim();
            let version = ["===", "==", "~=", ">=", "^", "~", ">"]
                .iter()
                .find_map(|op| part.strip_prefix(op))?;
            Version::parse(version.trim().trim_end_matches(".*"))
        })
        .max()
}

/// The lower bound of an anyio requirement (`anyio[trio]>=3.6,<4; python_version>"3.8"`,
/// Poetry's `anyio ^4.5`).
pub fn floor_of_requirement(req: &str) -> Option<Version> {
    floor_of_constraints(constraints_of_requirement(req))
}

/// Whether a version constraint list (`>=3.6,<4`, `~=4.5`, `^4.5`, `==4.*`, `!=4.1.0`) allows
/// release `v`. A clause it cannot read allows everything (it cannot prove a conflict).
pub fn allows(spec: &str, v: Version) -> bool {
    spec.split(',').all(|part| {
        let part = part.trim().trim_matches(|c| c == '(' || c == ')').trim();
        if part.is_empty() || part == "*" {
            return true;
        }
        let ops = ["===", "==", "~=", ">=", "<=", "!=", "^", "~", ">", "<"];
        let (op, rest) = ops
            .iter()
            .find_map(|op| part.strip_prefix(op).map(|r| (*op, r.trim())))
            .unwrap_or(("==", part));
        let wildcard = rest.ends_with(".*");
        let Some(w) = Version::parse(rest.trim_end_matches(".*")) else {
            return true;
        };
        let parts = rest.trim_end_matches(".*").split('.').count();
        // The first release after every release `w` names with its given precision.
        let next_at = |n: usize| match n {
            1 => Version(w.0 + 1, 0, 0),
            2 => Version(w.0, w.1 + 1, 0),
            _ => Version(w.0, w.1, w.2 + 1),
        };
        match op {
            "==" | "===" if wildcard => w <= v && v < next_at(parts),
            "==" | "===" => v == w,
            "!=" if wildcard => !(w <= v && v < next_at(parts)),
            "!=" => v != w,
            ">=" => v >= w,
            ">" => v > w,
            "<=" => v <= w,
            "<" => v < w,
            // `~=4.5` → >=4.5,<5; `~=4.5.1` → >=4.5.1,<4.6; Poetry's `~4.5` → >=4.5,<4.6.
            "~=" => w <= v && v < next_at(parts.saturating_sub(1).max(1)),
            "~" => w <= v && v < next_at(parts.clamp(1, 2)),
            // Poetry's caret: the leftmost non-zero part may not change.
            "^" => {
                let upper = if w.0 > 0 || parts == 1 {
                    Version(w.0 + 1, 0, 0)
                } else if w.1 > 0 || parts == 2 {
                    Version(0, w.1 + 1, 0)
                } else {
                    Version(0, 0, w.2 + 1)
                };
                w <= v && v < upper
            }
            _ => true,
        }
    })
}

/// The constraint part of a requirement (`anyio[trio]>=3.6,<4; marker` → `>=3.6,<4`, Poetry's
/// `anyio ^4.5` → `^4.5`).
pub fn constraints_of_requirement(req: &str) -> &str {
    let req = req.split(';').next().unwrap_or("");
    let after_name = req
        .trim_start()
        .trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    match after_name.trim_start().strip_prefix('[') {
        Some(rest) => rest.split_once(']').map_or("", |(_, s)| s),
        None => after_name,
    }
    .trim()
}

/// The anyio requirement a metadata or requirements file states, if any (its text).
pub fn anyio_requirement(file_name: &str, text: &str) -> Option<String> {
    let found = match file_name {
        "pyproject.toml" => from_pyproject(text),
        "setup.cfg" => from_setup_cfg(text),
        "setup.py" => from_setup_py(text),
        n if n.starts_with("requirements") => {
            return text
                .lines()
                .map(|l| l.split(" #").next().unwrap_or("").trim())
                .find(|l| deps::name(l).as_deref() == Some("anyio"))
                .map(str::to_owned);
        }
        _ => return None,
    };
    found.anyio.map(|(req, _)| req)
}

/// The oldest Python a `requires-python` allows (`>=3.9`, `^3.10`, `>=3.8,<4`, `~=3.10`).
fn python_floor(spec: &str) -> Option<Version> {
    floor_of_constraints(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bounds_of_constraints() {
        let f = |s: &str| floor_of_requirement(s).map(|v| v.to_string());
        assert_eq!(f("anyio>=3.6,<4").as_deref(), Some("3.6"));
        assert_eq!(f("anyio[trio] >= 4.5.0, < 5").as_deref(), Some("4.5"));
        assert_eq!(f("anyio~=4.14").as_deref(), Some("4.14"));
        assert_eq!(f("anyio==3.7.1").as_deref(), Some("3.7.1"));
        assert_eq!(f("anyio ^4.5").as_deref(), Some("4.5"));
        assert_eq!(
            f("anyio>=4.0; python_version>'3.8'").as_deref(),
            Some("4.0")
        );
        assert_eq!(f("anyio<5"), None);
        assert_eq!(f("anyio"), None);
        assert_eq!(
            python_floor(">=3.8, <4").map(|v| v.to_string()).as_deref(),
            Some("3.8")
        );
    }

    #[test]
    fn which_releases_a_constraint_allows() {
        let v = |s: &str| Version::parse(s).unwrap();
        let yes = |spec: &str, ver: &str| assert!(allows(spec, v(ver)), "{spec} allows {ver}");
        let no = |spec: &str, ver: &str| assert!(!allows(spec, v(ver)), "{spec} excludes {ver}");
        yes(">=3.6,<4", "3.7.1");
        no(">=3.6,<4", "4.16");
        yes(">=4.5", "4.16");
        no(">=4.5,<4.14", "4.16");
        yes("~=4.5", "4.16");
        no("~=4.5.0", "4.16");
        yes("~=4.5.0", "4.5.2");
        yes("^4.5", "4.16");
        no("^3.6", "4.16");
        no("~4.5", "4.16");
        yes("==4.*", "4.16");
        no("==3.*", "4.16");
        no("==4.5.0", "4.16");
        no("!=4.16.0", "4.16");
        yes("", "4.16");
        yes(
            constraints_of_requirement("anyio[trio] >=3.6; python_version<'4'"),
            "4.16",
        );
        no(constraints_of_requirement("anyio ^3.6"), "4.16");
    }

    #[test]
    fn pyproject_poetry_setup_cfg_and_setup_py() {
        let p = from_pyproject(
            "[project]\nrequires-python = \">=3.9\"\ndependencies = [\"httpx\", \"anyio>=3.6,<4\"]\n",
        );
        assert_eq!(p.anyio, Some(("anyio>=3.6,<4".to_owned(), true)));
        assert_eq!(p.python.as_deref(), Some(">=3.9"));
        let p = from_pyproject(
            "[tool.poetry.dependencies]\npython = \"^3.10\"\nanyio = {version = \"^4.5\", extras = [\"trio\"]}\n",
        );
        assert_eq!(p.anyio, Some(("anyio ^4.5".to_owned(), true)));
        assert_eq!(p.python.as_deref(), Some("^3.10"));
        let p = from_pyproject(
            "[project]\ndependencies = []\n[project.optional-dependencies]\ntest = [\"anyio[trio]>=4.2\"]\n",
        );
        assert_eq!(p.anyio, Some(("anyio[trio]>=4.2".to_owned(), false)));
        let c = from_setup_cfg(
            "[options]\npython_requires = >=3.8\ninstall_requires =\n    attrs\n    anyio>=3.7,<4\n",
        );
        assert_eq!(c.anyio, Some(("anyio>=3.7,<4".to_owned(), true)));
        assert_eq!(c.python.as_deref(), Some(">=3.8"));
        let s = from_setup_py(
            "setup(\n    name='x',  # 'anyio>=9' in a comment\n    python_requires=\">=3.8\",\n    install_requires=['anyio>=4.5,<5', 'idna'],\n)\n",
        );
        assert_eq!(s.anyio, Some(("anyio>=4.5,<5".to_owned(), true)));
        assert_eq!(s.python.as_deref(), Some(">=3.8"));
    }

    #[test]
    fn the_nearest_project_governs_and_overrides_win() {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(pkg.join("sub")).unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nrequires-python = \">=3.10\"\ndependencies = [\"anyio>=4.5,<4.14\"]\n",
        )
        .unwrap();
        std::fs::write(pkg.join("setup.py"), "setup(install_requires=['anyio'])\n").unwrap();
        let finder = Finder::default();
        let top = finder.for_file(&dir.path().join("a.py"));
        assert_eq!(top.targets.anyio, Version(4, 5, 0));
        assert_eq!(top.targets.python, Version(3, 10, 0));
        assert!(top.runtime_anyio);
        let nested = finder.for_file(&pkg.join("sub/b.py"));
        assert_eq!(
            nested.targets.anyio, OLDEST_ANYIO,
            "no lower bound: the oldest"
        );
        // No anyio dependency: the newest release the oldest Python allowed installs.
        for (spec, anyio) in [
            (">=3.8", Version(4, 5, 2)),
            (">=3.9,<4", Version(4, 12, 1)),
            (">=3.10", crate::target::NEWEST_ANYIO),
        ] {
            let p = tempfile::tempdir().unwrap();
            std::fs::write(
                p.path().join("pyproject.toml"),
                format!("[project]\nname = \"x\"\nrequires-python = \"{spec}\"\n"),
            )
            .unwrap();
            let d = Finder::default().for_file(&p.path().join("m.py"));
            assert_eq!(d.targets.anyio, anyio, "requires-python {spec}");
        }
        // flit's metadata table before PEP 621.
        let flit = tempfile::tempdir().unwrap();
        std::fs::write(
            flit.path().join("pyproject.toml"),
            "[tool.flit.metadata]\nmodule = \"x\"\nrequires-python = \">=3.8\"\nrequires = [\"anyio >=4.0\"]\n",
        )
        .unwrap();
        let d = Finder::default().for_file(&flit.path().join("m.py"));
        assert_eq!(d.targets.python, Version(3, 8, 0));
        assert_eq!(d.targets.anyio, Version(4, 0, 0));
        assert!(d.runtime_anyio);
        let none = tempfile::tempdir().unwrap();
        std::fs::write(none.path().join("setup.cfg"), "[metadata]\nname = x\n").unwrap();
        let d = Finder::default().for_file(&none.path().join("c.py"));
        assert_eq!(d.targets.anyio, crate::target::NEWEST_ANYIO);
        assert!(!d.runtime_anyio);
        let forced = Finder::new(Overrides {
            anyio: Some((Version(4, 14, 0), "--target-anyio 4.14".to_owned())),
            python: None,
        });
        assert_eq!(
            forced.for_file(&dir.path().join("a.py")).targets.anyio,
            Version(4, 14, 0)
        );
    }
}
