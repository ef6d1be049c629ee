//! asyncio functions a project replaces at run time (a test's `monkeypatch.setattr(asyncio,
//! "sleep", fake)`, `mock.patch("asyncio.wait_for")`, `setattr(asyncio, ...)`). A rewrite that
//! takes a call of such a function out of the code would also take it out of the patch's reach:
//! the test that relied on the patch then runs the real thing (a throttling test waits for real,
//! a mocked timeout never fires). So the project's patches are found before any file is
//! planned, and such rewrites are refused (`apply`), each reported with the patch it would
//! bypass.

use super::awaitable::Code;
use crate::resolve::{Resolver, kind, named_children};
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// One replacement of an asyncio function somewhere in the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// `asyncio.sleep`.
    pub api: String,
    pub path: PathBuf,
    pub line: usize,
}

/// Every patch of the project, in path and line order.
#[derive(Debug, Clone, Default)]
pub struct Patches(Vec<Patch>);

/// No patches (a single text, a test).
pub static NONE: Patches = Patches(Vec::new());

impl Patches {
    pub fn new(mut patches: Vec<Patch>) -> Self {
        patches.sort_by(|a, b| (&a.path, a.line, &a.api).cmp(&(&b.path, b.line, &b.api)));
        patches.dedup();
        Self(patches)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first patch of `api` (`asyncio.sleep`).
    pub fn of(&self, api: &str) -> Option<&Patch> {
        self.0.iter().find(|p| p.api == api)
    }

    /// The last component of every patched api (`sleep`), to look the spellings up.
    pub fn names(&self) -> impl Iterator<Item = (&str, &Patch)> {
        self.0
            .iter()
            .map(|p| (p.api.rsplit('.').next().unwrap_or(&p.api), p))
    }
}

/// A cheap test a text must pass before it is parsed for patches.
pub fn may_patch(text: &str) -> bool {
    text.contains("asyncio") && (text.contains("setattr") || text.contains("patch"))
}

/// The patches in one file's text (`path` as shown in reports).
pub fn in_file(path: &Path, text: &str) -> Vec<Patch> {
    if !may_patch(text) {
        return Vec::new();
    }
    let Ok(mut parser) = crate::source::new_parser() else {
        return Vec::new();
    };
    let Ok(tree) = crate::source::parse(&mut parser, text) else {
        return Vec::new();
    };
    let resolver = Resolver::new(&tree, text);
    let code = Code {
        text,
        tree: &tree,
        resolver: &resolver,
    };
    let mut out = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if kind(n) == "call"
            && let Some(api) = patched_api(code, n)
        {
            out.push(Patch {
                api,
                path: path.to_path_buf(),
                line: n.start_position().row + 1,
            });
        }
        stack.extend(named_children(n));
    }
    out
}

/// The asyncio function a call replaces: `setattr(asyncio, "X", v)` or `obj.setattr(asyncio,
/// "X", v)` (pytest's monkeypatch under any name), `obj.setattr("asyncio.X", v)`,
/// `patch("asyncio.X")` / `mocker.patch("asyncio.X")` (also as a decorator), and
/// `patch.object(asyncio, "X")`. Submodule paths (`asyncio.tasks.sleep`) fold to `asyncio.X`.
fn patched_api(code: Code, call: Node) -> Option<String> {
    let callee = call.child_by_field_name("function")?;
    let method = match kind(callee) {
        "identifier" => code.text_of(callee),
        "attribute" => code.text_of(callee.child_by_field_name("attribute")?),
        _ => return None,
    };
    let args: Vec<Node> = named_children(call.child_by_field_name("arguments")?)
        .filter(|a| !matches!(kind(*a), "comment" | "keyword_argument"))
        .collect();
    let is_asyncio = |n: Node| {
        code.resolver
            .qualified(n)
            .is_some_and(|q| q == "asyncio" || q.starts_with("asyncio."))
    };
    let by_object = || match args[..] {
        [object, name, ..] if is_asyncio(object) => literal(code, name),
        _ => None,
    };
    let by_path = || {
        let path = literal(code, *args.first()?)?;
        let rest = path.strip_prefix("asyncio.")?;
        Some(rest.rsplit('.').next()?.to_owned())
    };
    let name = match method {
        "setattr" => by_object().or_else(|| (args.len() >= 2).then(by_path).flatten()),
        "patch" => by_path(),
        "object" if kind(callee) == "attribute" => {
            let owner = callee.child_by_field_name("object")?;
            let patch = match kind(owner) {
                "identifier" => code.text_of(owner) == "patch",
                "attribute" => owner
                    .child_by_field_name("attribute")
                    .is_some_and(|a| code.text_of(a) == "patch"),
                _ => false,
            };
            if !patch {
                return None;
            }
            by_object()
        }
        _ => None,
    }?;
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| format!("asyncio.{name}"))
}

/// The value of a plain string literal.
fn literal(code: Code, node: Node) -> Option<String> {
    if kind(node) != "string" || named_children(node).any(|c| kind(c) == "interpolation") {
        return None;
    }
    let text = code.text_of(node);
    let body = text.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    Some(body.trim_matches(|c| c == '"' || c == '\'').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apis(src: &str) -> Vec<String> {
        in_file(Path::new("t.py"), src)
            .into_iter()
            .map(|p| p.api)
            .collect::<Vec<_>>()
    }

    #[test]
    fn the_spellings_of_a_patch() {
        let table: &[(&str, &[&str])] = &[
            (
                "import asyncio\ndef f(monkeypatch):\n    with monkeypatch.context() as m:\n        m.setattr(asyncio, \"sleep\", fake)\n",
                &["asyncio.sleep"],
            ),
            (
                "import asyncio\ndef f(monkeypatch):\n    monkeypatch.setattr(\"asyncio.wait_for\", fake)\n",
                &["asyncio.wait_for"],
            ),
            (
                "import asyncio\nsetattr(asyncio, 'sleep', fake)\n",
                &["asyncio.sleep"],
            ),
            (
                "import asyncio as aio\nfrom unittest import mock\n@mock.patch(\"asyncio.tasks.sleep\")\ndef t(m): pass\n",
                &["asyncio.sleep"],
            ),
            (
                "import asyncio\nfrom unittest.mock import patch\nwith patch.object(asyncio, \"shield\"):\n    pass\n",
                &["asyncio.shield"],
            ),
            (
                "def t(mocker):\n    mocker.patch('asyncio.gather')\n",
                &["asyncio.gather"],
            ),
            // Not asyncio's, or not a patch.
            (
                "import asyncio\nmonkeypatch.setattr(obj, 'sleep', fake)\n",
                &[],
            ),
            ("import asyncio\npatch('aiohttp.sleep')\n", &[]),
            (
                "import asyncio\nsetattr(asyncio.get_event_loop(), 'x', 1)\n",
                &[],
            ),
            ("import asyncio\nd.setattr('asyncio')\n", &[]),
        ];
        for (src, want) in table {
            assert_eq!(apis(src), *want, "{src}");
        }
    }
}
