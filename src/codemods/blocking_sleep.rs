//! blocking-sleep: `time.sleep(x)` directly in an `async def` body → `await anyio.sleep(x)` (spec §6).

use super::{Captures, Ctx, call_args, positional_args};
use crate::codemods::shared::catalogue::messages;
use crate::codemods::shared::coroutine;
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use tree_sitter::Node;

const ID: &str = "blocking-sleep";

messages!("blocking-sleep");

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    if !ctx.is(callee, "time.sleep") {
        return Vec::new();
    }
    // Only code that runs in the coroutine itself: a nested def, lambda or class body is
    // ordinary synchronous code (often run in a worker thread), where blocking is intended.
    let Some(context) = coroutine::running_async_def(ctx, call) else {
        return Vec::new();
    };
    if coroutine::inside_generator_expression(ctx, call, context) {
        return vec![manual(
            call,
            "in-generator",
            "time.sleep inside a generator expression in an async def blocks the event loop; \
             an await there would turn it into an async generator",
            "replace the generator with a `for` loop whose body runs `await anyio.sleep(x)`",
        )];
    }
    if let Some(with) = coroutine::inside_sync_with(ctx, call, context) {
        return vec![manual(
            call,
            "in-sync-with",
            &MESSAGES.fill(
                "in-sync-with",
                "why",
                &[(
                    "header",
                    ctx.text_of(with)
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches(':'),
                )],
            ),
            MESSAGES.text("in-sync-with", "fix"),
        )];
    }
    // Test code that blocks the loop usually means to: a slow callback for the loop's debug
    // mode, a race, a wait for a thread (every `time.sleep` in an `async def` of the test
    // suites checked so far said so: "Block purposefully", "blocks_event_loop").
    if ctx.path.is_some_and(crate::source::is_test_code) {
        return vec![manual(
            call,
            "in-test",
            MESSAGES.text("in-test", "why"),
            MESSAGES.text("in-test", "fix"),
        )];
    }
    let args = call_args(call);
    if args.len() != 1 || positional_args(call).len() != 1 {
        return vec![manual(
            call,
            "unknown-arguments",
            "time.sleep in an async def called with unpacked or unusual arguments",
            "pass the delay as one argument: `await anyio.sleep(delay)`",
        )];
    }
    // `await` is added only where the call is a statement of its own: there its value (always
    // None) is discarded and no surrounding expression changes meaning.
    let is_statement = crate::analysis::syntax::own_statement(ctx.resolver, call).is_some();
    if !is_statement {
        return vec![manual(
            call,
            "in-expression",
            "time.sleep used inside a larger expression in an async def blocks the event loop",
            "make the sleep a statement of its own, `await anyio.sleep(x)`, and use None where \
             its value was used",
        )];
    }
    // time.sleep(negative) raises ValueError; anyio.sleep does so from 4.16 on only.
    let delay = args[0];
    let non_negative = delay.kind() == "integer" || delay.kind() == "float";
    let note = if ctx
        .targets
        .has(crate::target::api::Api::NegativeSleepRaises)
        || non_negative
    {
        MESSAGES.text("time-sleep", "note").to_owned()
    } else {
        format!(
            "{}; a negative delay no longer raises ValueError (anyio < 4.16 returns at once)",
            MESSAGES.text("time-sleep", "note")
        )
    };
    let fix = Fix::new(
        ID,
        "time-sleep",
        call.start_byte(),
        Verdict::Unsafe,
        vec![Edit::replace(callee.byte_range(), "await anyio.sleep")],
    )
    .note(note);
    vec![fix.into()]
}

fn manual(call: Node, kind: &'static str, why: &str, suggestion: &str) -> Outcome {
    Finding::manual(ID, kind, call.start_byte(), why, suggestion).into()
}
