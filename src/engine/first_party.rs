//! The project's own top-level modules, looked up on the disk around the file: for the import
//! pass (`engine::import_pass`: where isort sorts an import) and for the codemods
//! (`Ctx::first_party`).

/// The project's own top-level modules, as ruff's isort finds them by default: a package or
/// module at the project root or under its `src/`. The root, as ruff finds it: the nearest
/// folder above the file with a `ruff.toml`, `.ruff.toml` or a `pyproject.toml` that
/// configures ruff, else the working directory. Without a path, none.
pub(super) fn first_party(path: Option<&std::path::Path>) -> impl Fn(&str) -> bool + use<> {
    let configures_ruff = |d: &std::path::Path| {
        d.join("ruff.toml").is_file()
            || d.join(".ruff.toml").is_file()
            || std::fs::read_to_string(d.join("pyproject.toml"))
                .is_ok_and(|t| t.contains("[tool.ruff"))
    };
    let root = path
        .and_then(|p| std::fs::canonicalize(p).ok())
        .and_then(|p| {
            p.ancestors()
                .skip(1)
                .find(|d| configures_ruff(d))
                .map(std::path::Path::to_path_buf)
                .or_else(|| std::env::current_dir().ok())
        });
    move |name: &str| root.as_ref().is_some_and(|r| has_module(r, name))
}

/// A package or module `name` at `root` or under its `src/`.
fn has_module(root: &std::path::Path, name: &str) -> bool {
    [root.to_path_buf(), root.join("src")]
        .iter()
        .any(|base| base.join(name).is_dir() || base.join(format!("{name}.py")).is_file())
}

/// The project's own top-level modules, for the codemods (`Ctx::first_party`): those of
/// [`first_party`], and a package or module beside the nearest `pyproject.toml`, `setup.cfg`
/// or `setup.py` above the file (or in its `src/`), wherever the run starts. Both roots are
/// looked up on the first question only: most files never ask, and the lookups read the disk.
pub(super) fn own_modules(path: Option<&std::path::Path>) -> impl Fn(&str) -> bool {
    let path = path.map(std::path::Path::to_path_buf);
    let found = std::cell::OnceCell::new();
    move |name: &str| {
        let (ruff, root) = found.get_or_init(|| {
            let root = path
                .as_deref()
                .and_then(|p| std::fs::canonicalize(p).ok())
                .and_then(|p| {
                    p.ancestors()
                        .skip(1)
                        .find(|d| {
                            ["pyproject.toml", "setup.cfg", "setup.py"]
                                .iter()
                                .any(|f| d.join(f).is_file())
                        })
                        .map(std::path::Path::to_path_buf)
                });
            (first_party(path.as_deref()), root)
        });
        ruff(name) || root.as_ref().is_some_and(|r| has_module(r, name))
    }
}
