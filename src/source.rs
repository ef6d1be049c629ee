//! A Python file as the engine sees it: text without BOM, line-ending and indentation style, a parse.

use anyhow::{Result, anyhow};
use tree_sitter::{Node, Parser, Tree};

/// Files larger than this are skipped: no hand-written Python module is this big.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

const BOM: &str = "\u{feff}";

/// Why a file was not processed. Not an error: the file is left as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    Binary,
    NotUtf8,
    TooLarge(usize),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Binary => write!(f, "binary file (contains a NUL byte)"),
            Self::NotUtf8 => write!(f, "not valid UTF-8"),
            Self::TooLarge(n) => write!(f, "file too large ({n} bytes; limit {MAX_FILE_BYTES})"),
        }
    }
}

/// Decoded text plus the style facts that edits must respect.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub bom: bool,
    pub text: String,
    pub crlf: bool,
}

impl SourceText {
    /// Decode raw bytes, refusing what cannot be Python source we may rewrite.
    pub fn decode(bytes: &[u8]) -> Result<Self, SkipReason> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(SkipReason::TooLarge(bytes.len()));
        }
        if bytes.contains(&0) {
            return Err(SkipReason::Binary);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(SkipReason::NotUtf8);
        };
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Ok(Self::from_text(text, bom))
    }

    pub fn from_text(text: &str, bom: bool) -> Self {
        let crlf = text
            .find('\n')
            .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
        Self {
            bom,
            text: text.to_owned(),
            crlf,
        }
    }

    /// The bytes to write back: the same BOM as the input.
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// The file's indentation unit, from its code: how much deeper the first indented block sits
/// than its header (docstring and continuation lines do not count); the text-only guess when
/// no block is indented.
pub fn indent_unit_of(tree: &Tree, text: &str) -> String {
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.kind() == "block"
            && let (Some(first), Some(header)) = (node.named_child(0), node.parent())
            && first.start_position().row > header.start_position().row
        {
            let outer = line_indent(text, header.start_byte());
            let inner = line_indent(text, first.start_byte());
            if let Some(step) = inner.strip_prefix(outer).filter(|s| !s.is_empty()) {
                return step.to_owned();
            }
        }
        let mut cursor = node.walk();
        let children: Vec<Node> = node.named_children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    indent_unit(text)
}

/// The file's indentation unit guessed from its text alone: the first indented line's leading
/// whitespace (a tab, or the smallest run of spaces), four spaces when nothing is indented.
pub fn indent_unit(text: &str) -> String {
    let mut smallest_spaces: Option<usize> = None;
    for line in text.lines() {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.len() == line.len() {
            continue;
        }
        let lead = &line[..line.len() - trimmed.len()];
        if lead.starts_with('\t') {
            return "\t".to_owned();
        }
        let n = lead.len();
        smallest_spaces = Some(smallest_spaces.map_or(n, |m| m.min(n)));
    }
    " ".repeat(smallest_spaces.unwrap_or(4))
}

/// Leading whitespace of the line that contains byte `pos`.
pub fn line_indent(text: &str, pos: usize) -> &str {
    let start = line_start(text, pos);
    let rest = &text[start..];
    let end = rest
        .find(|c: char| c != ' ' && c != '\t')
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Byte offset of the start of the line containing `pos`.
pub fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

/// 1-based line and column (in characters) of byte `pos`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let line = text[..pos].matches('\n').count() + 1;
    let start = line_start(text, pos);
    (line, text[start..pos].chars().count() + 1)
}

pub fn new_parser() -> Result<Parser> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| anyhow!("loading the Python grammar: {e}"))?;
    Ok(parser)
}

pub fn parse(parser: &mut Parser, text: &str) -> Result<Tree> {
    parser
        .parse(text, None)
        .ok_or_else(|| anyhow!("the parser gave up on this file"))
}

/// Number of ERROR and MISSING nodes: the measure of "did this edit break the syntax".
pub fn syntax_error_count(tree: &Tree) -> usize {
    fn walk(node: Node, count: &mut usize) {
        if node.is_error() || node.is_missing() {
            *count += 1;
        }
        if !node.has_error() {
            return;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            walk(child, count);
        }
    }
    let mut count = 0;
    walk(tree.root_node(), &mut count);
    count
}

/// No syntax errors in `tree` (of `text`), and no indentation Python would reject that
/// tree-sitter lets pass (`indentation_error_count` assumes the first).
pub fn is_clean(tree: &Tree, text: &str) -> bool {
    !tree.root_node().has_error() && indentation_error_count(tree, text) == 0
}

/// Indentation that Python rejects but tree-sitter accepts: an empty block, statements of
/// one block starting at different columns, a block not indented deeper than its header, a
/// module-level statement that is indented. For a tree without syntax errors (ERROR nodes are
/// not walked: an expression or a simple statement never holds a block).
pub fn indentation_error_count(tree: &Tree, text: &str) -> usize {
    let starts_line = |pos: usize| text[line_start(text, pos)..pos].trim().is_empty();
    let mut count = 0;
    // Each node with its parent (a block's header is its parent): `Node::parent` would walk
    // down from the root.
    let mut stack: Vec<(Node, Option<Node>)> = vec![(tree.root_node(), None)];
    let mut cursor = tree.walk();
    let kinds = kind_classes();
    let class = |node: Node| kinds.get(usize::from(node.kind_id())).copied().unwrap_or(0);
    while let Some((node, parent)) = stack.pop() {
        let (module, block) = (class(node) & MODULE != 0, class(node) & BLOCK != 0);
        // Statements are the named children but comments; `columns` are those of the
        // statements that start their line.
        let mut first_stmt: Option<Node> = None;
        let mut first_column: Option<usize> = None;
        let mut uneven = false;
        cursor.reset(node);
        let mut more = cursor.goto_first_child();
        while more {
            let child = cursor.node();
            more = cursor.goto_next_sibling();
            if !child.is_named() {
                continue;
            }
            let child_class = class(child);
            if child_class & HOLDS_BLOCK != 0 {
                stack.push((child, Some(node)));
            }
            if !(module || block) || child_class & COMMENT != 0 {
                continue;
            }
            first_stmt.get_or_insert(child);
            if !starts_line(child.start_byte()) {
                continue;
            }
            let column = child.start_position().column;
            if module && column != 0 {
                count += 1;
            }
            match first_column {
                None => first_column = Some(column),
                Some(first) if first != column => uneven = true,
                Some(_) => {}
            }
        }
        if block {
            if first_stmt.is_none() || uneven {
                count += 1;
            }
            let header_indent = parent.map_or(0, |p| line_indent(text, p.start_byte()).len());
            if let (Some(first), Some(column)) = (first_stmt, first_column)
                && starts_line(first.start_byte())
                && column <= header_indent
            {
                count += 1;
            }
        }
    }
    count
}

/// `kind_classes` bits: what `indentation_error_count` needs to know of a node kind.
const MODULE: u8 = 1;
const BLOCK: u8 = 2;
const COMMENT: u8 = 4;
const HOLDS_BLOCK: u8 = 8;

/// The class bits of each node kind of the grammar, by kind id: `Node::kind` would look the
/// name up (and check its UTF-8) on every call.
fn kind_classes() -> &'static [u8] {
    static CLASSES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CLASSES.get_or_init(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        (0..language.node_kind_count())
            .map(|id| {
                let Some(kind) = u16::try_from(id)
                    .ok()
                    .and_then(|id| language.node_kind_for_id(id))
                else {
                    return 0;
                };
                let mut class = 0;
                for (bit, on) in [
                    (MODULE, kind == "module"),
                    (BLOCK, kind == "block"),
                    (COMMENT, kind == "comment"),
                    (HOLDS_BLOCK, may_hold_block(kind)),
                ] {
                    if on {
                        class |= bit;
                    }
                }
                class
            })
            .collect()
    })
}

/// Can a node of this kind have a `block` below it? A block is the body of a compound
/// statement (`if`, `for`, `while`, `try`, `with`, `match`, `def`, `class`) or of one of its
/// clauses (`elif`, `else`, `except`, `finally`, `case`), and those sit in blocks, in the
/// module, in a `decorated_definition` or in another clause: never in an expression or a
/// simple statement, which `indentation_error_count` need not walk. (Kinds ending in
/// `_statement` or `_clause` that hold no block, such as `return_statement` or a
/// comprehension's `for_in_clause`, are walked for nothing.)
fn may_hold_block(kind: &str) -> bool {
    kind.ends_with("_statement") && kind != "expression_statement"
        || kind.ends_with("_clause")
        || matches!(
            kind,
            "block" | "function_definition" | "class_definition" | "decorated_definition"
        )
}

/// The text of a node.
pub fn text_of<'a>(node: Node, src: &'a str) -> &'a str {
    &src[node.byte_range()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_binary_and_non_utf8() {
        assert_eq!(SourceText::decode(b"a\0b").unwrap_err(), SkipReason::Binary);
        assert_eq!(
            SourceText::decode(b"x = '\xff'").unwrap_err(),
            SkipReason::NotUtf8
        );
    }

    #[test]
    fn bom_and_crlf_round_trip() {
        let src = SourceText::decode("\u{feff}import asyncio\r\n".as_bytes()).unwrap();
        assert!(src.bom && src.crlf);
        assert_eq!(src.text, "import asyncio\r\n");
        assert_eq!(
            src.encode(&src.text),
            "\u{feff}import asyncio\r\n".as_bytes()
        );
    }

    #[test]
    fn indent_unit_of_ignores_docstring_lines() {
        let src = "def f():\n    \"\"\"Doc\n   odd continuation.\"\"\"\n    return 1\n";
        let tree = parse(&mut new_parser().unwrap(), src).unwrap();
        assert_eq!(indent_unit(src), "   ");
        assert_eq!(indent_unit_of(&tree, src), "    ");
    }

    #[test]
    fn indent_unit_detects_tabs_and_widths() {
        assert_eq!(indent_unit("def f():\n\treturn 1\n"), "\t");
        assert_eq!(indent_unit("def f():\n  if x:\n    y\n"), "  ");
        assert_eq!(indent_unit("x = 1\n"), "    ");
    }

    #[test]
    fn indentation_errors_tree_sitter_accepts_are_counted() {
        let count = |src: &str| {
            indentation_error_count(&parse(&mut new_parser().unwrap(), src).unwrap(), src)
        };
        assert_eq!(
            count(
                "async def f():\n    async with x as it:\n    async for i in it:\n        pass\n"
            ),
            1
        );
        assert_eq!(count("def f():\n    a()\n      b()\n"), 1);
        assert_eq!(
            count("def f():\n    if x: a(); b()\n    c()  # ok\n# dedented comment\n    d()\n"),
            0
        );
        assert_eq!(count("def f():\n\tx = (\n  1)\n\ty = 2\n"), 0);
    }

    #[test]
    fn indentation_errors_are_found_in_every_kind_of_nested_block() {
        let count = |src: &str| {
            let tree = parse(&mut new_parser().unwrap(), src).unwrap();
            assert!(!tree.root_node().has_error(), "{src}");
            indentation_error_count(&tree, src)
        };
        // One uneven block (`b()` one column off), deep inside each compound statement.
        for outer in [
            "if x:\n",
            "if y:\n    pass\nelif x:\n",
            "if y:\n    pass\nelse:\n",
            "for i in x:\n",
            "while x:\n",
            "while x:\n    pass\nelse:\n",
            "try:\n",
            "try:\n    pass\nexcept E:\n",
            "try:\n    pass\nexcept* E:\n",
            "try:\n    pass\nfinally:\n",
            "with x:\n",
            "async with x:\n",
            "def f():\n",
            "class C:\n",
            "@d\ndef f():\n",
            "@d\nclass C:\n",
            "match x:\n  case 1:\n",
        ] {
            let indent = if outer.starts_with("match") {
                "    "
            } else {
                "  "
            };
            let body = format!("{indent}with y:\n{indent}    a()\n{indent}     b()\n");
            assert_eq!(count(&format!("{outer}{body}")), 1, "{outer}{body}");
        }
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }
}
