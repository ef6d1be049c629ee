//! Fixture definitions: `event_loop` deleted, `event_loop_policy` reported, `anyio_backend`
//! widened to session scope.

use super::references::{fix, next_line};
use super::{ID, MESSAGES};
use crate::codemods::{Ctx, call_args};
use crate::edit::{Edit, Finding, Outcome, Verdict};
use crate::resolve::named_children;
use crate::source::line_start;
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// Fixture definitions: `event_loop` deleted, `event_loop_policy` reported, `anyio_backend`
// widened to session scope.

/// The fixture decorator of a decorated definition (`@pytest.fixture`,
/// `@pytest.fixture(...)`, `@pytest_asyncio.fixture...`): the decorator's expression.
pub fn fixture_decorator<'t>(ctx: &Ctx, def: Node<'t>) -> Option<Node<'t>> {
    named_children(def)
        .filter(|d| d.kind() == "decorator")
        .filter_map(|d| d.named_child(0))
        .find(|e| {
            let callee = if e.kind() == "call" {
                e.child_by_field_name("function")
            } else {
                Some(*e)
            };
            callee
                .is_some_and(|c| ctx.is(c, "pytest.fixture") || ctx.is(c, "pytest_asyncio.fixture"))
        })
}

/// The name a fixture is requested by: `name="..."`, else the function's name.
pub(super) fn fixture_name(ctx: &Ctx, decorator: Node, func: Node) -> Option<String> {
    if decorator.kind() == "call"
        && let Some(name) = crate::codemods::keyword_arg(decorator, ctx.text, "name")
    {
        let text = ctx.text_of(name);
        let inner = text.trim_matches(|c| c == '"' || c == '\'');
        return (name.kind() == "string" && !inner.is_empty()).then(|| inner.to_owned());
    }
    func.child_by_field_name("name")
        .map(|n| ctx.text_of(n).to_owned())
}

pub(super) fn plan_decorated(ctx: &Ctx, def: Node) -> Vec<Outcome> {
    let Some(func) = def
        .child_by_field_name("definition")
        .filter(|d| d.kind() == "function_definition")
    else {
        return Vec::new();
    };
    let Some(decorator) = fixture_decorator(ctx, def) else {
        return Vec::new();
    };
    let Some(name) = func.child_by_field_name("name").map(|n| ctx.text_of(n)) else {
        return Vec::new();
    };
    match name {
        "event_loop" if default_event_loop(ctx, func) => {
            vec![fix(
                def,
                "default-event-loop",
                Verdict::Safe,
                vec![delete_definition(ctx, def)],
                None,
            )]
        }
        "event_loop" => vec![
            Finding::manual(
                ID,
                "custom-event-loop",
                def.start_byte(),
                MESSAGES.text("custom-event-loop", "problem"),
                MESSAGES.text("custom-event-loop", "advice"),
            )
            .blocking()
            .into(),
        ],
        // Kept beside the override a run wrote: nothing left to do.
        "event_loop_policy" if has_policy_override(ctx) && kept_policy_fixture(ctx, def).is_some() => {
            Vec::new()
        }
        "event_loop_policy" => match policy_fixture(ctx, def, func, decorator)
            .or_else(|| parametrised_policy_fixture(ctx, def))
        {
            Some(outcome) => vec![outcome],
            None => vec![
                Finding::manual(
                    ID,
                    "custom-policy-fixture",
                    def.start_byte(),
                    "an `event_loop_policy` fixture picks pytest-asyncio's loop: anyio's plugin never asks for it",
                    "choose the loop in the `anyio_backend` fixture instead:\n@pytest.fixture(scope=\"session\")\ndef anyio_backend():\n    return (\"asyncio\", {\"use_uvloop\": True})   # or {\"loop_factory\": my_loop_factory}",
                )
                .blocking()
                .into(),
            ],
        },
        "anyio_backend" => widen_scope(ctx, decorator).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// An `event_loop` fixture that only makes a plain new loop, hands it out and closes it (what
/// pytest-asyncio's own fixture did): deleting it changes nothing. Its statements may be a
/// docstring, `loop = asyncio.new_event_loop()` (or `asyncio.get_event_loop_policy()
/// .new_event_loop()`), `yield loop` / `return loop`, and `loop.close()`.
fn default_event_loop(ctx: &Ctx, func: Node) -> bool {
    let Some(body) = func.child_by_field_name("body") else {
        return false;
    };
    let made = |value: Node| {
        value.kind() == "call"
            && value.child_by_field_name("function").is_some_and(|f| {
                ctx.is(f, "asyncio.new_event_loop")
                    || f.kind() == "attribute"
                        && f.child_by_field_name("attribute")
                            .is_some_and(|a| ctx.text_of(a) == "new_event_loop")
                        && f.child_by_field_name("object").is_some_and(|o| {
                            o.kind() == "call"
                                && o.child_by_field_name("function")
                                    .is_some_and(|g| ctx.is(g, "asyncio.get_event_loop_policy"))
                        })
            })
            && call_args(value).is_empty()
    };
    let mut loop_name: Option<&str> = None;
    named_children(body).all(|stmt| {
        let inner = named_children(stmt).next();
        match (stmt.kind(), inner.map(|n| n.kind())) {
            ("comment" | "pass_statement", _) | ("expression_statement", Some("string")) => true,
            ("expression_statement", Some("assignment")) => {
                let a = inner.unwrap_or(stmt);
                let (Some(left), Some(right)) = (
                    a.child_by_field_name("left"),
                    a.child_by_field_name("right"),
                ) else {
                    return false;
                };
                let fresh = left.kind() == "identifier" && loop_name.is_none() && made(right);
                if fresh {
                    loop_name = Some(ctx.text_of(left));
                }
                fresh
            }
            ("expression_statement", Some("yield")) | ("return_statement", _) => {
                let value = if stmt.kind() == "return_statement" {
                    inner
                } else {
                    inner.and_then(|y| named_children(y).next())
                };
                value.is_some_and(|v| loop_name == Some(ctx.text_of(v)) || made(v))
            }
            ("expression_statement", Some("call")) => inner.is_some_and(|c| {
                c.child_by_field_name("function").is_some_and(|f| {
                    f.kind() == "attribute"
                        && f.child_by_field_name("attribute")
                            .is_some_and(|m| ctx.text_of(m) == "close")
                        && f.child_by_field_name("object")
                            .is_some_and(|o| loop_name == Some(ctx.text_of(o)))
                })
            }),
            _ => false,
        }
    })
}

/// `@pytest.fixture(scope=...) def event_loop_policy(): return POLICY` (no parameters, no
/// other decorator argument, no comment) → the `anyio_backend` override the loop-factory hook
/// becomes (`super::functions::LOOP_FACTORY_OVERRIDE`), giving `(POLICY).new_event_loop` to
/// the asyncio backend as its `loop_factory`: the tests run on the loops that policy makes, as
/// pytest-asyncio made them; the other backends run as they are. `params=` (a policy per
/// parameter) and the rest stay MANUAL.
fn policy_fixture(ctx: &Ctx, def: Node, func: Node, decorator: Node) -> Option<Outcome> {
    if crate::codemods::has_comment(def)
        || ctx.resolver.is_bound("anyio_backend", func)
        || !super::functions::has_loop_factory(ctx)
    {
        return None;
    }
    let no_params = func
        .child_by_field_name("parameters")
        .is_some_and(|p| named_children(p).next().is_none());
    let only_scope = decorator.kind() != "call"
        || call_args(decorator).iter().all(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == "scope")
        });
    let body = func.child_by_field_name("body")?;
    let statements = crate::analysis::syntax::working_statements(body);
    let [ret] = statements[..] else {
        return None;
    };
    let policy = ret
        .named_child(0)
        .filter(|_| ret.kind() == "return_statement")?;
    if !no_params || !only_scope || ctx.text_of(policy).contains('\n') {
        return None;
    }
    let pytest = pytest_of(ctx, decorator, func)?;
    let text = format!(
        "@{pytest}.fixture{}    # pytest-asyncio's event loop policy `{policy}` (its `event_loop_policy` fixture): anyio's\n    # asyncio backend makes its loops with it; the other backends run as they are.\n{}    return name, {{**options, \"loop_factory\": ({policy}).new_event_loop}}",
        super::functions::LOOP_FACTORY_OVERRIDE,
        super::functions::OVERRIDE_PROLOGUE,
        policy = ctx.text_of(policy),
    );
    Some(fix(
        def,
        "policy-fixture",
        Verdict::SafeEdge,
        vec![Edit::replace(def.byte_range(), text)],
        Some(MESSAGES.text("policy-fixture", "note").to_owned()),
    ))
}

/// `@pytest.fixture(params=[...]) def event_loop_policy(request): ...`, module level, sync, no
/// `yield`, asking for nothing but `request` and reading only `request.param` of it, its
/// decorator's arguments `params=` and maybe `ids=` / a literal `scope=`: a policy per
/// parameter. The fixture stays (now session-scoped, as pytest-asyncio's own is, so the
/// session-scoped `anyio_backend` may ask for it), and beside it an override of `anyio_backend`
/// gives each parameter's policy's `new_event_loop` to anyio's asyncio backend as its
/// `loop_factory`: every anyio test runs once per parameter, on that policy's loops, as
/// pytest-asyncio ran it; what else asks for `event_loop_policy` still gets it. The decorator
/// and the definition the caller checked are `kept_policy_fixture`'s.
fn parametrised_policy_fixture(ctx: &Ctx, def: Node) -> Option<Outcome> {
    let (decorator, func) = kept_policy_fixture(ctx, def)?;
    if ctx.resolver.is_bound("anyio_backend", func) {
        return None;
    }
    let pytest = pytest_of(ctx, decorator, func)?;
    let mut edits: Vec<Edit> = session_scope(ctx, decorator).into_iter().collect();
    edits.push(Edit::insert(
        def.end_byte(),
        format!(
            "\n\n\n@{pytest}.fixture{}    # pytest-asyncio's event loop policy, one per parameter of its `event_loop_policy` fixture:\n    # anyio's asyncio backend makes its loops with it; the other backends run as they are.\n{}    return name, {{**options, \"loop_factory\": event_loop_policy.new_event_loop}}",
            super::functions::LOOP_POLICY_OVERRIDE,
            super::functions::OVERRIDE_PROLOGUE,
        ),
    ));
    Some(fix(
        def,
        "policy-params",
        Verdict::SafeEdge,
        edits,
        Some(MESSAGES.text("policy-params", "note").to_owned()),
    ))
}

/// Whether the module has the `anyio_backend` override `parametrised_policy_fixture` writes (or
/// the root fixture the project pass made of it): a module-level `anyio_backend` function
/// asking for `event_loop_policy`.
pub(super) fn has_policy_override(ctx: &Ctx) -> bool {
    named_children(ctx.tree.root_node())
        .filter(|d| d.kind() == "decorated_definition")
        .filter_map(|d| d.child_by_field_name("definition"))
        .filter(|f| f.kind() == "function_definition")
        .filter(|f| {
            f.child_by_field_name("name")
                .is_some_and(|n| ctx.text_of(n) == "anyio_backend")
        })
        .filter_map(|f| f.child_by_field_name("parameters"))
        .any(|p| named_children(p).any(|a| ctx.text_of(a) == "event_loop_policy"))
}

/// The module-level `event_loop_policy` fixture definition `def` is, when
/// `parametrised_policy_fixture` keeps it (its decorator's expression and the function):
/// requests of `event_loop_policy` in its module then still find it.
pub(super) fn kept_policy_fixture<'t>(ctx: &Ctx, def: Node<'t>) -> Option<(Node<'t>, Node<'t>)> {
    let func = def
        .child_by_field_name("definition")
        .filter(|d| d.kind() == "function_definition")?;
    let decorator = fixture_decorator(ctx, def).filter(|d| d.kind() == "call")?;
    let name = func.child_by_field_name("name").map(|n| ctx.text_of(n));
    if name != Some("event_loop_policy")
        || crate::codemods::is_async_def(func)
        || ctx.parent(def).is_none_or(|p| p.kind() != "module")
        || !super::functions::has_loop_factory(ctx)
        || named_children(def)
            .filter(|d| d.kind() == "decorator")
            .count()
            != 1
    {
        return None;
    }
    let mut has_params = false;
    for arg in call_args(decorator) {
        let key = arg
            .child_by_field_name("name")
            .filter(|_| arg.kind() == "keyword_argument")
            .map(|n| ctx.text_of(n));
        let value = arg.child_by_field_name("value");
        match key {
            Some("params") => has_params = true,
            Some("ids") => {}
            Some("scope") if value.is_some_and(|v| v.kind() == "string") => {}
            _ => return None,
        }
    }
    let params: Vec<Node> = func
        .child_by_field_name("parameters")
        .map(|p| named_children(p).collect())
        .unwrap_or_default();
    let asks_request = match params[..] {
        [] => false,
        [p] if p.kind() == "identifier" && ctx.text_of(p) == "request" => true,
        _ => return None,
    };
    let body = func.child_by_field_name("body")?;
    let plain = crate::analysis::syntax::descendants(body)
        .into_iter()
        .all(|n| match n.kind() {
            "yield" | "function_definition" | "lambda" | "class_definition" => false,
            "identifier" if ctx.text_of(n) == "request" => {
                asks_request
                    && ctx.parent(n).is_some_and(|a| {
                        a.kind() == "attribute"
                            && a.child_by_field_name("object")
                                .is_some_and(|o| o.id() == n.id())
                            && a.child_by_field_name("attribute")
                                .is_some_and(|m| ctx.text_of(m) == "param")
                    })
            }
            _ => true,
        });
    (has_params && plain).then_some((decorator, func))
}

/// Delete a decorated definition with its lines and the blank lines after it.
pub(super) fn delete_definition(ctx: &Ctx, def: Node) -> Edit {
    let alone_in_block = ctx.parent(def).is_some_and(|p| {
        p.kind() == "block" && named_children(p).filter(|c| c.kind() != "comment").count() == 1
    });
    if alone_in_block {
        return Edit::replace(def.byte_range(), "pass");
    }
    let mut start = line_start(ctx.text, def.start_byte());
    let mut end = next_line(ctx.text, def.end_byte());
    while end < ctx.text.len() {
        let next = next_line(ctx.text, end);
        if !ctx.text[end..next].trim().is_empty() {
            break;
        }
        end = next;
    }
    if end >= ctx.text.len() {
        // Last in the file: the blank lines before it go instead.
        while start > 0 {
            let prev = line_start(ctx.text, start - 1);
            if !ctx.text[prev..start].trim().is_empty() {
                break;
            }
            start = prev;
        }
    }
    Edit::delete(start..end)
}

/// `pytest` as the fixture decorator spells it (`pt.fixture` → `pt`), when it is pytest.
fn pytest_of(ctx: &Ctx, decorator: Node, func: Node) -> Option<String> {
    ctx.text_of(decorator)
        .split('.')
        .next()
        .filter(|p| ctx.resolver.resolve_name(p, func).as_deref() == Some("pytest"))
        .map(str::to_owned)
}

/// `anyio_backend` with a narrower scope than the session: module- and session-scoped async
/// fixtures fail with `ScopeMismatch` (spec §13, S5b/S5e).
pub(super) fn widen_scope(ctx: &Ctx, decorator: Node) -> Option<Outcome> {
    let note = MESSAGES.text("anyio-backend-scope", "note");
    let edit = session_scope(ctx, decorator)?;
    Some(fix(
        decorator,
        "anyio-backend-scope",
        Verdict::SafeEdge,
        vec![edit],
        Some(note.to_owned()),
    ))
}

/// The edit that gives a fixture decorator `scope="session"`; `None` when it has it.
fn session_scope(ctx: &Ctx, decorator: Node) -> Option<Edit> {
    let edit = if decorator.kind() == "call" {
        match crate::codemods::keyword_arg(decorator, ctx.text, "scope") {
            Some(v) if matches!(ctx.text_of(v), "\"session\"" | "'session'") => return None,
            Some(v) => Edit::replace(v.byte_range(), "\"session\""),
            None => {
                let args = decorator.child_by_field_name("arguments")?;
                let first = call_args(decorator).into_iter().next();
                match first {
                    Some(a) => Edit::insert(a.start_byte(), "scope=\"session\", "),
                    None => Edit::insert(args.start_byte() + 1, "scope=\"session\""),
                }
            }
        }
    } else {
        Edit::insert(decorator.end_byte(), "(scope=\"session\")")
    };
    Some(edit)
}

#[cfg(test)]
mod policy_tests {
    use super::*;

    fn kept(text: &str) -> bool {
        Ctx::with(text, |ctx| {
            named_children(ctx.tree.root_node())
                .filter(|d| d.kind() == "decorated_definition")
                .any(|d| kept_policy_fixture(ctx, d).is_some())
        })
        .unwrap()
    }

    #[test]
    fn a_policy_per_parameter_is_kept_only_in_the_plain_shape() {
        let head =
            "import pytest\n\n@pytest.fixture(params=(1, 2))\ndef event_loop_policy(request):\n";
        assert!(kept(&format!("{head}    return make(request.param)\n")));
        let project =
            include_str!("../../../tests/projects/event_loop_policy_params/tests/conftest.py");
        assert!(kept(project));
        // What a session-wide value would change, or what the fixture may not be: left MANUAL.
        for body in [
            "    yield make(request.param)\n",
            "    return make(request.node)\n",
            "    return lambda: request.param\n",
        ] {
            assert!(!kept(&format!("{head}{body}")), "{body}");
        }
        let other = "import pytest\n\n@pytest.fixture(params=(1, 2))\ndef event_loop_policy(request, tmp_path):\n    return make(request.param)\n";
        assert!(!kept(other));
        let autouse = "import pytest\n\n@pytest.fixture(params=(1, 2), autouse=True)\ndef event_loop_policy(request):\n    return make(request.param)\n";
        assert!(!kept(autouse));
        let no_params = "import pytest\n\n@pytest.fixture(scope=\"module\")\ndef event_loop_policy(request):\n    return make(request.param)\n";
        assert!(!kept(no_params));
    }
}
