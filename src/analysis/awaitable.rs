//! Awaitable kinds. asyncio's `gather`, `wait_for`, `shield` and `ensure_future` take any
//! awaitable; anyio's `gather`, `TaskGroup.start_soon` / `create_task` take coroutines only. A
//! call makes a coroutine object only when the code shows it: its callee resolves to an
//! `async def` that is not a generator and whose decorators cannot change what it returns, or
//! to a coroutine function of asyncio or anyio. Anything else is `Unknown`, never assumed.

use super::bindings::bindings;
use crate::resolve::{Resolver, kind, named_children};
use tree_sitter::{Node, Tree};

/// The code a question is asked about.
#[derive(Clone, Copy)]
pub struct Code<'a> {
    pub text: &'a str,
    pub tree: &'a Tree,
    pub resolver: &'a Resolver<'a>,
}

impl<'a> Code<'a> {
    pub fn text_of(&self, node: Node) -> &'a str {
        &self.text[node.byte_range()]
    }

    /// `node` provably refers to the dotted path (`"asyncio.sleep"`).
    pub fn is(&self, node: Node, path: &str) -> bool {
        self.resolver.is(node, path)
    }

    /// The dotted path `node` provably refers to.
    pub fn qualified(&self, node: Node) -> Option<String> {
        self.resolver.qualified(node)
    }

    /// `node`'s parent, looked up (`Resolver::parent`: the one way to climb the tree).
    pub fn parent(&self, node: Node<'a>) -> Option<Node<'a>> {
        self.resolver.parent(node)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Awaitable {
    /// A coroutine object: what every anyio API that runs an awaitable takes.
    Coroutine,
    /// An asyncio Task or Future (asyncio-only objects).
    TaskOrFuture,
    /// Not shown either way: a plain function's result, a parameter, an attribute, ...
    Unknown,
}

/// Calls that return a Task or Future, not a coroutine.
pub const TASK_FACTORIES: &[&str] = &[
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.shield",
    "asyncio.gather",
    "asyncio.wrap_future",
    "asyncio.Future",
    "asyncio.Task",
    "asyncio.run_coroutine_threadsafe",
];

/// Methods that return a Task, Future or task handle (`loop.create_task`, `tg.create_task`).
pub const TASK_METHODS: &[&str] = &[
    "create_task",
    "ensure_future",
    "create_future",
    "run_in_executor",
    "start_soon",
];

/// Coroutine functions (`async def` in every supported release) of asyncio and anyio.
const COROUTINE_FUNCTIONS: &[&str] = &[
    "asyncio.sleep",
    "asyncio.wait",
    "asyncio.wait_for",
    "asyncio.to_thread",
    "asyncio.open_connection",
    "asyncio.open_unix_connection",
    "asyncio.start_server",
    "asyncio.start_unix_server",
    "asyncio.create_subprocess_exec",
    "asyncio.create_subprocess_shell",
    "anyio.sleep",
    "anyio.sleep_forever",
    "anyio.sleep_until",
    "anyio.to_thread.run_sync",
    "anyio.run_process",
    "anyio.open_process",
    "anyio.connect_tcp",
    "anyio.connect_unix",
    "anyio.open_file",
    "anyio.wait_readable",
    "anyio.wait_writable",
];

/// Decorators that leave an `async def`'s calls making coroutines.
const KIND_KEEPING_DECORATORS: &[&str] = &[
    "staticmethod",
    "classmethod",
    "abstractmethod",
    "abc.abstractmethod",
    "override",
    "typing.override",
    "typing_extensions.override",
];

/// What calling `call` makes.
pub fn of_call(code: Code, call: Node) -> Awaitable {
    let Some(callee) = call.child_by_field_name("function") else {
        return Awaitable::Unknown;
    };
    let qualified = code.resolver.qualified(callee);
    if let Some(q) = qualified.as_deref() {
        if TASK_FACTORIES.contains(&q) {
            return Awaitable::TaskOrFuture;
        }
        if COROUTINE_FUNCTIONS.contains(&q) {
            return Awaitable::Coroutine;
        }
        // Another library's function: its kind is not known here.
        return Awaitable::Unknown;
    }
    match kind(callee) {
        "identifier" => match definition(code, callee) {
            Some(def) if makes_coroutine(code, def) => Awaitable::Coroutine,
            _ => Awaitable::Unknown,
        },
        "attribute" => {
            let Some(method) = callee.child_by_field_name("attribute") else {
                return Awaitable::Unknown;
            };
            if TASK_METHODS.contains(&code.text_of(method)) {
                return Awaitable::TaskOrFuture;
            }
            match callee.child_by_field_name("object") {
                Some(object) if method_is_coroutine(code, object, code.text_of(method)) => {
                    Awaitable::Coroutine
                }
                _ => Awaitable::Unknown,
            }
        }
        _ => Awaitable::Unknown,
    }
}

/// The one `def` (or `class`) statement that binds the name `name` is used as, when nothing
/// else binds it in its scope.
pub fn definition<'t>(code: Code<'t>, name: Node<'t>) -> Option<Node<'t>> {
    let refs = code
        .resolver
        .references(code.tree, code.text_of(name), name);
    let [binding] = bindings(code.resolver, &refs)[..] else {
        return None;
    };
    let def = code.parent(binding)?;
    matches!(kind(def), "function_definition" | "class_definition").then_some(def)
}

/// The value of `name = <value>` when that assignment is the name's one binding in its scope
/// (the resolver counts a function's `global NAME` assignment as a binding of the module's
/// name, a loop target, an import or a parameter as bindings too).
pub fn assigned_value<'t>(code: Code<'t>, name: Node<'t>) -> Option<Node<'t>> {
    let refs = code
        .resolver
        .references(code.tree, code.text_of(name), name);
    let [site] = bindings(code.resolver, &refs)[..] else {
        return None;
    };
    code.parent(site)
        .filter(|a| kind(*a) == "assignment" && crate::analysis::syntax::field_is(*a, "left", site))
        .and_then(|a| a.child_by_field_name("right"))
}

/// An `async def` whose calls make coroutine objects: no `yield` in its own body (that makes
/// an async generator) and no decorator but those that keep the kind.
fn makes_coroutine(code: Code, def: Node) -> bool {
    if kind(def) != "function_definition" || def.child(0).is_none_or(|c| kind(c) != "async") {
        return false;
    }
    if let Some(decorated) = code
        .parent(def)
        .filter(|p| kind(*p) == "decorated_definition")
    {
        let keeps = named_children(decorated)
            .filter(|d| kind(*d) == "decorator")
            .all(|d| {
                named_children(d)
                    .next()
                    .is_some_and(|e| KIND_KEEPING_DECORATORS.contains(&code.text_of(e)))
            });
        if !keeps {
            return false;
        }
    }
    def.child_by_field_name("body")
        .is_some_and(|body| crate::analysis::syntax::own_yield(body).is_none())
}

/// `object.method(...)` calls an `async def` of a class of this module: `self` / `cls` in a
/// method of that class (the class's own definition of `method`), or a name bound only to
/// `C(...)` for a module's class `C`.
fn method_is_coroutine(code: Code, object: Node, method: &str) -> bool {
    method_def(code, object, method).is_some_and(|def| makes_coroutine(code, def))
}

/// The one `def` named `method` in the class whose instance the name `object` is (`self` in
/// a method of the class, or a name every binding of which is `C(...)`), when no other
/// statement of the class body names it (which may rebind it). A decorated method's `def` is
/// the one under its decorators.
pub fn method_def<'t>(code: Code<'t>, object: Node<'t>, method: &str) -> Option<Node<'t>> {
    if kind(object) != "identifier" {
        return None;
    }
    let body = receiver_class(code, object)?.child_by_field_name("body")?;
    let mut found = None;
    for stmt in named_children(body) {
        let def = match kind(stmt) {
            "decorated_definition" => stmt.child_by_field_name("definition"),
            "function_definition" => Some(stmt),
            // Any other statement naming the method may rebind it (`worker = ...`; not a
            // longer name holding it, as `max_workers: int = 3`).
            _ => {
                let names_it = code.text_of(stmt).contains(method)
                    && crate::analysis::syntax::descendants(stmt)
                        .into_iter()
                        .any(|n| kind(n) == "identifier" && code.text_of(n) == method);
                if names_it {
                    return None;
                }
                continue;
            }
        };
        let Some(def) = def else { continue };
        let named = def
            .child_by_field_name("name")
            .is_some_and(|n| code.text_of(n) == method);
        if named {
            if found.is_some() {
                return None;
            }
            found = Some(def);
        }
    }
    found
}

/// The class an identifier's value is an instance (or, for `cls`, the class itself) of.
fn receiver_class<'t>(code: Code<'t>, object: Node<'t>) -> Option<Node<'t>> {
    let name = code.text_of(object);
    let refs = code.resolver.references(code.tree, name, object);
    let binds = bindings(code.resolver, &refs);
    // `self` / `cls`: the first parameter of a method of the class that holds it.
    if let [param] = binds[..]
        && kind(code.parent(param)?) == "parameters"
        && code.parent(param)?.named_child(0)?.id() == param.id()
    {
        let func = code.parent(code.parent(param)?)?;
        let holder = match code.parent(func) {
            Some(p) if kind(p) == "decorated_definition" => {
                // A static method's first parameter is no instance of the class.
                let static_method = named_children(p)
                    .filter(|d| kind(*d) == "decorator")
                    .any(|d| code.text_of(d).trim_start_matches('@').trim() == "staticmethod");
                if static_method {
                    return None;
                }
                code.parent(p)?
            }
            p => p?,
        };
        let class = code
            .parent(holder)
            .filter(|c| kind(*c) == "class_definition")?;
        return (kind(holder) == "block").then_some(class);
    }
    // `x = C(...)`, every binding of `x`, for one class `C` of the module.
    let mut class = None;
    for b in &binds {
        let assignment = code.parent(*b).filter(|p| kind(*p) == "assignment")?;
        let value = assignment.child_by_field_name("right")?;
        let callee = (kind(value) == "call")
            .then(|| value.child_by_field_name("function"))
            .flatten()
            .filter(|c| kind(*c) == "identifier")?;
        let def = definition(code, callee).filter(|d| kind(*d) == "class_definition")?;
        if class.is_some_and(|c: Node| c.id() != def.id()) {
            return None;
        }
        class = Some(def);
    }
    class
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kind of every call `probe(...)`'s argument in `src`.
    fn kinds(src: &str) -> Vec<Awaitable> {
        let mut parser = crate::source::new_parser().unwrap();
        let tree = crate::source::parse(&mut parser, src).unwrap();
        let resolver = Resolver::new(&tree, src);
        let code = Code {
            text: src,
            tree: &tree,
            resolver: &resolver,
        };
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            if n.kind() == "call"
                && n.child_by_field_name("function")
                    .is_some_and(|f| &src[f.byte_range()] == "probe")
            {
                let arg = n
                    .child_by_field_name("arguments")
                    .and_then(|a| a.named_child(0))
                    .unwrap();
                out.push((n.start_byte(), of_call(code, arg)));
            }
            let mut c = n.walk();
            stack.extend(n.children(&mut c));
        }
        out.sort_by_key(|(at, _)| *at);
        out.into_iter().map(|(_, k)| k).collect()
    }

    use Awaitable::{Coroutine as C, TaskOrFuture as T, Unknown as U};

    #[test]
    fn calls_by_what_their_callee_is() {
        let table: &[(&str, &[Awaitable])] = &[
            ("async def f(): pass\nprobe(f())", &[C]),
            ("def f(): pass\nprobe(f())", &[U]),
            ("async def f():\n    yield 1\nprobe(f())", &[U]),
            (
                "async def f():\n    def g():\n        yield\nprobe(f())",
                &[C],
            ),
            ("@deco\nasync def f(): pass\nprobe(f())", &[U]),
            ("async def f(): pass\nf = other\nprobe(f())", &[U]),
            ("probe(g())", &[U]),
            ("class C: pass\nprobe(C())", &[U]),
            ("import asyncio\nprobe(asyncio.sleep(1))", &[C]),
            ("import asyncio as aio\nprobe(aio.create_task(f()))", &[T]),
            (
                "import asyncio\nprobe(asyncio.get_running_loop().create_future())",
                &[T],
            ),
            ("import httpx\nprobe(httpx.get(u))", &[U]),
            ("probe(loader.load(1))", &[U]),
            (
                "class L:\n    async def load(self, k): pass\n    def run(self):\n        probe(self.load(1))",
                &[C],
            ),
            (
                "class L:\n    def load(self, k): pass\n    def run(self):\n        probe(self.load(1))",
                &[U],
            ),
            (
                "class L:\n    async def load(self, k): pass\n    load = wrap(load)\n    def run(self):\n        probe(self.load(1))",
                &[U],
            ),
            (
                "class L:\n    @classmethod\n    async def make(cls): pass\n    @classmethod\n    def run(cls):\n        probe(cls.make())",
                &[C],
            ),
            (
                "class L:\n    async def load(self, k): pass\nasync def main():\n    l = L()\n    probe(l.load(1))",
                &[C],
            ),
            (
                "class L:\n    async def load(self, k): pass\nasync def main(l):\n    probe(l.load(1))",
                &[U],
            ),
            (
                "class L:\n    async def load(self): pass\n    @staticmethod\n    def run(other):\n        probe(other.load())",
                &[U],
            ),
            (
                "class L:\n    async def load(self, k): pass\nasync def main():\n    l = L()\n    l = other()\n    probe(l.load(1))",
                &[U],
            ),
        ];
        for (src, want) in table {
            assert_eq!(kinds(src), *want, "{src}");
        }
    }
}
