//! Statement-level edits shared by asyncio-timeout and asyncio-shield: unwrap a call, move the
//! comments it held, wrap a statement in a new block.

use super::block::{self, Refusal};
use crate::codemods::Ctx;
use crate::edit::Edit;
use crate::resolve::named_children;
use crate::source::{line_indent, line_start};
use std::ops::Range;
use tree_sitter::Node;

/// The text of every comment that starts in `range` (outside `skip`), in order.
pub fn comments_in(ctx: &Ctx, range: Range<usize>, skip: Option<&Range<usize>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![ctx.tree.root_node()];
    while let Some(n) = stack.pop() {
        if n.end_byte() <= range.start || n.start_byte() >= range.end {
            continue;
        }
        if n.kind() == "comment" {
            let skipped = skip.is_some_and(|s| s.contains(&n.start_byte()));
            if range.contains(&n.start_byte()) && !skipped {
                out.push((n.start_byte(), ctx.text_of(n).to_owned()));
            }
            continue;
        }
        stack.extend(named_children(n));
    }
    out.sort();
    out.into_iter().map(|(_, c)| c).collect()
}

/// Edits that replace `call` by its argument `keep` (callee, other arguments and parentheses
/// deleted), and the comments the deleted text held (outside `skip`), to be put elsewhere.
pub fn unwrap_call(
    ctx: &Ctx,
    call: Node,
    keep: Node,
    skip: Option<&Range<usize>>,
) -> (Vec<Edit>, Vec<String>) {
    let before = call.start_byte()..keep.start_byte();
    let after = keep.end_byte()..call.end_byte();
    let mut comments = comments_in(ctx, before.clone(), None);
    comments.extend(comments_in(ctx, after.clone(), skip));
    (vec![Edit::delete(before), Edit::delete(after)], comments)
}

/// The start of `stmt`'s line through its first character, and that character. A fix that
/// adds lines above a statement or indents it replaces this range rather than inserting at
/// the line start: then any other fix that indents this line (`block::wrap` inserts after the
/// indentation) or adds lines before it (`block::insert_before` inserts at the line start)
/// overlaps it and waits for the next pass, instead of composing into the wrong nesting.
pub fn claim<'a>(ctx: &Ctx<'a>, stmt: Node) -> (Range<usize>, &'a str) {
    let start = stmt.start_byte();
    let width = ctx.text[start..].chars().next().map_or(0, char::len_utf8);
    (
        line_start(ctx.text, start)..start + width,
        &ctx.text[start..start + width],
    )
}

/// One more `step` at the start of every line that starts in `start..end` (blank lines and
/// lines inside a multi-line string excepted). At the line start, not after the indentation
/// as `block::indent_lines` does, so that another fix's lines inserted before a statement in
/// the range clash with ours instead of missing the new step.
pub fn indent_line_starts(ctx: &Ctx, start: usize, end: usize, step: &str) -> Vec<Edit> {
    block::code_lines(ctx, start, end)
        .map(|(pos, _)| Edit::insert(pos, step))
        .collect()
}

/// Wrap `stmt` in `header` (relocated `comments` go on lines above it), together with `inner`
/// edits inside the statement. Line-start inserts that fall inside a deletion are dropped:
/// the line they indent is being joined to the previous one.
pub fn wrap_statement(
    ctx: &Ctx,
    stmt: Node,
    header: &str,
    comments: &[String],
    inner: Vec<Edit>,
) -> Result<Vec<Edit>, Refusal> {
    if !block::owns_lines(ctx, stmt, stmt) {
        return Err("the statement shares its line with another statement");
    }
    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = block::step_for(ctx, indent);
    let (range, first) = claim(ctx, stmt);
    let mut text = String::new();
    for line in comments.iter().map(String::as_str).chain([header]) {
        text.push_str(indent);
        text.push_str(line);
        text.push('\n');
    }
    text.push_str(indent);
    text.push_str(&step);
    text.push_str(first);
    let next_line = ctx.text[range.end..]
        .find('\n')
        .map_or(ctx.text.len(), |i| range.end + i + 1);
    let deleted: Vec<Range<usize>> = inner
        .iter()
        .filter(|e| !e.range.is_empty())
        .map(|e| e.range.clone())
        .collect();
    let mut edits = vec![Edit::replace(range, text)];
    edits.extend(
        indent_line_starts(ctx, next_line, stmt.end_byte(), &step)
            .into_iter()
            .filter(|e| {
                !deleted
                    .iter()
                    .any(|d| d.start < e.range.start && e.range.start < d.end)
            }),
    );
    edits.extend(inner);
    Ok(edits)
}
