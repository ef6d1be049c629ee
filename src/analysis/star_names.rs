//! `from <module> import *` of one of the project's own modules: the names it binds, read from
//! that module's file before any file is planned. Without them the resolver must assume the
//! star import may rebind any module-level name (`asyncio`, `pytest`) and resolves none of
//! them, so nothing in the module is rewritten (a `conftest.py` with
//! `from .fixtures import *`, found on a probe of unseen projects).
//!
//! The module is found next to the importing file: a relative import from the file's folder
//! (one more dot, one folder up), an absolute one in the file's folder or the closest folder
//! above it that holds it (`tests/helpers.py` for `from tests.helpers import *` in
//! `tests/conftest.py`). It binds what its module scope binds, without the names starting with
//! `_`, or exactly the names of its `__all__` when that is one list or tuple of string
//! literals. Unknown (the star stays unresolved) when the file is not found or not read, when
//! it has a star import of its own, binds names with `global` or `globals()`, or when
//! `__all__` is anything else.

use crate::resolve::{Provided, Resolver};
use std::path::{Path, PathBuf};

/// Every run file's resolved star imports: the module as written, and the names it binds.
#[derive(Debug, Default)]
pub struct StarNames(Vec<(PathBuf, Vec<(String, Provided)>)>);

/// No star import resolved (a single text, a test).
pub static NONE: StarNames = StarNames(Vec::new());

impl StarNames {
    pub fn new(files: Vec<(PathBuf, Vec<(String, Provided)>)>) -> Self {
        Self(files.into_iter().filter(|(_, s)| !s.is_empty()).collect())
    }

    /// The star imports of the file at `path` whose names are known.
    pub fn of(&self, path: Option<&Path>) -> &[(String, Provided)] {
        path.and_then(|p| self.0.iter().find(|(f, _)| f == p))
            .map_or(&[][..], |(_, s)| s.as_slice())
    }
}

/// The star imports in `text` (the file at `path`) of modules whose names can be read.
pub fn in_file(path: &Path, text: &str) -> Vec<(String, Provided)> {
    if !text.contains("import") || !text.contains('*') {
        return Vec::new();
    }
    let mut out: Vec<(String, Provided)> = Vec::new();
    for module in star_modules(text) {
        if out.iter().any(|(m, _)| *m == module) {
            continue;
        }
        if let Some(names) = locate(path, &module).and_then(|file| provided(&file)) {
            out.push((module, names));
        }
    }
    out
}

/// The modules of the `from M import *` lines of a text, as the resolver writes them (no
/// blanks around the dots).
fn star_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("from")?;
            if !rest.starts_with(char::is_whitespace) && !rest.starts_with('.') {
                return None;
            }
            let (module, names) = rest.split_once(" import")?;
            let names = names.trim_start();
            let star = names.strip_prefix('*')?.trim_start();
            (star.is_empty() || star.starts_with('#') || star.starts_with(';')).then(|| {
                module
                    .trim()
                    .split('.')
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(".")
            })
        })
        .collect()
}

/// The file of the module `module` imported from the file at `path`.
fn locate(path: &Path, module: &str) -> Option<PathBuf> {
    let dots = module.chars().take_while(|c| *c == '.').count();
    let parts: Vec<&str> = module[dots..]
        .split('.')
        .filter(|p| !p.is_empty())
        .collect();
    let file_in = |base: &Path| {
        let dir = parts.iter().fold(base.to_path_buf(), |d, p| d.join(p));
        let init = dir.join("__init__.py");
        if parts.is_empty() {
            return init.is_file().then_some(init);
        }
        let module = dir.with_extension("py");
        if module.is_file() {
            Some(module)
        } else {
            init.is_file().then_some(init)
        }
    };
    let folder = path.parent()?;
    if dots > 0 {
        let mut base = folder;
        for _ in 1..dots {
            base = base.parent()?;
        }
        return file_in(base);
    }
    if parts.is_empty() {
        return None;
    }
    folder.ancestors().find_map(file_in)
}

/// The names `from <the module in file> import *` binds, if they can be known.
fn provided(file: &Path) -> Option<Provided> {
    let bytes = std::fs::read(file).ok()?;
    let source = crate::source::SourceText::decode_python(&bytes).ok()?;
    let text = source.text.as_str();
    let mut parser = crate::source::new_parser().ok()?;
    let tree = crate::source::parse(&mut parser, text).ok()?;
    // A name a function binds with `global`, or one set through `globals()`, is the module's
    // too, where the resolver does not see it.
    let dynamic = text.contains("globals()")
        || text.lines().any(|l| {
            l.trim_start()
                .strip_prefix("global")
                .is_some_and(|r| r.starts_with(' '))
        });
    if dynamic {
        return None;
    }
    let names = Resolver::new(&tree, text).module_names()?;
    let all = match text.matches("__all__").count() {
        0 => None,
        1 => Some(literal_all(&tree, text)?),
        _ => return None,
    };
    Some(match all {
        Some(all) => all
            .into_iter()
            .map(|a| {
                let import = names
                    .iter()
                    .find(|(n, _)| *n == a)
                    .and_then(|(_, i)| i.clone());
                (a, import)
            })
            .collect(),
        None => names
            .into_iter()
            .filter(|(n, _)| !n.starts_with('_'))
            .collect(),
    })
}

/// `__all__ = [...]` / `(...)` of string literals, a statement of the module itself.
fn literal_all(tree: &tree_sitter::Tree, text: &str) -> Option<Vec<String>> {
    let root = tree.root_node();
    let mut cursor = root.walk();
    let assignment = root
        .named_children(&mut cursor)
        .filter(|s| s.kind() == "expression_statement")
        .filter_map(|s| s.named_child(0))
        .find(|a| {
            a.kind() == "assignment"
                && a.child_by_field_name("left")
                    .is_some_and(|l| &text[l.byte_range()] == "__all__")
        })?;
    let right = assignment.child_by_field_name("right")?;
    if !matches!(right.kind(), "list" | "tuple") {
        return None;
    }
    let mut cursor = right.walk();
    right
        .named_children(&mut cursor)
        .map(|item| {
            let content = (item.kind() == "string")
                .then(|| {
                    let mut c = item.walk();
                    let parts: Vec<_> = item.named_children(&mut c).collect();
                    match parts.as_slice() {
                        [start, content, end]
                            if start.kind() == "string_start"
                                && content.kind() == "string_content"
                                && end.kind() == "string_end" =>
                        {
                            Some(text[content.byte_range()].to_owned())
                        }
                        _ => None,
                    }
                })
                .flatten()?;
            // No prefix (`b"..."`, `f"..."`): a plain string.
            text[item.start_byte()..]
                .starts_with(['"', '\''])
                .then_some(content)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn star_lines_are_read_as_the_resolver_writes_modules() {
        let text = "from .fixtures import *\nfrom . import *  # all\nfrom a . b import *\nfrom x import (*)\nfrom y import a, b\nfromage import *\n    from .inner import *\n";
        assert_eq!(
            star_modules(text),
            [".fixtures", ".", "a.b", ".inner"].map(str::to_owned)
        );
    }

    #[test]
    fn a_relative_star_import_binds_the_public_names() {
        let dir = project(&[
            (
                "tests/fixtures.py",
                "import asyncio\nimport pytest\nfrom .helpers import thing\n_private = 1\n\n@pytest.fixture\ndef client():\n    pass\n",
            ),
            ("tests/conftest.py", "from .fixtures import *\n"),
        ]);
        let conftest = dir.path().join("tests/conftest.py");
        let found = in_file(&conftest, "from .fixtures import *\n");
        assert_eq!(found.len(), 1);
        let (module, names) = &found[0];
        assert_eq!(module, ".fixtures");
        assert_eq!(
            names,
            &vec![
                ("asyncio".to_owned(), Some("asyncio".to_owned())),
                ("client".to_owned(), None),
                ("pytest".to_owned(), Some("pytest".to_owned())),
                ("thing".to_owned(), None),
            ]
        );
    }

    #[test]
    fn an_absolute_star_import_is_found_in_a_folder_above() {
        let dir = project(&[
            (
                "tests/helpers/__init__.py",
                "__all__ = ['wait', \"Fake\"]\nimport asyncio\nwait = asyncio.wait\nclass Fake: pass\nother = 1\n",
            ),
            ("tests/unit/test_x.py", ""),
        ]);
        let test = dir.path().join("tests/unit/test_x.py");
        let found = in_file(&test, "from tests.helpers import *\n");
        assert_eq!(
            found,
            vec![(
                "tests.helpers".to_owned(),
                vec![("wait".to_owned(), None), ("Fake".to_owned(), None)]
            )]
        );
    }

    #[test]
    fn unknown_names_leave_the_star_import_unresolved() {
        let dir = project(&[
            ("pkg/starred.py", "from os import *\n"),
            (
                "pkg/dynamic.py",
                "__all__ = ['a']\n__all__ += ['b']\na = b = 1\n",
            ),
            ("pkg/computed.py", "__all__ = [n for n in dir()]\n"),
            (
                "pkg/rebinds.py",
                "def setup():\n    global client\n    client = 1\n",
            ),
            ("pkg/user.py", ""),
        ]);
        let user = dir.path().join("pkg/user.py");
        for module in ["starred", "dynamic", "computed", "rebinds", "missing"] {
            let text = format!("from .{module} import *\n");
            assert!(in_file(&user, &text).is_empty(), "{module}");
        }
    }
}
