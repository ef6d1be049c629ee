//! asyncio functions (and the blocking functions of `time`, `subprocess` and `os` that the
//! codemods take out of coroutines) a project replaces at run time (a test's
//! `monkeypatch.setattr(asyncio, "sleep", fake)`, `mock.patch("asyncio.wait_for")`,
//! `mock.patch("subprocess.run")`, `setattr(asyncio, ...)`, or by hand: `asyncio.sleep = fake`
//! in a test helper). A rewrite that takes a call of such a function out of the code would
//! also take it out of the patch's reach:
//! the test that relied on the patch then runs the real thing (a throttling test waits for real,
//! a mocked timeout never fires). So the project's patches are found before any file is
//! planned, and such rewrites are refused (`apply`), each reported with the patch it would
//! bypass.

use super::awaitable::Code;
use crate::resolve::{Resolver, kind, named_children};
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// One replacement of a module's attribute somewhere in the project: an asyncio function, or
/// a name of a project module (`patch("pkg.mod.sleep")` where `pkg/mod.py` did `from asyncio
/// import sleep`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    /// The dotted path patched: `asyncio.sleep`, `pkg.mod.sleep`.
    pub api: String,
    pub path: PathBuf,
    pub line: usize,
    /// The patch has a form this run twins (`twin_site`): its replacement can be put on the
    /// function's anyio counterpart as well.
    pub twin: bool,
    /// In a file outside the run (`discover::context_files`): the run writes no twin there.
    pub outside: bool,
}

/// The modules whose functions the codemods take out of the code: asyncio's, and the blocking
/// calls blocking-sleep and blocking-io turn into anyio's (`time.sleep`, `subprocess.run`,
/// `os.system`). A patch of one of their functions reaches every call of it, whatever module
/// makes the call (`pkg.mod.subprocess.run` is `subprocess.run`).
pub const TAKEN_OUT: &[&str] = &["asyncio", "subprocess", "time", "os"];

/// `api` is a function of a module in [`TAKEN_OUT`].
fn taken_out(api: &str) -> bool {
    api.split_once('.')
        .is_some_and(|(module, _)| TAKEN_OUT.contains(&module))
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

    /// The anyio function that `api`'s patches are twinned on (`anyio.sleep` for
    /// `asyncio.sleep`), when every patch of `api` in the project has a form `twin_site` knows:
    /// then each gets its twin, and a migrated call through the twin stays in the patch's
    /// reach. `None` when one patch has another form (by hand, a pytest-mock call on another
    /// name) or is in a file outside the run: then nothing of `api` is taken out of the code.
    pub fn twinned(&self, api: &str) -> Option<&'static str> {
        let (_, twin) = TWINS.iter().find(|(a, _)| *a == api)?;
        let mut patches = self.0.iter().filter(|p| p.api == api).peekable();
        patches.peek()?;
        patches.all(|p| p.twin && !p.outside).then_some(*twin)
    }

    /// The first patch of `api` (`asyncio.sleep`).
    pub fn of(&self, api: &str) -> Option<&Patch> {
        self.0.iter().find(|p| p.api == api)
    }

    /// The last component of every patched function of a module in [`TAKEN_OUT`] (`sleep`),
    /// to look the spellings up.
    pub fn taken_out_names(&self) -> impl Iterator<Item = (&str, &Patch)> {
        self.0
            .iter()
            .filter(|p| taken_out(&p.api))
            .map(|p| (last(&p.api), p))
    }

    /// The members patched on an object kept on an attribute (`patch.object(x.guard,
    /// "wait_for")`): (the attribute's name, the patch).
    pub fn member_patches(&self) -> impl Iterator<Item = (&str, &Patch)> {
        self.0.iter().filter_map(|p| {
            let (attr, _) = p.api.strip_prefix('.')?.split_once('.')?;
            Some((attr, p))
        })
    }

    /// The names patched in the module at `path` (its dotted name ends the file's path:
    /// `pkg.mod` for `src/pkg/mod.py` or `pkg/mod/__init__.py`).
    pub fn module_names<'s>(&'s self, path: &Path) -> Vec<(&'s str, &'s Patch)> {
        let parts = module_parts(path);
        self.0
            .iter()
            .filter(|p| !taken_out(&p.api))
            .filter(|p| {
                p.api
                    .rsplit_once('.')
                    .is_some_and(|(module, _)| names_module(&parts, module))
            })
            .map(|p| (last(&p.api), p))
            .collect()
    }
}

/// The parts of a Python file's path as a module's dotted name would end them: `src/pkg/mod.py`
/// → `src`, `pkg`, `mod`; a package's `pkg/__init__.py` → `pkg`.
pub fn module_parts(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path
        .with_extension("")
        .components()
        .filter_map(|c| c.as_os_str().to_str().map(str::to_owned))
        .collect();
    if parts.last().is_some_and(|p| p == "__init__") {
        parts.pop();
    }
    parts
}

/// The dotted module name `dotted` (`pkg.mod`, or its last parts `mod`) ends `parts`
/// (`module_parts` of a file): that file may be the module.
pub fn names_module(parts: &[String], dotted: &str) -> bool {
    let wanted: Vec<&str> = dotted.split('.').collect();
    parts.len() >= wanted.len()
        && parts[parts.len() - wanted.len()..]
            .iter()
            .zip(&wanted)
            .all(|(a, b)| a == b)
}

fn last(api: &str) -> &str {
    api.rsplit('.').next().unwrap_or(api)
}

/// A line that assigns an attribute of a module in [`TAKEN_OUT`] (`asyncio.sleep = fake`), as
/// a test helper that stubs a function by hand does: the cheap test before the parse. The
/// module's own name is looked for (a module imported under another name is not seen).
fn may_assign_taken_out(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        TAKEN_OUT.iter().any(|m| {
            line.strip_prefix(m)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| {
                    let name = rest
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count();
                    let after = rest[name..].trim_start();
                    name > 0 && after.starts_with('=') && !after.starts_with("==")
                })
        })
    })
}

/// `asyncio.sleep = fake` (a module in [`TAKEN_OUT`] the file imports): a patch by hand.
fn assigned_api(code: Code, assignment: Node) -> Option<String> {
    let left = assignment.child_by_field_name("left")?;
    if kind(left) != "attribute" || assignment.child_by_field_name("right").is_none() {
        return None;
    }
    // The target itself is a binding site, which the resolver does not read as a use: its
    // object is.
    let object = code
        .resolver
        .qualified(left.child_by_field_name("object")?)?;
    let name = code.text_of(left.child_by_field_name("attribute")?);
    let module = object.split('.').next()?;
    TAKEN_OUT
        .contains(&module)
        .then(|| format!("{}.{name}", fold(module, &object)))
}

/// A cheap test a text must pass before it is parsed for patches.
pub fn may_patch(text: &str) -> bool {
    may_call_patch(text) || may_assign_taken_out(text)
}

/// `patch(` / `setattr(` may be called.
fn may_call_patch(text: &str) -> bool {
    // `patch` / `setattr` as a name of their own (`mock.patch(`, `@patch(`, `m.setattr(`), not
    // inside a longer one (`dispatch`).
    ["patch", "setattr"].iter().any(|word| {
        text.match_indices(word).any(|(at, _)| {
            !text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    })
}

/// The patches in one file's text (`path` as shown in reports).
pub fn in_file(path: &Path, text: &str) -> Vec<Patch> {
    let (by_calls, by_assignments) = (may_call_patch(text), may_assign_taken_out(text));
    if !by_calls && !by_assignments {
        return Vec::new();
    }
    let Ok(mut parser) = crate::source::new_parser() else {
        return Vec::new();
    };
    let Ok(tree) = crate::source::parse(&mut parser, text) else {
        return Vec::new();
    };
    // The calls that may patch (by their method's name) and the assignments of an attribute
    // (where a line may assign a module's), in the order of the walk: the resolver is built
    // only for a file that has one.
    let mut calls = Vec::new();
    let mut assignments = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(n) = stack.pop() {
        if by_calls && kind(n) == "call" && may_be_patch_call(text, n) {
            calls.push(n);
        }
        if by_assignments
            && kind(n) == "assignment"
            && n.child_by_field_name("left")
                .is_some_and(|l| kind(l) == "attribute")
        {
            assignments.push(n);
        }
        stack.extend(named_children(n));
    }
    if calls.is_empty() && assignments.is_empty() {
        return Vec::new();
    }
    let resolver = Resolver::new(&tree, text);
    let code = Code {
        text,
        tree: &tree,
        resolver: &resolver,
    };
    let by_call = calls.into_iter().filter_map(|n| {
        let api = patched_api(code, n)?;
        Some((api, n, twin_site(code, n).is_some()))
    });
    let by_assignment = assignments
        .into_iter()
        .filter_map(|n| Some((assigned_api(code, n)?, n, false)));
    by_call
        .chain(by_assignment)
        .map(|(api, n, twin)| Patch {
            api,
            path: path.to_path_buf(),
            line: n.start_position().row + 1,
            twin,
            outside: false,
        })
        .collect()
}

/// Is the method of this call one `patch_target` looks at (`setattr`, `patch`, `object`)?
fn may_be_patch_call(text: &str, call: Node) -> bool {
    let Some(callee) = call.child_by_field_name("function") else {
        return false;
    };
    let method = match kind(callee) {
        "identifier" => Some(callee),
        "attribute" => callee.child_by_field_name("attribute"),
        _ => None,
    };
    method.is_some_and(|m| matches!(&text[m.byte_range()], "setattr" | "patch" | "object"))
}

/// The module attribute a call replaces: `setattr(M, "X", v)` or `obj.setattr(M, "X", v)`
/// (pytest's monkeypatch under any name) for an imported module `M`, `obj.setattr("m.X", v)`,
/// `patch("m.X")` / `mocker.patch("m.X")` (also as a decorator), and `patch.object(M, "X")`.
/// asyncio's submodule paths (`asyncio.tasks.sleep`) fold to `asyncio.X`.
fn patched_api(code: Code, call: Node) -> Option<String> {
    patch_target(code, call).map(|(_, api)| api)
}

/// What a call patches: the string naming it (the path, or the attribute of
/// `setattr(M, "X", ...)` / `patch.object(M, "X")`) and the dotted path (`asyncio.sleep`).
pub fn patch_target<'t>(code: Code, call: Node<'t>) -> Option<(Node<'t>, String)> {
    let callee = call.child_by_field_name("function")?;
    let method = match kind(callee) {
        "identifier" => code.text_of(callee),
        "attribute" => code.text_of(callee.child_by_field_name("attribute")?),
        _ => return None,
    };
    let args: Vec<Node> = named_children(call.child_by_field_name("arguments")?)
        .filter(|a| !matches!(kind(*a), "comment" | "keyword_argument"))
        .collect();
    // A module the file imports (`asyncio`, `pkg.mod`), or a class of one (`asyncio.Event`),
    // as its dotted path.
    let module = |n: Node| {
        let q = code.resolver.qualified(n)?;
        let asyncio = q == "asyncio" || q.starts_with("asyncio.");
        // `pkg.mod.asyncio` (`setattr(mod.asyncio, "sleep", f)`) is asyncio itself, reached
        // through `pkg.mod`'s import, as in `patch("pkg.mod.asyncio.sleep")`.
        let through = q
            .rsplit_once('.')
            .map(|(_, last)| last)
            .filter(|last| TAKEN_OUT.contains(last));
        Some(match through {
            _ if asyncio => fold("asyncio", &q),
            Some(module) => module.to_owned(),
            None => q,
        })
    };
    let by_object = || match args[..] {
        [object, name, ..] => Some((name, module(object)?, literal(code, name)?)),
        _ => None,
    };
    let by_path = || {
        let first = *args.first()?;
        let path = literal(code, first)?;
        let (module, name) = path.rsplit_once('.')?;
        // `pkg.mod.asyncio.sleep` reaches asyncio's own attribute through `pkg.mod`'s import
        // (`pkg.mod.subprocess.run`, `pkg.mod.time.sleep` alike).
        let module = TAKEN_OUT
            .iter()
            .find(|m| module.split('.').any(|part| part == **m))
            .map_or_else(|| module.to_owned(), |m| fold(m, module));
        Some((first, module, name.to_owned()))
    };
    // `patch.object(x.attr, "m")` / `setattr(x.attr, "m", v)`: a member of an object kept on an
    // attribute, recorded as `.attr.m` (`member_patches`).
    let on_attribute = || match args[..] {
        [object, name, ..] if kind(object) == "attribute" && module(object).is_none() => {
            let attr = code.text_of(object.child_by_field_name("attribute")?);
            Some((
                name,
                String::new(),
                format!("{attr}.{}", literal(code, name)?),
            ))
        }
        _ => None,
    };
    let (node, module, name) = match method {
        "setattr" => by_object()
            .or_else(|| (args.len() >= 2).then(by_path).flatten())
            .or_else(on_attribute),
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
            by_object().or_else(on_attribute)
        }
        _ => None,
    }?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if module.is_empty() {
        // `.attr.m`: a member patched on an object kept on an attribute.
        let (attr, member) = name.split_once('.')?;
        return (plain(attr) && plain(member)).then(|| (node, format!(".{name}")));
    }
    (plain(&name) && module.split('.').all(plain)).then(|| (node, format!("{module}.{name}")))
}

/// The patched functions whose replacement a run also puts on their anyio counterpart, which
/// the migrated calls go through with the same arguments (`docs/evidence/sleep_patch_twin.py`).
pub const TWINS: &[(&str, &str)] = &[("asyncio.sleep", "anyio.sleep")];

/// Where and how a patch of a function in [`TWINS`] gets its twin, installed and undone with
/// the patch: the same replacement object, or (a decorator's) a function that calls it.
#[derive(Debug, Clone, Copy)]
pub enum TwinSite<'t> {
    /// `mocker.patch("asyncio.sleep", ...)` / `mocker.patch.object(asyncio, "sleep", ...)`
    /// (pytest-mock, a fixture named `*mocker`, whose `patch` returns the replacement), as a
    /// value: wrapped, `mocker.patch("anyio.sleep", new=<call>)`.
    Mocker { call: Node<'t>, receiver: Node<'t> },
    /// `m.setattr(asyncio, "sleep", v)` / `m.setattr("asyncio.sleep", v)` (pytest's
    /// monkeypatch under any name) as a statement of its own, `v` a name, an attribute or a
    /// lambda (evaluated again without effects): followed by `m.setattr("anyio.sleep", v)`.
    Setattr {
        statement: Node<'t>,
        receiver: Node<'t>,
        value: Node<'t>,
    },
    /// `with patch("asyncio.sleep", ...) as s:` (unittest.mock's `patch` / `patch.object`, a
    /// context manager): the item is followed by `patch("anyio.sleep", s)`; an item with no
    /// name gets one.
    WithItem {
        item: Node<'t>,
        call: Node<'t>,
        patch: Node<'t>,
        alias: Option<Node<'t>>,
    },
    /// `@patch("asyncio.sleep")` (unittest.mock's, a decorator of a test function or class):
    /// followed by `@patch("anyio.sleep", new=_asyncio_sleep_now)`, which calls whatever
    /// `asyncio.sleep` is when it is called (the test's mock while the test runs).
    Decorator {
        decorator: Node<'t>,
        patch: Node<'t>,
    },
}

/// The twin of a patch `call` of a function in [`TWINS`], with the twin's dotted name and
/// whether the twin is already there (a run before this one wrote it).
pub fn twin_site<'t>(code: Code<'t>, call: Node<'t>) -> Option<(TwinSite<'t>, &'static str, bool)> {
    let (_, api) = patch_target(code, call)?;
    let (_, twin) = TWINS.iter().find(|(a, _)| *a == api)?;
    let callee = call.child_by_field_name("function")?;
    let parent = code.resolver.parent(call)?;
    let args = call.child_by_field_name("arguments")?;
    let keywords = || named_children(args).filter(|a| kind(*a) == "keyword_argument");
    let keyword_name = |k: Node| {
        k.child_by_field_name("name")
            .map_or("", |n| code.text_of(n))
    };
    let string_is = |n: Node, value: &str| literal(code, n).is_some_and(|l| l == value);
    if kind(callee) != "attribute" {
        // A bare `patch(...)` (unittest.mock's) in a `with` item.
        return with_item(code, call, callee, parent, twin);
    }
    let method = code.text_of(callee.child_by_field_name("attribute")?);
    let object = callee.child_by_field_name("object")?;
    let mocker = |receiver: Node| {
        kind(receiver) == "identifier"
            && code.text_of(receiver).ends_with("mocker")
            && code.resolver.qualified(receiver).is_none()
    };
    let receiver = match method {
        "patch" => Some(object),
        "object" if kind(object) == "attribute" => object
            .child_by_field_name("attribute")
            .filter(|a| code.text_of(*a) == "patch")
            .and_then(|_| object.child_by_field_name("object")),
        _ => None,
    };
    if let Some(receiver) = receiver.filter(|r| mocker(*r)) {
        if kind(parent) == "decorator" {
            return None;
        }
        // The twin wraps the call: `mocker.patch("anyio.sleep", new=<call>)`.
        let done = kind(parent) == "keyword_argument"
            && keyword_name(parent) == "new"
            && code
                .resolver
                .parent(parent)
                .and_then(|list| code.resolver.parent(list))
                .is_some_and(|outer| {
                    outer
                        .child_by_field_name("arguments")
                        .and_then(|a| named_children(a).next())
                        .is_some_and(|first| string_is(first, twin))
                });
        return Some((TwinSite::Mocker { call, receiver }, twin, done));
    }
    if method == "setattr" {
        if kind(parent) != "expression_statement" || named_children(parent).count() != 1 {
            return None;
        }
        if keywords().any(|k| keyword_name(k) != "raising")
            || !crate::source::on_own_line(code.text, parent)
        {
            return None;
        }
        let positional: Vec<Node> = named_children(args)
            .filter(|a| !matches!(kind(*a), "comment" | "keyword_argument"))
            .collect();
        let value = match positional[..] {
            [path, value] if literal(code, path).is_some() => value,
            [_, _, value] => value,
            _ => return None,
        };
        if !matches!(kind(value), "identifier" | "attribute" | "lambda") {
            return None;
        }
        let site = TwinSite::Setattr {
            statement: parent,
            receiver: object,
            value,
        };
        let wanted = twin_text(code, site, twin, None);
        let mut next = parent.next_named_sibling();
        while next.is_some_and(|n| kind(n) == "comment") {
            next = next.and_then(|n| n.next_named_sibling());
        }
        let done = next.is_some_and(|next| squeeze(code.text_of(next)) == squeeze(&wanted));
        return Some((site, twin, done));
    }
    with_item(code, call, callee, parent, twin)
}

/// `with patch("asyncio.sleep", ...) [as s]` with unittest.mock's `patch` (or `patch.object`).
fn with_item<'t>(
    code: Code<'t>,
    call: Node<'t>,
    callee: Node<'t>,
    parent: Node<'t>,
    twin: &'static str,
) -> Option<(TwinSite<'t>, &'static str, bool)> {
    let qualified = code.resolver.qualified(callee)?;
    let patch = match qualified.as_str() {
        "unittest.mock.patch" | "mock.patch" => callee,
        "unittest.mock.patch.object" | "mock.patch.object" => {
            callee.child_by_field_name("object")?
        }
        _ => return None,
    };
    if kind(parent) == "decorator" {
        return decorator(code, parent, patch, twin);
    }
    let (item, alias) = match kind(parent) {
        "with_item" => (parent, None),
        "as_pattern" => {
            let target = parent.child_by_field_name("alias")?;
            let name = named_children(target).next()?;
            if kind(name) != "identifier" {
                return None;
            }
            let item = code.resolver.parent(parent)?;
            (kind(item) == "with_item").then_some((item, Some(name)))?
        }
        _ => return None,
    };
    let done = alias.is_some_and(|alias| {
        item.next_named_sibling().is_some_and(|next| {
            let Some(value) = next.child_by_field_name("value") else {
                return false;
            };
            let Some(args) = (kind(value) == "call")
                .then(|| value.child_by_field_name("arguments"))
                .flatten()
            else {
                return false;
            };
            let args: Vec<Node> = named_children(args).collect();
            matches!(args[..], [first, second]
                if literal(code, first).is_some_and(|l| l == twin)
                    && code.text_of(second) == code.text_of(alias))
        })
    });
    Some((
        TwinSite::WithItem {
            item,
            call,
            patch,
            alias,
        },
        twin,
        done,
    ))
}

/// The name of the module helper a decorator's twin installs (`TwinSite::Decorator`).
pub const SLEEP_NOW: &str = "_asyncio_sleep_now";

/// `@patch("asyncio.sleep")` on a test (a function or a class): the mock the patch makes is
/// handed to the test as an argument, so nothing can name it beforehand; the twin decorator
/// puts on `anyio.sleep` a function that calls whatever `asyncio.sleep` is at the time (the
/// mock, while the test runs), and adds no argument (`new=` given). Not when the file binds the
/// helper's name to something else (it does not define it yet, or defines it as the twin does).
fn decorator<'t>(
    code: Code<'t>,
    decorator: Node<'t>,
    patch: Node<'t>,
    twin: &'static str,
) -> Option<(TwinSite<'t>, &'static str, bool)> {
    let site = TwinSite::Decorator { decorator, patch };
    let wanted = squeeze(&twin_text(code, site, twin, None));
    let done = [
        decorator.prev_named_sibling(),
        decorator.next_named_sibling(),
    ]
    .into_iter()
    .flatten()
    .any(|d| kind(d) == "decorator" && squeeze(code.text_of(d)) == wanted);
    let defines_helper = named_children(code.tree.root_node()).any(|d| {
        kind(d) == "function_definition"
            && d.child_by_field_name("name")
                .is_some_and(|n| code.text_of(n) == SLEEP_NOW)
    });
    if !done && code.text.contains(SLEEP_NOW) && !defines_helper {
        return None;
    }
    Some((site, twin, done))
}

/// The twin's own code: the statement after a `setattr` (`m.setattr("anyio.sleep", v)`), the
/// call wrapping a pytest-mock patch (its text before and after `call`), or the `with` item
/// after a `patch(...)` one (`alias`: the item's name, given or new).
pub fn twin_text(code: Code, site: TwinSite, twin: &str, alias: Option<&str>) -> String {
    match site {
        TwinSite::Mocker { receiver, .. } => {
            format!("{}.patch(\"{twin}\", new=", code.text_of(receiver))
        }
        TwinSite::Setattr {
            statement,
            receiver,
            value,
        } => {
            let raising = statement
                .named_child(0)
                .and_then(|call| call.child_by_field_name("arguments"))
                .into_iter()
                .flat_map(named_children)
                .filter(|a| kind(*a) == "keyword_argument")
                .map(|k| [", ", code.text_of(k)].concat())
                .collect::<String>();
            format!(
                "{}.setattr(\"{twin}\", {}{raising})",
                code.text_of(receiver),
                code.text_of(value)
            )
        }
        TwinSite::Decorator { patch, .. } => {
            format!("@{}(\"{twin}\", new={SLEEP_NOW})", code.text_of(patch))
        }
        TwinSite::WithItem { patch, .. } => {
            format!(
                "{}(\"{twin}\", {})",
                code.text_of(patch),
                alias.unwrap_or_default()
            )
        }
    }
}

/// `text` without whitespace and with one quote character, to compare two spellings of one
/// statement (a formatter may have rewritten the twin).
fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect()
}

/// `path` (`pkg.mod.asyncio.tasks`, `asyncio.locks.Event`) folded to the module `taken` it goes
/// through: its submodules dropped (`asyncio.tasks.sleep` is `asyncio.sleep`), a class kept (a
/// capitalised name: `asyncio.locks.Event.wait` patches `asyncio.Event`'s method, not the
/// function `asyncio.wait`).
fn fold(taken: &str, path: &str) -> String {
    let mut parts = path.split('.').skip_while(|p| *p != taken).skip(1);
    let classes: Vec<&str> = parts
        .by_ref()
        .filter(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
        .collect();
    std::iter::once(taken)
        .chain(classes)
        .collect::<Vec<_>>()
        .join(".")
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
    fn only_a_name_of_its_own_lets_a_text_through() {
        assert!(may_patch("from unittest.mock import patch\n"));
        assert!(may_patch("    m.setattr(asyncio, 'sleep', f)\n"));
        assert!(may_patch("setattr(asyncio, 'sleep', f)\n"));
        assert!(!may_patch("self.dispatch(event)\nmy_setattr = 1\n"));
    }

    #[test]
    fn module_patches_match_the_files_of_their_module() {
        let patches = Patches::new(
            ["pkg.mod.sleep", "asyncio.sleep", "dummy.sleep"]
                .iter()
                .map(|api| Patch {
                    api: (*api).to_owned(),
                    path: PathBuf::from("t.py"),
                    line: 1,
                    twin: false,
                    outside: false,
                })
                .collect(),
        );
        let names = |p: &str| -> Vec<String> {
            patches
                .module_names(Path::new(p))
                .into_iter()
                .map(|(_, p)| p.api.clone())
                .collect()
        };
        assert_eq!(names("src/pkg/mod.py"), ["pkg.mod.sleep"]);
        assert_eq!(names("pkg/mod/__init__.py"), ["pkg.mod.sleep"]);
        assert_eq!(names("tests/dummy.py"), ["dummy.sleep"]);
        assert!(names("pkg/other.py").is_empty());
        assert!(names("mod.py").is_empty());
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
            // A stub by hand, as a test helper does (`asyncio.sleep = fn or _fake_sleep`);
            // reading the attribute or comparing it is no patch.
            (
                "import asyncio\ndef stub_sleep(fn=None):\n    asyncio.sleep = fn or _fake_sleep\n    if asyncio.sleep == _fake_sleep:\n        pass\n",
                &["asyncio.sleep"],
            ),
            (
                "import time\ntime.sleep = fake\nx.sleep = 1\n",
                &["time.sleep"],
            ),
            (
                "patch('pkg.client.asyncio.wait_for')\n",
                &["asyncio.wait_for"],
            ),
            (
                "import pkg.server as srv\ndef t(monkeypatch):\n    monkeypatch.setattr(srv.asyncio, 'sleep', f)\n",
                &["asyncio.sleep"],
            ),
            // A method of an asyncio class is that class's, not a function of the module.
            (
                "def t(mocker):\n    mocker.patch('asyncio.Event.wait')\n    mocker.patch('asyncio.locks.Lock.acquire')\n",
                // (in the order of the walk)
                &["asyncio.Lock.acquire", "asyncio.Event.wait"],
            ),
            (
                "import asyncio\nfrom unittest.mock import patch\nwith patch.object(asyncio.Event, 'wait'):\n    pass\n",
                &["asyncio.Event.wait"],
            ),
            // A member of an object kept on an attribute: `.attr.member`.
            (
                "def t(mocker, vault, monkeypatch):\n    mocker.patch.object(vault._guard, 'wait_for')\n",
                &["._guard.wait_for"],
            ),
            (
                "def t(monkeypatch, pool):\n    monkeypatch.setattr(pool.lock, 'locked', lambda: True)\n",
                &[".lock.locked"],
            ),
            // The blocking functions blocking-sleep and blocking-io take out, through a
            // project module's import of their module too.
            (
                "from unittest import mock\n@mock.patch('pkg.tool.subprocess.run')\ndef t(m): pass\n",
                &["subprocess.run"],
            ),
            (
                "import subprocess\nfrom unittest.mock import patch\nwith patch.object(subprocess, 'check_output'):\n    pass\n",
                &["subprocess.check_output"],
            ),
            (
                "def t(monkeypatch):\n    monkeypatch.setattr('time.sleep', lambda s: None)\n",
                &["time.sleep"],
            ),
            // A project module's attribute (a name it imported from asyncio, say).
            (
                "import asyncio\npatch('dummy_math.sleep', m)\n",
                &["dummy_math.sleep"],
            ),
            (
                "import asyncio\nimport pkg.mod as m\nmonkeypatch.setattr(m, 'sleep', f)\n",
                &["pkg.mod.sleep"],
            ),
            // Not a module's, or not a patch.
            (
                "import asyncio\nmonkeypatch.setattr(obj, 'sleep', fake)\n",
                &[],
            ),
            (
                "import asyncio\npatch('aiohttp.sleep')\n",
                &["aiohttp.sleep"],
            ),
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

    /// Which patches of `asyncio.sleep` get a twin, and which already have one: `(twinnable,
    /// done)` per patch of the text, in order.
    fn twins(src: &str) -> Vec<(bool, bool)> {
        crate::codemods::Ctx::with(src, |ctx| {
            let code = ctx.code();
            let mut calls: Vec<Node> = crate::analysis::syntax::descendants(ctx.tree.root_node())
                .into_iter()
                .filter(|n| {
                    kind(*n) == "call" && patched_api(code, *n).as_deref() == Some("asyncio.sleep")
                })
                .collect();
            calls.sort_by_key(Node::start_byte);
            calls
                .into_iter()
                .map(|c| twin_site(code, c).map_or((false, false), |(_, _, done)| (true, done)))
                .collect()
        })
        .unwrap()
    }

    #[test]
    fn the_forms_a_sleep_patch_is_twinned_in() {
        let table: &[(&str, &[(bool, bool)])] = &[
            // pytest-mock's patch returns the replacement; unittest's `mock.patch` does not.
            (
                "def f(mocker):\n    return mocker.patch('asyncio.sleep')\n",
                &[(true, false)],
            ),
            (
                "import asyncio\ndef f(module_mocker):\n    module_mocker.patch.object(asyncio, 'sleep', new=g)\n",
                &[(true, false)],
            ),
            (
                "def f(mocker):\n    return mocker.patch('anyio.sleep', new=mocker.patch('asyncio.sleep'))\n",
                &[(true, true)],
            ),
            (
                "from unittest import mock\nmock.patch('asyncio.sleep').start()\n",
                &[(false, false)],
            ),
            // A decorator's mock exists only while the test runs: its twin calls whatever
            // asyncio.sleep is then.
            (
                "from unittest import mock\n@mock.patch('asyncio.sleep')\ndef t(s): pass\n",
                &[(true, false)],
            ),
            (
                "from unittest import mock\n@mock.patch('asyncio.sleep')\n@mock.patch('anyio.sleep', new=_asyncio_sleep_now)\ndef t(s): pass\n",
                &[(true, true)],
            ),
            (
                "from unittest import mock\n_asyncio_sleep_now = 1\n@mock.patch('asyncio.sleep')\ndef t(s): pass\n",
                &[(false, false)],
            ),
            (
                "def f(m):\n    m.patch('asyncio.sleep')\n",
                &[(false, false)],
            ),
            // monkeypatch's setattr, a statement of its own line with a value evaluated again
            // without effects.
            (
                "import asyncio\ndef f(mp):\n    mp.setattr(asyncio, 'sleep', fake)  # fast\n",
                &[(true, false)],
            ),
            (
                "import asyncio\ndef f(mp):\n    mp.setattr(asyncio, 'sleep', fake)  # fast\n    # twin\n    mp.setattr('anyio.sleep', fake)\n",
                &[(true, true)],
            ),
            (
                "def f(mp):\n    mp.setattr('asyncio.sleep', lambda d: None, raising=False)\n",
                &[(true, false)],
            ),
            (
                "import asyncio\ndef f(mp):\n    mp.setattr(asyncio, 'sleep', make())\n",
                &[(false, false)],
            ),
            (
                "import asyncio\ndef f(mp):\n    x = 1; mp.setattr(asyncio, 'sleep', g)\n",
                &[(false, false)],
            ),
            (
                "import asyncio\nsetattr(asyncio, 'sleep', g)\n",
                &[(false, false)],
            ),
            // unittest.mock's patch in a `with` item, named or not.
            (
                "from unittest.mock import patch\nwith patch('asyncio.sleep') as s, open(p):\n    pass\n",
                &[(true, false)],
            ),
            (
                "from unittest.mock import patch\nwith patch('asyncio.sleep') as s, patch('anyio.sleep', s):\n    pass\n",
                &[(true, true)],
            ),
            (
                "import asyncio\nfrom unittest import mock\nwith mock.patch.object(asyncio, 'sleep', f):\n    pass\n",
                &[(true, false)],
            ),
            (
                "from unittest.mock import patch\nwith patch('asyncio.sleep') as (a, b):\n    pass\n",
                &[(false, false)],
            ),
        ];
        for (src, want) in table {
            assert_eq!(twins(src), *want, "{src}");
        }
    }

    #[test]
    fn a_patch_is_twinned_only_when_every_patch_of_its_function_is() {
        let patch = |api: &str, twin| Patch {
            api: api.to_owned(),
            path: PathBuf::from("t.py"),
            line: 1,
            twin,
            outside: false,
        };
        let all = Patches::new(vec![
            patch("asyncio.sleep", true),
            patch("asyncio.wait_for", false),
        ]);
        assert_eq!(all.twinned("asyncio.sleep"), Some("anyio.sleep"));
        assert_eq!(all.twinned("asyncio.wait_for"), None);
        let one_by_hand = Patches::new(vec![
            patch("asyncio.sleep", true),
            patch("asyncio.sleep", false),
        ]);
        assert_eq!(one_by_hand.twinned("asyncio.sleep"), None);
        assert_eq!(Patches::default().twinned("asyncio.sleep"), None);
        // A patch in a file the run does not write gets no twin, so none does.
        let outside = Patches::new(vec![
            patch("asyncio.sleep", true),
            Patch {
                outside: true,
                ..patch("asyncio.sleep", true)
            },
        ]);
        assert_eq!(outside.twinned("asyncio.sleep"), None);
    }
}
