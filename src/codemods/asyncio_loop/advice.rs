//! The asyncio-only APIs and what to use instead: the advice of every finding.

use crate::codemods::shared::catalogue::{messages, texts};
use std::sync::OnceLock;

messages!("asyncio-loop", pub(super));

/// An asyncio API with no same-shape anyio replacement that needs asyncio's own event loop.
pub(super) struct AsyncioOnly {
    pub(super) path: &'static str,
    /// The kind of the finding at its calls (several APIs of one sort share one).
    pub(super) kind: &'static str,
    /// What it is.
    pub(super) what: &'static str,
    /// What to use instead.
    pub(super) advice: &'static str,
}

/// The asyncio APIs with no same-shape anyio replacement that need asyncio's own event loop (the
/// streams, subprocess, server and loop-policy APIs): the `apis` of the codes in
/// `messages.toml`. Reported at every call; none of them is rewritten.
fn asyncio_only_apis() -> &'static [AsyncioOnly] {
    static APIS: OnceLock<Vec<AsyncioOnly>> = OnceLock::new();
    APIS.get_or_init(|| {
        let mut out = Vec::new();
        for (kind, table) in MESSAGES.codes() {
            let Some(apis) = table.get("apis").and_then(|a| a.as_table()) else {
                continue;
            };
            for (path, api) in apis {
                let text = |key: &str| {
                    api.get(key)
                        .and_then(|t| t.as_str())
                        .unwrap_or_else(|| panic!("messages.toml: no `{key}` for {path}"))
                };
                out.push(AsyncioOnly {
                    path,
                    kind,
                    what: text("what"),
                    advice: text("advice"),
                });
            }
        }
        out
    })
}

/// What `path` is and its replacement, when it is an asyncio-only API (the child watcher
/// classes by their common suffix: `asyncio.ChildWatcher` stands for them).
pub(super) fn asyncio_only(path: &str) -> Option<&'static AsyncioOnly> {
    let path = match path.strip_prefix("asyncio.") {
        Some(class) if class.ends_with("ChildWatcher") && !class.contains('.') => {
            "asyncio.ChildWatcher"
        }
        _ => path,
    };
    asyncio_only_apis().iter().find(|a| a.path == path)
}

/// An asyncio API this codemod reports, for a call made through another module's re-export of
/// it (`from .compat import get_running_loop`): what goes wrong, and the replacement.
pub fn reexported_api(path: &str) -> Option<(String, &'static str)> {
    if is_value_api(path) {
        return Some((
            "needs an asyncio event loop: on anyio's trio backend it raises RuntimeError (no running event loop)".to_owned(),
            value_advice(path),
        ));
    }
    if path == "asyncio.Future" {
        return Some((
            "makes an asyncio-only object (bound to asyncio's loop): it does not work on anyio's trio backend".to_owned(),
            MESSAGES.text("reexported-api", "future-advice"),
        ));
    }
    asyncio_only(path).map(|a| {
        (
            format!("{}, which needs asyncio's event loop: on anyio's trio backend it fails with RuntimeError (no asyncio event loop)", a.what),
            a.advice,
        )
    })
}

/// The last component of every path [`reexported_api`] knows (`get_running_loop`, `Barrier`,
/// ...; the child watchers by their common suffix): a text containing none of them re-exports
/// nothing.
pub fn reexportable_names() -> impl Iterator<Item = &'static str> {
    texts(MESSAGES.table("api-as-value", "advice"))
        .map(|(path, _)| path)
        .chain(["asyncio.Future"])
        .chain(asyncio_only_apis().iter().map(|a| a.path))
        .map(|path| path.rsplit('.').next().unwrap_or(path))
}

/// A loop-access function, reported when passed or stored as a value (`get_loop =
/// asyncio.get_running_loop`, a compatibility module re-exporting them).
pub(super) fn is_value_api(path: &str) -> bool {
    MESSAGES.table("api-as-value", "advice").contains_key(path)
}

/// What replaces a loop-access function ([`is_value_api`]).
pub(super) fn value_advice(path: &str) -> &'static str {
    MESSAGES
        .entry("api-as-value", "advice", path)
        .unwrap_or_else(|| panic!("messages.toml: no [api-as-value.advice] for {path}"))
}

/// The callback helpers (their files end without a newline: suggestions quote them too).
pub(super) const CALL_LATER_HELPER: &str =
    include_str!("../../../codemods/asyncio-loop/helpers/call_later.py");
pub(super) const CALL_AT_HELPER: &str =
    include_str!("../../../codemods/asyncio-loop/helpers/call_at.py");

/// The replacement for one loop method (spec §8 table, §12, §7).
pub(super) fn method_advice(method: &str) -> String {
    MESSAGES
        .entry("loop-callback", "methods", method)
        .map_or_else(
            || format!("loop.{method}: no anyio equivalent"),
            str::to_owned,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue read from `messages.toml` (the texts read by name: tests/codes.rs).
    #[test]
    fn the_catalogue_reads() {
        assert_eq!(asyncio_only_apis().len(), 18);
        assert_eq!(
            asyncio_only("asyncio.ThreadedChildWatcher").map(|a| a.kind),
            Some("child-watcher")
        );
        let names: Vec<&str> = reexportable_names().collect();
        assert!(names.contains(&"get_running_loop") && names.contains(&"Barrier"));
        for name in ["get_running_loop", "all_tasks", "wrap_future"] {
            let path = format!("asyncio.{name}");
            assert!(is_value_api(&path) && !value_advice(&path).is_empty());
        }
        assert!(reexported_api("asyncio.Future").is_some());
        assert!(method_advice("call_later").starts_with("h = loop.call_later"));
        assert_eq!(method_advice("foo"), "loop.foo: no anyio equivalent");
    }
}
