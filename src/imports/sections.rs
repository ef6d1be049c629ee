//! isort's sections, as ruff's `I` rules apply them by default: an added import goes into the
//! block of its section (future, standard library, third party, first party), alphabetically
//! among the plain `import x` lines, which come before the `from x import y` ones; a section
//! with no block gets a new block between its neighbours.

use crate::resolve::named_children;
use crate::source::line_start;
use std::ops::Range;
use tree_sitter::Node;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Stdlib,
    ThirdParty,
    FirstParty,
    Local,
}

impl Section {
    /// The section of a top-level module name (`first_party` knows the project's own).
    pub fn of(name: &str, first_party: &dyn Fn(&str) -> bool) -> Self {
        if crate::resolve::stdlib::is_stdlib_module(name) {
            Section::Stdlib
        } else if first_party(name) {
            Section::FirstParty
        } else {
            Section::ThirdParty
        }
    }
}

/// One top-level import statement of the leading import region.
struct Line<'t> {
    stmt: Node<'t>,
    section: Section,
    /// A plain `import x` (not `from x import y`), and its module (lowercased) for sorting.
    plain: Option<String>,
    /// A `from x import y`'s module (lowercased).
    from_module: Option<String>,
}

/// Where `import name` goes in `src`: the edit text and its position. `None` when the module
/// has no leading import region (the caller places it after the docstring). `removed` are the
/// ranges other edits of the pass delete (their statements do not count).
pub fn place(
    module: Node,
    src: &str,
    name: &str,
    removed: &[Range<usize>],
    first_party: &dyn Fn(&str) -> bool,
) -> Option<(usize, String)> {
    place_line(module, src, name, None, removed, first_party)
}

/// Where `from module import names` goes: like [`place`], among the block's from-imports
/// (after its plain ones), alphabetically by module.
pub fn place_from(module: Node, src: &str, from: &str, names: &str) -> Option<(usize, String)> {
    place_line(module, src, from, Some(names), &[], &|_: &str| false)
}

fn place_line(
    module: Node,
    src: &str,
    name: &str,
    from_names: Option<&str>,
    removed: &[Range<usize>],
    first_party: &dyn Fn(&str) -> bool,
) -> Option<(usize, String)> {
    let blocks = blocks(module, src, removed, first_party);
    if blocks.is_empty() {
        return None;
    }
    let top = name.split('.').next().unwrap_or(name);
    let section = Section::of(top, first_party);
    let line = match from_names {
        Some(names) => format!("from {name} import {names}\n"),
        None => format!("import {name}\n"),
    };
    if let Some(block) = blocks.iter().find(|b| b[0].section == section) {
        let key = name.to_lowercase();
        let before = block.iter().find(|l| match (&l.plain, from_names) {
            (Some(m), None) => *m > key,
            (None, None) => true,
            (Some(_), Some(_)) => false,
            (None, Some(_)) => l.from_module.as_ref().is_some_and(|m| *m > key),
        });
        return Some(match before {
            Some(l) => (line_start(src, l.stmt.start_byte()), line),
            None => (after(src, block), line),
        });
    }
    // A new block: after the last block of an earlier section, else before the first one.
    match blocks.iter().rev().find(|b| b[0].section < section) {
        Some(block) => Some((after(src, block), format!("\n{line}"))),
        None => Some((
            line_start(src, blocks[0][0].stmt.start_byte()),
            format!("{line}\n"),
        )),
    }
}

/// The start of the line after a block's last statement.
fn after(src: &str, block: &[Line]) -> usize {
    let end = block[block.len() - 1].stmt.end_byte();
    src[end..].find('\n').map_or(src.len(), |i| end + i + 1)
}

/// The leading import region's statements (after the docstring, `from __future__` and dunder
/// assignments such as `__all__`), split
/// into blocks at blank lines; statements in `removed` left out, empty blocks dropped.
fn blocks<'t>(
    module: Node<'t>,
    src: &str,
    removed: &[Range<usize>],
    first_party: &dyn Fn(&str) -> bool,
) -> Vec<Vec<Line<'t>>> {
    let doc = super::docstring(module).map(|d| d.id());
    let mut out: Vec<Vec<Line>> = Vec::new();
    let mut last_end: Option<usize> = None;
    for stmt in named_children(module) {
        match stmt.kind() {
            "comment" | "future_import_statement" => continue,
            "import_statement" | "import_from_statement" => {}
            _ if doc == Some(stmt.id()) => continue,
            // `__all__ = [...]` before the imports (E402 allows dunder assignments there).
            _ if last_end.is_none() && super::is_dunder_assignment(stmt, src) => continue,
            _ => break,
        }
        let gap = last_end.map_or("", |e| &src[e..line_start(src, stmt.start_byte())]);
        let new_block = last_end.is_none()
            || gap.contains("\n\n")
            || gap.lines().skip(1).any(|l| l.trim().is_empty());
        last_end = Some(stmt.end_byte());
        if removed
            .iter()
            .any(|r| r.start <= stmt.start_byte() && stmt.end_byte() <= r.end)
        {
            if new_block {
                out.push(Vec::new());
            }
            continue;
        }
        let Some(line) = line_of(stmt, src, first_party) else {
            // An import this pass cannot classify (`import a, b` of two sections): stop here.
            break;
        };
        if new_block || out.is_empty() {
            out.push(Vec::new());
        }
        if let Some(block) = out.last_mut() {
            block.push(line);
        }
    }
    out.retain(|b| !b.is_empty());
    // A block is one section: a mixed one (not sorted by isort) is not placed into.
    out.retain(|b| b.iter().all(|l| l.section == b[0].section));
    out
}

fn line_of<'t>(stmt: Node<'t>, src: &str, first_party: &dyn Fn(&str) -> bool) -> Option<Line<'t>> {
    let text = |n: Node| &src[n.byte_range()];
    let (module, plain) = if stmt.kind() == "import_statement" {
        let first = named_children(stmt).next()?;
        let path = if first.kind() == "aliased_import" {
            first.child_by_field_name("name")?
        } else {
            first
        };
        (text(path).to_owned(), true)
    } else {
        let m = stmt.child_by_field_name("module_name")?;
        if m.kind() == "relative_import" {
            return Some(Line {
                stmt,
                section: Section::Local,
                plain: None,
                from_module: None,
            });
        }
        (text(m).to_owned(), false)
    };
    let top = module.split('.').next().unwrap_or(&module).to_owned();
    Some(Line {
        stmt,
        section: Section::of(&top, first_party),
        plain: plain.then(|| module.to_lowercase()),
        from_module: (!plain).then(|| module.to_lowercase()),
    })
}
