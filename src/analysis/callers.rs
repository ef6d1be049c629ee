//! Handlers in callers: whether the failure of a function can reach an `except` written in
//! the code that calls it, anywhere in the run's files. A rewrite that changes how a function
//! fails (a gather that now raises an `ExceptionGroup` where asyncio raised the first failure
//! bare) is sound only where no handler was written for the old shape; the spec's rule for
//! gather is "inside `try/except` in the same function, or in callers, when the codemod can
//! see them". This module is what the codemods see of the callers.
//!
//! Calls are matched by name (the callee's last dotted part: `fetch(`, `self.fetch(`,
//! `client.fetch(` all call a module's function `fetch`; a method is called only as
//! `x.fetch(`, a function defined in another function only as `fetch(`), which
//! over-approximates the callers: a false caller makes asyncio-gather choose the form that
//! keeps the failure's shape, or asyncio-create-task leave a task on asyncio. A call's failure goes on to
//! the callers of the function it is written in, transitively, until a call sits where an
//! exception it raises can be caught (`exceptions::under_except`: a `try` with an `except`, a
//! `with pytest.raises(...)` / `suppress(...)` / `assertRaises(...)`). A function called where
//! no name shows the caller (a dunder such as `__aenter__`, a call inside a `lambda`) is taken
//! as caught. Not seen: a function passed as a value and called through it (`tasks.append(f)`),
//! and callers outside the run's files. A call of a function of Python's standard library
//! (`asyncio.run(main())`) is not taken for a call of the project's function of that name.
//!
//! Built once per run before any file is planned: every file is scanned for the names it calls
//! (a byte scan, no parse); only the files that call a name being followed are parsed.

use super::Code;
use super::exceptions::under_except;
use crate::resolve::Resolver;
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use tree_sitter::Node;

/// What a scan of one file's bytes found, before any parse.
#[derive(Debug, Default)]
pub struct Summary {
    /// The identifiers followed by `(` (comments and strings included: an over-approximation).
    called: HashSet<Box<str>>,
}

/// The names called in `text`: every identifier followed (after spaces) by `(`.
pub fn summarize(text: &str) -> Summary {
    let bytes = text.as_bytes();
    let mut called = HashSet::new();
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
        if bytes.get(j) == Some(&b'(')
            && let Some(name) = text.get(start..i)
        {
            called.insert(name.into());
        }
    }
    Summary { called }
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
}

impl Witness {
    /// How a note names it.
    pub fn describe(&self) -> String {
        match self {
            Witness::Handler { path, line } => {
                format!("a caller handles its failure at {}", place(path, *line))
            }
            Witness::Implicit(why) => why.clone(),
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

/// For each function name asked about (`seeds`), the first caller found that catches.
#[derive(Debug, Default)]
pub struct Catching {
    caught: HashMap<Function, Witness>,
}

/// A function as its callers name it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Function {
    pub name: String,
    pub kind: Kind,
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
    /// `def` (a `function_definition`), named.
    pub fn of(code: Code, def: Node) -> Option<Self> {
        let name = code.text_of(def.child_by_field_name("name")?).to_owned();
        let mut up = code.parent(def)?;
        if up.kind() == "decorated_definition" {
            up = code.parent(up)?;
        }
        let owner = (up.kind() == "block").then(|| code.parent(up)).flatten();
        let kind = match owner.map(|o| o.kind()) {
            Some("class_definition") => Kind::Method,
            Some("function_definition") => Kind::Local,
            _ => Kind::Function,
        };
        Some(Self { name, kind })
    }

    /// A call `name(...)` or `x.name(...)` (`call.attribute`) can call it.
    fn called_by(&self, call: &Call) -> bool {
        let spelled = match self.kind {
            Kind::Function => true,
            Kind::Method => call.attribute,
            Kind::Local => !call.attribute,
        };
        spelled && call.name == self.name && !call.library
    }
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
    /// Those of the run's files, followed before any file was planned.
    Run(&'a Catching),
    /// Those in the file itself (one text: standard input, the examples, the unit tests).
    ThisFile,
}

/// The callees whose failure a rewrite changes: the seeds of `Catching::build`.
pub const SEED_CALLEES: &[&str] = &["gather", "create_task", "ensure_future"];

impl Catching {
    /// The caller that catches a failure of the function `def` (a `function_definition`),
    /// or the call that may, if one was found.
    pub fn of(&self, code: Code, def: Node) -> Option<&Witness> {
        self.caught.get(&Function::of(code, def)?)
    }

    /// The caller seen to catch a failure of the function `def`: a handler around a call of
    /// it, not a call whose caller no name shows.
    pub fn seen(&self, code: Code, def: Node) -> Option<&Witness> {
        self.of(code, def)
            .filter(|w| matches!(w, Witness::Handler { .. }))
    }

    /// The callers in one text (`path`, if any, names it in a witness).
    pub fn of_text(text: &str, path: Option<&Path>) -> Self {
        let seeds = seeds_in(text, SEED_CALLEES);
        if seeds.is_empty() {
            return Self::default();
        }
        let files = [path.map(Path::to_path_buf).unwrap_or_default()];
        Self::build(&files, &[summarize(text)], &seeds, &|_| {
            Some(text.to_owned())
        })
    }

    /// Follow `seeds` (names of functions whose failure a rewrite would change) through the
    /// callers in `files` (with their `summaries`), reading a file again only when it calls a
    /// name being followed. `read` gives a file's decoded text.
    pub fn build(
        files: &[PathBuf],
        summaries: &[Summary],
        seeds: &[Function],
        read: &dyn Fn(&Path) -> Option<String>,
    ) -> Self {
        let mut facts = Facts {
            files,
            summaries,
            read,
            parsed: HashMap::new(),
        };
        let mut caught = HashMap::new();
        for seed in seeds {
            if let Some(w) = facts.search(seed) {
                caught.insert(seed.clone(), w);
            }
        }
        Self { caught }
    }
}

/// Past this many functions followed for one seed, the search stops and takes it as caught.
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
    /// The callee is a function of Python's standard library (`asyncio.run`): not a call of a
    /// project function of the same name.
    library: bool,
    line: usize,
}

struct Facts<'a> {
    files: &'a [PathBuf],
    summaries: &'a [Summary],
    read: &'a dyn Fn(&Path) -> Option<String>,
    parsed: HashMap<usize, Vec<Call>>,
}

impl Facts<'_> {
    fn search(&mut self, function: &Function) -> Option<Witness> {
        let mut followed: HashSet<Function> = HashSet::from([function.clone()]);
        let mut queue = VecDeque::from([function.clone()]);
        let files = self.files;
        while let Some(callee) = queue.pop_front() {
            let name = &callee.name;
            if name.starts_with("__") && name.ends_with("__") {
                return Some(Witness::Implicit(format!(
                    "`{name}` is called implicitly (by `async with`, `await`, an operator, ...), where a handler may catch its failure"
                )));
            }
            for (i, file) in files.iter().enumerate() {
                if !self.summaries[i].called.contains(name.as_str()) {
                    continue;
                }
                for call in self.calls(i).iter().filter(|c| callee.called_by(c)) {
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
                        Within::Def(outer) if followed.insert(outer.clone()) => {
                            if followed.len() > MAX_FOLLOWED {
                                return Some(Witness::Implicit(format!(
                                    "`{}` has more than {MAX_FOLLOWED} functions among its callers: not followed to the end",
                                    function.name
                                )));
                            }
                            queue.push_back(outer.clone());
                        }
                        _ => {}
                    }
                }
            }
        }
        None
    }

    fn calls(&mut self, i: usize) -> &[Call] {
        let (files, read) = (self.files, self.read);
        self.parsed
            .entry(i)
            .or_insert_with(|| read(&files[i]).map(|t| calls_in(&t)).unwrap_or_default())
    }
}

/// Every call in `text` with its function and whether it can be caught there.
fn calls_in(text: &str) -> Vec<Call> {
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
    while let Some(node) = stack.pop() {
        if node.kind() == "call"
            && let Some(callee) = node.child_by_field_name("function")
            && let Some(name) = last_name(code, callee)
        {
            let (within, region) = enclosing_function(code, node);
            out.push(Call {
                name: name.to_owned(),
                attribute: callee.kind() == "attribute",
                within,
                caught: under_except(code, node, region),
                library: of_standard_library(code, callee),
                line: node.start_position().row + 1,
            });
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor));
    }
    out.sort_by_key(|c| c.line);
    out
}

/// The callee is a function of Python's standard library (`asyncio.run(...)`): not a call of
/// the project's function of that name.
fn of_standard_library(code: Code, callee: Node) -> bool {
    code.qualified(callee).is_some_and(|q| {
        let root = q.split('.').next().unwrap_or_default();
        crate::resolve::stdlib::is_stdlib_module(root)
    })
}

/// `f` in `f`, `a.b.f`.
fn last_name<'t>(code: Code<'t>, callee: Node) -> Option<&'t str> {
    match callee.kind() {
        "identifier" => Some(code.text_of(callee)),
        "attribute" => callee
            .child_by_field_name("attribute")
            .map(|a| code.text_of(a)),
        _ => None,
    }
}

/// The function (or `lambda`, or the module) `node` is written in, with the node that bounds
/// its handlers (that definition, or the module).
fn enclosing_function<'t>(code: Code<'t>, node: Node<'t>) -> (Within, Node<'t>) {
    let mut cur = node;
    while let Some(parent) = code.parent(cur) {
        match parent.kind() {
            "function_definition" => {
                let within = Function::of(code, parent).map_or(Within::Module, Within::Def);
                return (within, parent);
            }
            "lambda" => return (Within::Lambda, parent),
            _ => {}
        }
        cur = parent;
    }
    (Within::Module, cur)
}

/// The functions in `text` that hold a call whose callee's last part is one of `callees`
/// (`gather`): the seeds whose callers `Catching::build` follows.
pub fn seeds_in(text: &str, callees: &[&str]) -> Vec<Function> {
    calls_in(text)
        .into_iter()
        .filter(|c| callees.contains(&c.name.as_str()))
        .filter_map(|c| match c.within {
            Within::Def(f) => Some(f),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(files: &[(&str, &str)], seed: &str) -> Option<Witness> {
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| PathBuf::from(p)).collect();
        let summaries: Vec<Summary> = files.iter().map(|(_, t)| summarize(t)).collect();
        let texts: HashMap<PathBuf, String> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
            .collect();
        let seed = Function {
            name: seed.to_owned(),
            kind: Kind::Function,
        };
        let catching = Catching::build(&paths, &summaries, std::slice::from_ref(&seed), &|p| {
            texts.get(p).cloned()
        });
        catching.caught.get(&seed).cloned()
    }

    #[test]
    fn summary_lists_called_names() {
        let s = summarize("x = a.fetch (1)\nb = g(h)(2)\nnot_called = 3\n");
        let mut names: Vec<&str> = s.called.iter().map(|n| &**n).collect();
        names.sort_unstable();
        assert_eq!(names, ["fetch", "g"]);
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
        let lib = "async def fetch_all():\n    await asyncio.gather(a(), b())\n\nasync def main():\n    try:\n        pass\n    finally:\n        await fetch_all()\n";
        let test = "async def test_it():\n    await main()\n";
        assert_eq!(run(&[("lib.py", lib), ("t.py", test)], "fetch_all"), None);
    }

    #[test]
    fn a_bare_call_is_no_call_of_a_method() {
        let lib = "class Shop:\n    async def fetch_all(self):\n        await asyncio.gather(a())\n\nasync def go():\n    try:\n        await fetch_all()\n    except ValueError:\n        pass\n";
        let paths = [PathBuf::from("lib.py")];
        let method = Function {
            name: "fetch_all".to_owned(),
            kind: Kind::Method,
        };
        let catching = Catching::build(
            &paths,
            &[summarize(lib)],
            std::slice::from_ref(&method),
            &|_| Some(lib.to_owned()),
        );
        assert_eq!(catching.caught.get(&method), None);
    }

    #[test]
    fn an_attribute_call_is_no_call_of_a_local_function() {
        let test = "async def test_it(machine):\n    async def run():\n        await asyncio.gather(a())\n    with pytest.raises(ValueError):\n        await machine.run()\n    await run()\n";
        let paths = [PathBuf::from("t.py")];
        let local = Function {
            name: "run".to_owned(),
            kind: Kind::Local,
        };
        let catching = Catching::build(
            &paths,
            &[summarize(test)],
            std::slice::from_ref(&local),
            &|_| Some(test.to_owned()),
        );
        assert_eq!(catching.caught.get(&local), None);
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
    fn seeds_are_the_functions_holding_the_calls() {
        let text = "async def a():\n    await asyncio.gather(x())\n\nclass C:\n    @staticmethod\n    async def b():\n        await gather(x())\n\nasync def c():\n    async def d():\n        await gather(x())\n";
        let names: Vec<(String, Kind)> = seeds_in(text, &["gather"])
            .into_iter()
            .map(|f| (f.name, f.kind))
            .collect();
        assert_eq!(
            names,
            [
                ("a".to_owned(), Kind::Function),
                ("b".to_owned(), Kind::Method),
                ("d".to_owned(), Kind::Local)
            ]
        );
    }
}
