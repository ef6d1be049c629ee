//! Handlers in callers: whether the failure of a function can reach an `except` written in
//! the code that calls it, anywhere in the run's files. A rewrite that changes how a function
//! fails (a gather that now raises an `ExceptionGroup` where asyncio raised the first failure
//! bare) is sound only where no handler was written for the old shape; the spec's rule for
//! gather is "inside `try/except` in the same function, or in callers, when the codemod can
//! see them". This module is what the codemods see of the callers.
//!
//! Calls are matched by name (the callee's last dotted part: `fetch(`, `self.fetch(`,
//! `client.fetch(` all call a module's function `fetch`; a method is called only as
//! `x.fetch(`; a function defined in another function only as `fetch(`, inside the function
//! that defines it, so two tests' local `work` are two functions),
//! which over-approximates the callers: a false caller makes asyncio-gather choose the form
//! that keeps the failure's shape, or asyncio-create-task (a task awaited) and asyncio-wait (an
//! `as_completed` loop) leave the code on asyncio. A call's
//! failure goes on to the callers of the function it is written in, transitively, until a call
//! sits where an exception it raises can be caught (as `exceptions::under_except` says: a `try`
//! with an `except`, a `with pytest.raises(...)` / `suppress(...)` / `assertRaises(...)`). A
//! function called where no name shows the caller (a dunder such as `__aenter__`, a call
//! inside a `lambda`) may be caught (`Witness::Implicit`), and so may one handed to other code
//! as an argument (`group.do(key, work)`, `tasks.append(f)`, `callback=self.on_done`): the
//! code that calls it through that value is not followed. Not seen: a function kept as a value
//! otherwise (`handlers = [f]`), and callers outside the run's files. A call
//! of a function of Python's standard library (`asyncio.run(main())`) is not taken for a call
//! of the project's function of that name.
//!
//! Before any file is planned, every file is scanned for the names it calls and defines (a
//! byte scan, no parse). A function's callers are followed the first time a codemod asks about
//! it; only the files that may call a followed name are parsed, each at most once, with one walk
//! that carries the function and the handlers down (no name resolution).

use super::Code;
use super::exceptions::catches_its_body;
use super::syntax::{field_is, import_parts, last_name};
use crate::resolve::stdlib::is_stdlib_module;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tree_sitter::Node;

/// What a scan of one file's bytes found, before any parse.
#[derive(Debug, Default)]
pub struct Summary {
    /// The identifiers followed by `(` (comments and strings included: an over-approximation),
    /// and those that stand alone as an argument (`f(x, name)`, `f(k=name)`): those after a
    /// `.` (`x.name(`) and the others (`name(`).
    dotted: Names,
    bare: Names,
    /// The names after `def ` (a function defined in another function is called only in the
    /// file that defines it).
    defined: Names,
}

/// A set of names kept as their 64-bit hashes, sorted: a few bytes a name for every file of a
/// large tree. Two names with one hash only make a file parsed for nothing.
#[derive(Debug, Default)]
struct Names(Vec<u64>);

impl Names {
    fn contains(&self, name: &str) -> bool {
        self.0.binary_search(&hash(name.as_bytes())).is_ok()
    }

    fn seal(&mut self) {
        self.0.sort_unstable();
        self.0.dedup();
        self.0.shrink_to_fit();
    }
}

/// FNV-1a.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Summary {
    /// The file may call `function`, as its kind is called.
    fn may_call(&self, function: &Function) -> bool {
        let name = function.name.as_str();
        match function.kind {
            Kind::Function => self.bare.contains(name) || self.dotted.contains(name),
            Kind::Method => self.dotted.contains(name),
            Kind::Local => self.bare.contains(name) && self.defined.contains(name),
        }
    }
}

/// The names called in `text` (every identifier followed, after spaces, by `(`) and defined.
pub fn summarize(text: &str) -> Summary {
    let bytes = text.as_bytes();
    let mut summary = Summary::default();
    let mut i = 0;
    while i < bytes.len() {
        if !is_ident_byte(bytes[i]) || bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_ident_byte(bytes[i]) {
            i += 1;
        }
        let mut j = i;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        let before = bytes[..start]
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\\'));
        if bytes.get(j) != Some(&b'(') {
            if &bytes[start..i] == b"def"
                && let Some(name) = identifier_at(text, j)
            {
                summary.defined.0.push(hash(name.as_bytes()));
            }
            if !is_argument_value(bytes, start, j) {
                continue;
            }
        }
        let set = if before == Some(&b'.') {
            &mut summary.dotted
        } else {
            &mut summary.bare
        };
        set.0.push(hash(&bytes[start..i]));
    }
    summary.dotted.seal();
    summary.bare.seal();
    summary.defined.seal();
    summary
}

/// The identifier at `start..` (the next byte past it and its spaces at `next`) may be a whole
/// argument: the name or a dotted name's last part, after `(`, `,` or `=` (through the dots
/// of `self.on_done`) and before `)` or `,`. Over-approximates (a default `f(x=name)` in a
/// `def` counts).
fn is_argument_value(bytes: &[u8], start: usize, next: usize) -> bool {
    if !matches!(bytes.get(next), Some(b')' | b',')) {
        return false;
    }
    let mut k = start;
    while k > 0 && (is_ident_byte(bytes[k - 1]) || bytes[k - 1] == b'.') {
        k -= 1;
    }
    bytes[..k]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace() && **b != b'\\')
        .is_some_and(|b| matches!(b, b'(' | b',' | b'='))
}

/// The identifier that starts at byte `at`, if one does.
fn identifier_at(text: &str, at: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    if !bytes
        .get(at)
        .is_some_and(|b| is_ident_byte(*b) && !b.is_ascii_digit())
    {
        return None;
    }
    let end = (at..bytes.len())
        .find(|&k| !is_ident_byte(bytes[k]))
        .unwrap_or(bytes.len());
    text.get(at..end)
}

/// A byte of an identifier: ASCII letters, digits, `_`, and any byte of a non-ASCII character.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Where a caller catches: the file and 1-based line of the call under its handler, or the
/// reason no caller can be named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Witness {
    /// The call at `path:line` sits under a handler (`try`/`except`, `pytest.raises`, ...).
    Handler { path: PathBuf, line: usize },
    /// The function is called where no name shows the caller (a dunder, a lambda): a handler
    /// there is possible, not seen. A rewrite with a form that keeps the failure's shape takes
    /// it (asyncio-gather's `_gather`); one that would have to refuse does not.
    Implicit(String),
    /// The function is handed to other code as an argument at `path:line` (`group.do(key,
    /// work)`), which calls it where a handler may catch its failure: a test's
    /// `pytest.raises(E)` around the call it was handed to is the common case. Unlike
    /// `Implicit`, a rewrite that would have to refuse does.
    Handed { path: PathBuf, line: usize },
}

impl Witness {
    /// How a note names it.
    pub fn describe(&self) -> String {
        match self {
            Witness::Handler { path, line } => {
                format!("a caller handles its failure at {}", place(path, *line))
            }
            Witness::Implicit(why) => why.clone(),
            Witness::Handed { path, line } => format!(
                "it is handed to other code as an argument at {}, which may await it under a handler",
                place(path, *line)
            ),
        }
    }
}

/// `path:line`, or `line N` in the file itself (no path).
fn place(path: &Path, line: usize) -> String {
    if path.as_os_str().is_empty() {
        format!("line {line}")
    } else {
        format!("{}:{line}", path.display())
    }
}

/// The run's files as far as their callers matter, and what was found of them so far: a
/// function's callers are followed the first time a codemod asks about it (from any of the
/// run's threads), and each file is parsed at most once.
pub struct Catching {
    files: Vec<PathBuf>,
    summaries: Vec<Summary>,
    read: Reader,
    parsed: Mutex<HashMap<usize, Arc<Vec<Call>>>>,
    answers: Mutex<HashMap<Function, Option<Witness>>>,
}

/// How `Catching` reads a file's decoded text again.
pub type Reader = Box<dyn Fn(&Path) -> Option<String> + Send + Sync>;

impl std::fmt::Debug for Catching {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Catching({} files)", self.files.len())
    }
}

/// A function as its callers name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Function {
    pub name: String,
    pub kind: Kind,
    /// The file of a `Kind::Local` function, the only one that can call it (`None`: any).
    pub file: Option<PathBuf>,
    /// The byte range of the function a `Kind::Local` function is defined in, where every
    /// call of it by name is written: two tests' local `work` are two functions.
    pub scope: Option<(usize, usize)>,
}

/// How a function can be called by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A module's function: `name(...)` or `module.name(...)`.
    Function,
    /// A class's method: `obj.name(...)` only.
    Method,
    /// A function defined in another function: `name(...)` only.
    Local,
}

impl Function {
    /// `def` (a `function_definition`), named: its kind from the nearest class or function it
    /// is written in (through `if`, `try`, decorators), as `calls_in` finds it.
    pub fn of(code: Code, def: Node) -> Option<Self> {
        let name = code.text_of(def.child_by_field_name("name")?).to_owned();
        let mut kind = Kind::Function;
        let mut scope = None;
        let mut cur = def;
        while let Some(up) = code.parent(cur) {
            match up.kind() {
                "class_definition" => {
                    kind = Kind::Method;
                    break;
                }
                "function_definition" => {
                    kind = Kind::Local;
                    scope = local_scope(code.text, up);
                    break;
                }
                _ => cur = up,
            }
        }
        Some(Self {
            name,
            kind,
            file: None,
            scope,
        })
    }

    /// A call `name(...)` or `x.name(...)` (`call.attribute`) can call it.
    fn called_by(&self, call: &Call) -> bool {
        self.spelled(&call.name, call.attribute)
            && call.what != Reference::LibraryCall
            && self
                .scope
                .is_none_or(|(start, end)| (start..end).contains(&call.at))
    }

    /// A call of `name`, written `x.name(...)` when `attribute`, else `name(...)`, can call it
    /// by its spelling: a method only through an attribute, a local function only bare.
    pub fn spelled(&self, name: &str, attribute: bool) -> bool {
        let form = match self.kind {
            Kind::Function => true,
            Kind::Method => attribute,
            Kind::Local => !attribute,
        };
        form && name == self.name
    }
}

/// The byte range of `def` (a `function_definition`), where the functions defined in it are
/// called by name; `None` (the whole file) when it declares a name `global` or `nonlocal`, as
/// a `def` after `global work` binds a module's `work`.
fn local_scope(text: &str, def: Node) -> Option<(usize, usize)> {
    let source = &text[def.byte_range()];
    (!source.contains("global") && !source.contains("nonlocal"))
        .then(|| (def.start_byte(), def.end_byte()))
}

/// Where a call is written.
#[derive(Debug, Clone)]
enum Within {
    Module,
    Lambda,
    Def(Function),
}

/// Which callers a run sees.
#[derive(Debug, Clone, Copy)]
pub enum Callers<'a> {
    /// Those in the run's files (a codemod's first question about a function follows them).
    Run(&'a Catching),
    /// Those in the file itself (one text: standard input, the examples, the unit tests).
    ThisFile,
}

impl Catching {
    /// The run's `files`, with what a scan of each found (`summarize`); `read` gives a file's
    /// decoded text when its calls are needed.
    pub fn new(files: Vec<PathBuf>, summaries: Vec<Summary>, read: Reader) -> Self {
        Self {
            files,
            summaries,
            read,
            parsed: Mutex::default(),
            answers: Mutex::default(),
        }
    }

    /// The callers in one text (`path`, if any, names it in a witness).
    pub fn of_text(text: &str, path: Option<&Path>) -> Self {
        let owned = text.to_owned();
        Self::new(
            vec![path.map(Path::to_path_buf).unwrap_or_default()],
            vec![summarize(text)],
            Box::new(move |_| Some(owned.clone())),
        )
    }

    /// The caller that catches a failure of the function `def` (a `function_definition`) of
    /// the file `path`, or the call that may, if one was found.
    pub fn of(&self, code: Code, def: Node, path: Option<&Path>) -> Option<Witness> {
        let mut function = Function::of(code, def)?;
        if function.kind == Kind::Local {
            function.file = path.map(Path::to_path_buf);
        }
        if let Some(known) = lock(&self.answers).get(&function) {
            return known.clone();
        }
        let found = self.search(&function);
        lock(&self.answers).insert(function, found.clone());
        found
    }

    /// The caller seen to catch a failure of the function `def`: a handler around a call of
    /// it, or the function handed to other code as an argument; not a call whose caller no
    /// name shows (a dunder, a lambda).
    pub fn seen(&self, code: Code, def: Node, path: Option<&Path>) -> Option<Witness> {
        self.of(code, def, path)
            .filter(|w| matches!(w, Witness::Handler { .. } | Witness::Handed { .. }))
    }
}

/// Past this many functions followed for one question, the search stops and answers "may be
/// caught" (`Witness::Implicit`).
const MAX_FOLLOWED: usize = 400;

/// One call in a parsed file.
struct Call {
    /// The callee's last dotted part.
    name: String,
    /// The callee is an attribute (`x.name(...)`), not a bare name.
    attribute: bool,
    /// The function the call is written in.
    within: Within,
    /// An exception it raises can be caught in that function.
    caught: bool,
    what: Reference,
    line: usize,
    /// Its first byte.
    at: usize,
}

/// What a `Call` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reference {
    /// A call.
    Call,
    /// A call of a function of Python's standard library (`asyncio.run`): not a call of a
    /// project function of the same name.
    LibraryCall,
    /// Not a call: the function handed to other code as an argument (`group.do(key, work)`).
    Value,
}

impl Catching {
    /// The first caller of `function` found to catch its failure, following callers by name.
    fn search(&self, function: &Function) -> Option<Witness> {
        let mut followed: HashSet<Function> = HashSet::from([function.clone()]);
        let mut queue = VecDeque::from([function.clone()]);
        let files = &self.files;
        while let Some(callee) = queue.pop_front() {
            let name = &callee.name;
            if name.starts_with("__") && name.ends_with("__") {
                return Some(Witness::Implicit(format!(
                    "`{name}` is called implicitly (by `async with`, `await`, an operator, ...), where a handler may catch its failure"
                )));
            }
            let calling: Vec<usize> = (0..files.len())
                .filter(|&i| callee.file.as_ref().is_none_or(|f| *f == files[i]))
                .filter(|&i| self.summaries[i].may_call(&callee))
                .collect();
            for (i, calls) in self.calls(&calling) {
                let file = &files[i];
                for call in calls.iter().filter(|c| callee.called_by(c)) {
                    if call.what == Reference::Value {
                        return Some(Witness::Handed {
                            path: file.clone(),
                            line: call.line,
                        });
                    }
                    if call.caught {
                        return Some(Witness::Handler {
                            path: file.clone(),
                            line: call.line,
                        });
                    }
                    match &call.within {
                        Within::Lambda => {
                            return Some(Witness::Implicit(format!(
                                "`{name}` is called in a lambda ({}), whose callers are not followed",
                                place(file, call.line)
                            )));
                        }
                        Within::Def(outer) => {
                            // A local function's callers are in the file that defines it.
                            let next = Function {
                                file: (outer.kind == Kind::Local).then(|| file.clone()),
                                ..outer.clone()
                            };
                            if !followed.insert(next.clone()) {
                                continue;
                            }
                            if followed.len() > MAX_FOLLOWED {
                                return Some(Witness::Implicit(format!(
                                    "`{}` has more than {MAX_FOLLOWED} functions among its callers: not followed to the end",
                                    function.name
                                )));
                            }
                            queue.push_back(next);
                        }
                        Within::Module => {}
                    }
                }
            }
        }
        None
    }

    /// The calls of the files `indices`, parsing (on the run's threads) those not parsed yet.
    fn calls(&self, indices: &[usize]) -> Vec<(usize, Arc<Vec<Call>>)> {
        use rayon::prelude::*;
        let missing: Vec<usize> = {
            let parsed = lock(&self.parsed);
            indices
                .iter()
                .copied()
                .filter(|i| !parsed.contains_key(i))
                .collect()
        };
        let fresh: Vec<(usize, Arc<Vec<Call>>)> = missing
            .par_iter()
            .map(|&i| {
                let calls = (self.read)(&self.files[i])
                    .map(|t| calls_in(&t))
                    .unwrap_or_default();
                (i, Arc::new(calls))
            })
            .collect();
        let mut parsed = lock(&self.parsed);
        for (i, calls) in fresh {
            parsed.entry(i).or_insert(calls);
        }
        indices
            .iter()
            .filter_map(|i| parsed.get(i).map(|c| (*i, Arc::clone(c))))
            .collect()
    }
}

/// A lock whose holder never panics while holding it (the maps are only read and extended).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Every call in `text` with its function and whether it can be caught there: one walk down
/// the tree carrying where it is (the function, a handler's body), no name resolution.
fn calls_in(text: &str) -> Vec<Call> {
    let Ok(mut parser) = crate::source::new_parser() else {
        return Vec::new();
    };
    let Ok(tree) = crate::source::parse(&mut parser, text) else {
        return Vec::new();
    };
    let library = standard_library_names(tree.root_node(), text);
    let mut out = Vec::new();
    let top = Place {
        within: Within::Module,
        owner: Kind::Function,
        caught: false,
        scope: None,
    };
    let mut stack = vec![(tree.root_node(), top)];
    while let Some((node, place)) = stack.pop() {
        if node.kind() == "call"
            && let Some(callee) = node.child_by_field_name("function")
            && let Some(name) = last_name(text, callee)
        {
            out.push(Call {
                name: name.to_owned(),
                attribute: callee.kind() == "attribute",
                within: place.within.clone(),
                caught: place.caught,
                what: if library.contains(root_name(text, callee)) {
                    Reference::LibraryCall
                } else {
                    Reference::Call
                },
                line: node.start_position().row + 1,
                at: node.start_byte(),
            });
        }
        if node.kind() == "argument_list" {
            out.extend(argument_values(text, node, &place));
        }
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            stack.push((child, place.enter(text, node, child)));
        }
    }
    out.sort_by_key(|c| c.line);
    out
}

/// Where a node is, as the walk in `calls_in` carries it down.
#[derive(Clone)]
struct Place {
    within: Within,
    /// What a `def` directly here defines: a class body's are methods, a function body's local
    /// functions.
    owner: Kind,
    /// An exception raised here can be caught in `within` (as `exceptions::under_except` says:
    /// in the body of a statement that `exceptions::catches_its_body`).
    caught: bool,
    /// The byte range of the function whose body this is (a local function's `scope`).
    scope: Option<(usize, usize)>,
}

impl Place {
    /// The place of `child`, a child of `node` (which is at `self`).
    fn enter(&self, text: &str, node: Node, child: Node) -> Place {
        match node.kind() {
            // Decorators and defaults run where the `def` is: only its body is inside it.
            "function_definition" if field_is(node, "body", child) => Place {
                within: node
                    .child_by_field_name("name")
                    .map_or(Within::Module, |n| {
                        Within::Def(Function {
                            name: text[n.byte_range()].to_owned(),
                            kind: self.owner,
                            file: None,
                            scope: self.scope.filter(|_| self.owner == Kind::Local),
                        })
                    }),
                owner: Kind::Local,
                caught: false,
                scope: local_scope(text, node),
            },
            "lambda" if field_is(node, "body", child) => Place {
                within: Within::Lambda,
                owner: Kind::Local,
                caught: false,
                ..self.clone()
            },
            "class_definition" if field_is(node, "body", child) => Place {
                owner: Kind::Method,
                ..self.clone()
            },
            "try_statement" | "with_statement"
                if field_is(node, "body", child) && catches_its_body(text, node) =>
            {
                Place {
                    caught: true,
                    ..self.clone()
                }
            }
            // A block of statements inside a function or class keeps defining what its owner
            // defines (`if ...: def f(): ...` in a class body is still a method).
            _ => self.clone(),
        }
    }
}

/// The names that stand for a standard-library module or one of its functions in this file:
/// `asyncio` (`import asyncio`), `aio` (`import asyncio as aio`), `run` (`from asyncio import
/// run`), wherever the import is.
fn standard_library_names<'t>(root: Node, text: &'t str) -> HashSet<&'t str> {
    let mut out = HashSet::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.kind() {
            "import_statement" => {
                for (module, bound) in crate::resolve::named_children(node).filter_map(import_parts)
                {
                    if is_stdlib_module(top_part(&text[module.byte_range()])) {
                        // `import os.path` binds `os`; `import asyncio as aio`, `aio`.
                        out.insert(top_part(&text[bound.byte_range()]));
                    }
                }
            }
            "import_from_statement" => {
                let module = node
                    .child_by_field_name("module_name")
                    .map(|m| &text[m.byte_range()])
                    .unwrap_or_default();
                if !is_stdlib_module(top_part(module)) {
                    continue;
                }
                let mut cursor = node.walk();
                for (_, bound) in node
                    .children_by_field_name("name", &mut cursor)
                    .filter_map(import_parts)
                {
                    out.insert(&text[bound.byte_range()]);
                }
            }
            _ => {
                let mut cursor = node.walk();
                stack.extend(node.named_children(&mut cursor));
            }
        }
    }
    out
}

/// `a` of a dotted name `a.b.c`.
fn top_part(dotted: &str) -> &str {
    dotted.split('.').next().unwrap_or_default()
}

/// The leftmost name of a callee: `asyncio` in `asyncio.run`, `run` in `run`.
fn root_name<'t>(text: &'t str, callee: Node) -> &'t str {
    let mut node = callee;
    while node.kind() == "attribute" {
        match node.child_by_field_name("object") {
            Some(o) => node = o,
            None => break,
        }
    }
    if node.kind() == "identifier" {
        &text[node.byte_range()]
    } else {
        ""
    }
}

/// `f` in `f`, `a.b.f`.
/// The arguments of a call that are a name or a dotted name (`work`, `self.on_done`), also as
/// a keyword argument's value: functions, maybe, handed to the callee.
fn argument_values(text: &str, arguments: Node, place: &Place) -> Vec<Call> {
    let mut cursor = arguments.walk();
    arguments
        .named_children(&mut cursor)
        .filter_map(|a| match a.kind() {
            "keyword_argument" => a.child_by_field_name("value"),
            _ => Some(a),
        })
        .filter_map(|value| {
            let name = last_name(text, value)?;
            Some(Call {
                name: name.to_owned(),
                attribute: value.kind() == "attribute",
                within: place.within.clone(),
                caught: false,
                what: Reference::Value,
                line: value.start_position().row + 1,
                at: value.start_byte(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(files: &[(&str, &str)], name: &str, kind: Kind) -> Option<Witness> {
        let texts: HashMap<PathBuf, String> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect();
        let catching = Catching::new(
            files.iter().map(|(p, _)| PathBuf::from(p)).collect(),
            files.iter().map(|(_, t)| summarize(t)).collect(),
            Box::new(move |p| texts.get(p).cloned()),
        );
        catching.search(&Function {
            name: name.to_owned(),
            kind,
            file: None,
            scope: None,
        })
    }

    fn run(files: &[(&str, &str)], name: &str) -> Option<Witness> {
        search(files, name, Kind::Function)
    }

    #[test]
    fn summary_lists_called_names() {
        let s = summarize("x = a.fetch (1)\nb = g(h)(2)\nnot_called = 3\nc = (a\n  .get(1))\n");
        assert!(s.dotted.contains("fetch") && s.dotted.contains("get"));
        assert!(s.bare.contains("g") && !s.bare.contains("fetch") && !s.dotted.contains("g"));
        // `h` is handed to `g` as an argument: it may be called through that value.
        assert!(!s.bare.contains("not_called") && s.bare.contains("h"));
        let v = summarize("x = f(1, cb)\ny = f(k=self.on_done)\nz = [late]\nw = a == other\n");
        assert!(v.bare.contains("cb") && v.dotted.contains("on_done"));
        assert!(!v.bare.contains("late") && !v.bare.contains("other"));
        let d = summarize("async def run():\n    pass\ndef  go (x): pass\n");
        assert!(d.defined.contains("run") && d.defined.contains("go") && !d.defined.contains("x"));
    }

    #[test]
    fn a_handler_two_callers_up_is_found() {
        let lib = "async def fetch_all():\n    await asyncio.gather(a(), b())\n\nasync def checkout(self):\n    return await self.fetch_all()\n";
        let test = "async def test_it(shop):\n    with pytest.raises(ValueError):\n        await shop.checkout()\n";
        assert_eq!(
            run(&[("lib.py", lib), ("test_lib.py", test)], "fetch_all"),
            Some(Witness::Handler {
                path: PathBuf::from("test_lib.py"),
                line: 3
            })
        );
    }

    #[test]
    fn callers_without_handlers_catch_nothing() {
        let lib = "import asyncio\n\nasync def fetch_all():\n    await asyncio.gather(a(), b())\n\nasync def main():\n    try:\n        pass\n    finally:\n        await fetch_all()\n\nasyncio.run(main())\n";
        let test = "async def test_it():\n    await main()\n";
        assert_eq!(run(&[("lib.py", lib), ("t.py", test)], "fetch_all"), None);
    }

    #[test]
    fn a_bare_call_is_no_call_of_a_method() {
        let lib = "class Shop:\n    async def fetch_all(self):\n        await asyncio.gather(a())\n\nasync def go():\n    try:\n        await fetch_all()\n    except ValueError:\n        pass\n";
        assert_eq!(search(&[("lib.py", lib)], "fetch_all", Kind::Method), None);
        assert!(search(&[("lib.py", lib)], "fetch_all", Kind::Function).is_some());
    }

    #[test]
    fn an_attribute_call_is_no_call_of_a_local_function() {
        let test = "async def test_it(machine):\n    async def run():\n        await asyncio.gather(a())\n    with pytest.raises(ValueError):\n        await machine.run()\n    await run()\n";
        assert_eq!(search(&[("t.py", test)], "run", Kind::Local), None);
    }

    #[test]
    fn dunders_and_lambdas_are_taken_as_caught() {
        assert!(matches!(
            run(&[("a.py", "x = 1\n")], "__aenter__"),
            Some(Witness::Implicit(_))
        ));
        let lib = "async def fetch_all():\n    pass\n\ncb = lambda: fetch_all()\n";
        assert!(matches!(
            run(&[("a.py", lib)], "fetch_all"),
            Some(Witness::Implicit(_))
        ));
    }

    #[test]
    fn a_function_handed_to_other_code_is_taken_as_caught() {
        let test = "async def test_it(group):\n    async def work():\n        await asyncio.gather(a())\n    with pytest.raises(RuntimeError):\n        await group.do('k', work)\n";
        assert!(matches!(
            search(&[("t.py", test)], "work", Kind::Local),
            Some(Witness::Handed { line: 5, .. })
        ));
        let lib = "class C:\n    async def on_done(self):\n        await asyncio.gather(a())\n    def start(self, loop):\n        loop.call_soon(cb=self.on_done)\n";
        assert!(matches!(
            search(&[("lib.py", lib)], "on_done", Kind::Method),
            Some(Witness::Handed { line: 5, .. })
        ));
        // Kept in a list, it is not followed (the module's documented gap).
        let kept = "async def work():\n    await asyncio.gather(a())\nhandlers = [work]\n";
        assert_eq!(search(&[("k.py", kept)], "work", Kind::Function), None);
    }

    #[test]
    fn a_local_function_is_called_only_in_the_function_that_defines_it() {
        // Two tests each define a local `work`; only the second awaits its own under a handler.
        let text = "async def test_a():\n    async def work():\n        await asyncio.gather(a())\n    await work()\n\nasync def test_b():\n    async def work():\n        await asyncio.gather(b())\n    with pytest.raises(ValueError):\n        await work()\n";
        let catching = Catching::of_text(text, None);
        let witnesses: Vec<Option<Witness>> = crate::codemods::Ctx::with(text, |ctx| {
            crate::analysis::syntax::descendants(ctx.tree.root_node())
                .into_iter()
                .filter(|d| d.kind() == "function_definition")
                .filter(|d| d.child_by_field_name("name").map(|n| ctx.text_of(n)) == Some("work"))
                .map(|d| catching.of(ctx.code(), d, None))
                .collect()
        })
        .unwrap();
        assert_eq!(
            witnesses,
            vec![
                None,
                Some(Witness::Handler {
                    path: PathBuf::new(),
                    line: 10
                })
            ]
        );
        // Not once the function declares a name `global` (or `nonlocal`): its `def` may bind
        // a name outside it.
        let global = text.replace(
            "async def test_a():\n",
            "async def test_a():\n    global x\n",
        );
        let catching = Catching::of_text(&global, None);
        let first = crate::codemods::Ctx::with(&global, |ctx| {
            let def = crate::analysis::syntax::descendants(ctx.tree.root_node())
                .into_iter()
                .find(|d| d.child_by_field_name("name").map(|n| ctx.text_of(n)) == Some("work"))
                .unwrap();
            catching.of(ctx.code(), def, None)
        })
        .unwrap();
        assert!(first.is_some());
    }

    #[test]
    fn the_walk_knows_each_calls_function_and_handler() {
        let text = "class C:\n    if X:\n        async def m(self):\n            f()\n\nasync def g():\n    async def local():\n        h()\n    with self.assertRaises(E):\n        i()\n    try:\n        pass\n    finally:\n        j()\n";
        let seen: Vec<(String, String, bool)> = calls_in(text)
            .into_iter()
            .map(|c| {
                let within = match c.within {
                    Within::Def(f) => format!("{}:{:?}", f.name, f.kind),
                    Within::Lambda => "lambda".to_owned(),
                    Within::Module => "module".to_owned(),
                };
                (c.name, within, c.caught)
            })
            .collect();
        let expected = [
            ("f", "m:Method", false),
            ("h", "local:Local", false),
            ("assertRaises", "g:Function", false),
            ("E", "g:Function", false),
            ("i", "g:Function", true),
            ("j", "g:Function", false),
        ];
        assert_eq!(
            seen,
            expected
                .iter()
                .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), *c))
                .collect::<Vec<_>>()
        );
    }
}
