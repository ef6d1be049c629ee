//! The plan stage's refusals (`engine::plan_pass`): a planned fix the file itself would
//! defeat becomes a MANUAL finding. Its new code would call a builtin the file shadows, or it
//! would take a call out of the reach of a test's patch of an asyncio function, or it would
//! import anyio where the project supports a Python no anyio release the output needs
//! installs on.

use super::Options;
use crate::analysis::patches::Patch;
use crate::codemods::Ctx;
use crate::edit::{Finding, Fix};
use tree_sitter::Node;

/// A fix that would take a call of an asyncio function the project patches at run time out of
/// the patch's reach (`bypassed_patch`) becomes a MANUAL finding.
pub(super) fn without_bypassed_patches(
    ctx: &Ctx,
    opts: &Options,
    fixes: Vec<Fix>,
    findings: &mut Vec<Finding>,
) -> Vec<Fix> {
    refuse(fixes, findings, |fix| {
        if let Some(refused) = patched_member(ctx, fix, opts) {
            return Some(refused);
        }
        if let Some(refused) = used_elsewhere(ctx, fix, opts) {
            return Some(refused);
        }
        if let Some(refused) = restored_original(ctx, fix, opts) {
            return Some(refused);
        }
        let (patch, reach) = bypassed_patch(ctx, fix, opts)?;
        if let Reach::Gained(twin) = reach {
            return Some(Refused {
                kind: "patched-api",
                why: format!(
                    "this call never reached the patch of `{}` in {}:{} (a name imported from asyncio keeps the original, another function is not patched), and this run puts the same replacement on `{twin}` (the patch's twin): migrated to `{twin}`, it would call the replacement, so it is left as it is",
                    patch.api,
                    patch.path.display(),
                    patch.line,
                ),
                fix: format!(
                    "keep it as it is, or call it as `{}(...)` if the patch should reach it, then run the migration again",
                    patch.api
                ),
            });
        }
        Some(Refused {
            kind: "patched-api",
            why: format!(
                "`{}` is replaced at run time in {}:{}: this rewrite would take the call out of that patch's reach (the code would run the unpatched function), so it is left as it is",
                patch.api,
                patch.path.display(),
                patch.line,
            ),
            fix: if patch.outside && patch.twin {
                format!(
                    "run the migration with {} among its paths: it then puts the patch's replacement on the anyio function as well (the patch's twin), and migrates this call",
                    patch.path.display()
                )
            } else {
                "make the test patch a seam of the code under test (its own function or method) that the migrated code still calls, then run the migration again".to_owned()
            },
        })
    })
}

/// A primitive's constructor (or dataclass factory) for an attribute on whose objects a test
/// patches a member (`patch.object(x.guard, "wait_for")`): anyio's primitives have
/// `__slots__`, so the patch would fail (`attribute 'wait_for' is read-only`; found on a
/// Kubernetes operator framework whose conftest patched a Condition so, which broke every test
/// using it). Matched by the attribute's name: the test's object is not followed.
fn patched_member(ctx: &Ctx, fix: &Fix, opts: &Options) -> Option<Refused> {
    let (attr, _) = primitive_attribute(ctx, fix)?;
    let (_, patch) = opts.patches.member_patches().find(|(a, _)| *a == attr)?;
    let member = patch.api.rsplit('.').next().unwrap_or_default();
    Some(Refused {
        kind: "patched-api",
        why: format!(
            "`{member}` is patched on an object's `{attr}` in {}:{}, and anyio's primitives have `__slots__`: on anyio's the patch fails with AttributeError (\"attribute '{member}' is read-only\"), so this rewrite is left as it is",
            patch.path.display(),
            patch.line,
        ),
        fix: format!(
            "make the test patch the attribute itself with a mock (`patch.object(<owner>, \"{attr}\")`) rather than its `{member}`, then run the migration again"
        ),
    })
}

/// The attribute (or dataclass field) a primitive's constructor or factory fix binds, and the
/// primitive's class (`Condition`).
fn primitive_attribute<'t>(ctx: &Ctx<'t>, fix: &Fix) -> Option<(&'t str, String)> {
    if fix.codemod == crate::codemods::asyncio_queue::ID {
        return queue_attribute(ctx, fix);
    }
    if fix.codemod != crate::codemods::asyncio_sync_primitives::ID
        || !matches!(
            fix.kind,
            "constructor" | "factory" | "annotation" | "future" | "future-helper"
        )
    {
        return None;
    }
    let at = ctx
        .tree
        .root_node()
        .descendant_for_byte_range(fix.at, fix.at)?;
    match fix.kind {
        // The helper keeps asyncio.Future's interface but for callbacks and the loop.
        "future-helper" => return primitive_target(ctx, at).map(|a| (a, "_Future".to_owned())),
        // `asyncio.Future()` or the running loop's `create_future()`.
        "future" => return primitive_target(ctx, at).map(|a| (a, "Future".to_owned())),
        _ => {}
    }
    let class = std::iter::once(at)
        .chain(ctx.ancestors(at))
        .take_while(|n| n.kind() != "assignment")
        .find_map(|n| {
            let named = if n.kind() == "call" {
                n.child_by_field_name("function")?
            } else {
                n
            };
            let name = ctx.qualified(named)?;
            name.strip_prefix("asyncio.").map(str::to_owned)
        })
        .unwrap_or_default();
    Some((primitive_target(ctx, at)?, class))
}

/// The attribute an asyncio-queue fix binds its queue to (`self.<attr> = asyncio.Queue()`; a
/// plain name is the codemod's to judge), and what the queue becomes: `Queue` for the memory
/// object streams of a split, `_Queue` for the helper.
fn queue_attribute<'t>(ctx: &Ctx<'t>, fix: &Fix) -> Option<(&'t str, String)> {
    let class = match fix.kind {
        "memory-streams" => "Queue",
        "queue-helper" => "_Queue",
        _ => return None,
    };
    let at = ctx
        .tree
        .root_node()
        .descendant_for_byte_range(fix.at, fix.at)?;
    let assignment = ctx.ancestors(at).find(|a| a.kind() == "assignment")?;
    let left = assignment
        .child_by_field_name("left")
        .filter(|l| l.kind() == "attribute")?;
    let attr = left.child_by_field_name("attribute")?;
    Some((&ctx.text[attr.byte_range()], class.to_owned()))
}

/// The attribute (or name) the assignment around `at` binds: `self.<attr> = ...`, `<name> =
/// ...`.
fn primitive_target<'t>(ctx: &Ctx<'t>, at: Node<'t>) -> Option<&'t str> {
    let assignment = ctx.ancestors(at).find(|a| a.kind() == "assignment")?;
    let left = assignment.child_by_field_name("left")?;
    let attr = match left.kind() {
        "attribute" => left.child_by_field_name("attribute")?,
        "identifier" => left,
        _ => return None,
    };
    Some(&ctx.text[attr.byte_range()])
}

/// A primitive's constructor (or dataclass factory) for an attribute that code of the run (not
/// the owner's own `self.<attr>`) uses in a way anyio's primitive of that class refuses
/// (`analysis::member_uses`): `create_task(x.revised.wait())` for a Condition,
/// `x.closed.clear()` for an Event. Matched by the attribute's name, as the other object is not
/// followed.
fn used_elsewhere(ctx: &Ctx, fix: &Fix, opts: &Options) -> Option<Refused> {
    let (attr, class) = primitive_attribute(ctx, fix)?;
    let used = opts.member_uses.of(attr, &class)?;
    Some(Refused {
        kind: "used-elsewhere",
        why: format!(
            "an attribute named `{attr}` is used in a way {} refuses: in {}:{}, {}; this constructor is left as it is",
            what_refuses(&class),
            used.path.display(),
            used.line,
            used.what,
        ),
        fix: format!(
            "change that use to one {} has ({}), then run the migration again",
            what_refuses(&class),
            if class.ends_with("Future") {
                "await the Future where its outcome is wanted instead of adding a done-callback; on anyio's Future set `return_value` / `exception` and read `status`"
            } else if class.ends_with("Queue") {
                "use the queue through its owner's methods, and its public interface (`put`, `get`, `qsize()`, ...) instead of asyncio's private state"
            } else {
                "await a wait or acquire in the task that holds the lock; bind a fresh Event instead of `clear()`; the public API instead of private state"
            }
        ),
    })
}

/// What the rewrite would make of the primitive, as a finding names it.
fn what_refuses(class: &str) -> String {
    if class == "_Future" {
        "the `_Future` helper (asyncio.Future's interface on anyio, below 4.15)".to_owned()
    } else if class == "_Queue" {
        "the `_Queue` helper (asyncio.Queue's public interface on anyio)".to_owned()
    } else if class == "Queue" {
        "a queue split into memory object streams".to_owned()
    } else {
        format!("anyio's {class}")
    }
}

/// Why a planned fix is not made: the finding's kind, what it says, what to do.
struct Refused {
    kind: &'static str,
    why: String,
    fix: String,
}

/// The fixes `refused` lets through; each one it refuses becomes a MANUAL finding of the fix's
/// codemod, at the fix's place.
fn refuse(
    fixes: Vec<Fix>,
    findings: &mut Vec<Finding>,
    refused: impl Fn(&Fix) -> Option<Refused>,
) -> Vec<Fix> {
    let mut kept = Vec::with_capacity(fixes.len());
    for fix in fixes {
        match refused(&fix) {
            None => kept.push(fix),
            // The annotation of an attribute whose constructor (or dataclass factory) is
            // refused keeps asyncio's type; the constructor's finding says why.
            Some(r)
                if fix.kind == "annotation"
                    && matches!(r.kind, "patched-api" | "used-elsewhere") => {}
            Some(r) => findings.push(Finding::manual(fix.codemod, r.kind, fix.at, r.why, r.fix)),
        }
    }
    kept
}

/// Below the Python of every anyio release the codemods write for (anyio 3.7.1, the oldest in
/// their API table, needs 3.7), no fix is made: each becomes a MANUAL finding. A migrated
/// module would import anyio, which does not install there; and the fixes that import nothing
/// are only right beside the others (`asyncio.TimeoutError` → the builtin, which catches
/// anyio's timeouts but no longer asyncio's below Python 3.11). Found on a cache library with
/// `requires-python >=3.3`, whose migrated module imported anyio. pytest-asyncio's fixes are
/// left to its project pass, which keeps such a suite on pytest-asyncio
/// (`python-too-old-for-plugin`).
pub(super) fn without_python_below_anyio(
    ctx: &Ctx,
    fixes: Vec<Fix>,
    findings: &mut Vec<Finding>,
) -> Vec<Fix> {
    use crate::target::{OLDEST_ANYIO, python_floor_of_anyio};
    let floor = python_floor_of_anyio(OLDEST_ANYIO);
    let python = ctx.targets.python;
    if python >= floor {
        return fixes;
    }
    refuse(fixes, findings, |fix| {
        (fix.codemod != crate::codemods::pytest_asyncio::ID).then(|| Refused {
            kind: "python-too-old-for-anyio",
            why: format!(
                "the project supports Python {python}, where no anyio release the migration writes for installs (anyio {OLDEST_ANYIO}, the oldest, needs Python {floor}): the migrated module would import anyio, so this rewrite is left as it is"
            ),
            fix: format!(
                "once the project requires Python >= {floor} (or with `--target-python {floor}` when you drop the older ones), run the migration again"
            ),
        })
    })
}

/// A fix whose inserted text calls a builtin by its bare name where the file binds that name
/// itself (at the edit, or at module level for a helper inserted there) would call the
/// file's object: such a fix becomes a MANUAL finding (found on aioitertools, whose
/// `from .builtins import enumerate, list` took over the gather helpers' loops).
pub(super) fn without_shadowed_builtins(
    ctx: &Ctx,
    fixes: Vec<Fix>,
    findings: &mut Vec<Finding>,
) -> Vec<Fix> {
    let root = ctx.tree.root_node();
    refuse(fixes, findings, |fix| {
        let name = fix.edits.iter().find_map(|e| {
            let at = root
                .descendant_for_byte_range(e.range.start, e.range.start)
                .unwrap_or(root);
            crate::analysis::builtins::used_in(&e.text)
                .into_iter()
                .find(|name| {
                    // Written where the text already had it: the same name, no new call.
                    !ctx.text.get(e.range.clone()).is_some_and(|old| {
                        crate::analysis::builtins::used_in(old).contains(name)
                    }) && (ctx.resolver.is_bound(name, at) || ctx.resolver.is_bound(name, root))
                        // asyncio's own class imported by that name (`from asyncio import
                        // TimeoutError`): the codemod that rewrites it removes the import.
                        && !ctx
                            .resolver
                            .resolve_name(name, at)
                            .is_some_and(|path| path.starts_with("asyncio."))
                })
                .map(str::to_owned)
        })?;
        Some(Refused {
            kind: "shadowed-builtin",
            why: format!(
                "this rewrite writes a call of the builtin `{name}`, and `{name}` means something else in this file (it binds the name: an import, a definition or an assignment), so the new code would call that instead"
            ),
            fix: format!(
                "rename what shadows `{name}` here (or import it under another name, `from ... import {name} as {name}_`), then run the migration again"
            ),
        })
    })
}

/// A patch by hand saves the original and puts it back (`from asyncio import sleep as
/// real_sleep` ... `asyncio.sleep = real_sleep`): in the file that patches the function, a
/// name bound to the original and used as a value (not called) is that original by identity,
/// and a rewrite of it (to a helper of asyncio's signature) would install the helper into the
/// module in its place. The attribute spellings (`asyncio.sleep`) are `bypassed_patch`'s.
fn restored_original(ctx: &Ctx, fix: &Fix, opts: &Options) -> Option<Refused> {
    let file = opts.path?;
    let root = ctx.tree.root_node();
    fix.edits
        .iter()
        .filter(|e| !e.shared && !e.range.is_empty())
        .find_map(|e| {
            let node = root.descendant_for_byte_range(e.range.start, e.range.end)?;
            if node.kind() != "identifier" || node.byte_range() != e.range {
                return None;
            }
            if is_callee(ctx, node) {
                return None;
            }
            let api = ctx.qualified(node)?;
            let patch = opts
                .patches
                .taken_out_names()
                .map(|(_, patch)| patch)
                .find(|patch| patch.api == api && patch.path == file)?;
            Some(Refused {
                kind: "patched-api",
                why: format!(
                    "`{}` here is the original `{api}`, and this file replaces `{api}` at run time ({}:{}): a value of the original is what a restore puts back, so this rewrite would install its replacement into the module instead; it is left as it is",
                    ctx.text_of(node),
                    patch.path.display(),
                    patch.line,
                ),
                fix: format!(
                    "keep the saved original as it is; once nothing patches `{api}` (make the test patch a seam of the code under test), run the migration again"
                ),
            })
        })
}

/// How a fix changes what a patch reaches.
enum Reach {
    /// Calls the patch reached no longer do.
    Lost,
    /// Calls it never reached would reach its twin (`anyio.sleep`).
    Gained(&'static str),
}

/// The patched asyncio function whose references `fix` takes out of the code: an attribute
/// spelling of it (`asyncio.sleep`, `aio.sleep`, what a patch of the module reaches) that the
/// fix's edits remove more often than they write it back. Where the run twins the patch
/// (`Patches::twinned`), a call it reached may become a call of the twin, one for one; a fix
/// that writes more calls of the twin than it takes reached calls out would bring calls that
/// never saw the patch into its reach.
fn bypassed_patch<'p>(ctx: &Ctx, fix: &Fix, opts: &Options<'p>) -> Option<(&'p Patch, Reach)> {
    if opts.patches.is_empty() {
        return None;
    }
    let own = fix
        .edits
        .iter()
        .filter(|e| !e.shared && !e.range.is_empty());
    let bypasses = |removed: &mut Vec<&str>| {
        removed.sort_unstable();
        removed.dedup();
        removed.iter().any(|spelled| {
            let gone = fix
                .edits
                .iter()
                .filter(|e| !e.shared)
                .map(|e| spellings(&ctx.text[e.range.clone()], spelled))
                .sum::<usize>();
            // A helper written once for the file (a shared edit) is anyio's form by
            // construction: its docstring may name the asyncio function, its code does not
            // call it back.
            let written = fix
                .edits
                .iter()
                .filter(|e| !e.shared)
                .map(|e| spellings(&e.text, spelled))
                .sum::<usize>();
            gone > written
        })
    };
    let mut gained = None;
    for (name, patch) in opts.patches.taken_out_names() {
        // A method of a class (`patch("asyncio.Event.wait")`) is patched on the class, which
        // every object the class makes reaches, whatever name the class goes by: a fix that
        // takes out the class (its constructor becomes anyio's) bypasses it.
        if let Some(class) = patched_class(&patch.api) {
            let class_name = last_component(class);
            let mut removed: Vec<&str> = own
                .clone()
                .flat_map(|e| {
                    let attributes = ctx
                        .resolver
                        .attribute_names_within(class_name, e.range.clone())
                        .iter()
                        .filter_map(|n| ctx.parent(*n))
                        .filter(|a| a.kind() == "attribute" && e.range.start <= a.start_byte());
                    let names = ctx
                        .resolver
                        .identifiers_within(class_name, e.range.clone())
                        .iter()
                        .copied();
                    attributes.chain(names)
                })
                .filter(|r| ctx.resolver.is(*r, class))
                .map(|r| ctx.text_of(r))
                .collect();
            if bypasses(&mut removed) {
                return Some((patch, Reach::Lost));
            }
            continue;
        }
        // A name bound by `from asyncio import sleep` keeps the original function: a patch of
        // the module's attribute never reached it.
        let reached: Vec<Node> = own
            .clone()
            .flat_map(|e| {
                ctx.resolver
                    .attribute_names_within(name, e.range.clone())
                    .iter()
                    .filter_map(|n| ctx.parent(*n))
                    .filter(|a| a.kind() == "attribute" && e.range.start <= a.start_byte())
            })
            .filter(|r| ctx.resolver.is(*r, &patch.api))
            .collect();
        match through_twin(ctx, own.clone(), opts.patches.twinned(&patch.api), &reached) {
            Some(Reach::Gained(twin)) => {
                // Reported once no patch the call did reach (a module global's) says more.
                gained.get_or_insert((patch, Reach::Gained(twin)));
                continue;
            }
            Some(Reach::Lost) => {}
            None => continue,
        }
        let mut removed: Vec<&str> = reached.iter().map(|r| ctx.text_of(*r)).collect();
        if bypasses(&mut removed) {
            return Some((patch, Reach::Lost));
        }
    }
    // This module's own global that a test replaces (`patch("pkg.mod.sleep")`): every call
    // through the global reaches the patch.
    for (name, patch) in opts
        .path
        .map(|p| opts.patches.module_names(p))
        .unwrap_or_default()
    {
        let mut removed: Vec<&str> = own
            .clone()
            .flat_map(|e| {
                ctx.resolver
                    .identifiers_within(name, e.range.clone())
                    .iter()
            })
            .filter(|r| ctx.resolver.refers_to_module_scope(name, **r))
            .map(|r| ctx.text_of(*r))
            .collect();
        if bypasses(&mut removed) {
            return Some((patch, Reach::Lost));
        }
    }
    gained
}

/// Where the run twins the patch on `twin` (`anyio.sleep`): `None` when the fix's `own` edits
/// (not the shared helpers) turn the reached calls it takes out (`reached`, all calls) into as
/// many calls of the twin, which the twin keeps in the patch's reach; `Gained` when they write
/// more calls of the twin than that (calls the patch never reached would reach it); `Lost`
/// otherwise, as with no twin.
fn through_twin<'e>(
    ctx: &Ctx,
    own: impl Iterator<Item = &'e crate::edit::Edit>,
    twin: Option<&'static str>,
    reached: &[Node],
) -> Option<Reach> {
    let Some(twin) = twin else {
        return Some(Reach::Lost);
    };
    let calls = reached.iter().filter(|r| is_callee(ctx, **r)).count();
    let written: usize = own.map(|e| twin_calls(&e.text, twin)).sum();
    if written > calls {
        return Some(Reach::Gained(twin));
    }
    (calls != reached.len() || written != calls).then_some(Reach::Lost)
}

/// `node` is the function of a call (`asyncio.sleep` in `asyncio.sleep(1)`).
fn is_callee(ctx: &Ctx, node: Node) -> bool {
    ctx.parent(node).is_some_and(|p| {
        p.kind() == "call"
            && p.child_by_field_name("function")
                .is_some_and(|f| f.id() == node.id())
    })
}

/// How often `text` (an edit's new code) names `twin` (`anyio.sleep`) as code: not inside a
/// string (a patch's target, `"anyio.sleep"`) nor as part of a longer name
/// (`anyio.sleep_forever`).
fn twin_calls(text: &str, twin: &str) -> usize {
    let quote = |c: char| c == '"' || c == '\'';
    spellings(text, twin)
        - text
            .match_indices(twin)
            .filter(|(at, _)| {
                text[..*at].chars().next_back().is_some_and(quote)
                    && text[at + twin.len()..].chars().next().is_some_and(quote)
            })
            .count()
}

/// The class whose method `api` patches (`asyncio.Event` of `asyncio.Event.wait`): a module,
/// a class (a capitalised name), a member.
fn patched_class(api: &str) -> Option<&str> {
    let (class, _member) = api.rsplit_once('.')?;
    let (_module, name) = class.rsplit_once('.')?;
    name.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some(class)
}

fn last_component(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// How often `spelled` (`asyncio.sleep`, `sleep`) stands in `text` as a whole reference: not
/// part of a longer name, nor the attribute of another object (`anyio.sleep`).
fn spellings(text: &str, spelled: &str) -> usize {
    let part = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(spelled)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + spelled.len()..].chars().next();
            !before.is_some_and(|c| part(c) || c == '.') && !after.is_some_and(part)
        })
        .count()
}
