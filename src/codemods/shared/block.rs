//! Statement-level rewrites: wrap a run of statements in a new block, or put new lines before
//! a statement, with the surrounding indentation, as small inserts that compose with other
//! edits and never touch comments, blank lines or the inside of multi-line strings.

use crate::codemods::Ctx;
use crate::edit::Edit;
use crate::source::{line_indent, line_start};
use tree_sitter::Node;

/// Why a statement-level rewrite cannot be made; planners turn it into a finding.
pub type Refusal = &'static str;

/// One indentation step inside a block indented with `indent`: the file's unit, unless the
/// block's own indentation says otherwise (tabs in a space-indented file, or the reverse).
pub fn step_for(ctx: &Ctx, indent: &str) -> String {
    match (indent.chars().last(), ctx.indent_unit.starts_with('\t')) {
        (Some('\t'), _) => "\t".to_owned(),
        (Some(' '), true) => "    ".to_owned(),
        _ => ctx.indent_unit.to_owned(),
    }
}

/// The statements `first..=last` (siblings in one block) each start their own line, and
/// `last` ends its line (a trailing comment is fine).
pub fn owns_lines(ctx: &Ctx, first: Node, last: Node) -> bool {
    crate::codemods::on_own_line(ctx.text, first) && crate::codemods::on_own_line(ctx.text, last)
}

/// Edits that wrap `first..=last` in `header` (e.g. `async with anyio.create_task_group() as
/// tg:`): the header line is inserted above at the statements' indentation and every line of
/// the statements gets one more step, except blank lines and lines that start inside a
/// multi-line string.
pub fn wrap(ctx: &Ctx, first: Node, last: Node, header: &str) -> Result<Vec<Edit>, Refusal> {
    if !owns_lines(ctx, first, last) {
        return Err("the statement shares its line with another statement");
    }
    let indent = line_indent(ctx.text, first.start_byte());
    let step = step_for(ctx, indent);
    let start = line_start(ctx.text, first.start_byte());
    let mut edits = vec![Edit::insert(start, format!("{indent}{header}\n"))];
    edits.extend(indent_lines(ctx, start, last.end_byte(), indent, &step));
    Ok(edits)
}

/// One more `step` on every line that starts in `start..end`, after the common `indent`.
pub fn indent_lines(ctx: &Ctx, start: usize, end: usize, indent: &str, step: &str) -> Vec<Edit> {
    code_lines(ctx, start, end)
        .map(|(pos, line)| {
            let at = if line.starts_with(indent) {
                pos + indent.len()
            } else {
                pos
            };
            Edit::insert(at, step)
        })
        .collect()
}

/// Every line that starts in `start..end` of `text`: its start and its text (no line break).
pub fn lines_from(text: &str, start: usize, end: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = start;
    std::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = (pos, &text[pos..line_end]);
        pos = line_end + 1;
        Some(line)
    })
}

/// The lines of code that start in `start..end` (`lines_from`): blank lines and lines inside a
/// multi-line string left out, the lines an indentation step applies to.
pub fn code_lines<'c>(
    ctx: &'c Ctx,
    start: usize,
    end: usize,
) -> impl Iterator<Item = (usize, &'c str)> {
    lines_from(ctx.text, start, end)
        .filter(|(pos, line)| !line.trim().is_empty() && !starts_inside_string(ctx, *pos))
}

/// Lines to put before `stmt`: `lines` are relative to the statement's indentation ("" for a
/// line at its level; each leading `\t` in a line means one more step).
pub fn insert_before(ctx: &Ctx, stmt: Node, lines: &[String]) -> Result<Edit, Refusal> {
    if !crate::codemods::on_own_line(ctx.text, stmt) {
        return Err("the statement shares its line with another statement");
    }
    let indent = line_indent(ctx.text, stmt.start_byte());
    let step = step_for(ctx, indent);
    let mut text = String::new();
    for line in lines {
        let depth = line.chars().take_while(|c| *c == '\t').count();
        text.push_str(indent);
        text.push_str(&step.repeat(depth));
        text.push_str(&line[depth..]);
        text.push('\n');
    }
    Ok(Edit::insert(line_start(ctx.text, stmt.start_byte()), text))
}

/// Does the line starting at `pos` begin inside a string that started on an earlier line?
pub fn starts_inside_string(ctx: &Ctx, pos: usize) -> bool {
    let Some(node) = ctx.tree.root_node().descendant_for_byte_range(pos, pos) else {
        return false;
    };
    let mut cur = Some(node);
    while let Some(n) = cur {
        if matches!(n.kind(), "string" | "concatenated_string") && n.start_byte() < pos {
            return true;
        }
        cur = ctx.parent(n);
    }
    false
}

/// The statement of `block` (a direct child) that contains `inner`.
pub fn statement_of_block<'t>(ctx: &Ctx<'t>, block: Node<'t>, inner: Node<'t>) -> Option<Node<'t>> {
    let mut cur = inner;
    loop {
        let parent = ctx.parent(cur)?;
        if parent.id() == block.id() {
            return Some(cur);
        }
        cur = parent;
    }
}

/// The statements of the first function body of the context's text (for the wrap tests).
#[cfg(test)]
pub(crate) fn first_body<'t>(ctx: &Ctx<'t>) -> Vec<Node<'t>> {
    let func = crate::resolve::named_children(ctx.tree.root_node())
        .find(|n| n.kind() == "function_definition")
        .unwrap();
    crate::resolve::named_children(func.child_by_field_name("body").unwrap()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{normalize, splice};

    /// Wrap the statements of the first function body from index `a` to `b` in `header`.
    fn wrapped(src: &str, a: usize, b: usize, header: &str) -> String {
        let edits = Ctx::with(src, |ctx| {
            let body = first_body(ctx);
            wrap(ctx, body[a], body[b], header).unwrap()
        })
        .unwrap();
        splice(src, &normalize(edits), false)
    }

    #[test]
    fn wraps_with_comments_blank_lines_and_continuations() {
        let src = "def f():\n    a()\n    # note\n    b(\n        1,\n    )\n\n    c()  # tail\n    d()\n";
        assert_eq!(
            wrapped(src, 1, 3, "with x:"),
            "def f():\n    a()\n    with x:\n        # note\n        b(\n            1,\n        )\n\n        c()  # tail\n    d()\n"
        );
    }

    #[test]
    fn keeps_multiline_strings_and_tabs() {
        let src = "def f():\n\ts = \"\"\"\nkeep\n\"\"\"\n\tg()\n";
        assert_eq!(
            wrapped(src, 0, 1, "with x:"),
            "def f():\n\twith x:\n\t\ts = \"\"\"\nkeep\n\"\"\"\n\t\tg()\n"
        );
    }

    #[test]
    fn refuses_statements_sharing_a_line() {
        let src = "def f():\n    a(); b()\n";
        let refused = Ctx::with(src, |ctx| {
            let body = first_body(ctx);
            wrap(ctx, body[0], body[0], "with x:").is_err()
        });
        assert_eq!(refused, Some(true));
    }
}
