//! The rewrite: the constructor becomes a stream pair, the owner closes both streams, the
//! `except asyncio.QueueEmpty/QueueFull` handlers catch `anyio.WouldBlock`.

use super::helpers::{
    Literal, is_plain_reference, item_type, literal_size, nowait_calls, stream_import,
};
use super::owner::Owner;
use super::{ESCAPE_HINT, Hint, ID, JOIN_HINT, SHUTDOWN_HINT, Split, WB};
use crate::analysis::syntax::{field_is, inside};
use crate::codemods::shared::block;
use crate::codemods::{Ctx, call_args, has_comment, is_async_def};
use crate::edit::{Edit, Finding, Fix, Import, Outcome, Verdict};
use crate::resolve::named_children;
use std::collections::HashSet;
use std::fmt::Write;
use tree_sitter::Node;

impl<'t> Split<'_, 't> {
    // -------------------------------------------------------------- the rewrite

    pub(super) fn constructor(&mut self, owner: &Owner<'t>, call: Node<'t>, callee: Node<'t>) {
        let ctx = self.ctx;
        let stmt = owner.stmt();
        let target = owner.target();
        let Some(assign) = stmt.named_child(0) else {
            return;
        };
        let targets = match owner {
            Owner::Local { .. } => format!("{}, {}", self.send, self.recv),
            Owner::Class { .. } => {
                let object = target
                    .child_by_field_name("object")
                    .map_or("self", |o| self.text(o));
                format!("{object}.{}, {object}.{}", self.send, self.recv)
            }
        };
        let annotation = assign.child_by_field_name("type");
        // `create_memory_object_stream[T]` from anyio 4.0 on; the item type is only typing.
        let generic_ok = ctx
            .targets
            .has(crate::target::api::Api::MemoryStreamGeneric);
        if callee.kind() == "subscript" && !generic_ok {
            self.edits.push(Edit::replace(
                callee.byte_range(),
                "anyio.create_memory_object_stream",
            ));
        } else if callee.kind() == "subscript" {
            if let Some(value) = callee.child_by_field_name("value") {
                self.edits.push(Edit::replace(
                    value.byte_range(),
                    "anyio.create_memory_object_stream",
                ));
            }
        } else {
            let item = annotation
                .and_then(|a| item_type(ctx, a))
                .filter(|_| generic_ok);
            let generic = item.map_or(String::new(), |t| format!("[{t}]"));
            self.edits.push(Edit::replace(
                callee.byte_range(),
                format!("anyio.create_memory_object_stream{generic}"),
            ));
        }
        match (annotation, assign.child_by_field_name("right")) {
            (Some(_), Some(right)) => self.edits.push(Edit::replace(
                target.start_byte()..right.start_byte(),
                format!("{targets} = "),
            )),
            _ => self.edits.push(Edit::replace(target.byte_range(), targets)),
        }
        self.size(call);
        if let Owner::Local { func, .. } = owner {
            self.close(*func, stmt);
        }
    }

    /// `maxsize` → `max_buffer_size`: `math.inf` for the unbounded cases (anyio's default 0
    /// is a rendezvous), an int for a positive literal, a guarded expression otherwise.
    pub(super) fn size(&mut self, call: Node<'t>) {
        let args = call_args(call);
        let Some(list) = call.child_by_field_name("arguments") else {
            return;
        };
        let size = match args.as_slice() {
            [] => {
                self.math = true;
                self.edits
                    .push(Edit::insert(list.start_byte() + 1, "math.inf"));
                return;
            }
            [a] if a.kind() == "keyword_argument" => {
                let key = a.child_by_field_name("name").map(|k| self.text(k));
                let value = a.child_by_field_name("value");
                let (Some("maxsize"), Some(v)) = (key, value) else {
                    self.reason(format!("it is created with `{}`", self.text(*a)));
                    return;
                };
                (*a, v)
            }
            [a] if !matches!(a.kind(), "list_splat" | "dictionary_splat") => (*a, *a),
            _ => {
                self.reason("it is created with arguments other than maxsize".to_owned());
                return;
            }
        };
        let (arg, value) = size;
        let text = self.text(value);
        let replacement = match literal_size(value, text) {
            Some(Literal::Unbounded) => {
                self.math = true;
                "math.inf".to_owned()
            }
            Some(Literal::Count(n)) => n,
            None if is_plain_reference(value) => {
                self.math = true;
                format!("{text} if {text} > 0 else math.inf")
            }
            None => {
                self.math = true;
                format!("max({text}, 0) or math.inf")
            }
        };
        if arg.id() == value.id() && replacement == text {
            return;
        }
        self.lost_comment |= has_comment(arg);
        self.edits
            .push(Edit::replace(arg.byte_range(), replacement));
    }

    /// Close both streams when the owner function no longer uses them: `async with q_send,
    /// q_recv:` from the statement after the creation to the last statement that uses them.
    pub(super) fn close(&mut self, func: Node<'t>, stmt: Node<'t>) {
        let ctx = self.ctx;
        let Some(block) = ctx.parent(stmt).filter(|b| b.kind() == "block") else {
            self.reason("it is not created in a block".to_owned());
            return;
        };
        let mut last: Option<Node> = None;
        for site in self.top_sites.clone() {
            if site.start_byte() < stmt.end_byte() {
                self.reason(format!(
                    "`{}` is used before it is created (in a loop?)",
                    self.text(site)
                ));
                continue;
            }
            if !inside(block, site) {
                self.reason(format!(
                    "`{}` is used outside the block that creates it",
                    self.text(site)
                ));
                continue;
            }
            if let Some(s) = block::statement_of_block(ctx, block, site)
                && last.is_none_or(|l| s.start_byte() > l.start_byte())
            {
                last = Some(s);
            }
        }
        let Some(last) = last else {
            if self.reasons.is_empty() {
                self.reason("the queue is never used after it is created".to_owned());
            }
            return;
        };
        let end_row = stmt.end_position().row;
        let first = named_children(block)
            .find(|s| s.start_byte() >= stmt.end_byte() && s.start_position().row > end_row);
        let Some(first) = first.filter(|f| f.start_byte() <= last.start_byte()) else {
            self.reason("it is used on the line that creates it".to_owned());
            return;
        };
        let header = if is_async_def(func) {
            format!("async with {}, {}:", self.send, self.recv)
        } else {
            format!("with {}, {}:", self.send, self.recv)
        };
        match block::wrap(ctx, first, last, &header) {
            Ok(edits) => self.edits.extend(edits),
            Err(why) => self.reason(why.to_owned()),
        }
    }

    /// `except asyncio.QueueEmpty/QueueFull` around a nowait call → `except anyio.WouldBlock`.
    /// When the same `try` also guards nowait calls of something else (another asyncio
    /// queue), both stay caught: `except (asyncio.QueueEmpty, anyio.WouldBlock)`.
    pub(super) fn handlers(&mut self) {
        let ctx = self.ctx;
        let mut done = HashSet::new();
        for (site, func) in self.raise_sites.clone() {
            let mut child = site;
            while let Some(parent) = ctx.parent(child) {
                if parent.id() == func.id()
                    || matches!(parent.kind(), "function_definition" | "lambda")
                {
                    break;
                }
                if parent.kind() == "try_statement"
                    && field_is(parent, "body", child)
                    && done.insert(parent.id())
                {
                    let others = nowait_calls(ctx, child)
                        .iter()
                        .any(|c| !self.nowait_ops.contains(&c.id()));
                    for clause in named_children(parent).filter(|c| c.kind() == "except_clause") {
                        self.handler(clause, others);
                    }
                }
                child = parent;
            }
        }
    }

    pub(super) fn handler(&mut self, clause: Node<'t>, others: bool) {
        let ctx = self.ctx;
        let Some(mut value) = clause.child_by_field_name("value") else {
            return;
        };
        if value.kind() == "as_pattern"
            && let Some(inner) = value.named_child(0)
        {
            value = inner;
        }
        let is_queue_exc =
            |n: Node| ctx.is(n, "asyncio.QueueEmpty") || ctx.is(n, "asyncio.QueueFull");
        let is_would_block = |n: Node| {
            ctx.is(n, "anyio.WouldBlock")
                || (ctx.text_of(n) == "anyio.WouldBlock" && !ctx.resolver.is_bound("anyio", n))
        };
        if value.kind() != "tuple" {
            if !is_queue_exc(value) {
                return;
            }
            let text = if others {
                format!("({}, {WB})", self.text(value))
            } else {
                WB.to_owned()
            };
            self.edits.push(Edit::replace(value.byte_range(), text));
            return;
        }
        let elements: Vec<Node> = named_children(value)
            .filter(|n| n.kind() != "comment")
            .collect();
        let queue: Vec<bool> = elements.iter().map(|e| is_queue_exc(*e)).collect();
        if !queue.contains(&true) {
            return;
        }
        let has_wb = elements.iter().any(|e| is_would_block(*e));
        if others {
            if !has_wb && let Some(last) = elements.last() {
                self.edits
                    .push(Edit::insert(last.end_byte(), format!(", {WB}")));
            }
            return;
        }
        let all = elements
            .iter()
            .zip(&queue)
            .all(|(e, q)| *q || is_would_block(*e));
        if all && !has_comment(value) {
            self.edits.push(Edit::replace(value.byte_range(), WB));
            return;
        }
        // Keep the first queue exception as WouldBlock (unless it is there), drop the rest.
        let mut keep: Vec<bool> = vec![true; elements.len()];
        let mut replaced = has_wb;
        for (i, q) in queue.iter().enumerate() {
            if !q {
                continue;
            }
            if replaced {
                keep[i] = false;
            } else {
                replaced = true;
                self.edits.push(Edit::replace(elements[i].byte_range(), WB));
            }
        }
        let mut i = 0;
        while i < elements.len() {
            if keep[i] {
                i += 1;
                continue;
            }
            let start = i;
            while i < elements.len() && !keep[i] {
                i += 1;
            }
            let range = if start > 0 {
                elements[start - 1].end_byte()..elements[i - 1].end_byte()
            } else if let Some(next) = elements.get(i) {
                elements[0].start_byte()..next.start_byte()
            } else {
                continue;
            };
            if ctx.text[range.clone()].contains('#') {
                // A comment sits where we would delete: keep the duplicate instead.
                for e in &elements[start..i] {
                    self.edits.push(Edit::replace(e.byte_range(), WB));
                }
            } else {
                self.edits.push(Edit::delete(range));
            }
        }
    }

    pub(super) fn finish(mut self, owner: &Owner<'t>, call: Node<'t>) -> Fix {
        let mut imports = Vec::new();
        if self.math {
            imports.push(Import::Math);
        }
        if self.annotations
            && let Some(edit) = stream_import(self.ctx)
        {
            self.edits.push(edit);
        }
        let streams = format!("`{}`/`{}`", self.send, self.recv);
        let mut note = format!(
            "split into memory object streams {streams}: send()/receive() always checkpoint (other tasks run in between; each is a cancellation point)"
        );
        if owner.is_local() {
            note.push_str("; both streams are closed at the end of the new `with` block");
        } else {
            note.push_str(
                "; the object owns the streams and nothing closes them: close both when it is done, or they emit ResourceWarning when garbage-collected; assumes no other module uses the attribute",
            );
        }
        if self.uses.stats {
            note.push_str(
                "; qsize()/empty()/full() do not count an item handed straight to a waiting receiver, and maxsize is inf where asyncio said 0",
            );
        }
        if !self.callees.is_empty() {
            let names: Vec<String> = self.callees.iter().map(|c| format!("`{c}()`")).collect();
            let verb = if names.len() == 1 { "gets" } else { "get" };
            let _ = write!(
                note,
                "; {} now {verb} one stream instead of the queue",
                names.join(", ")
            );
        }
        if self.lost_comment {
            note.push_str("; a comment inside a rewritten call was dropped");
        }
        Fix::new(
            ID,
            "memory-streams",
            call.start_byte(),
            Verdict::Unsafe,
            self.edits,
        )
        .with_imports(&imports)
        .note(note)
    }
}

pub(super) fn refuse(ctx: &Ctx, call: Node, reasons: &[String], hint: Hint) -> Outcome {
    let what = enclosing_assignment_target(ctx, call).map_or_else(
        || "this asyncio.Queue".to_owned(),
        |t| format!("asyncio.Queue `{t}`"),
    );
    let suggestion = match hint {
        Hint::Escape => ESCAPE_HINT,
        Hint::Join => JOIN_HINT,
        Hint::Shutdown => SHUTDOWN_HINT,
    };
    let kind: &'static str = match hint {
        Hint::Escape => "not-splittable",
        Hint::Join => "task-done-join",
        Hint::Shutdown => "shutdown",
    };
    Finding::manual(
        ID,
        kind,
        call.start_byte(),
        format!(
            "{what} cannot be split into two memory object streams: {}",
            reasons.join("; ")
        ),
        suggestion,
    )
    .into()
}

pub(super) fn enclosing_assignment_target<'a>(ctx: &'a Ctx, call: Node) -> Option<&'a str> {
    let mut cur = call;
    while let Some(p) = ctx
        .parent(cur)
        .filter(|p| p.kind() == "parenthesized_expression")
    {
        cur = p;
    }
    let assign = ctx.parent(cur).filter(|a| a.kind() == "assignment")?;
    Some(ctx.text_of(assign.child_by_field_name("left")?))
}
