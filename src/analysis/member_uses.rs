//! Uses of a primitive kept on an attribute, in the project's other files, that anyio's
//! primitive of that kind refuses. asyncio-sync-primitives plans one file at a time: it
//! rewrites `self.revised = asyncio.Condition()` from the uses its own file shows, while
//! another module starts `create_task(insights.revised.wait())` (the wait then runs in a task
//! that does not hold the lock: anyio raises `RuntimeError`, asyncio's lock has no owner) or a
//! test calls `pool._closed.clear()` (anyio's Event has no `clear()`). Such uses are found in
//! every file before any is planned, by the attribute's name, and the constructor of an
//! attribute of that name is then left as it is (`engine::guards`).
//!
//! The scan reads the text, not the tree: `.<attr>.<member>` with the member one of
//! [`MEMBERS`], and for `wait` / `wait_for` / `acquire` whether an `await` stands right before
//! the expression. Text in comments or strings counts too, which can only keep a constructor.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// One use of `<x>.<attr>.<member>` that anyio's primitive would refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberUse {
    pub attr: String,
    /// What the use does, as the finding says it (`wait()` not awaited where it is called).
    pub what: &'static str,
    /// The constructors it rules out (`Condition`, `Lock`, ...).
    pub kinds: &'static [&'static str],
    pub path: PathBuf,
    pub line: usize,
}

/// Every such use in the run's files, in path and line order.
#[derive(Debug, Clone, Default)]
pub struct MemberUses(Vec<MemberUse>);

/// No uses (a single text, a test).
pub static NONE: MemberUses = MemberUses(Vec::new());

impl MemberUses {
    pub fn new(mut uses: Vec<MemberUse>) -> Self {
        uses.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        uses.dedup();
        Self(uses)
    }

    /// The first use on an attribute `attr` that rules out a constructor `kind`. A file's own
    /// `self.<attr>` uses are not recorded (`in_file`): its codemod run judges them. Another
    /// object's attribute in the same file counts (`self.events.ready.clear()` beside
    /// `self.ready = asyncio.Event()` of another class).
    pub fn of(&self, attr: &str, kind: &str) -> Option<&MemberUse> {
        self.0
            .iter()
            .find(|u| u.attr == attr && u.kinds.contains(&kind))
    }
}

const OWNED: &[&str] = &["Lock", "Condition"];
const SEMAPHORES: &[&str] = &["Semaphore", "BoundedSemaphore"];
const ALL: &[&str] = &[
    "Lock",
    "Condition",
    "Event",
    "Semaphore",
    "BoundedSemaphore",
];

/// The members looked at: the name, whether only a use not awaited where it is called counts
/// (`Some(true)`), only one not called (`Some(false)`: a bound method handed out), or any use
/// (`None`); what the use does; the constructors it rules out.
const MEMBERS: &[(&str, Option<bool>, &str, &[&str])] = &[
    (
        "wait",
        Some(true),
        "`wait()` is not awaited where it is called, so it runs in another task, which does not hold the condition's lock",
        &["Condition"],
    ),
    (
        "wait_for",
        Some(true),
        "`wait_for()` is not awaited where it is called, so it runs in another task, which does not hold the condition's lock",
        &["Condition"],
    ),
    (
        "acquire",
        Some(true),
        "`acquire()` is not awaited where it is called, so another task becomes the owner anyio's lock has",
        OWNED,
    ),
    (
        "release",
        Some(false),
        "`release` is handed out uncalled, so it runs outside the task that holds the lock",
        OWNED,
    ),
    (
        "clear",
        None,
        "`clear()` is called, which anyio's Event lacks",
        &["Event"],
    ),
    (
        "locked",
        None,
        "`locked()` is called, which anyio's semaphores lack",
        SEMAPHORES,
    ),
    (
        "_value",
        None,
        "`_value` is used, asyncio's private state",
        SEMAPHORES,
    ),
    (
        "_waiters",
        None,
        "`_waiters` is read, asyncio's private state",
        ALL,
    ),
    (
        "_locked",
        None,
        "`_locked` is read, asyncio's private state",
        OWNED,
    ),
    // A Future: anyio's (4.15+) has `return_value` / `exception` properties, `status`,
    // `cancel()` and `await`; the `_Future` helper written below 4.15 has asyncio's interface
    // but no callbacks and no loop.
    (
        "add_done_callback",
        None,
        "`add_done_callback()` is called, which neither anyio's Future nor the `_Future` helper has",
        FUTURES,
    ),
    (
        "remove_done_callback",
        None,
        "`remove_done_callback()` is called, which neither anyio's Future nor the `_Future` helper has",
        FUTURES,
    ),
    (
        "get_loop",
        None,
        "`get_loop()` is called: there is no loop behind anyio's Future or the `_Future` helper",
        FUTURES,
    ),
    (
        "set_result",
        None,
        "`set_result()` is called, which anyio's Future spells `fut.return_value = v`",
        &["Future"],
    ),
    (
        "set_exception",
        None,
        "`set_exception()` is called, which anyio's Future spells `fut.exception = e`",
        &["Future"],
    ),
    (
        "result",
        None,
        "`result()` is called, which anyio's Future spells `fut.return_value`",
        &["Future"],
    ),
    (
        "exception",
        Some(true),
        "`exception()` is called, where anyio's Future has an `exception` property",
        &["Future"],
    ),
    (
        "done",
        None,
        "`done()` is called, which anyio's Future lacks (it has `status`)",
        &["Future"],
    ),
    (
        "cancelled",
        None,
        "`cancelled()` is called, which anyio's Future lacks (it has `status`)",
        &["Future"],
    ),
    // A queue on an attribute: split into memory object streams (`Queue`) where the codemod
    // sees every use, or the `_Queue` helper with asyncio.Queue's public interface. asyncio's
    // private state and `shutdown()` rule out both; a use of the queue itself rules out the
    // split (its object is gone).
    (
        "_queue",
        None,
        "`_queue` is read, asyncio.Queue's private state",
        QUEUES,
    ),
    (
        "_getters",
        None,
        "`_getters` is read, asyncio.Queue's private state",
        QUEUES,
    ),
    (
        "_putters",
        None,
        "`_putters` is read, asyncio.Queue's private state",
        QUEUES,
    ),
    (
        "_unfinished_tasks",
        None,
        "`_unfinished_tasks` is read, asyncio.Queue's private state",
        QUEUES,
    ),
    (
        "_finished",
        None,
        "`_finished` is read, asyncio.Queue's private state",
        QUEUES,
    ),
    (
        "shutdown",
        None,
        "`shutdown()` is called, which neither memory object streams nor the `_Queue` helper have",
        QUEUES,
    ),
    (
        "put_nowait",
        None,
        "`put_nowait()` is called on it, so the queue is used outside the code that makes it",
        &["Queue"],
    ),
    (
        "get_nowait",
        None,
        "`get_nowait()` is called on it, so the queue is used outside the code that makes it",
        &["Queue"],
    ),
    (
        "qsize",
        None,
        "`qsize()` is called on it, so the queue is used outside the code that makes it",
        &["Queue"],
    ),
    (
        "put",
        None,
        "`put()` is called on it, so the queue is used outside the code that makes it",
        &["Queue"],
    ),
    (
        "get",
        None,
        "`get()` is called on it, so the queue is used outside the code that makes it",
        &["Queue"],
    ),
];

/// anyio's Future and the `_Future` helper written below anyio 4.15.
const FUTURES: &[&str] = &["Future", "_Future"];

/// An asyncio.Queue split into memory object streams (`Queue`), or the `_Queue` helper.
const QUEUES: &[&str] = &["Queue", "_Queue"];

/// A cheap test a text must pass before it is scanned.
fn may_use(text: &str) -> bool {
    text.contains("IsInstance(")
        || text.contains("isinstance(")
        || MEMBERS
            .iter()
            .any(|(member, ..)| text.contains(&format!(".{member}")))
}

/// The primitives a class check of an attribute rules out, by the class's last name.
const CHECKED: &[&str] = &[
    "Lock",
    "Condition",
    "Event",
    "Semaphore",
    "BoundedSemaphore",
];

/// `isinstance(<x>.<attr>, asyncio.Event)` / `self.assertIsInstance(<x>.<attr>, Event)`: a
/// check against asyncio's class, which an anyio primitive fails.
fn class_checks(path: &Path, text: &str, own: &HashSet<&str>, out: &mut Vec<MemberUse>) {
    // A check against one of those classes ends `..., Event)`: most texts have none.
    if !CHECKED.iter().any(|k| text.contains(&format!("{k})"))) {
        return;
    }
    for call in ["isinstance(", "IsInstance("] {
        for (at, _) in text.match_indices(call) {
            let args = &text[at + call.len()..];
            let Some((first, rest)) = split_argument(args) else {
                continue;
            };
            let Some((second, _)) = split_argument(rest) else {
                continue;
            };
            let Some((_, attr)) = first.trim().rsplit_once('.') else {
                continue;
            };
            let class = second.trim();
            let (module, name) = class.rsplit_once('.').unwrap_or(("", class));
            let Some(kind) = CHECKED.iter().find(|k| **k == name) else {
                continue;
            };
            if module == "anyio" || !attr.bytes().all(is_word) || attr.is_empty() {
                continue;
            }
            if first.trim() == format!("self.{attr}") && own.contains(attr) {
                continue;
            }
            out.push(MemberUse {
                attr: attr.to_owned(),
                what: "it is checked against asyncio's class (`isinstance`), which anyio's primitive is not",
                kinds: std::slice::from_ref(kind),
                path: path.to_path_buf(),
                line: at,
            });
        }
    }
}

/// The text of the argument at the start of `args` and the text after its comma, or `None`
/// when it is the last one (its `)` comes first) or the brackets do not close.
fn split_argument(args: &str) -> Option<(&str, &str)> {
    let mut depth = 0usize;
    for (i, b) in args.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                if depth == 0 {
                    return Some((&args[..i], &args[i..]));
                }
                depth -= 1;
            }
            b',' if depth == 0 => return Some((&args[..i], &args[i + 1..])),
            _ => {}
        }
    }
    None
}

/// The uses in one file's text (`path` as shown in reports).
pub fn in_file(path: &Path, text: &str) -> Vec<MemberUse> {
    if !may_use(text) {
        return Vec::new();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let own = own_attributes(text);
    class_checks(path, text, &own, &mut out);
    for &(member, awaited, what, kinds) in MEMBERS {
        let needle = format!(".{member}");
        for (at, _) in text.match_indices(&needle) {
            let end = at + needle.len();
            if bytes.get(end).is_some_and(|b| is_word(*b)) {
                continue;
            }
            let Some(attr) = word_before(text, at) else {
                continue;
            };
            let attr_start = at - attr.len();
            // `<x>.<attr>.<member>`: the attribute is itself a member of something.
            if attr_start == 0 || bytes[attr_start - 1] != b'.' {
                continue;
            }
            // `self.<attr>` where this file binds `self.<attr>` too: its own object, which its
            // own codemod run judges.
            if own.contains(attr) && word_before(text, attr_start - 1) == Some("self") {
                let self_start = attr_start - 1 - "self".len();
                if self_start == 0 || !matches!(bytes[self_start - 1], b'.') {
                    continue;
                }
            }
            let called = text[end..].trim_start().starts_with('(');
            let counts = match awaited {
                Some(true) => called && !awaited_before(text, attr_start - 1),
                Some(false) => !called,
                None => true,
            };
            if counts {
                out.push(MemberUse {
                    attr: attr.to_owned(),
                    what,
                    kinds,
                    path: path.to_path_buf(),
                    line: at,
                });
            }
        }
    }
    // `line` held the byte offset so far: one pass over the text turns them into lines.
    if !out.is_empty() {
        let newlines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i).collect();
        for u in &mut out {
            u.line = newlines.partition_point(|&n| n < u.line) + 1;
        }
    }
    out
}

/// The attributes this text binds on `self` (`self.<attr> =`, `self.<attr>: T =`).
fn own_attributes(text: &str) -> HashSet<&str> {
    let mut out = HashSet::new();
    for (at, _) in text.match_indices("self.") {
        if text[..at]
            .bytes()
            .next_back()
            .is_some_and(|b| is_word(b) || b == b'.')
        {
            continue;
        }
        let rest = &text[at + "self.".len()..];
        let len = rest.bytes().take_while(|b| is_word(*b)).count();
        let after = rest[len..].trim_start_matches([' ', '\t']);
        if len > 0
            && (after.starts_with(':') || (after.starts_with('=') && !after.starts_with("==")))
        {
            out.insert(&rest[..len]);
        }
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The identifier that ends right before `at`.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let start = text[..at]
        .bytes()
        .rposition(|b| !is_word(b))
        .map_or(0, |i| i + 1);
    let word = &text[start..at];
    (!word.is_empty() && !word.as_bytes()[0].is_ascii_digit()).then_some(word)
}

/// Whether the primary expression whose last `.` is at `dot` (`insights.revised` in
/// `insights.revised.wait()`) stands right after `await` (also `await (`).
fn awaited_before(text: &str, dot: usize) -> bool {
    let bytes = text.as_bytes();
    let mut i = dot;
    // Back over the receiver: names, dots, and bracketed groups (`f(x).y`, `a[0].b`).
    while i > 0 {
        let b = bytes[i - 1];
        if is_word(b) || b == b'.' {
            i -= 1;
        } else if b == b')' || b == b']' {
            let Some(open) = matching_open(bytes, i - 1) else {
                return false;
            };
            i = open;
        } else {
            break;
        }
    }
    let before = text[..i].trim_end();
    let before = before.strip_suffix('(').map_or(before, str::trim_end);
    before.ends_with("await")
        && !before[..before.len() - "await".len()]
            .bytes()
            .next_back()
            .is_some_and(is_word)
}

/// The index of the bracket that `close` closes.
fn matching_open(bytes: &[u8], close: usize) -> Option<usize> {
    let mut depth = 0usize;
    for i in (0..=close).rev() {
        match bytes[i] {
            b')' | b']' => depth += 1,
            b'(' | b'[' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(text: &str) -> Vec<(String, &'static str)> {
        in_file(Path::new("m.py"), text)
            .into_iter()
            .map(|u| (u.attr, u.kinds[0]))
            .collect()
    }

    #[test]
    fn waits_and_acquires_count_where_they_are_not_awaited() {
        assert_eq!(
            uses("t = asyncio.create_task(insights.revised.wait())\n"),
            [("revised".to_owned(), "Condition")]
        );
        assert!(uses("await insights.revised.wait()\n").is_empty());
        assert!(uses("await (self.x.revised.wait_for(p))\n").is_empty());
        assert!(uses("await get(a)[0].revised.wait()\n").is_empty());
        assert_eq!(
            uses("asyncio.ensure_future(self.guard.acquire())\n"),
            [("guard".to_owned(), "Lock")]
        );
        assert!(
            uses("awaits.guard.acquire()\n")
                .iter()
                .any(|(a, _)| a == "guard")
        );
        // A bare name's method is the codemod's own business; `ev.wait()` has no attribute.
        assert!(uses("asyncio.create_task(ev.wait())\n").is_empty());
    }

    #[test]
    fn members_anyio_lacks_count_anywhere() {
        assert_eq!(
            uses(
                "pool._closed.clear()\nassert c.revised._waiters\nloop.call_soon(x.lock.release)\nx.lock.release()\n"
            ),
            [
                ("lock".to_owned(), "Lock"),
                ("_closed".to_owned(), "Event"),
                ("revised".to_owned(), "Lock"),
            ]
        );
        assert!(uses("x.items.clearly()\n").is_empty());
    }

    /// Each use's attribute and the constructors it rules out.
    fn kinds(text: &str) -> Vec<(String, &'static [&'static str])> {
        in_file(Path::new("m.py"), text)
            .into_iter()
            .map(|u| (u.attr, u.kinds))
            .collect()
    }

    #[test]
    fn a_futures_members_count_by_what_each_future_lacks() {
        // Callbacks: neither anyio's Future nor the helper has them.
        assert_eq!(
            kinds("p.waiter.add_done_callback(cb)\n"),
            [("waiter".to_owned(), FUTURES)]
        );
        // asyncio's spellings the helper keeps and anyio's Future respells.
        assert_eq!(
            kinds("conn.reply.set_result(v)\nx = conn.reply.exception()\n"),
            [
                ("reply".to_owned(), &["Future"][..]),
                ("reply".to_owned(), &["Future"][..]),
            ]
        );
        // The property anyio's Future has is read, not called.
        assert!(kinds("e = conn.reply.exception\n").is_empty());
    }

    #[test]
    fn a_queues_private_state_rules_out_both_forms_its_public_use_the_split() {
        assert_eq!(
            kinds("items = list(protocol.packet_queue._queue)\n"),
            [("packet_queue".to_owned(), QUEUES)]
        );
        assert_eq!(
            kinds("box.inbox.put_nowait(1)\n"),
            [("inbox".to_owned(), &["Queue"][..])]
        );
        // Another member of that name, or the queue reached through no attribute: nothing.
        assert!(kinds("box.inbox._queued\nq._queue\n").is_empty());
    }

    #[test]
    fn a_files_own_attribute_on_self_is_its_own_business() {
        let own = "class C:\n    def __init__(self):\n        self._closed = asyncio.Event()\n\n    def reset(self):\n        self._closed.clear()\n";
        assert!(uses(own).is_empty());
        // A subclass elsewhere that uses the attribute it inherits counts.
        assert_eq!(
            uses("class D(C):\n    def reset(self):\n        self._closed.clear()\n"),
            [("_closed".to_owned(), "Event")]
        );
        // So does another object's attribute of that name.
        assert_eq!(
            uses(&format!(
                "{own}\ndef f(other):\n    other._closed.clear()\n"
            )),
            [("_closed".to_owned(), "Event")]
        );
    }

    #[test]
    fn class_checks_of_an_attribute_count() {
        assert_eq!(
            uses("self.assertIsInstance(reg._event, asyncio.Event)\n"),
            [("_event".to_owned(), "Event")]
        );
        assert_eq!(
            uses("assert isinstance(pool.guard, Lock)\n"),
            [("guard".to_owned(), "Lock")]
        );
        assert!(uses("assert isinstance(pool.guard, anyio.Lock)\n").is_empty());
        assert!(uses("assert isinstance(guard, asyncio.Lock)\n").is_empty());
        assert!(uses("assert isinstance(f(a, b).x, dict)\n").is_empty());
    }
}
