//! A Python file as the engine sees it: text without BOM, line-ending and indentation style, a parse.

use anyhow::{Result, anyhow};
use std::borrow::Cow;
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
    /// A PEP 263 declaration names an encoding this tool does not read (the name as written).
    UnsupportedEncoding(String),
    /// The bytes are not valid in the encoding the file declares.
    NotInEncoding(String),
    /// The declared encoding would not give the same bytes back.
    NoRoundTrip(String),
    /// A UTF-8 BOM and a declaration of another encoding: Python refuses the file.
    BomAndEncoding(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Binary => write!(f, "binary file (contains a NUL byte)"),
            Self::NotUtf8 => write!(f, "not valid UTF-8"),
            Self::TooLarge(n) => write!(f, "file too large ({n} bytes; limit {MAX_FILE_BYTES})"),
            Self::UnsupportedEncoding(name) => write!(
                f,
                "declared encoding \"{name}\" is not supported; file left unchanged"
            ),
            Self::NotInEncoding(name) => write!(
                f,
                "not valid in its declared encoding \"{name}\"; file left unchanged"
            ),
            Self::NoRoundTrip(name) => write!(
                f,
                "declared encoding \"{name}\" does not give this file's bytes back once decoded; file left unchanged"
            ),
            Self::BomAndEncoding(name) => write!(
                f,
                "a UTF-8 BOM with a declared encoding \"{name}\" (Python refuses the file); file left unchanged"
            ),
        }
    }
}

/// How a Python file's bytes map to its text: UTF-8 (Python's default), or the encoding its
/// PEP 263 declaration names (`# -*- coding: latin-1 -*-`). Every one reads ASCII as ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// Python's latin-1: byte N is U+00NN. Not WHATWG's "iso-8859-1", which is windows-1252
    /// (they differ on 0x80-0x9F).
    Latin1,
    /// A WHATWG encoding that reads a Python codec's files (see `Encoding::for_python_name`).
    Whatwg(&'static encoding_rs::Encoding),
}

/// A character the file's encoding cannot represent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unencodable {
    pub ch: char,
    /// 1-based line of the character in the text being encoded.
    pub line: usize,
    pub encoding: &'static str,
}

impl std::fmt::Display for Unencodable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {} would hold {:?} (U+{:04X}), which the file's encoding {} cannot represent",
            self.line,
            self.ch,
            u32::from(self.ch),
            self.encoding
        )
    }
}

impl std::error::Error for Unencodable {}

impl Encoding {
    /// The encoding of a Python codec name, as Python looks it up: the tokenizer's own
    /// spellings of utf-8 and latin-1 (`utf-8-unix`, `iso-latin-1`, `_` for `-`, any case),
    /// then `codecs.lookup`'s normalisation (lower case, each run of punctuation but `.` one
    /// `_`) and its aliases, for the codecs supported. `None` for any other name.
    pub fn for_python_name(name: &str) -> Option<Self> {
        let tokenizer = name.to_ascii_lowercase().replace('_', "-");
        let is = |canonical: &str| {
            tokenizer == canonical
                || tokenizer
                    .strip_prefix(canonical)
                    .is_some_and(|rest| rest.starts_with('-'))
        };
        if is("utf-8") {
            return Some(Self::Utf8);
        }
        if is("latin-1") || is("iso-8859-1") || is("iso-latin-1") {
            return Some(Self::Latin1);
        }
        let mut normal = String::new();
        let mut punct = false;
        for c in name.chars() {
            if c.is_ascii_alphanumeric() || c == '.' {
                if punct && !normal.is_empty() {
                    normal.push('_');
                }
                normal.push(c.to_ascii_lowercase());
                punct = false;
            } else {
                punct = true;
            }
        }
        let by_alias = |n: &str| {
            PYTHON_CODECS
                .iter()
                .find(|(_, names)| names.contains(&n))
                .map(|&(encoding, _)| encoding)
        };
        by_alias(&normal).or_else(|| by_alias(&normal.replace('.', "_")))
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Latin1 => "latin-1",
            Self::Whatwg(e) => e.name(),
        }
    }

    /// The text of `bytes`, `None` unless every byte sequence is valid in this encoding (no
    /// replacement character, ever).
    pub fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Self::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_owned),
            Self::Latin1 => Some(bytes.iter().map(|&b| char::from(b)).collect()),
            Self::Whatwg(e) => {
                let text = e.decode_without_bom_handling_and_without_replacement(bytes)?;
                // WHATWG's windows-125x read the bytes their Python codec leaves undefined
                // (0x81 in cp1252) as C1 controls, which no defined byte gives.
                if is_windows(e) && text.chars().any(is_c1) {
                    return None;
                }
                Some(text.into_owned())
            }
        }
    }

    /// The bytes of `text`, or the first character this encoding cannot represent.
    pub fn encode(self, text: &str) -> Result<Cow<'_, [u8]>, Unencodable> {
        let unencodable = |at: usize, ch: char| Unencodable {
            ch,
            line: text[..at].matches('\n').count() + 1,
            encoding: self.name(),
        };
        match self {
            Self::Utf8 => Ok(Cow::Borrowed(text.as_bytes())),
            Self::Latin1 => text
                .char_indices()
                .map(|(at, ch)| u8::try_from(ch).map_err(|_| unencodable(at, ch)))
                .collect::<Result<_, _>>()
                .map(Cow::Owned),
            Self::Whatwg(e) => {
                if is_windows(e)
                    && let Some((at, ch)) = text.char_indices().find(|&(_, c)| is_c1(c))
                {
                    return Err(unencodable(at, ch));
                }
                let mut encoder = e.new_encoder();
                let mut out = Vec::with_capacity(
                    encoder
                        .max_buffer_length_from_utf8_without_replacement(text.len())
                        .unwrap_or(text.len()),
                );
                let mut read = 0;
                loop {
                    let (result, n) = encoder.encode_from_utf8_to_vec_without_replacement(
                        &text[read..],
                        &mut out,
                        true,
                    );
                    read += n;
                    match result {
                        encoding_rs::EncoderResult::InputEmpty => return Ok(Cow::Owned(out)),
                        encoding_rs::EncoderResult::OutputFull => out.reserve(
                            encoder
                                .max_buffer_length_from_utf8_without_replacement(text.len() - read)
                                .unwrap_or(0)
                                .max(16),
                        ),
                        encoding_rs::EncoderResult::Unmappable(ch) => {
                            return Err(unencodable(read - ch.len_utf8(), ch));
                        }
                    }
                }
            }
        }
    }
}

fn is_windows(e: &'static encoding_rs::Encoding) -> bool {
    e.name().starts_with("windows-")
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// The Python codecs read through a WHATWG encoding, each with its module name and Python's
/// aliases (`encodings.aliases`), normalised. For the single-byte ones the WHATWG table is
/// Python's, byte for byte (windows-125x once C1 controls are refused, see `Encoding::decode`).
/// The multi-byte ones read every file Python reads the same way, but for a few symbols
/// (`Shift_JIS` 0x8160 is U+FF5E here, U+301C in Python) and vendor extensions Python refuses:
/// the file's bytes are kept all the same, since the migrations only insert ASCII and a file
/// is only read when its text encodes back to its very bytes.
const PYTHON_CODECS: &[(Encoding, &[&str])] = &[
    (
        Encoding::Whatwg(encoding_rs::WINDOWS_1252),
        &["cp1252", "1252", "windows_1252"],
    ),
    (
        Encoding::Whatwg(encoding_rs::WINDOWS_1251),
        &["cp1251", "1251", "windows_1251"],
    ),
    (
        Encoding::Whatwg(encoding_rs::WINDOWS_1250),
        &["cp1250", "1250", "windows_1250"],
    ),
    (
        Encoding::Whatwg(encoding_rs::ISO_8859_15),
        &["iso8859_15", "iso_8859_15", "l9", "latin9"],
    ),
    (
        Encoding::Whatwg(encoding_rs::ISO_8859_2),
        &[
            "iso8859_2",
            "csisolatin2",
            "iso_8859_2",
            "iso_8859_2_1987",
            "iso_ir_101",
            "l2",
            "latin2",
        ],
    ),
    (
        Encoding::Whatwg(encoding_rs::KOI8_R),
        &["koi8_r", "cskoi8r"],
    ),
    (
        Encoding::Whatwg(encoding_rs::SHIFT_JIS),
        &["shift_jis", "csshiftjis", "s_jis", "shiftjis", "sjis"],
    ),
    (
        Encoding::Whatwg(encoding_rs::EUC_JP),
        &["euc_jp", "eucjp", "u_jis", "ujis"],
    ),
    (
        Encoding::Whatwg(encoding_rs::GBK),
        &[
            "gbk",
            "936",
            "cp936",
            "ms936",
            "gb2312",
            "chinese",
            "csiso58gb231280",
            "euc_cn",
            "euccn",
            "eucgb2312_cn",
            "gb2312_1980",
            "gb2312_80",
            "iso_ir_58",
        ],
    ),
    (
        Encoding::Whatwg(encoding_rs::BIG5),
        &["big5", "big5_tw", "csbig5"],
    ),
    (
        Encoding::Latin1,
        &[
            "latin_1",
            "8859",
            "cp819",
            "csisolatin1",
            "ibm819",
            "iso8859",
            "iso8859_1",
            "iso_8859_1",
            "iso_8859_1_1987",
            "iso_ir_100",
            "l1",
            "latin",
            "latin1",
        ],
    ),
    (
        Encoding::Utf8,
        &[
            "utf_8",
            "utf_8_sig",
            "cp65001",
            "u8",
            "utf",
            "utf8",
            "utf8_ucs2",
            "utf8_ucs4",
        ],
    ),
];

/// The encoding name a PEP 263 declaration gives, as written: the first match of Python's
/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` on line 1, else on line 2 when line 1 holds only
/// a comment or blanks (a BOM already stripped).
pub fn declared_encoding(bytes: &[u8]) -> Option<&str> {
    // Lines end at LF, CRLF or CR, as for Python's tokenizer.
    let line_end = |b: &[u8]| b.iter().position(|&c| c == b'\r' || c == b'\n');
    let end = line_end(bytes).unwrap_or(bytes.len());
    let first = &bytes[..end];
    if let Some(name) = coding_cookie(first) {
        return Some(name);
    }
    let rest = first.trim_ascii_start();
    if !(rest.is_empty() || rest.starts_with(b"#")) {
        return None;
    }
    let next = &bytes[end..];
    let next = next
        .strip_prefix(b"\r\n")
        .or_else(|| next.strip_prefix(b"\r"))
        .or_else(|| next.strip_prefix(b"\n"))?;
    coding_cookie(&next[..line_end(next).unwrap_or(next.len())])
}

/// `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)` (ASCII `\w`) on one line.
fn coding_cookie(line: &[u8]) -> Option<&str> {
    let start = line
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c'))?;
    let comment = line[start..].strip_prefix(b"#")?;
    (0..comment.len()).find_map(|at| {
        let after = comment[at..].strip_prefix(b"coding")?;
        let after = after
            .strip_prefix(b":")
            .or_else(|| after.strip_prefix(b"="))?;
        let blanks = after
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        let name = &after[blanks..];
        let len = name
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .count();
        // All ASCII: never fails.
        std::str::from_utf8(&name[..len])
            .ok()
            .filter(|n| !n.is_empty())
    })
}

/// Decoded text plus the style facts that edits must respect.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub bom: bool,
    pub text: String,
    pub crlf: bool,
    /// The bytes' encoding (UTF-8 but for a Python file's PEP 263 declaration).
    pub encoding: Encoding,
}

impl SourceText {
    /// Decode raw UTF-8 bytes, refusing what cannot be source we may rewrite (a configuration
    /// file: PEP 263 is for Python files, `decode_python`).
    pub fn decode(bytes: &[u8]) -> Result<Self, SkipReason> {
        check_bytes(bytes)?;
        Self::decode_utf8(bytes)
    }

    fn decode_utf8(bytes: &[u8]) -> Result<Self, SkipReason> {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(SkipReason::NotUtf8);
        };
        let (bom, text) = match text.strip_prefix(BOM) {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Ok(Self::from_text(text, bom))
    }

    /// Decode a Python file's bytes in the encoding it declares (PEP 263), UTF-8 without a
    /// declaration. Refused: an encoding not supported, bytes not valid in it, text that would
    /// not encode back to the same bytes.
    pub fn decode_python(bytes: &[u8]) -> Result<Self, SkipReason> {
        check_bytes(bytes)?;
        let bom = bytes.starts_with(BOM.as_bytes());
        let Some(name) = declared_encoding(&bytes[if bom { BOM.len() } else { 0 }..]) else {
            return Self::decode_utf8(bytes);
        };
        let encoding = Encoding::for_python_name(name)
            .ok_or_else(|| SkipReason::UnsupportedEncoding(name.to_owned()))?;
        if encoding == Encoding::Utf8 {
            return Self::decode_utf8(bytes);
        }
        if bom {
            return Err(SkipReason::BomAndEncoding(name.to_owned()));
        }
        let text = encoding
            .decode(bytes)
            .ok_or_else(|| SkipReason::NotInEncoding(name.to_owned()))?;
        if encoding.encode(&text).ok().as_deref() != Some(bytes) {
            return Err(SkipReason::NoRoundTrip(name.to_owned()));
        }
        Ok(Self {
            encoding,
            ..Self::from_text(&text, false)
        })
    }

    pub fn from_text(text: &str, bom: bool) -> Self {
        let crlf = text
            .find('\n')
            .is_some_and(|i| i > 0 && text.as_bytes()[i - 1] == b'\r');
        Self {
            bom,
            text: text.to_owned(),
            crlf,
            encoding: Encoding::Utf8,
        }
    }

    /// The bytes to write back: the same BOM and encoding as the input.
    pub fn encode(&self, text: &str) -> Result<Vec<u8>, Unencodable> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(&self.encoding.encode(text)?);
        Ok(out)
    }
}

/// Size and NUL checks, before any decoding.
fn check_bytes(bytes: &[u8]) -> Result<(), SkipReason> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(bytes.len()));
    }
    if bytes.contains(&0) {
        return Err(SkipReason::Binary);
    }
    Ok(())
}

/// The parent of `node`, by tree-sitter's walk down from the root of its tree (`Node::parent`,
/// which nothing else calls: clippy's `disallowed_methods`, see `clippy.toml`). Slow: for the
/// nodes a resolver's table does not hold (`Resolver::parent`), and for code that has no
/// resolver of the node's tree.
#[expect(
    clippy::disallowed_methods,
    reason = "the one call of Node::parent: the fallback for nodes no resolver's table holds"
)]
pub fn walk_parent(node: Node) -> Option<Node> {
    node.parent()
}

/// The file's indentation unit, from its code: how much deeper the first indented block sits
/// than its header (docstring and continuation lines do not count); the text-only guess when
/// no block is indented.
pub fn indent_unit_of(tree: &Tree, text: &str) -> String {
    // Each node with its parent (a block's header): the walk down knows it.
    let mut stack: Vec<(Node, Option<Node>)> = vec![(tree.root_node(), None)];
    while let Some((node, parent)) = stack.pop() {
        if node.kind() == "block"
            && let (Some(first), Some(header)) = (node.named_child(0), parent)
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
        stack.extend(children.into_iter().rev().map(|c| (c, Some(node))));
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

/// Byte offset of the end of the line containing `pos` (its `\n`, or the end of the text).
pub fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// The statement is alone on its line(s): nothing but indentation before it, and at most a
/// comment after it. Only such statements get lines inserted before them.
pub fn on_own_line(text: &str, stmt: tree_sitter::Node) -> bool {
    let before = &text[line_start(text, stmt.start_byte())..stmt.start_byte()];
    let after = &text[stmt.end_byte()..line_end(text, stmt.end_byte())];
    before.trim().is_empty() && (after.trim().is_empty() || after.trim_start().starts_with('#'))
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

/// The byte offset of 1-based `line` and `column` (in characters), as `line_col` gives them;
/// past the end of a line or of the text, its end.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    start
        + rest[..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| i)
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

/// A pytest test module by its name: `test_*.py` or `*_test.py` (pytest's default
/// `python_files`).
pub fn is_test_module(path: &std::path::Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        let py = std::path::Path::new(n)
            .extension()
            .is_some_and(|e| e == "py");
        py && (n.starts_with("test_") || n.ends_with("_test.py"))
    })
}

/// Code that runs only in the test suite: a test module, a `conftest.py`, or a module under a
/// `tests`, `test` or `testing` folder.
pub fn is_test_code(path: &std::path::Path) -> bool {
    is_test_module(path)
        || path.file_name().is_some_and(|n| n == "conftest.py")
        || path.parent().is_some_and(|dir| {
            dir.components()
                .any(|c| matches!(c.as_os_str().to_str(), Some("tests" | "test" | "testing")))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_of_undoes_line_col() {
        let text = "ab\n\u{e9}t\u{e9} = 1\r\nlast";
        for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let (line, column) = line_col(text, at);
            assert_eq!(offset_of(text, line, column), at, "{at}");
        }
        // Past the end of a line: its end; past the last line: the text's end.
        assert_eq!(offset_of(text, 1, 9), 2);
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

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
            src.encode(&src.text).unwrap(),
            "\u{feff}import asyncio\r\n".as_bytes()
        );
    }

    #[test]
    fn declaration_on_line_one_or_after_a_comment_line() {
        let declared = |src: &[u8]| declared_encoding(src).map(str::to_owned);
        // Emacs and vim styles, `coding:` and `coding=`.
        assert_eq!(
            declared(b"# -*- coding: latin-1 -*-\nx = 1\n").as_deref(),
            Some("latin-1")
        );
        assert_eq!(
            declared(b"# vim: set fileencoding=cp1252 :\n").as_deref(),
            Some("cp1252")
        );
        assert_eq!(declared(b"#coding=utf-8").as_deref(), Some("utf-8"));
        assert_eq!(
            declared(b" \t\x0c# This Python file uses the following encoding: euc-jp\r\n")
                .as_deref(),
            Some("euc-jp")
        );
        // Line 2 after a shebang or a blank line, not after code.
        assert_eq!(
            declared(b"#!/usr/bin/env python\n# -*- coding: koi8-r -*-\n").as_deref(),
            Some("koi8-r")
        );
        assert_eq!(
            declared(b"#!/usr/bin/env python\r\n# coding=cp1251\r\n").as_deref(),
            Some("cp1251")
        );
        assert_eq!(
            declared(b"  \n# coding: latin-1\n").as_deref(),
            Some("latin-1")
        );
        assert_eq!(
            declared(b"#!python\r# coding: latin-1\r").as_deref(),
            Some("latin-1")
        );
        assert_eq!(declared(b"#!python\r\n\r\n# coding: latin-1\r\n"), None);
        assert_eq!(declared(b"import os\n# coding: latin-1\n"), None);
        // Line 3 is too late; a declaration must be in a comment and name something.
        assert_eq!(declared(b"#\n#\n# coding: latin-1\n"), None);
        assert_eq!(declared(b"x = 1  # coding: latin-1\n"), None);
        assert_eq!(declared(b"# coding latin-1\n"), None);
        assert_eq!(declared(b"# coding: \n"), None);
        // The first `coding[:=]` followed by a name, as the lazy `.*?` finds it.
        assert_eq!(
            declared(b"# coding: , then coding=latin-1\n").as_deref(),
            Some("latin-1")
        );
        assert_eq!(declared(b"# encoding: utf-8\n").as_deref(), Some("utf-8"));
    }

    #[test]
    fn python_codec_names_are_normalised_as_python_does() {
        let latin1 = Some(Encoding::Latin1);
        for name in [
            "latin-1",
            "LATIN_1",
            "latin1",
            "iso-8859-1",
            "iso8859-1",
            "l1",
            "iso-latin-1",
            "latin-1-unix",
        ] {
            assert_eq!(Encoding::for_python_name(name), latin1, "{name}");
        }
        let cp1252 = Some(Encoding::Whatwg(encoding_rs::WINDOWS_1252));
        for name in ["cp1252", "CP1252", "windows-1252", "windows_1252"] {
            assert_eq!(Encoding::for_python_name(name), cp1252, "{name}");
        }
        for name in ["utf-8", "UTF8", "utf-8-sig", "utf_8", "utf-8-unix"] {
            assert_eq!(
                Encoding::for_python_name(name),
                Some(Encoding::Utf8),
                "{name}"
            );
        }
        for (name, e) in [
            ("cp1251", encoding_rs::WINDOWS_1251),
            ("iso-8859-15", encoding_rs::ISO_8859_15),
            ("latin9", encoding_rs::ISO_8859_15),
            ("iso-8859-2", encoding_rs::ISO_8859_2),
            ("koi8-r", encoding_rs::KOI8_R),
            ("shift_jis", encoding_rs::SHIFT_JIS),
            ("sjis", encoding_rs::SHIFT_JIS),
            ("euc-jp", encoding_rs::EUC_JP),
            ("gbk", encoding_rs::GBK),
            ("gb2312", encoding_rs::GBK),
            ("big5", encoding_rs::BIG5),
        ] {
            assert_eq!(
                Encoding::for_python_name(name),
                Some(Encoding::Whatwg(e)),
                "{name}"
            );
        }
        // Unknown to Python (`latin-9` too: its alias is `latin9`), or not supported here.
        for name in ["mbcs", "latin-9", "utf-16", "iso2022_jp", "cp1252-dos", "x"] {
            assert_eq!(Encoding::for_python_name(name), None, "{name}");
        }
    }

    #[test]
    fn latin1_is_pythons_not_whatwgs() {
        let bytes: Vec<u8> = (1..=255).collect();
        let src = SourceText::decode_python(&[b"# coding: latin-1\n".as_slice(), &bytes].concat())
            .unwrap();
        assert_eq!(src.encoding, Encoding::Latin1);
        // 0x80 is U+0080 (windows-1252 would make it the euro sign).
        assert!(
            src.text
                .ends_with(&(1..=255u8).map(char::from).collect::<String>())
        );
        assert_eq!(src.encode(&src.text).unwrap()[18..], bytes[..]);
    }

    #[test]
    fn declared_encodings_decode_exactly_or_skip() {
        let cp1252 = b"# coding: cp1252\r\nx = '\x80'\r\n";
        let src = SourceText::decode_python(cp1252).unwrap();
        assert_eq!(src.text, "# coding: cp1252\r\nx = '\u{20ac}'\r\n");
        assert!(src.crlf && !src.bom);
        assert_eq!(src.encode(&src.text).unwrap(), cp1252);
        // 0x81 is undefined in Python's cp1252 (WHATWG reads it as U+0081).
        assert_eq!(
            SourceText::decode_python(b"# coding: cp1252\nx = '\x81'\n").unwrap_err(),
            SkipReason::NotInEncoding("cp1252".to_owned())
        );
        // A lone lead byte.
        assert_eq!(
            SourceText::decode_python(b"# coding: shift_jis\nx = '\x82'\n").unwrap_err(),
            SkipReason::NotInEncoding("shift_jis".to_owned())
        );
        // Big5 0x8862 reads as two code points, which do not encode back.
        assert_eq!(
            SourceText::decode_python(b"# coding: big5\nx = '\x88\x62'\n").unwrap_err(),
            SkipReason::NoRoundTrip("big5".to_owned())
        );
        let sjis = "# coding: shift_jis\nx = '\u{8868}'\n";
        let bytes = b"# coding: shift_jis\nx = '\x95\x5c'\n";
        let src = SourceText::decode_python(bytes).unwrap();
        assert_eq!(src.text, sjis);
        assert_eq!(src.encode(&src.text).unwrap(), bytes);
        // Python: a declared utf-8 file must be UTF-8; a BOM says UTF-8 too.
        assert_eq!(
            SourceText::decode_python(b"# coding: utf-8\nx = '\xe9'\n").unwrap_err(),
            SkipReason::NotUtf8
        );
        assert_eq!(
            SourceText::decode_python(b"\xef\xbb\xbf# coding: latin-1\n").unwrap_err(),
            SkipReason::BomAndEncoding("latin-1".to_owned())
        );
        let bom = SourceText::decode_python("\u{feff}# coding: utf-8\n".as_bytes()).unwrap();
        assert!(bom.bom && bom.encoding == Encoding::Utf8);
        let unknown = SourceText::decode_python(b"# coding: mbcs\nx = 1\n").unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "declared encoding \"mbcs\" is not supported; file left unchanged"
        );
        // No declaration: UTF-8, as before.
        assert_eq!(
            SourceText::decode_python(b"x = '\xe9'\n").unwrap_err(),
            SkipReason::NotUtf8
        );
    }

    #[test]
    fn text_the_encoding_cannot_represent_fails_to_encode() {
        let src = SourceText::decode_python(b"# coding: latin-1\nx = '\xe9'\n").unwrap();
        let err = src
            .encode("# coding: latin-1\nx = '\u{e9}'\ny = '\u{20ac}'\n")
            .unwrap_err();
        assert_eq!(
            err,
            Unencodable {
                ch: '\u{20ac}',
                line: 3,
                encoding: "latin-1"
            }
        );
        assert_eq!(
            err.to_string(),
            "line 3 would hold '\u{20ac}' (U+20AC), which the file's encoding latin-1 cannot represent"
        );
        let cp1252 = Encoding::Whatwg(encoding_rs::WINDOWS_1252);
        assert_eq!(*cp1252.encode("\u{20ac}").unwrap(), *b"\x80");
        assert_eq!(cp1252.encode("a\n\u{100}").unwrap_err().line, 2);
        assert_eq!(cp1252.encode("\u{81}").unwrap_err().ch, '\u{81}');
        let sjis = Encoding::Whatwg(encoding_rs::SHIFT_JIS);
        assert_eq!(sjis.encode("\u{8868}\u{e9}").unwrap_err().ch, '\u{e9}');
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
