//! asyncio-sleep: `asyncio.sleep` → `anyio.sleep` (spec §6).

use super::{
    Captures, Ctx, awaited_by, call_args, enclosing_statement, fresh_name, insert_line_before,
    is_simple, keyword_arg, non_negative_literal, on_own_line, positional_args,
};
use crate::analysis::patches::{self, TwinSite};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use tree_sitter::Node;

const ID: &str = "asyncio-sleep";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_reference(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if let Some((target, _)) = super::shared::timeouts::patched_asyncio(ctx, call, &["sleep"]) {
        if ctx.patches.twinned("asyncio.sleep").is_some()
            && let Some((site, twin, done)) = patches::twin_site(ctx.code(), call)
        {
            return if done {
                Vec::new()
            } else {
                vec![twin_fix(ctx, site, twin).into()]
            };
        }
        return vec![
            Finding::manual(
                ID,
                "test-patch",
                target.start_byte(),
                "this test patches `asyncio.sleep`: a migrated call (`anyio.sleep`) would bypass the patch, so the calls it reaches in the code of this run are left as they are, each reported where it is",
                super::shared::messages::PATCH_HINT,
            )
            .into(),
        ];
    }
    if !ctx.is(callee, "asyncio.sleep") {
        return Vec::new();
    }
    let positional = positional_args(call);
    let delay = positional
        .first()
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "delay"));
    let result = positional
        .get(1)
        .copied()
        .or_else(|| keyword_arg(call, ctx.text, "result"));
    if call_args(call).len() != usize::from(delay.is_some()) + usize::from(result.is_some()) {
        return vec![manual(
            call,
            "unknown-arguments",
            "asyncio.sleep called with unpacked or unknown arguments",
        )];
    }
    let Some(delay) = delay else {
        return vec![manual(
            call,
            "no-delay",
            "asyncio.sleep called without a delay",
        )];
    };
    let mut edits = Vec::new();
    let kind: &'static str = if is_infinite(ctx, delay) {
        "sleep-forever"
    } else if non_negative_literal(ctx.text_of(delay)) {
        "sleep"
    } else {
        "negative-delay"
    };
    if kind == "sleep-forever" {
        edits.push(Edit::replace(
            callee.start_byte()..call.end_byte(),
            "anyio.sleep_forever()",
        ));
    } else {
        edits.push(Edit::replace(callee.byte_range(), "anyio.sleep"));
        if kind == "negative-delay" {
            // anyio 4.16 raises ValueError on negative delays; asyncio returned at once.
            edits.push(Edit::insert(delay.start_byte(), "max(0, "));
            edits.push(Edit::insert(delay.end_byte(), ")"));
        }
        if let Some(result) = result {
            // Drop `, result` (and the keyword, if any): anyio.sleep has no such parameter.
            let arg = if ctx
                .parent(result)
                .is_some_and(|p| p.kind() == "keyword_argument")
            {
                ctx.parent(result).unwrap_or(result)
            } else {
                result
            };
            edits.push(Edit::delete(delay_end(ctx, delay)..arg.end_byte()));
        }
    }
    let Some(result) = result else {
        return vec![Fix::new(ID, kind, call.start_byte(), Verdict::Safe, edits).into()];
    };
    match result_form(ctx, call, result, &edits) {
        Some(fix) => vec![fix.into()],
        // Not a statement of its own (a coroutine passed on, an await inside an expression):
        // the call keeps its arguments and gets asyncio's signature from the helper.
        None => vec![helper_fix(ctx, callee, "sleep-result-helper")],
    }
}

/// A test's patch of `asyncio.sleep` whose replacement is put on `anyio.sleep` too (every
/// patch of it in the run has a form `patches::twin_site` knows): the migrated calls go
/// through `anyio.sleep` and stay in the patch's reach, the calls left on `asyncio.sleep` (a
/// library the run does not migrate) still see it (`docs/evidence/sleep_patch_twin.py`).
fn twin_fix(ctx: &Ctx, site: TwinSite, twin: &str) -> Fix {
    let code = ctx.code();
    let (at, edits) = match site {
        TwinSite::Mocker { call, .. } => (
            call.start_byte(),
            vec![
                Edit::insert(
                    call.start_byte(),
                    patches::twin_text(code, site, twin, None),
                ),
                Edit::insert(call.end_byte(), ")"),
            ],
        ),
        TwinSite::Setattr { statement, .. } => (
            statement.start_byte(),
            vec![line_after(
                ctx,
                statement,
                &patches::twin_text(code, site, twin, None),
            )],
        ),
        TwinSite::Decorator { decorator, .. } => {
            let mut edits = vec![line_after(
                ctx,
                decorator,
                &patches::twin_text(code, site, twin, None),
            )];
            // The twin site has checked that the name is free or already the helper.
            if let Ok(helper) =
                super::module_helper(ctx, decorator, patches::SLEEP_NOW, SLEEP_NOW_HELPER)
            {
                edits.extend(helper);
            }
            (decorator.start_byte(), edits)
        }
        TwinSite::WithItem {
            item, call, alias, ..
        } => {
            let mut edits = Vec::new();
            let name = if let Some(alias) = alias {
                ctx.text_of(alias).to_owned()
            } else {
                let name = fresh_name(ctx.text, "sleep_patch");
                edits.push(Edit::insert(call.end_byte(), format!(" as {name}")));
                name
            };
            let line = patches::twin_text(code, site, twin, Some(&name));
            edits.push(Edit::insert(item.end_byte(), format!(", {line}")));
            (call.start_byte(), edits)
        }
    };
    let what = if matches!(site, TwinSite::Decorator { .. }) {
        "a function that calls whatever `asyncio.sleep` is then, the test's mock while it runs, installed and undone with it"
    } else {
        "the same object, installed and undone together"
    };
    Fix::new(ID, "patch-twin", at, Verdict::Unsafe, edits)
        .needs_only(&[])
        .note(format!(
        "the test's replacement of `asyncio.sleep` is put on `{twin}` as well ({what}): the migrated calls (`{twin}(...)`) stay in its reach and the calls left on `asyncio.sleep` still see it; code that already called `{twin}` (a library built on anyio) is replaced too while the patch is on, and a computed delay reaches the replacement as `max(0, delay)`"
    ))
}

/// `line` on a line of its own after the one `node` ends on (after a comment there), with
/// `node`'s indentation.
fn line_after(ctx: &Ctx, node: Node, line: &str) -> Edit {
    let mut end = crate::source::line_end(ctx.text, node.end_byte());
    if ctx.text[..end].ends_with('\r') {
        end -= 1;
    }
    let indent = crate::source::line_indent(ctx.text, node.start_byte());
    Edit::insert(end, format!("\n{indent}{line}"))
}

/// What a decorator's twin puts on `anyio.sleep`: a function that calls whatever
/// `asyncio.sleep` is at the time (the test's mock while the test runs). It reaches asyncio
/// through `__import__` and `getattr`, so a file that never imported asyncio needs no import,
/// and no codemod takes its call for one of `asyncio.sleep`.
const SLEEP_NOW_HELPER: &str =
    include_str!("../../codemods/asyncio-sleep/helpers/asyncio_sleep_now.py");

/// The helper `asyncio.sleep` passed as a value becomes: asyncio's signature on anyio.
const SLEEP_HELPER: &str = include_str!("../../codemods/asyncio-sleep/helpers/asyncio_sleep.py");

/// `asyncio.sleep` used as a value (`partial(asyncio.sleep, 0.1)`, a callback list): its
/// callers may pass `result` or a negative delay, which `anyio.sleep` does not take, so it
/// becomes `_asyncio_sleep`, a module helper with asyncio's signature (the same names, so
/// `delay=` / `result=` keywords work too).
fn plan_reference(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    if !ctx.is(reference, "asyncio.sleep") {
        return Vec::new();
    }
    vec![helper_fix(ctx, reference, "sleep-as-value")]
}

/// `reference` (`asyncio.sleep` as a value, or the callee of `asyncio.sleep(delay, result)`
/// whose result is not a statement's own) → `_asyncio_sleep`, the helper defined once at
/// module level; MANUAL when that name is taken.
fn helper_fix(ctx: &Ctx, reference: Node, kind: &'static str) -> Outcome {
    const NAME: &str = "_asyncio_sleep";
    let Ok(helper) = super::module_helper(ctx, reference, NAME, SLEEP_HELPER) else {
        return Finding::manual(
            ID,
            "helper-name-taken",
            reference.start_byte(),
            format!("`asyncio.sleep` needs asyncio's signature here (passed as a value, or with a `result` used inside an expression), and the name `{NAME}` for the helper with that signature is already used"),
            format!("rename the existing `{NAME}`, then run again; or define `{SLEEP_HELPER}` yourself, at module level"),
        )
        .into();
    };
    let mut edits = vec![Edit::replace(reference.byte_range(), NAME)];
    edits.extend(helper);
    let at = reference.start_byte();
    match kind {
        "sleep-as-value" => Fix::new(ID, "sleep-as-value", at, Verdict::Safe, edits),
        _ => Fix::new(ID, "sleep-result-helper", at, Verdict::Safe, edits),
    }
    .into()
}

/// End of the delay argument (or of its `delay=` keyword argument).
fn delay_end(ctx: &Ctx, delay: Node) -> usize {
    ctx.parent(delay)
        .filter(|p| p.kind() == "keyword_argument")
        .unwrap_or(delay)
        .end_byte()
}

/// `math.inf`, `float("inf")`: sleep forever.
fn is_infinite(ctx: &Ctx, delay: Node) -> bool {
    if ctx.is(delay, "math.inf") {
        return true;
    }
    let text = ctx.text_of(delay).replace(' ', "");
    matches!(text.as_str(), "float('inf')" | "float(\"inf\")")
        && delay
            .child_by_field_name("function")
            .is_some_and(|f| ctx.resolver.qualified(f).is_none())
}

/// `v = await asyncio.sleep(x, result)` → `await anyio.sleep(x)` then `v = result`, with a
/// temporary evaluated before the sleep when `result` is not a plain name or literal; `None`
/// when the await is not the whole value of a statement on its own line.
fn result_form(ctx: &Ctx, call: Node, result: Node, edits: &[Edit]) -> Option<Fix> {
    let awaited = awaited_by(ctx.resolver, call)?;
    let stmt = enclosing_statement(ctx.resolver, awaited)?;
    if !on_own_line(ctx.text, stmt) {
        return None;
    }
    // The await must be the statement's whole value, so moving it first keeps the order.
    let top = matches!(stmt.kind(), "expression_statement" | "return_statement")
        && stmt.named_child(0).is_some_and(|c| {
            c.id() == awaited.id()
                || (c.kind() == "assignment"
                    && c.child_by_field_name("right")
                        .is_some_and(|r| r.id() == awaited.id()))
        });
    if !top {
        return None;
    }
    let sleep_text = crate::edit::splice_within(ctx.text, awaited.byte_range(), edits);
    let discarded = stmt.kind() == "expression_statement"
        && stmt.named_child(0).is_some_and(|c| c.id() == awaited.id());
    let result_text = ctx.text_of(result);
    let mut fix_edits = Vec::new();
    if discarded {
        if !is_simple(result) {
            fix_edits.push(insert_line_before(ctx.text, stmt, result_text));
        }
        fix_edits.push(Edit::replace(awaited.byte_range(), sleep_text));
    } else if is_simple(result) {
        fix_edits.push(insert_line_before(ctx.text, stmt, &sleep_text));
        fix_edits.push(Edit::replace(awaited.byte_range(), result_text));
    } else {
        let temp = fresh_name(ctx.text, "sleep_result");
        fix_edits.push(insert_line_before(
            ctx.text,
            stmt,
            &format!("{temp} = {result_text}"),
        ));
        fix_edits.push(insert_line_before(ctx.text, stmt, &sleep_text));
        fix_edits.push(Edit::replace(awaited.byte_range(), temp));
    }
    // Two inserts at the same point: merge them so their order is fixed.
    let mut merged: Vec<Edit> = Vec::new();
    for e in fix_edits {
        match merged.last_mut() {
            Some(last) if last.range == e.range && last.range.is_empty() => {
                last.text.push_str(&e.text);
            }
            _ => merged.push(e),
        }
    }
    Some(Fix::new(
        ID,
        "sleep-result",
        call.start_byte(),
        Verdict::Safe,
        merged,
    ))
}

fn manual(call: Node, kind: &'static str, why: &str) -> Outcome {
    Finding::manual(
        ID,
        kind,
        call.start_byte(),
        why,
        "anyio.sleep takes only a delay: `await anyio.sleep(max(0, delay))`, then use the result value directly",
    )
    .into()
}
