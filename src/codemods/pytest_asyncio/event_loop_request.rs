//! An async test or async fixture that requests pytest-asyncio's `event_loop` fixture: the
//! loop it got is the one running it, so the request becomes `event_loop =
//! asyncio.get_running_loop()` at the top of the body (or is dropped when the body never reads
//! the name). Under anyio's plugin the test and its fixtures run on one loop, the same as
//! `asyncio.get_running_loop()` there (asyncio backend; on trio the line raises, and
//! asyncio-loop reports the loop's uses with their replacements).
//!
//! Preconditions (else the request stays a MANUAL blocker): the function is an `async def`
//! whose parameter list keeps a parameter after a bare `*` and before a `/` once the request is
//! removed; `event_loop` is a plain parameter (no
//! default, annotation allowed) that nothing in the body rebinds; and `asyncio` is the module
//! there (imported by the file, not rebound). A marker's `loop_scope` is dropped by its own
//! (UNSAFE) rewrite: the test then runs on a loop of its own, and `event_loop` is that loop.

use super::ID;
use super::MESSAGES;
use crate::codemods::Ctx;
use crate::edit::{Edit, Fix, Verdict};
use crate::resolve::named_children;
use tree_sitter::Node;

/// The fix for a request of `event_loop` by `func` (`param`: the parameter node), or None when a
/// precondition does not hold.
pub(super) fn rewrite(ctx: &Ctx, func: Node, param: Node) -> Option<Fix> {
    if !crate::analysis::syntax::is_async_def(func) || !plain_request(ctx, param) {
        return None;
    }
    if ctx.resolver.resolve_name("asyncio", func).as_deref() != Some("asyncio") {
        return None;
    }
    let body = func.child_by_field_name("body")?;
    let reads = ctx
        .resolver
        .identifiers_within("event_loop", body.byte_range());
    if reads
        .iter()
        .any(|r| crate::analysis::bindings::is_binding_site(ctx.resolver, *r))
    {
        return None;
    }
    let mut edits = vec![Edit::delete(parameter_range(ctx, param))];
    if !reads.is_empty() {
        let first = named_children(body).find(|s| s.kind() != "comment")?;
        let docstring = first.kind() == "expression_statement"
            && named_children(first)
                .next()
                .is_some_and(|e| e.kind() == "string");
        let before = if docstring {
            named_children(body)
                .filter(|s| s.kind() != "comment")
                .nth(1)
        } else {
            Some(first)
        };
        let line = "event_loop = asyncio.get_running_loop()";
        edits.push(match before {
            Some(stmt) if stmt.start_position().row > func.start_position().row => {
                crate::codemods::insert_line_before(ctx.text, stmt, line)
            }
            // The body is a docstring alone, or on the `def` line: nothing reads the name.
            _ => return None,
        });
    }
    Some(
        Fix::new(
            ID,
            "running-loop-request",
            param.start_byte(),
            Verdict::SafeEdge,
            edits,
        )
        .note(MESSAGES.text("running-loop-request", "note"))
        .needs_only(&[]),
    )
}

/// The rewrite of a sync test's request of `event_loop` (`param`: the parameter node) when the
/// test only drives one coroutine on it: `event_loop.run_until_complete(c(...))` as the one use
/// of the name, in the test's own body (not in a nested function or a loop), `c(...)` a call the
/// awaitable analysis shows to make a coroutine. It becomes `asyncio.run(c(...))` (which
/// asyncio-run then migrates): the call got a fresh loop from pytest-asyncio, and gets one from
/// `asyncio.run`. Several calls would share their loop (objects bound to it, tasks left
/// running), which separate `asyncio.run` calls would not: those stay MANUAL.
pub(super) fn sync_rewrite(ctx: &Ctx, func: Node, param: Node) -> Option<Fix> {
    if crate::analysis::syntax::is_async_def(func) || !plain_request(ctx, param) {
        return None;
    }
    if !only_sync_fixtures(ctx, func) {
        return None;
    }
    // `asyncio.run` below: `import asyncio` added where the name is free (asyncio-run then makes
    // it `anyio.run`, and the import goes again once nothing uses it).
    let import = super::references::asyncio_import(ctx, func)?;
    let body = func.child_by_field_name("body")?;
    let [use_] = ctx
        .resolver
        .identifiers_within("event_loop", body.byte_range())[..]
    else {
        return None;
    };
    let attribute = ctx.parent(use_).filter(|a| {
        a.kind() == "attribute"
            && a.child_by_field_name("object")
                .is_some_and(|o| o.id() == use_.id())
            && a.child_by_field_name("attribute")
                .is_some_and(|m| ctx.text_of(m) == "run_until_complete")
    })?;
    let call = ctx.parent(attribute).filter(|c| c.kind() == "call")?;
    let args = call.child_by_field_name("arguments")?;
    let [coro] = named_children(args).collect::<Vec<_>>()[..] else {
        return None;
    };
    if coro.kind() != "call"
        || crate::analysis::awaitable::of_call(ctx.code(), coro)
            != crate::analysis::awaitable::Awaitable::Coroutine
    {
        return None;
    }
    // Run once, by the test itself: no loop, comprehension or nested scope around the call.
    let repeated = ctx
        .ancestors(call)
        .take_while(|up| up.id() != func.id())
        .any(|up| {
            matches!(
                up.kind(),
                "for_statement"
                    | "while_statement"
                    | "list_comprehension"
                    | "set_comprehension"
                    | "dictionary_comprehension"
                    | "generator_expression"
                    | "lambda"
                    | "function_definition"
                    | "class_definition"
            )
        });
    if repeated {
        return None;
    }
    Some(
        Fix::new(
            ID,
            "sync-loop-request",
            param.start_byte(),
            Verdict::SafeEdge,
            [
                Edit::delete(parameter_range(ctx, param)),
                Edit::replace(attribute.byte_range(), "asyncio.run"),
            ]
            .into_iter()
            .chain(import)
            .collect(),
        )
        .note(MESSAGES.text("sync-loop-request", "note"))
        .needs_only(&[]),
    )
}

/// pytest's own fixtures, all sync.
const BUILTIN_FIXTURES: &[&str] = &[
    "cache",
    "capfd",
    "capfdbinary",
    "caplog",
    "capsys",
    "capsysbinary",
    "doctest_namespace",
    "monkeypatch",
    "pytestconfig",
    "record_property",
    "record_testsuite_property",
    "record_xml_attribute",
    "recwarn",
    "request",
    "tmp_path",
    "tmp_path_factory",
    "tmpdir",
    "tmpdir_factory",
];

/// Fixtures of common pytest plugins, all sync functions that touch no event loop (each
/// release's source): pytest-benchmark's `benchmark` / `benchmark_weave` (pytest-codspeed's
/// `benchmark` too), pytest-mock's `mocker` and its scoped variants.
const PLUGIN_FIXTURES: &[&str] = &[
    "benchmark",
    "benchmark_weave",
    "mocker",
    "class_mocker",
    "module_mocker",
    "package_mocker",
    "session_mocker",
];

/// Every other fixture the test requests is sync and sets up nothing on the test's loop: one of
/// pytest's own or of a plugin in `PLUGIN_FIXTURES`, or a sync fixture of this module that
/// requests no async one. An async fixture
/// ran on pytest-asyncio's `event_loop`, the loop the coroutine ran on; objects it made would
/// now belong to another loop than `asyncio.run`'s. A fixture of a conftest or a plugin is not
/// seen here, so it keeps the request MANUAL (one that shadows a name above is not looked for).
fn only_sync_fixtures(ctx: &Ctx, func: Node) -> bool {
    let holder = ctx
        .parent(func)
        .filter(|p| p.kind() == "decorated_definition")
        .unwrap_or(func);
    if ctx.text_of(holder).contains("usefixtures") {
        return false;
    }
    let fixtures = super::functions::fixture_names(ctx, false);
    let asyncs = super::functions::async_reaching(ctx, super::functions::fixture_names(ctx, true));
    let parametrized = parametrized_names(ctx, holder);
    super::functions::parameters(ctx, func)
        .iter()
        .filter(|(_, name)| name != "event_loop" && name != "self")
        .filter(|(_, name)| !parametrized.contains(name))
        .all(|(_, name)| {
            if fixtures.contains(name) {
                !asyncs.contains(name)
            } else {
                BUILTIN_FIXTURES.contains(&name.as_str())
                    || PLUGIN_FIXTURES.contains(&name.as_str())
            }
        })
}

/// The argument names of the `@pytest.mark.parametrize("a, b", ...)` decorators of `holder`
/// (a string of names, or a list or tuple of name strings): plain values, no fixtures. A
/// parametrize with `indirect=` hands its values to fixtures of those names, so it gives none.
fn parametrized_names(ctx: &Ctx, holder: Node) -> Vec<String> {
    let mut out = Vec::new();
    if holder.kind() != "decorated_definition" {
        return out;
    }
    for decorator in named_children(holder).filter(|d| d.kind() == "decorator") {
        let Some(call) = decorator.named_child(0).filter(|c| c.kind() == "call") else {
            continue;
        };
        let parametrize = call
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "pytest.mark.parametrize"));
        if !parametrize || crate::codemods::keyword_arg(call, ctx.text, "indirect").is_some() {
            continue;
        }
        let Some(first) = crate::codemods::call_args(call).into_iter().next() else {
            continue;
        };
        let strings: Vec<Node> = match first.kind() {
            "string" => vec![first],
            "list" | "tuple" => named_children(first).collect(),
            _ => continue,
        };
        for string in strings.into_iter().filter(|s| s.kind() == "string") {
            let text = ctx.text_of(string);
            let inner = text.trim_matches(|c| c == '"' || c == '\'');
            out.extend(
                inner
                    .split(',')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(str::to_owned),
            );
        }
    }
    out
}

/// A request by a plain or annotated parameter whose removal leaves the list valid: a bare `*`
/// keeps a parameter after it, a `/` one before it (`def f(*, event_loop)` would become the
/// syntax error `def f(*)`).
fn plain_request(ctx: &Ctx, param: Node) -> bool {
    if !matches!(param.kind(), "identifier" | "typed_parameter") {
        return false;
    }
    let Some(params) = ctx.parent(param) else {
        return false;
    };
    let list: Vec<Node> = named_children(params)
        .filter(|p| p.kind() != "comment")
        .collect();
    let Some(at) = list.iter().position(|p| p.id() == param.id()) else {
        return false;
    };
    let others = |range: &[Node]| range.iter().any(|p| p.id() != param.id());
    list.iter().enumerate().all(|(i, p)| match p.kind() {
        "keyword_separator" => i > at || others(&list[i + 1..]),
        "positional_separator" => i < at || others(&list[..i]),
        _ => true,
    })
}

/// A parameter with the comma and spaces that separate it from its neighbour.
pub fn parameter_range(ctx: &Ctx, param: Node) -> std::ops::Range<usize> {
    if let Some(comma) = param.next_sibling().filter(|n| n.kind() == ",") {
        let mut end = comma.end_byte();
        end += ctx.text[end..].len() - ctx.text[end..].trim_start_matches(' ').len();
        return param.start_byte()..end;
    }
    if let Some(comma) = param.prev_sibling().filter(|n| n.kind() == ",") {
        return comma.start_byte()..param.end_byte();
    }
    param.byte_range()
}
