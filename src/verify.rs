//! `CPython`'s compile-time rules that tree-sitter does not enforce, and that an edit can break:
//! the docstring stays first; `from __future__` imports come before every other statement;
//! `await`, `async with`, `async for` and async comprehensions only inside an `async def`;
//! `break` / `continue` only inside a loop of the same function; `return` and `yield` only
//! inside a function; no `return value` in an async generator. The refusal check compares the
//! output with the input: an output that breaks a rule more often than its input did is never
//! written (the input may itself be a fragment that `CPython` rejects, e.g. a notebook cell with
//! a top-level `await`).

use crate::resolve::{kind, named_children};
use tree_sitter::{Node, Tree};

/// How often a text breaks each rule, and its docstring.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Rules {
    pub docstring: Option<String>,
    pub late_future_imports: usize,
    pub async_outside_coroutine: usize,
    pub loop_control_outside_loop: usize,
    pub outside_function: usize,
    pub return_value_in_async_generator: usize,
}

impl Rules {
    pub fn of(tree: &Tree, text: &str) -> Self {
        let module = tree.root_node();
        let docstring = crate::imports::docstring(module).map(|d| text[d.byte_range()].to_owned());
        let mut rules = Self {
            docstring,
            ..Self::default()
        };
        let doc = crate::imports::docstring(module).map(|d| d.id());
        let mut header = true;
        for stmt in named_children(module) {
            match kind(stmt) {
                "future_import_statement" if !header => rules.late_future_imports += 1,
                "comment" | "future_import_statement" => {}
                _ if doc == Some(stmt.id()) => {}
                _ => header = false,
            }
        }
        walk(module, Scope::Module, &mut rules);
        rules
    }

    /// The first rule `self` (an output) breaks that `before` (its input) did not, as words
    /// for the report.
    pub fn newly_broken(&self, before: &Self) -> Option<&'static str> {
        if before.docstring.is_some() && self.docstring != before.docstring {
            return Some("the module docstring is no longer its first statement");
        }
        let counts = [
            (
                self.late_future_imports,
                before.late_future_imports,
                "a `from __future__` import is no longer at the top of the module",
            ),
            (
                self.async_outside_coroutine,
                before.async_outside_coroutine,
                "`await` / `async with` / `async for` outside an `async def`",
            ),
            (
                self.loop_control_outside_loop,
                before.loop_control_outside_loop,
                "`break` / `continue` outside a loop",
            ),
            (
                self.outside_function,
                before.outside_function,
                "`return` / `yield` outside a function",
            ),
            (
                self.return_value_in_async_generator,
                before.return_value_in_async_generator,
                "`return` with a value in an async generator",
            ),
        ];
        counts
            .into_iter()
            .find(|(after, before, _)| after > before)
            .map(|(_, _, rule)| rule)
    }
}

/// Where a node sits, for the rules.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Module,
    /// A `def` (or lambda); `is_async`; `in_loop`; the function is an async generator.
    Function {
        is_async: bool,
        in_loop: bool,
        async_generator: bool,
    },
    /// A class body: functions above it do not count.
    Class,
}

impl Scope {
    fn in_loop(self) -> bool {
        matches!(self, Self::Function { in_loop: true, .. })
    }
}

fn walk(node: Node, scope: Scope, rules: &mut Rules) {
    let mut module_loop = false;
    walk_in(node, scope, &mut module_loop, rules);
}

/// `module_loop`: inside a loop at module or class level (where `break` is fine too).
fn walk_in(node: Node, scope: Scope, module_loop: &mut bool, rules: &mut Rules) {
    for child in named_children(node) {
        match kind(child) {
            "function_definition" => {
                let is_async = child.child(0).is_some_and(|c| kind(c) == "async");
                let async_generator = is_async
                    && child
                        .child_by_field_name("body")
                        .is_some_and(|b| crate::analysis::syntax::own_yield(b).is_some());
                let inner = Scope::Function {
                    is_async,
                    in_loop: false,
                    async_generator,
                };
                // Decorators, defaults and annotations belong to the enclosing scope.
                for part in named_children(child) {
                    if child
                        .child_by_field_name("body")
                        .is_some_and(|b| b.id() == part.id())
                    {
                        let mut no_loop = false;
                        walk_in(part, inner, &mut no_loop, rules);
                    } else {
                        walk_in(part, scope, module_loop, rules);
                    }
                }
            }
            "lambda" => {
                let inner = Scope::Function {
                    is_async: false,
                    in_loop: false,
                    async_generator: false,
                };
                let mut no_loop = false;
                walk_in(child, inner, &mut no_loop, rules);
            }
            "class_definition" => {
                let mut no_loop = false;
                walk_in(child, Scope::Class, &mut no_loop, rules);
            }
            "for_statement" | "while_statement" => {
                // The loop's body (and `else`, conservatively) may break; its header may not.
                let in_loop_scope = match scope {
                    Scope::Function {
                        is_async,
                        async_generator,
                        ..
                    } => Scope::Function {
                        is_async,
                        in_loop: true,
                        async_generator,
                    },
                    other => other,
                };
                let async_for = child.child(0).is_some_and(|c| kind(c) == "async");
                if async_for && !is_async(scope) {
                    rules.async_outside_coroutine += 1;
                }
                let saved = *module_loop;
                *module_loop = true;
                walk_in(child, in_loop_scope, module_loop, rules);
                *module_loop = saved;
            }
            other => {
                count(child, other, scope, *module_loop, rules);
                walk_in(child, scope, module_loop, rules);
            }
        }
    }
}

/// The rules one node (of kind `what`, not a scope of its own) may break.
fn count(node: Node, what: &str, scope: Scope, module_loop: bool, rules: &mut Rules) {
    let starts_async = || node.child(0).is_some_and(|c| kind(c) == "async");
    match what {
        "await" if !is_async(scope) => rules.async_outside_coroutine += 1,
        "with_statement" | "for_in_clause" if starts_async() && !is_async(scope) => {
            rules.async_outside_coroutine += 1;
        }
        "break_statement" | "continue_statement" => {
            let ok = scope.in_loop() || (!matches!(scope, Scope::Function { .. }) && module_loop);
            if !ok {
                rules.loop_control_outside_loop += 1;
            }
        }
        "return_statement" | "yield" => {
            if !matches!(scope, Scope::Function { .. }) {
                rules.outside_function += 1;
            }
            if what == "return_statement"
                && matches!(
                    scope,
                    Scope::Function {
                        async_generator: true,
                        ..
                    }
                )
                && node.named_child_count() > 0
            {
                rules.return_value_in_async_generator += 1;
            }
        }
        _ => {}
    }
}

fn is_async(scope: Scope) -> bool {
    matches!(scope, Scope::Function { is_async: true, .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(src: &str) -> Rules {
        let mut parser = crate::source::new_parser().unwrap();
        let tree = crate::source::parse(&mut parser, src).unwrap();
        Rules::of(&tree, src)
    }

    type Count = fn(&Rules) -> usize;

    #[test]
    fn each_rule_counts_what_cpython_rejects() {
        let ok = [
            "#!/usr/bin/env python3\n\"\"\"Doc.\"\"\"\nfrom __future__ import annotations\nimport os\n",
            "async def f():\n    await g()\n    async with a:\n        pass\n    async for x in y:\n        pass\n    [x async for x in y]\n",
            "async def f():\n    def g():\n        return 1\n    return await g()\n",
            "for x in y:\n    break\nwhile 1:\n    continue\n",
            "def f():\n    for x in y:\n        if x:\n            break\n    else:\n        return 1\n",
            "async def f():\n    yield 1\n    return\n",
            "class C:\n    for x in y:\n        break\n",
        ];
        for src in ok {
            assert_eq!(rules(src).newly_broken(&Rules::default()), None, "{src}");
        }
        let bad: [(&str, Count); 8] = [
            ("import os\nfrom __future__ import annotations\n", |r| {
                r.late_future_imports
            }),
            ("def f():\n    await g()\n", |r| r.async_outside_coroutine),
            ("async def f():\n    lambda: (await g())\n", |r| {
                r.async_outside_coroutine
            }),
            ("def f():\n    async with a:\n        pass\n", |r| {
                r.async_outside_coroutine
            }),
            ("for x in y:\n    def f():\n        break\n", |r| {
                r.loop_control_outside_loop
            }),
            ("def f():\n    continue\n", |r| r.loop_control_outside_loop),
            ("return 1\n", |r| r.outside_function),
            ("async def f():\n    yield 1\n    return 2\n", |r| {
                r.return_value_in_async_generator
            }),
        ];
        for (src, count) in bad {
            assert_eq!(count(&rules(src)), 1, "{src}");
        }
    }

    #[test]
    fn only_what_the_output_breaks_more_than_its_input_counts() {
        let before = rules("\"\"\"Doc.\"\"\"\nimport asyncio\n");
        let moved = rules("import anyio\n\"\"\"Doc.\"\"\"\n");
        assert!(moved.newly_broken(&before).is_some());
        let notebook = rules("await main()\n");
        assert_eq!(notebook.newly_broken(&notebook), None);
    }
}
