//! blocking-io: blocking I/O that an `async def` runs itself → anyio's async forms.
//! `subprocess.run` / `call` / `check_call` / `check_output` → `await anyio.run_process(...)`
//! with subprocess' defaults spelled out; `with open(...) as f:` whose file is used only through
//! its I/O methods → `async with await anyio.open_file(...) as f:` with those methods awaited;
//! a `pathlib.Path`'s I/O methods → `await anyio.Path(p).method(...)` (`paths.rs`); `requests`'
//! request functions → the same call in a worker thread (`threads.rs`).

mod paths;
mod threads;

use super::{Captures, Ctx, call_args};
use crate::analysis::awaitable::assigned_value;
use crate::analysis::bindings::is_binding_site;
use crate::analysis::syntax::{field_is, inside, with_of_item_call};
use crate::codemods::shared::catalogue::messages;
use crate::codemods::shared::{coroutine, release};
use crate::edit::{Edit, Finding, Fix, Outcome, Verdict};
use crate::resolve::named_children;
use crate::target::api::Api;
use tree_sitter::Node;

pub(super) const ID: &str = "blocking-io";

messages!("blocking-io", pub(super));

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let api = ctx.qualified(callee);
    let subprocess = api.as_deref().and_then(Subprocess::of);
    let open = super::is_builtin(ctx, callee, "open");
    let other = api.as_deref().is_some_and(other_blocking);
    let path_method = paths::path_method(ctx, callee);
    let request = api.as_deref().is_some_and(threads::is_request);
    if subprocess.is_none() && !open && !other && path_method.is_none() && !request {
        return Vec::new();
    }
    let Some(def) = coroutine::running_async_def(ctx, call) else {
        return Vec::new();
    };
    if other {
        let finding = match api.as_deref() {
            Some("subprocess.Popen") => manual(call, "popen"),
            Some("urllib.request.urlopen") => manual(call, "urlopen"),
            _ => manual(call, "shell-call"),
        };
        return vec![finding.into()];
    }
    if coroutine::inside_generator_expression(ctx, call, def) {
        return vec![manual(call, "in-generator").into()];
    }
    if let Some(with) = coroutine::inside_sync_with(ctx, call, def) {
        return vec![in_sync_with(ctx, call, with).into()];
    }
    if request {
        return threads::rewrite(ctx, call, callee)
            .into_iter()
            .map(Into::into)
            .collect();
    }
    let planned = match (subprocess, path_method) {
        (Some(kind), _) => run_process(ctx, call, callee, kind).map(Some),
        (None, Some(path)) => Ok(Some(paths::rewrite(ctx, call, path))),
        (None, None) => open_file(ctx, call, def),
    };
    match planned {
        Ok(Some(fix)) => vec![fix.into()],
        Ok(None) => Vec::new(),
        Err(finding) => vec![finding.into()],
    }
}

/// The blocking calls with no rewrite here, reported.
fn other_blocking(api: &str) -> bool {
    matches!(
        api,
        "subprocess.Popen"
            | "os.system"
            | "subprocess.getoutput"
            | "subprocess.getstatusoutput"
            | "urllib.request.urlopen"
    )
}

fn manual(call: Node, kind: &'static str) -> Finding {
    Finding::manual(
        ID,
        kind,
        call.start_byte(),
        MESSAGES.text(kind, "why"),
        MESSAGES.text(kind, "fix"),
    )
}

fn in_sync_with(ctx: &Ctx, at: Node, with: Node) -> Finding {
    let header = ctx.text_of(with).lines().next().unwrap_or_default();
    Finding::manual(
        ID,
        "in-sync-with",
        at.start_byte(),
        format!(
            "{} (`{}`)",
            MESSAGES.text("in-sync-with", "why"),
            header.trim_end_matches(':')
        ),
        MESSAGES.text("in-sync-with", "fix"),
    )
}

/// The subprocess functions rewritten to `anyio.run_process`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subprocess {
    Run,
    Call,
    CheckCall,
    CheckOutput,
}

impl Subprocess {
    fn of(api: &str) -> Option<Self> {
        match api {
            "subprocess.run" => Some(Self::Run),
            "subprocess.call" => Some(Self::Call),
            "subprocess.check_call" => Some(Self::CheckCall),
            "subprocess.check_output" => Some(Self::CheckOutput),
            _ => None,
        }
    }
}

/// One keyword argument: its name, the whole argument, its value.
type Keyword<'t> = (&'t str, Node<'t>, Node<'t>);

/// `subprocess.X(command, ...)` → `await anyio.run_process(command, ...)`, with the defaults
/// of subprocess that differ from anyio's written out (`stdout=None, stderr=None`: inherited,
/// not captured; `check=False`), and the value subprocess returned (`.stdout` for
/// `check_output`, `.returncode` for `call` / `check_call`).
fn run_process<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    callee: Node<'t>,
    kind: Subprocess,
) -> Result<Fix, Finding> {
    let at = call.start_byte();
    let mut command = None;
    let mut keywords: Vec<Keyword> = Vec::new();
    for arg in call_args(call) {
        match arg.kind() {
            "keyword_argument" => {
                let (Some(name), Some(value)) = (
                    arg.child_by_field_name("name"),
                    arg.child_by_field_name("value"),
                ) else {
                    return Err(manual(call, "unknown-arguments"));
                };
                keywords.push((ctx.text_of(name), arg, value));
            }
            "list_splat" | "dictionary_splat" => return Err(manual(call, "unknown-arguments")),
            _ if command.is_none() => command = Some(arg),
            _ => return Err(manual(call, "unknown-arguments")),
        }
    }
    let command = command.ok_or_else(|| manual(call, "unknown-arguments"))?;
    let given = |name: &str| keywords.iter().find(|k| k.0 == name).map(|k| k.2);
    for &(name, _, value) in &keywords {
        check_keyword(ctx, call, kind, name, value)?;
    }
    if given("stdin").is_none() && given("input").is_none() {
        release::require(
            ctx,
            ID,
            at,
            Api::RunProcessStdin,
            "`anyio.run_process()` giving the child the parent's standard input (before 4.9 it reads /dev/null)",
        )?;
    }
    let shell = given("shell").is_some_and(|v| ctx.text_of(v) == "True");
    if !command_form_matches(ctx, command, shell) {
        return Err(manual(call, "command-form"));
    }
    let capture = given("capture_output").is_some_and(|v| ctx.text_of(v) == "True");
    if capture && (given("stdout").is_some() || given("stderr").is_some()) {
        return Err(manual(call, "unsupported-argument"));
    }
    let mut defaults = Vec::new();
    if kind != Subprocess::CheckOutput && !capture && given("stdout").is_none() {
        defaults.push("stdout=None");
    }
    if !capture && given("stderr").is_none() {
        defaults.push("stderr=None");
    }
    if matches!(kind, Subprocess::Run | Subprocess::Call) && given("check").is_none() {
        defaults.push("check=False");
    }
    let statement = crate::analysis::syntax::own_statement(ctx.resolver, call).is_some();
    let suffix = match kind {
        Subprocess::CheckOutput if !statement => ".stdout",
        Subprocess::Call | Subprocess::CheckCall if !statement => ".returncode",
        _ => "",
    };
    let parens = !suffix.is_empty() || needs_parentheses(ctx, call);
    let mut edits = vec![Edit::replace(
        callee.byte_range(),
        format!("{}await anyio.run_process", if parens { "(" } else { "" }),
    )];
    let dropped: Vec<Node> = keywords
        .iter()
        .filter(|k| matches!(k.0, "shell" | "capture_output"))
        .map(|k| k.1)
        .collect();
    edits.extend(argument_edits(call, &dropped, &defaults));
    if parens {
        edits.push(Edit::insert(call.end_byte(), format!("){suffix}")));
    }
    Ok(Fix::new(ID, "run-process", at, Verdict::Unsafe, edits)
        .note(MESSAGES.text("run-process", "note")))
}

/// A keyword argument `anyio.run_process` takes with the same meaning, or the finding.
fn check_keyword(
    ctx: &Ctx,
    call: Node,
    kind: Subprocess,
    name: &str,
    value: Node,
) -> Result<(), Finding> {
    let literal_bool = matches!(ctx.text_of(value), "True" | "False");
    match name {
        "stderr" | "cwd" | "env" | "start_new_session" => Ok(()),
        "stdout" if kind != Subprocess::CheckOutput => Ok(()),
        "check" if kind == Subprocess::Run => Ok(()),
        "shell" if literal_bool => Ok(()),
        "capture_output" if kind == Subprocess::Run && literal_bool => Ok(()),
        "stdin" => release::require(
            ctx,
            ID,
            call.start_byte(),
            Api::RunProcessStdin,
            "`anyio.run_process(..., stdin=...)`",
        ),
        // anyio feeds `input` through a pipe only when it is truthy: an empty one would leave
        // the child the parent's standard input (or /dev/null before 4.9) instead of an empty,
        // closed pipe.
        "input" if non_empty_bytes(ctx, value) => Ok(()),
        "input" => Err(manual(call, "input-maybe-empty")),
        "text" | "universal_newlines" | "encoding" | "errors" => Err(manual(call, "text-mode")),
        "timeout" => Err(manual(call, "timeout-argument")),
        _ => Err(manual(call, "unsupported-argument")),
    }
}

/// A bytes literal with at least one byte (`b"x"`), with no interpolation.
fn non_empty_bytes(ctx: &Ctx, value: Node) -> bool {
    if value.kind() != "string" || named_children(value).any(|c| c.kind() == "interpolation") {
        return false;
    }
    let text = ctx.text_of(value);
    let prefix: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let body = named_children(value)
        .filter(|c| c.kind() == "string_content")
        .map(|c| c.byte_range().len())
        .sum::<usize>();
    prefix.to_ascii_lowercase().contains('b') && body > 0
}

/// The command runs the same program under both: without `shell=True`, a sequence (a list or
/// tuple display, a list comprehension, `shlex.split(...)`, or a name the function binds once,
/// to a list or tuple display); with `shell=True`, a string. subprocess runs a single string
/// without a shell as a program name, where anyio hands every string to the shell.
fn command_form_matches(ctx: &Ctx, command: Node, shell: bool) -> bool {
    if shell {
        return matches!(command.kind(), "string" | "concatenated_string");
    }
    match command.kind() {
        "list" | "tuple" | "list_comprehension" => true,
        "call" => command
            .child_by_field_name("function")
            .is_some_and(|f| ctx.is(f, "shlex.split")),
        "identifier" => assigned_value(ctx.code(), command)
            .is_some_and(|v| matches!(v.kind(), "list" | "tuple")),
        _ => false,
    }
}

/// An `await` put before `node` would bind less tightly than what holds it: the object of an
/// attribute, the value of a subscript, the callee of a call.
pub(super) fn needs_parentheses(ctx: &Ctx, node: Node) -> bool {
    ctx.parent(node).is_some_and(|p| {
        (p.kind() == "attribute" && field_is(p, "object", node))
            || (p.kind() == "subscript" && field_is(p, "value", node))
            || (p.kind() == "call" && field_is(p, "function", node))
    })
}

/// Drop the `dropped` keyword arguments and add `defaults` after the last argument kept.
fn argument_edits(call: Node, dropped: &[Node], defaults: &[&str]) -> Vec<Edit> {
    let args = call_args(call);
    let kept = |a: &Node| !dropped.iter().any(|d| d.id() == a.id());
    let Some(last_kept) = args.iter().rposition(kept) else {
        return Vec::new();
    };
    let mut edits = Vec::new();
    // A dropped argument before a kept one goes with the separator after it.
    for (i, arg) in args.iter().enumerate().take(last_kept) {
        if !kept(arg) {
            edits.push(Edit::delete(arg.start_byte()..args[i + 1].start_byte()));
        }
    }
    let tail_start = args[last_kept].end_byte();
    let tail_end = args.last().map_or(tail_start, Node::end_byte);
    let added: String = defaults.iter().flat_map(|d| [", ", d]).collect();
    if tail_end > tail_start || !added.is_empty() {
        edits.push(Edit::replace(tail_start..tail_end, added));
    }
    edits
}

/// The file methods `anyio.AsyncFile` makes coroutines of; its other attributes are the file's
/// own (`name`, `closed`, `fileno()`), unchanged.
const ASYNC_METHODS: &[&str] = &[
    "read",
    "read1",
    "readline",
    "readlines",
    "readinto",
    "readinto1",
    "write",
    "writelines",
    "truncate",
    "seek",
    "tell",
    "flush",
];

/// `with open(...) as f:` in a coroutine → `async with await anyio.open_file(...) as f:`, its
/// I/O method calls awaited and `for line in f:` made `async for`. Planned at the first item's
/// call; `Ok(None)` at the others.
fn open_file<'t>(ctx: &Ctx<'t>, call: Node<'t>, def: Node<'t>) -> Result<Option<Fix>, Finding> {
    let Some(with) = with_of_item_call(ctx.resolver, call) else {
        return Err(manual(call, "open-outside-with"));
    };
    let Some(clause) = named_children(with).find(|c| c.kind() == "with_clause") else {
        return Ok(None);
    };
    let mut opens = Vec::new();
    for item in named_children(clause).filter(|i| i.kind() == "with_item") {
        let value = item.child_by_field_name("value").unwrap_or(item);
        let (item_call, target) = match value.kind() {
            "as_pattern" => (value.named_child(0), value.named_child(1)),
            _ => (Some(value), None),
        };
        let is_open = item_call.is_some_and(|c| {
            c.kind() == "call"
                && c.child_by_field_name("function")
                    .is_some_and(|f| super::is_builtin(ctx, f, "open"))
        });
        let Some(item_call) = item_call.filter(|_| is_open) else {
            return Err(manual(call, "mixed-with"));
        };
        opens.push((item_call, target));
    }
    if opens
        .first()
        .is_none_or(|(first, _)| first.id() != call.id())
    {
        return Ok(None);
    }
    let mut edits = vec![Edit::replace(
        with.child(0)
            .map_or(with.start_byte()..with.start_byte(), |w| w.byte_range()),
        "async with",
    )];
    for (item_call, target) in &opens {
        if let Some(callee) = item_call.child_by_field_name("function") {
            edits.push(Edit::replace(callee.byte_range(), "await anyio.open_file"));
        }
        if let Some(target) = target {
            edits.extend(file_uses(ctx, call, *target, with, def)?);
        }
    }
    Ok(Some(
        Fix::new(ID, "open-file", call.start_byte(), Verdict::Unsafe, edits)
            .note(MESSAGES.text("open-file", "note")),
    ))
}

/// The edits for every use of the file bound by `target`: awaited I/O methods, `async for`.
/// Any other use (the file passed on, stored, used after the block) is the finding.
fn file_uses<'t>(
    ctx: &Ctx<'t>,
    call: Node<'t>,
    target: Node<'t>,
    with: Node<'t>,
    def: Node<'t>,
) -> Result<Vec<Edit>, Finding> {
    let body = with
        .child_by_field_name("body")
        .ok_or_else(|| manual(call, "file-escapes"))?;
    let name = match target.kind() {
        "as_pattern_target" => target.named_child(0).filter(|n| n.kind() == "identifier"),
        "identifier" => Some(target),
        _ => None,
    }
    .ok_or_else(|| manual(call, "file-escapes"))?;
    let text = ctx.text_of(name);
    let refs = ctx.resolver.references(ctx.tree, text, name);
    let escapes = |r: Node| {
        Finding::manual(
            ID,
            "file-escapes",
            r.start_byte(),
            format!(
                "{}: `{}`",
                MESSAGES.text("file-escapes", "why"),
                ctx.text_of(ctx.parent(r).unwrap_or(r))
            ),
            MESSAGES.text("file-escapes", "fix"),
        )
    };
    let mut edits = Vec::new();
    for r in refs.into_iter().filter(|r| r.id() != name.id()) {
        if !inside(body, r) {
            // Another binding of the name, or a read of another one: one in the body of
            // another `with ... as NAME` / `for NAME in` that does not hold this block.
            if is_binding_site(ctx.resolver, r) || rebound_around(ctx, r, text, with, def) {
                continue;
            }
            return Err(escapes(r));
        }
        if is_binding_site(ctx.resolver, r) {
            return Err(escapes(r));
        }
        let in_coroutine = coroutine::running_async_def(ctx, r).is_some_and(|d| d.id() == def.id());
        if !in_coroutine || coroutine::inside_generator_expression(ctx, r, def) {
            return Err(escapes(r));
        }
        let parent = ctx.parent(r).ok_or_else(|| escapes(r))?;
        let site = match parent.kind() {
            "attribute" if field_is(parent, "object", r) => {
                let method = parent
                    .child_by_field_name("attribute")
                    .map(|a| ctx.text_of(a));
                match ctx.parent(parent) {
                    Some(c) if c.kind() == "call" && field_is(c, "function", parent) => {
                        if method.is_some_and(|m| ASYNC_METHODS.contains(&m)) {
                            Some(c)
                        } else {
                            return Err(escapes(r));
                        }
                    }
                    // A coroutine method taken as a value (`write = f.write`): its calls
                    // would not be awaited.
                    _ if method.is_some_and(|m| ASYNC_METHODS.contains(&m)) => {
                        return Err(escapes(r));
                    }
                    // An attribute read (`f.name`, `f.closed`): the file's own.
                    _ => None,
                }
            }
            "for_statement" if field_is(parent, "right", r) => {
                if let Some(with) = coroutine::inside_sync_with(ctx, parent, def) {
                    return Err(in_sync_with(ctx, parent, with));
                }
                edits.push(Edit::insert(parent.start_byte(), "async "));
                continue;
            }
            _ => return Err(escapes(r)),
        };
        let Some(site) = site else { continue };
        if let Some(with) = coroutine::inside_sync_with(ctx, site, def) {
            return Err(in_sync_with(ctx, site, with));
        }
        if needs_parentheses(ctx, site) {
            edits.push(Edit::insert(site.start_byte(), "(await "));
            edits.push(Edit::insert(site.end_byte(), ")"));
        } else {
            edits.push(Edit::insert(site.start_byte(), "await "));
        }
    }
    Ok(edits)
}

/// `r` reads a binding made after `block` ended, whatever the path: it lies in the body of a
/// `with ... as NAME` or `for NAME in` statement (of the same function) that binds `name` on
/// entry and does not hold `block`.
fn rebound_around(ctx: &Ctx, r: Node, name: &str, block: Node, def: Node) -> bool {
    ctx.ancestors(r)
        .take_while(|a| a.id() != def.id())
        .filter(|a| !inside(*a, block))
        .any(|a| {
            let body_holds = a.child_by_field_name("body").is_some_and(|b| inside(b, r));
            let binds = match a.kind() {
                "with_statement" => named_children(a)
                    .filter(|c| c.kind() == "with_clause")
                    .flat_map(named_children)
                    .filter_map(crate::analysis::syntax::item_pattern)
                    .filter_map(|p| p.named_child(1))
                    .any(|t| ctx.text_of(t) == name),
                "for_statement" => a
                    .child_by_field_name("left")
                    .is_some_and(|l| l.kind() == "identifier" && ctx.text_of(l) == name),
                _ => false,
            };
            body_holds && binds
        })
}
