//! Functions: tests requesting `event_loop`/`event_loop_policy`; sync tests requesting an async
//! fixture of the same module; loop-factory fixtures and hooks.

use super::fixtures::{fixture_decorator, fixture_name};
use super::references::{fix, pytest_name};
use super::{ID, MESSAGES};
use crate::codemods::{Ctx, call_args, is_async_def};
use crate::edit::{Edit, Finding, Outcome, Verdict};
use crate::resolve::{kind, named_children};
use tree_sitter::Node;

// ---------------------------------------------------------------------------------------------
// Functions: tests requesting `event_loop`/`event_loop_policy`; sync tests requesting an
// async fixture of the same module.

/// The head of the `anyio_backend` override beside a parametrised `event_loop_policy` fixture
/// (kept): it asks for that fixture too.
pub const LOOP_POLICY_OVERRIDE: &str =
    "(scope=\"session\")\ndef anyio_backend(anyio_backend, event_loop_policy):\n";

/// The head of the fixture a loop-factory hook becomes (after `@pytest.fixture`): it asks for
/// the `anyio_backend` fixture it overrides. The project pass turns it into the root fixture
/// when the root conftest.py is this one (`project::conftest::merge_loop_factory_override`).
pub const LOOP_FACTORY_OVERRIDE: &str = "(scope=\"session\")\ndef anyio_backend(anyio_backend):\n";

/// The same head for a hook that reads pytest's `config`: pytest's own session fixture
/// `pytestconfig` is that object.
pub const LOOP_FACTORY_CONFIG_OVERRIDE: &str =
    "(scope=\"session\")\ndef anyio_backend(anyio_backend, pytestconfig):\n";

/// The name a hook that reads `config` is renamed to (pytest validates only `pytest_*` names).
pub(super) const HOOK_HELPER: &str = "_asyncio_loop_factories";

/// `pytest_asyncio_loop_factories` hooks → a fixture that overrides `anyio_backend` in the same
/// conftest and adds the factory to the asyncio backend's options of the fixture it overrides
/// (the root one the run writes), so the other backends keep running. Two shapes:
/// - `return {"name": Factory}` alone, the parameters unused: the factory goes in the fixture;
/// - a body that reads `config` (never `item`: a choice per test has no session-wide
///   equivalent) and whose every `return` gives a one-entry dict display, the last statement
///   among them, so every path that does not raise returns one factory: the hook is kept under
///   the name `_asyncio_loop_factories` and the fixture calls it with `config=pytestconfig`
///   (and `item=None` when it declares `item`).
///
/// Several factories, a hook that reads `item`, a comment inside: MANUAL (reported by the
/// caller).
pub(super) fn loop_factory_fixture(ctx: &Ctx, func: Node) -> Option<Outcome> {
    if crate::codemods::has_comment(func)
        || ctx.resolver.is_bound("anyio_backend", func)
        || !has_loop_factory(ctx)
    {
        return None;
    }
    let params: Vec<Node> = func
        .child_by_field_name("parameters")
        .map(|p| named_children(p).collect())
        .unwrap_or_default();
    let names: Vec<&str> = params.iter().map(|n| ctx.text_of(*n)).collect();
    if params.iter().any(|p| p.kind() != "identifier")
        || names.iter().any(|n| !matches!(*n, "config" | "item"))
    {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let statements: Vec<Node> = named_children(body).collect();
    let uses = |name: &str| {
        let mut stack = vec![body];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" && ctx.text_of(n) == name && names.contains(&name) {
                return true;
            }
            stack.extend(named_children(n));
        }
        false
    };
    let (pytest, import) = pytest_name(ctx, func)?;
    if let [ret] = statements[..]
        && let Some((key, value)) = one_factory(ret)
        && !uses("config")
        && !uses("item")
    {
        let text = format!(
            "@{pytest}.fixture{LOOP_FACTORY_OVERRIDE}    # pytest-asyncio's loop factory {key} (its pytest_asyncio_loop_factories hook), given to\n    # anyio's asyncio backend; the other backends run as they are.\n{OVERRIDE_PROLOGUE}    return name, {{**options, \"loop_factory\": {factory}}}",
            key = ctx.text_of(key),
            factory = ctx.text_of(value),
        );
        let mut edits = vec![Edit::replace(func.byte_range(), text)];
        edits.extend(import);
        return Some(fix(
            func,
            "loop-factory-hook",
            Verdict::SafeEdge,
            edits,
            Some(MESSAGES.text("loop-factory-hook", "note").to_owned()),
        ));
    }
    if uses("item") || ctx.resolver.is_bound(HOOK_HELPER, func) {
        return None;
    }
    let returns = returns_of(body);
    if !returns
        .iter()
        .any(|r| Some(r.id()) == statements.last().map(Node::id))
        || !returns.iter().all(|r| one_factory(*r).is_some())
    {
        return None;
    }
    let args: Vec<&str> = names
        .iter()
        .map(|n| {
            if *n == "config" {
                "config=pytestconfig"
            } else {
                "item=None"
            }
        })
        .collect();
    let fixture = format!(
        "\n\n\n@{pytest}.fixture{LOOP_FACTORY_CONFIG_OVERRIDE}    # pytest-asyncio's loop factory (its hook, renamed {HOOK_HELPER}), given to\n    # anyio's asyncio backend; the other backends run as they are.\n{OVERRIDE_PROLOGUE}    (factory,) = {HOOK_HELPER}({}).values()\n    return name, {{**options, \"loop_factory\": factory}}",
        args.join(", "),
    );
    let mut edits = vec![
        Edit::replace(func.child_by_field_name("name")?.byte_range(), HOOK_HELPER),
        Edit::insert(func.end_byte(), fixture),
    ];
    edits.extend(import);
    Some(fix(
        func,
        "loop-factory-hook",
        Verdict::SafeEdge,
        edits,
        Some(MESSAGES.text("loop-factory-hook", "config-note").to_owned()),
    ))
}

/// The fixture's first lines: the backend it overrides, as a name and its options.
pub(super) const OVERRIDE_PROLOGUE: &str = "    name, options = (anyio_backend, {}) if isinstance(anyio_backend, str) else anyio_backend\n    if name != \"asyncio\":\n        return anyio_backend\n";

/// `return {"name": factory}`: the key (a plain string) and the factory.
pub(super) fn one_factory(ret: Node) -> Option<(Node, Node)> {
    let dict = ret
        .named_child(0)
        .filter(|d| ret.kind() == "return_statement" && d.kind() == "dictionary")?;
    let [pair] = named_children(dict).collect::<Vec<_>>()[..] else {
        return None;
    };
    let (key, value) = (
        pair.child_by_field_name("key")?,
        pair.child_by_field_name("value")?,
    );
    is_plain_string(key).then_some((key, value))
}

/// A string literal with no interpolation or escape: its text between the quotes is its value.
pub(super) fn is_plain_string(node: Node) -> bool {
    node.kind() == "string"
        && named_children(node)
            .all(|c| matches!(c.kind(), "string_start" | "string_content" | "string_end"))
}

/// The `return` statements of a function body (not of functions nested in it).
pub(super) fn returns_of(body: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![body];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "return_statement" => out.push(n),
            "function_definition" | "lambda" | "class_definition" => {}
            _ => stack.extend(named_children(n)),
        }
    }
    out
}

/// pytest-asyncio's port fixtures and anyio's equivalents (same call shape).
pub(super) const PORT_FIXTURES: &[(&str, &str)] = &[
    ("unused_tcp_port", "free_tcp_port"),
    ("unused_tcp_port_factory", "free_tcp_port_factory"),
    ("unused_udp_port", "free_udp_port"),
    ("unused_udp_port_factory", "free_udp_port_factory"),
];

/// pytest-aiohttp's fixtures: that plugin runs on pytest-asyncio.
pub(super) const AIOHTTP_FIXTURES: &[&str] = &[
    "aiohttp_client",
    "aiohttp_server",
    "aiohttp_raw_server",
    "aiohttp_client_cls",
];

/// The plugin the suite runs on takes the asyncio backend's `loop_factory` option (anyio 4.0,
/// Python 3.8): a project that still supports Python 3.7, or whose anyio requirement admits an
/// anyio 3, may run its tests on anyio 3.7, which has none (`project::deps::PLUGIN_OLDEST`).
pub(super) fn has_loop_factory(ctx: &Ctx) -> bool {
    let release = crate::target::Version(4, 0, 0);
    ctx.targets.anyio >= release
        && ctx.targets.python >= crate::target::python_floor_of_anyio(release)
}

/// A module-level pytest hook of pytest-asyncio's (`pytest_asyncio_*`, rewritten where it is a
/// one-factory loop hook, else a blocker) or its session-loop recipe in
/// `pytest_collection_modifyitems` (deleted); `None` for any other function.
fn plan_hook(ctx: &Ctx, func: Node, name: &str, decorated: Option<Node>) -> Option<Vec<Outcome>> {
    if name == "pytest_asyncio_loop_factories"
        && decorated.is_none()
        && let Some(outcome) = loop_factory_fixture(ctx, func)
    {
        return Some(vec![outcome]);
    }
    if name == "pytest_collection_modifyitems" {
        return super::loop_scope_hook::plan(ctx, func, decorated.unwrap_or(func))
            .map(|outcome| vec![outcome]);
    }
    if !name.starts_with("pytest_asyncio_") {
        return None;
    }
    Some(vec![
        Finding::manual(
            ID,
            "pytest-asyncio-hook",
            func.start_byte(),
            MESSAGES.fill("pytest-asyncio-hook", "problem", &[("name", name)]),
            if name == "pytest_asyncio_loop_factories" {
                // The one-factory hook that ignores its arguments is rewritten.
                MESSAGES.text("pytest-asyncio-hook", "factories-advice")
            } else {
                MESSAGES.text("pytest-asyncio-hook", "advice")
            },
        )
        .blocking()
        .into(),
    ])
}

pub(super) fn plan_function(ctx: &Ctx, func: Node) -> Vec<Outcome> {
    let Some(name) = func.child_by_field_name("name").map(|n| ctx.text_of(n)) else {
        return Vec::new();
    };
    let parent = ctx.parent(func);
    let decorated = parent.filter(|p| kind(*p) == "decorated_definition");
    let module_level = parent.is_some_and(|p| kind(p) == "module")
        || decorated
            .and_then(|p| ctx.parent(p))
            .is_some_and(|p| kind(p) == "module");
    if module_level && let Some(outcomes) = plan_hook(ctx, func, name, decorated) {
        return outcomes;
    }
    let check = task_check_after_yield(ctx, func, name).map(Outcome::from);
    let fixture = decorated.and_then(|d| fixture_decorator(ctx, d));
    let is_test = name.starts_with("test");
    if !is_test && fixture.is_none() {
        return check.into_iter().collect();
    }
    if matches!(name, "event_loop" | "event_loop_policy") && fixture.is_some() {
        return check.into_iter().collect();
    }
    let mut out: Vec<Outcome> = check.into_iter().collect();
    for (param, pname) in parameters(ctx, func) {
        if let Some((_, anyio_name)) = PORT_FIXTURES.iter().find(|(p, _)| *p == pname) {
            out.extend(rename_parameter(ctx, param, &pname, anyio_name));
            continue;
        }
        if AIOHTTP_FIXTURES.contains(&pname.as_str()) {
            out.push(
                Finding::manual(
                    ID,
                    "aiohttp-fixture",
                    param.start_byte(),
                    MESSAGES.fill("aiohttp-fixture", "problem", &[("pname", &pname)]),
                    MESSAGES.text("aiohttp-fixture", "advice"),
                )
                .blocking()
                .into(),
            );
            continue;
        }
        match pname.as_str() {
            "event_loop" if let Some(fix) = request_fix(ctx, func, param, is_test && fixture.is_none()) => out.push(fix.into()),
            "event_loop" => out.push(
                Finding::manual(
                    ID,
                    "event-loop-request",
                    param.start_byte(),
                    MESSAGES.text("event-loop-request", "problem"),
                    MESSAGES.text("event-loop-request", "advice"),
                ).blocking()
                .into(),
            ),
            "event_loop_policy" if module_keeps_policy_fixture(ctx) => {}
            "event_loop_policy" => out.push(
                Finding::manual(
                    ID,
                    "event-loop-policy-request",
                    param.start_byte(),
                    "requests pytest-asyncio's `event_loop_policy` fixture, which anyio's plugin does not have",
                    "drop the parameter and choose the loop in `anyio_backend`: `return (\"asyncio\", {\"loop_factory\": ...})` or `{\"use_uvloop\": True}`",
                ).blocking()
                .into(),
            ),
            _ => {}
        }
    }
    if is_test && is_async_def(func) {
        out.extend(loop_handler_finding(ctx, func).map(Outcome::from));
        out.extend(suspended_generator_finding(ctx, func).map(Outcome::from));
        out.extend(parametrized_static_test(ctx, func, decorated));
    }
    // `sync_test_outcomes` looks only at what a sync test requests (parameters, `usefixtures`):
    // the module's fixtures (a walk over the module) are looked up only for one that does.
    let requests = !parameters(ctx, func).is_empty()
        || decorated.is_some_and(|d| ctx.text_of(d).contains("usefixtures"));
    if is_test
        && fixture.is_none()
        && !is_async_def(func)
        && (requests || !module_autouse(ctx, func).is_empty())
    {
        let asyncs = async_reaching(ctx, fixture_names(ctx, true));
        out.extend(sync_test_outcomes(ctx, func, &asyncs, &[], ""));
    }
    out
}

/// A generator (a fixture, a context manager) that reads `asyncio.all_tasks()` after its
/// `yield`: a check that the block left no task running. Run as a fixture's teardown, or inside
/// one, under anyio's pytest plugin it also sees the task the plugin keeps waiting for the
/// teardown (`TestRunner._call_in_runner_task`), which pytest-asyncio did not have, so it finds
/// a task left running (checked by execution; found on an actor toolkit outside the corpus
/// whose testkit's leak check failed 180 tests after the migration). A blocker: the suite stays
/// on pytest-asyncio.
fn task_check_after_yield(ctx: &Ctx, func: Node, name: &str) -> Option<Finding> {
    if !ctx.text_of(func).contains("all_tasks") {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let first_yield = crate::analysis::syntax::own_nodes(body)
        .filter(|n| kind(*n) == "yield")
        .map(|n| n.start_byte())
        .min()?;
    let call = crate::analysis::syntax::own_nodes(body)
        .filter(|n| kind(*n) == "call" && n.start_byte() > first_yield)
        .filter(|n| {
            n.child_by_field_name("function")
                .is_some_and(|f| ctx.is(f, "asyncio.all_tasks"))
        })
        .min_by_key(tree_sitter::Node::start_byte)?;
    Some(
        Finding::manual(
            ID,
            "task-check-after-yield",
            call.start_byte(),
            format!(
                "`{name}` reads asyncio.all_tasks() after its yield: as (or inside) a fixture's teardown under anyio's pytest plugin it also sees the task the plugin keeps waiting for that teardown (`TestRunner._call_in_runner_task`), which pytest-asyncio did not have, and counts it as left running"
            ),
            "leave out the tasks that were already running when the test started and those of anyio's test runner (`t.get_coro().__qualname__.startswith(\"TestRunner.\")`), then run the migration again",
        )
        .blocking(),
    )
}

/// Whether this module defines an `event_loop_policy` fixture the run keeps (a policy per
/// parameter, `fixtures::kept_policy_fixture`): a request of it here still finds it.
fn module_keeps_policy_fixture(ctx: &Ctx) -> bool {
    let kept = named_children(ctx.tree.root_node())
        .filter(|d| kind(*d) == "decorated_definition")
        .any(|d| super::fixtures::kept_policy_fixture(ctx, d).is_some());
    kept && (super::fixtures::has_policy_override(ctx)
        || !ctx.resolver.is_bound("anyio_backend", ctx.tree.root_node()))
}

/// An async test that is a `@classmethod` or `@staticmethod` and parametrized (on itself or
/// on its class): anyio's pytest plugin (4.16) loses its parameters (setup fails with
/// `AttributeError: 'SubRequest' object has no attribute 'param'`, checked by running it),
/// where pytest-asyncio ran it. Found on throttled-py's store tests.
fn parametrized_static_test(ctx: &Ctx, func: Node, decorated: Option<Node>) -> Option<Outcome> {
    let decorated = decorated?;
    let decorators = |d: Node| {
        named_children(d)
            .filter(|c| kind(*c) == "decorator")
            .map(|c| ctx.text_of(c).to_owned())
            .collect::<Vec<_>>()
    };
    let own = decorators(decorated);
    let bound = own.iter().find(|d| {
        matches!(
            d.trim_start_matches('@').trim(),
            "classmethod" | "staticmethod"
        )
    })?;
    let class_parametrized = ctx
        .parent(decorated)
        .and_then(|block| ctx.parent(block))
        .filter(|c| kind(*c) == "class_definition")
        .and_then(|c| ctx.parent(c))
        .filter(|d| kind(*d) == "decorated_definition")
        .is_some_and(|d| decorators(d).iter().any(|t| t.contains("parametrize")));
    if !own.iter().any(|d| d.contains("parametrize")) && !class_parametrized {
        return None;
    }
    Some(
        Finding::manual(
            ID,
            "parametrized-static-test",
            func.start_byte(),
            MESSAGES.fill(
                "parametrized-static-test",
                "problem",
                &[("decorator", bound.trim_start_matches('@').trim())],
            ),
            MESSAGES.text("parametrized-static-test", "advice"),
        )
        .blocking()
        .into(),
    )
}

/// The rewrite of an async function's `event_loop` request (`name` is the parameter's name
/// node): a plain or annotated parameter only (one with a default is not a fixture request).
fn request_fix(ctx: &Ctx, func: Node, name: Node, test: bool) -> Option<crate::edit::Fix> {
    let param = match ctx.parent(name)?.kind() {
        "typed_parameter" => ctx.parent(name)?,
        "parameters" => name,
        _ => return None,
    };
    if test && !is_async_def(func) {
        return super::event_loop_request::sync_rewrite(ctx, func, param);
    }
    super::event_loop_request::rewrite(ctx, func, param)
}

/// An async test that fails an asyncio Future by hand or watches asyncio's own logger: what
/// asyncio logs through the loop's exception handler ("exception was never retrieved", errors
/// in loop callbacks), anyio's plugin re-raises in the test (asyncio backend).
pub(super) fn loop_handler_finding(ctx: &Ctx, func: Node) -> Option<Finding> {
    let body = func.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let mut stack = vec![body];
    let mut spot = None;
    while let Some(node) = stack.pop() {
        let hit = match node.kind() {
            "call" => node
                .child_by_field_name("function")
                .filter(|f| f.kind() == "attribute")
                .and_then(|f| f.child_by_field_name("attribute"))
                .is_some_and(|a| {
                    let method = ctx.text_of(a);
                    method == "set_exception"
                        || (method == "getLogger" && asyncio_literal(ctx, call_args(node).first()))
                }),
            "keyword_argument" => {
                node.child_by_field_name("name")
                    .is_some_and(|n| ctx.text_of(n) == "logger")
                    && asyncio_literal(ctx, node.child_by_field_name("value").as_ref())
            }
            // Nested functions are other code; their own tests are checked on their own.
            "function_definition" | "class_definition" | "lambda" => false,
            _ => {
                stack.extend(node.named_children(&mut cursor));
                false
            }
        };
        if hit && spot.is_none_or(|s: Node| node.start_byte() < s.start_byte()) {
            spot = Some(node);
        }
        if node.kind() == "call" || node.kind() == "keyword_argument" {
            stack.extend(node.named_children(&mut cursor));
        }
    }
    let spot = spot?;
    Some(Finding::manual(
        ID,
        "loop-exception-handler",
        spot.start_byte(),
        MESSAGES.text("loop-exception-handler", "problem"),
        MESSAGES.text("loop-exception-handler", "advice"),
    ))
}

/// An async test that advances an async generator by hand (`gen.asend(...)`, `gen.athrow(...)`,
/// `gen.__anext__()`, `anext(gen)`) and neither closes it (`gen.aclose()`, `aclosing(gen)`) nor
/// iterates it with `async for`: a generator left suspended at the test's end was closed by
/// pytest-asyncio when the test's loop closed (`shutdown_asyncgens`), so its `finally` ran
/// then; anyio's plugin runs the tests of a backend on one loop, and the generator is finalized
/// later (when it is collected, in another test or at the session's end). Checked by running
/// it: a later test that counts on that cleanup fails under anyio's plugin and passes once the
/// test closes its generator. Found on a sync/async bridge library's generator test, whose
/// cleanup then warned "coroutine ... was never awaited" under `filterwarnings = error`.
fn suspended_generator_finding(ctx: &Ctx, func: Node) -> Option<Finding> {
    let body = func.child_by_field_name("body")?;
    let mut cursor = body.walk();
    let mut stack = vec![body];
    let mut advanced: Vec<(String, Node)> = Vec::new();
    let mut closed: Vec<String> = Vec::new();
    while let Some(node) = stack.pop() {
        match node.kind() {
            "function_definition" | "class_definition" | "lambda" => continue,
            "call" => {
                let Some(function) = node.child_by_field_name("function") else {
                    continue;
                };
                let first = || {
                    call_args(node)
                        .first()
                        .filter(|a| a.kind() == "identifier")
                        .map(|a| ctx.text_of(*a).to_owned())
                };
                // `gen.asend(...)`: the receiver's name and the method's.
                let receiver = || {
                    function
                        .child_by_field_name("object")
                        .filter(|o| o.kind() == "identifier")
                        .map(|o| ctx.text_of(o).to_owned())
                };
                let callee = match function.kind() {
                    "attribute" => function
                        .child_by_field_name("attribute")
                        .map_or("", |a| ctx.text_of(a)),
                    "identifier" => ctx.text_of(function),
                    _ => "",
                };
                let method = function.kind() == "attribute";
                // The generator the call advances (`true`) or closes (`false`).
                let target = match callee {
                    "asend" | "athrow" | "__anext__" if method => Some((receiver(), true)),
                    "anext" if crate::codemods::is_builtin(ctx, function, "anext") => {
                        Some((first(), true))
                    }
                    "aclose" if method => Some((receiver(), false)),
                    // `aclosing(gen)`, `contextlib.aclosing(gen)`
                    "aclosing" => Some((first(), false)),
                    _ => None,
                };
                if let Some((Some(name), advances)) = target {
                    // Under `pytest.raises(StopAsyncIteration)` the advance ends it.
                    if advances && !ends_it(ctx, node, func) {
                        advanced.push((name, node));
                    } else {
                        closed.push(name);
                    }
                }
            }
            "for_statement" if ctx.text_of(node).starts_with("async") => {
                closed.extend(
                    node.child_by_field_name("right")
                        .filter(|r| r.kind() == "identifier")
                        .map(|r| ctx.text_of(r).to_owned()),
                );
            }
            _ => {}
        }
        stack.extend(node.named_children(&mut cursor));
    }
    let (name, spot) = advanced
        .into_iter()
        .filter(|(name, _)| !closed.contains(name))
        .min_by_key(|(_, node)| node.start_byte())?;
    Some(Finding::manual(
        ID,
        "suspended-async-generator",
        spot.start_byte(),
        MESSAGES.fill("suspended-async-generator", "problem", &[("name", &name)]),
        MESSAGES.fill("suspended-async-generator", "advice", &[("name", &name)]),
    ))
}

/// `call` runs inside a `with` block of `func` that expects `StopAsyncIteration`
/// (`pytest.raises(StopAsyncIteration)`): the generator it advances ends there.
fn ends_it(ctx: &Ctx, call: Node, func: Node) -> bool {
    ctx.ancestors(call)
        .take_while(|a| a.id() != func.id())
        .filter(|a| a.kind() == "with_statement")
        .filter_map(|w| {
            named_children(w)
                .find(|c| c.kind() == "with_clause")
                .map(|c| ctx.text_of(c))
        })
        .any(|clause| clause.contains("StopAsyncIteration"))
}

pub(super) fn asyncio_literal(ctx: &Ctx, node: Option<&Node>) -> bool {
    node.is_some_and(|n| {
        n.kind() == "string"
            && matches!(
                ctx.text_of(*n).trim_matches(|c| c == '"' || c == '\''),
                "asyncio"
            )
    })
}

/// The first release of anyio's pytest plugin with `free_tcp_port` and the other free port
/// fixtures (its Python floor is 3.9: a project that supports 3.8 runs its tests on anyio 4.5).
const FREE_PORT_FIXTURES: crate::target::Version = crate::target::Version(4, 9, 0);

/// `unused_tcp_port` → anyio's `free_tcp_port` (and the factory and UDP variants): the
/// parameter and every use of it in the function.
pub(super) fn rename_parameter(ctx: &Ctx, param: Node, old: &str, new: &str) -> Option<Outcome> {
    let func = crate::codemods::enclosing_function(ctx.resolver, param)?;
    let needs = crate::target::python_floor_of_anyio(FREE_PORT_FIXTURES);
    if ctx.targets.python < needs {
        let python = ctx.targets.python.to_string();
        return Some(
            Finding::manual(
                ID,
                "port-fixture-too-new",
                param.start_byte(),
                MESSAGES.fill(
                    "port-fixture-too-new",
                    "problem",
                    &[
                        ("old", old),
                        ("new", new),
                        ("anyio", &FREE_PORT_FIXTURES.to_string()),
                        ("needs", &needs.to_string()),
                        ("python", &python),
                    ],
                ),
                MESSAGES.fill("port-fixture-too-new", "advice", &[("python", &python)]),
            )
            .blocking()
            .into(),
        );
    }
    if ctx.resolver.is_bound(new, param) || ctx.text[func.byte_range()].contains(new) {
        return Some(
            Finding::manual(
                ID,
                "port-fixture-name-taken",
                param.start_byte(),
                format!("requests pytest-asyncio's `{old}` fixture, which anyio's plugin does not have, and `{new}` (anyio's equivalent) is already used here"),
                format!("use anyio's `{new}` fixture under a free name, or `{new}_factory()` for a second port"),
            ).blocking()
            .into(),
        );
    }
    let edits: Vec<Edit> = ctx
        .resolver
        .references(ctx.tree, old, param)
        .into_iter()
        .filter(|n| n.start_byte() >= func.start_byte() && n.end_byte() <= func.end_byte())
        .map(|n| Edit::replace(n.byte_range(), new))
        .collect();
    Some(fix(
        param,
        "port-fixture",
        Verdict::Safe,
        edits,
        Some(format!(
            "pytest-asyncio's `{old}` fixture → anyio's `{new}`"
        )),
    ))
}

/// A sync test requesting one of `asyncs` (async fixtures; `origin` says where they live):
/// anyio's plugin sets up async fixtures only for tests that use its `anyio_backend` fixture,
/// so the test gets `@pytest.mark.usefixtures("anyio_backend")` (SAFE: the fixtures run in
/// anyio's runner before the test body, as pytest-asyncio ran them in its loop; async generator
/// fixtures and module / session scopes included, `tests/projects/sync_test_async_fixture`).
/// MANUAL when `pytest` cannot be named there or a comment sits where the mark goes.
pub(super) fn sync_test_outcomes(
    ctx: &Ctx,
    func: Node,
    asyncs: &[String],
    autouse: &[String],
    origin: &str,
) -> Vec<Outcome> {
    let Some(name_node) = func.child_by_field_name("name") else {
        return Vec::new();
    };
    let name = ctx.text_of(name_node);
    if !name.starts_with("test") || is_async_def(func) {
        return Vec::new();
    }
    let holder = ctx
        .parent(func)
        .filter(|p| kind(*p) == "decorated_definition")
        .unwrap_or(func);
    let mut params = parameters(ctx, func);
    params.extend(usefixtures_names(ctx, holder));
    if params.iter().any(|(_, p)| p == "anyio_backend") {
        return Vec::new();
    }
    // An autouse fixture is requested by every test in its reach, unless one overrides it
    // with a parameter of its name.
    let own = |p: &str| params.iter().any(|(_, q)| q == p);
    let implicit: Vec<(Node, String)> = autouse
        .iter()
        .chain(&module_autouse(ctx, func))
        .filter(|a| asyncs.contains(*a) && !own(a))
        .map(|a| (name_node, a.clone()))
        .collect();
    let is_autouse = |p: &str| implicit.iter().any(|(_, q)| q == p);
    let Some((param, pname)) = params
        .into_iter()
        .chain(implicit.iter().cloned())
        .find(|(_, p)| asyncs.contains(p))
    else {
        return Vec::new();
    };
    // " (defined in conftest.py)" → " (autouse, defined in conftest.py)"; "" → " (autouse)".
    let origin = match (is_autouse(&pname), origin.strip_prefix(" (")) {
        (true, Some(rest)) => format!(" (autouse, {rest}"),
        (true, None) => " (autouse)".to_owned(),
        (false, _) => origin.to_owned(),
    };
    let origin = origin.as_str();
    if ctx.text_of(holder).contains("anyio_backend") {
        return Vec::new();
    }
    let why = MESSAGES.fill(
        "sync-test-async-fixture",
        "why",
        &[("name", name), ("pname", &pname), ("origin", origin)],
    );
    let Some((pytest, import)) = pytest_name(ctx, func) else {
        return vec![
            Finding::manual(
                ID,
                "pytest-shadowed",
                param.start_byte(),
                format!("{why}, and the name `pytest` means something else here"),
                format!("mark the test `@pytest.mark.usefixtures(\"anyio_backend\")`, or make it `async def {name}(...)`"),
            )
            .blocking()
            .into(),
        ];
    };
    let indent = crate::source::line_indent(ctx.text, holder.start_byte());
    let mut edits = vec![Edit::insert(
        holder.start_byte(),
        format!("@{pytest}.mark.usefixtures(\"anyio_backend\")\n{indent}"),
    )];
    edits.extend(import);
    vec![fix(
        param,
        "sync-test-async-fixture",
        Verdict::Safe,
        edits,
        Some(MESSAGES.fill("sync-test-async-fixture", "note", &[("why", &why)])),
    )]
}

/// The fixtures a `@pytest.mark.usefixtures("a", "b")` decorator of `holder` names, each with
/// its string.
fn usefixtures_names<'t>(ctx: &Ctx, holder: Node<'t>) -> Vec<(Node<'t>, String)> {
    if kind(holder) != "decorated_definition" {
        return Vec::new();
    }
    named_children(holder)
        .filter(|d| kind(*d) == "decorator")
        .filter_map(|d| named_children(d).next())
        .filter(|c| kind(*c) == "call")
        .filter(|c| {
            c.child_by_field_name("function")
                .is_some_and(|f| ctx.text_of(f).ends_with("mark.usefixtures"))
        })
        .flat_map(|c| call_args(c))
        .filter(|a| kind(*a) == "string" && !named_children(*a).any(|p| kind(p) == "interpolation"))
        .map(|a| {
            let name = ctx
                .text_of(a)
                .trim_matches(|c| c == '"' || c == '\'')
                .to_owned();
            (a, name)
        })
        .collect()
}

/// Sync tests of a module that request async fixtures of a `conftest.py` (`asyncs`), unless
/// the module defines a fixture of that name itself: each is marked to use `anyio_backend`
/// (see `sync_test_outcomes`; positions in `ctx`'s text).
pub fn conftest_fixture_outcomes(
    ctx: &Ctx,
    asyncs: &[String],
    autouse: &[String],
    conftest: &str,
) -> Vec<Outcome> {
    let own = fixture_names(ctx, false);
    let asyncs: Vec<String> = asyncs
        .iter()
        .filter(|a| !own.contains(a))
        .cloned()
        .collect();
    sync_tests_requesting(ctx, asyncs, autouse, &format!(" (defined in {conftest})"))
}

/// Sync tests of a module that request fixtures of the module itself a project pass makes async
/// (`asyncs`): each is marked to use `anyio_backend`, as `conftest_fixture_outcomes`.
pub fn own_fixture_outcomes(ctx: &Ctx, asyncs: &[String]) -> Vec<Outcome> {
    sync_tests_requesting(ctx, asyncs.to_vec(), &[], "")
}

/// The sync tests of the module that request one of `asyncs` (or a fixture of the module built
/// on one), each marked or reported (`sync_test_outcomes`), in the module's order.
fn sync_tests_requesting(
    ctx: &Ctx,
    asyncs: Vec<String>,
    autouse: &[String],
    origin: &str,
) -> Vec<Outcome> {
    if asyncs.is_empty() {
        return Vec::new();
    }
    // The module's own fixtures built on them need anyio's plugin too.
    let asyncs = async_reaching(ctx, asyncs);
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match n.kind() {
            "module" | "block" => stack.extend(named_children(n)),
            "class_definition" => stack.extend(n.child_by_field_name("body")),
            "decorated_definition" => stack.extend(n.child_by_field_name("definition")),
            "function_definition" => {
                let is_fixture = ctx
                    .parent(n)
                    .filter(|p| p.kind() == "decorated_definition")
                    .and_then(|d| fixture_decorator(ctx, d))
                    .is_some();
                if !is_fixture {
                    out.extend(sync_test_outcomes(ctx, n, &asyncs, autouse, origin));
                }
            }
            _ => {}
        }
    }
    let at = |o: &Outcome| match o {
        Outcome::Fix(f) => f.at,
        Outcome::Finding(f) => f.at,
    };
    out.sort_by_key(at);
    out
}

/// Plain parameter names of a function, with their nodes.
pub fn parameters<'t>(ctx: &Ctx, func: Node<'t>) -> Vec<(Node<'t>, String)> {
    let Some(params) = func.child_by_field_name("parameters") else {
        return Vec::new();
    };
    named_children(params)
        .filter_map(|p| {
            let name = match p.kind() {
                "identifier" => Some(p),
                "default_parameter" | "typed_default_parameter" => p.child_by_field_name("name"),
                "typed_parameter" => named_children(p).find(|c| c.kind() == "identifier"),
                _ => None,
            }?;
            Some((name, ctx.text_of(name).to_owned()))
        })
        .collect()
}

/// `seeds` (async fixtures) and every fixture of this module that needs one of them, directly
/// or through other fixtures of the module (`def repo(db)` with `db` async): a sync test that
/// requests any of these needs anyio's plugin to set an async fixture up.
pub fn async_reaching(ctx: &Ctx, seeds: Vec<String>) -> Vec<String> {
    let mut reach = seeds;
    let sync: Vec<(String, Vec<String>)> = fixture_defs(ctx)
        .into_iter()
        .filter(|(_, def)| !is_async_def(*def))
        .map(|(name, def)| {
            let params = parameters(ctx, def).into_iter().map(|(_, p)| p).collect();
            (name, params)
        })
        .collect();
    loop {
        let grown: Vec<String> = sync
            .iter()
            .filter(|(name, params)| {
                !reach.contains(name) && params.iter().any(|p| reach.contains(p))
            })
            .map(|(name, _)| name.clone())
            .collect();
        if grown.is_empty() {
            return reach;
        }
        reach.extend(grown);
    }
}

/// Names of the fixtures (the async ones only, with `only_async`) defined in this module, at
/// module level or in a class.
pub fn fixture_names(ctx: &Ctx, only_async: bool) -> Vec<String> {
    fixture_defs(ctx)
        .into_iter()
        .filter(|(_, def)| !only_async || is_async_def(*def))
        .map(|(name, _)| name)
        .collect()
}

/// The autouse fixtures of this module that apply to `test`: the module's own, and those of
/// the class `test` is defined in.
fn module_autouse(ctx: &Ctx, test: Node) -> Vec<String> {
    let class = crate::analysis::syntax::enclosing_class(ctx.resolver, test);
    fixture_defs(ctx)
        .into_iter()
        .filter(|(_, def)| is_autouse(ctx, *def))
        .filter(|(_, def)| {
            let owner = crate::analysis::syntax::enclosing_class(ctx.resolver, *def);
            owner.is_none() || owner.map(|o| o.id()) == class.map(|c| c.id())
        })
        .map(|(name, _)| name)
        .collect()
}

/// The module-level autouse fixtures of this module (a conftest.py's apply to every test below
/// it).
pub fn autouse_fixture_names(ctx: &Ctx) -> Vec<String> {
    fixture_defs(ctx)
        .into_iter()
        .filter(|(_, def)| {
            is_autouse(ctx, *def)
                && crate::analysis::syntax::enclosing_class(ctx.resolver, *def).is_none()
        })
        .map(|(name, _)| name)
        .collect()
}

/// The fixture `def`'s decorator says `autouse=True`.
fn is_autouse(ctx: &Ctx, def: Node) -> bool {
    ctx.parent(def)
        .filter(|d| kind(*d) == "decorated_definition")
        .and_then(|d| fixture_decorator(ctx, d))
        .filter(|call| kind(*call) == "call")
        .is_some_and(|call| {
            crate::codemods::keyword_arg(call, ctx.text, "autouse")
                .is_some_and(|v| kind(v) == "true")
        })
}

/// The fixtures defined in this module (module level or in a class): name and `def`.
fn fixture_defs<'t>(ctx: &Ctx<'t>) -> Vec<(String, Node<'t>)> {
    // A fixture's decorator resolves to `pytest.fixture` or `pytest_asyncio.fixture`: without
    // an import from either there is none, and no walk over the module.
    if !ctx.resolver.imports_from("pytest") && !ctx.resolver.imports_from("pytest_asyncio") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        match kind(n) {
            "module" | "block" => stack.extend(named_children(n)),
            "class_definition" => stack.extend(n.child_by_field_name("body")),
            "decorated_definition" => {
                let Some(def) = n.child_by_field_name("definition") else {
                    continue;
                };
                if kind(def) == "class_definition" {
                    stack.extend(def.child_by_field_name("body"));
                    continue;
                }
                if let Some(dec) = fixture_decorator(ctx, n)
                    && let Some(name) = fixture_name(ctx, dec, def)
                {
                    out.push((name, def));
                }
            }
            _ => {}
        }
    }
    out
}
