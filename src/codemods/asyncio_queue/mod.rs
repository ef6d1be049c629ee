//! asyncio-queue: an `asyncio.Queue` confined to one function or one class → a pair of memory
//! object streams (`q_send`, `q_recv`), every use rewritten in one fix (spec §4, D4).
//!
//! One object becomes two, so the planner follows the queue: every use of the variable (closures
//! included), or every `self._q` in the class's methods; a queue passed to a function of this
//! module is followed into its parameter. A use it cannot see or map makes the whole queue
//! MANUAL, naming why: the rewrite is all or nothing.

use super::{Captures, Ctx, is_class_check_argument};
use crate::codemods::shared::catalogue::messages;
use crate::edit::{Edit, Finding, Outcome};
use std::collections::{HashMap, HashSet};
use tree_sitter::Node;

mod helpers;
mod lifetimes;
mod owner;
mod rewrite;
mod shim;
mod uses;

use helpers::fresh_pair;
use owner::{Owner, locate};
use rewrite::refuse;

pub const ID: &str = "asyncio-queue";

messages!("asyncio-queue", pub(super));

const ESCAPE_HINT: &str = "create the pair where every user can see it: `q_send, q_recv = anyio.create_memory_object_stream[T](math.inf)` (math.inf for an unbounded Queue(), N for maxsize=N); give `q_send` to producers and `q_recv` to consumers (`.clone()` one per task), close each with `async with` when done; put/get → send/receive, put_nowait/get_nowait → send_nowait/receive_nowait, QueueEmpty/QueueFull → anyio.WouldBlock";

const JOIN_HINT: &str = "memory object streams have no task_done()/join(): producers close their send stream when done, consumers iterate until it ends, and leaving the task group replaces `await q.join()`:
async with anyio.create_task_group() as tg:
    tg.start_soon(consumer, q_recv)  # async with q_recv: async for item in q_recv: ...
    async with q_send:
        for item in items:
            await q_send.send(item)";

const SHUTDOWN_HINT: &str = "`q_send.close()` for shutdown(): receivers drain the buffer, then get anyio.EndOfStream; `q_recv.close()` for shutdown(immediate=True): senders get anyio.BrokenResourceError and buffered items are dropped; catch those instead of asyncio.QueueShutDown";

const ORDERED_HINT: &str = "anyio has no LIFO or priority stream: keep a list (`heapq` for priorities) guarded by an `anyio.Condition`: `async with cond: items.append(x); cond.notify()` to put, `async with cond: while not items: await cond.wait()` then pop to get";

/// Why a queue an object owns is not split in a project whose tests fail on warnings: the split
/// never closes an object's streams, and anyio's streams warn when collected unclosed.
const UNCLOSED_REASON: &str = "it belongs to an object, whose streams this rewrite would leave unclosed, and the project's tests turn warnings into errors (`filterwarnings = error`): anyio's streams warn when collected unclosed (`ResourceWarning: Unclosed <MemoryObjectReceiveStream>`), which would fail those tests";

const SEND: &str = "MemoryObjectSendStream";
const WB: &str = "anyio.WouldBlock";
const RECV: &str = "MemoryObjectReceiveStream";
const STREAM_MODULE: &str = "anyio.streams.memory";

pub fn plan(ctx: &Ctx, caps: &Captures) -> Vec<Outcome> {
    if let Some(reference) = caps.get("ref") {
        return plan_value(ctx, reference);
    }
    let (Some(call), Some(callee)) = (caps.get("call"), caps.get("callee")) else {
        return Vec::new();
    };
    let Some(kind) = kind_of(ctx, callee) else {
        return Vec::new();
    };
    if kind != Kind::Queue {
        return vec![
            Finding::manual(
                ID,
                "ordered-queue",
                call.start_byte(),
                format!("asyncio.{} has no anyio counterpart", kind.name()),
                ORDERED_HINT,
            )
            .into(),
        ];
    }
    let owner = match locate(ctx, call) {
        Ok(owner) => owner,
        Err(why) => {
            return vec![kept_whole(ctx, call, callee, &[why], Hint::Escape)];
        }
    };
    if !owner.is_local() && ctx.targets.unclosed_streams_fail {
        return vec![kept_whole(
            ctx,
            call,
            callee,
            &[UNCLOSED_REASON.to_owned()],
            Hint::Escape,
        )];
    }
    let mut split = Split::new(ctx, &owner);
    split.run(&owner, call, callee);
    if split.reasons.is_empty() {
        vec![split.finish(&owner, call).into()]
    } else {
        let reasons = std::mem::take(&mut split.reasons);
        if split.pending {
            return vec![refuse(ctx, call, &reasons, split.hint)];
        }
        vec![kept_whole(ctx, call, callee, &reasons, split.hint)]
    }
}

/// A queue that cannot be split keeps its object, as `_Queue` (`shim`), unless it is shut
/// down (the helper has no `shutdown()`) or the file shows a use the helper lacks: then the
/// finding that says why it cannot be split.
fn kept_whole(ctx: &Ctx, call: Node, callee: Node, reasons: &[String], hint: Hint) -> Outcome {
    if hint == Hint::Shutdown {
        return refuse(ctx, call, reasons, hint);
    }
    let bound = rewrite::enclosing_assignment_target(ctx, call);
    shim::plan(ctx, call, callee, bound).unwrap_or_else(|why| {
        let mut reasons = reasons.to_vec();
        reasons.push(why);
        refuse(ctx, call, &reasons, hint)
    })
}

// ------------------------------------------------------------------ what is a queue

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Queue,
    Lifo,
    Priority,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Queue => "Queue",
            Self::Lifo => "LifoQueue",
            Self::Priority => "PriorityQueue",
        }
    }
}

/// `node` (a name, an attribute chain, or `Queue[T]`) is asyncio's Queue class or a sibling.
fn kind_of(ctx: &Ctx, node: Node) -> Option<Kind> {
    let node = if node.kind() == "subscript" {
        node.child_by_field_name("value")?
    } else {
        node
    };
    match ctx.qualified(node)?.as_str() {
        "asyncio.Queue" => Some(Kind::Queue),
        "asyncio.LifoQueue" => Some(Kind::Lifo),
        "asyncio.PriorityQueue" => Some(Kind::Priority),
        _ => None,
    }
}

/// `asyncio.Queue` (or a sibling) used as a value: a factory argument or a base class.
fn plan_value(ctx: &Ctx, reference: Node) -> Vec<Outcome> {
    let Some(kind) = kind_of(ctx, reference) else {
        return Vec::new();
    };
    if is_class_check_argument(ctx, reference) {
        return Vec::new();
    }
    let in_bases = ctx
        .parent(reference)
        .and_then(|p| ctx.parent(p))
        .is_some_and(|p| p.kind() == "class_definition");
    let hint = if kind == Kind::Queue {
        ESCAPE_HINT
    } else {
        ORDERED_HINT
    };
    let at = reference.start_byte();
    let finding = if in_bases {
        Finding::manual(
            ID,
            "subclass",
            at,
            format!(
                "a subclass of asyncio.{}: its instances are queues this tool cannot follow",
                kind.name()
            ),
            hint,
        )
    } else {
        Finding::manual(
            ID,
            "queue-as-value",
            at,
            format!(
                "asyncio.{} used as a value (a factory): the queues it makes are used where this tool cannot follow them",
                kind.name()
            ),
            hint,
        )
    };
    vec![finding.into()]
}

// ------------------------------------------------------------------ the analysis

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Hint {
    Escape,
    Shutdown,
    Join,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Send,
    Recv,
}

/// What the code of one function does with the queue.
#[derive(Clone, Copy, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about the uses"
)]
struct Uses {
    send: bool,
    recv: bool,
    stats: bool,
    nowait: bool,
}

impl Uses {
    fn add(&mut self, other: Self) {
        self.send |= other.send;
        self.recv |= other.recv;
        self.stats |= other.stats;
        self.nowait |= other.nowait;
    }
}

/// How the queue is spelled in the code being looked at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Naming {
    /// The owner's variable or attribute: renamed per side.
    Owner,
    /// A followed function's parameter: keeps its name, gets one side.
    Param,
}

#[derive(Clone, Copy)]
struct Scope<'t> {
    func: Node<'t>,
    naming: Naming,
}

/// A function the queue is passed to, and which parameter receives it.
struct Followed {
    param: String,
    uses: Option<Uses>,
}

#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts for the note"
)]
struct Split<'c, 't> {
    ctx: &'c Ctx<'t>,
    local: bool,
    owner_func: Option<Node<'t>>,
    owner_stmt: Node<'t>,
    send: String,
    recv: String,
    edits: Vec<Edit>,
    reasons: Vec<String>,
    hint: Hint,
    /// Uses in the owner function's own code (not in nested functions): the closing block
    /// must cover them.
    top_sites: Vec<Node<'t>>,
    /// Nested functions that touch the queue, with the function they are in.
    users: Vec<(Node<'t>, Node<'t>)>,
    seen_users: HashSet<usize>,
    followed: HashMap<usize, Followed>,
    /// Queue expressions already classified (node ids).
    ours: HashSet<usize>,
    /// `put_nowait`/`get_nowait` calls on this queue (node ids).
    nowait_ops: HashSet<usize>,
    /// Places an `except asyncio.QueueEmpty/QueueFull` around which must change.
    raise_sites: Vec<(Node<'t>, Node<'t>)>,
    uses: Uses,
    math: bool,
    annotations: bool,
    callees: Vec<String>,
    lost_comment: bool,
    /// A user of the queue is started with `asyncio.create_task()` / `ensure_future()`, which
    /// asyncio-create-task may turn into a task group, after which the queue may split: it is
    /// not kept whole (`_Queue`) meanwhile.
    pending: bool,
}

impl<'c, 't> Split<'c, 't> {
    fn new(ctx: &'c Ctx<'t>, owner: &Owner<'t>) -> Self {
        let (base, owner_func) = match owner {
            Owner::Local { name, func, .. } => (name.clone(), Some(*func)),
            Owner::Class { attr, .. } => (attr.clone(), None),
        };
        let (send, recv) = fresh_pair(ctx.text, &base);
        Self {
            ctx,
            local: owner.is_local(),
            owner_func,
            owner_stmt: owner.stmt(),
            send,
            recv,
            edits: Vec::new(),
            reasons: Vec::new(),
            hint: Hint::Escape,
            top_sites: Vec::new(),
            users: Vec::new(),
            seen_users: HashSet::new(),
            followed: HashMap::new(),
            ours: HashSet::new(),
            nowait_ops: HashSet::new(),
            raise_sites: Vec::new(),
            uses: Uses::default(),
            math: false,
            annotations: false,
            callees: Vec::new(),
            lost_comment: false,
            pending: false,
        }
    }

    fn reason(&mut self, why: impl Into<String>) {
        let why = why.into();
        if !self.reasons.contains(&why) {
            self.reasons.push(why);
        }
    }

    fn text(&self, node: Node) -> &'c str {
        &self.ctx.text[node.byte_range()]
    }

    /// Follow every use, then check what the uses need: closures' call sites, followed
    /// functions' other callers, the `except` clauses around nowait calls.
    fn run(&mut self, owner: &Owner<'t>, call: Node<'t>, callee: Node<'t>) {
        match owner {
            Owner::Local {
                func, target, name, ..
            } => self.local_uses(*func, *target, name),
            Owner::Class {
                class,
                target,
                attr,
                ..
            } => self.class_uses(*class, *target, attr),
        }
        self.check_users();
        self.check_followed();
        if self.annotations {
            self.check_stream_names();
        }
        if self.reasons.is_empty() {
            self.constructor(owner, call, callee);
            self.handlers();
        }
    }
}
