//! The engine's apply stage (`engine::accept`, `engine::apply_pass`): which of a pass's fixes
//! go in together (no overlaps; the rest wait for the next pass), and the re-parse of the text
//! they make (`edit::splice`), incremental, which must parse cleanly.

use crate::edit::{Edit, Fix};
use crate::source;
use tree_sitter::Parser;

/// `text` parses with no syntax error and no indentation Python would reject.
pub(crate) fn parses_cleanly(parser: &mut Parser, text: &str) -> bool {
    source::parse(parser, text).is_ok_and(|t| source::is_clean(&t, text))
}

/// The tree of `next`, the text `splice(text, edits, crlf)` makes of `text` (whose tree is
/// `tree`), when it `parses_cleanly`; parsed incrementally: tree-sitter re-uses every subtree
/// the edits leave alone instead of parsing the whole file again. `edits` are normalized
/// (sorted, disjoint).
pub(crate) fn clean_reparse(
    parser: &mut Parser,
    tree: &tree_sitter::Tree,
    text: &str,
    edits: &[Edit],
    next: &str,
    crlf: bool,
) -> Option<tree_sitter::Tree> {
    let mut old = tree.clone();
    // Positions of the edits' ends in `text`, in one walk.
    let mut bounds = Vec::with_capacity(edits.len());
    let mut walker = PointWalker::default();
    for e in edits {
        bounds.push((walker.at(text, e.range.start), walker.at(text, e.range.end)));
    }
    // Last edit first: the positions of the earlier ones stay those of `text`.
    for (e, &(start_position, old_end_position)) in edits.iter().zip(&bounds).rev() {
        let inserted = if crlf {
            std::borrow::Cow::Owned(e.text.replace("\r\n", "\n").replace('\n', "\r\n"))
        } else {
            std::borrow::Cow::Borrowed(e.text.as_str())
        };
        let new_end_position = match inserted.rfind('\n') {
            Some(last) => tree_sitter::Point::new(
                start_position.row + inserted.matches('\n').count(),
                inserted.len() - last - 1,
            ),
            None => {
                tree_sitter::Point::new(start_position.row, start_position.column + inserted.len())
            }
        };
        old.edit(&tree_sitter::InputEdit {
            start_byte: e.range.start,
            old_end_byte: e.range.end,
            new_end_byte: e.range.start + inserted.len(),
            start_position,
            old_end_position,
            new_end_position,
        });
    }
    parser
        .parse(next, Some(&old))
        .filter(|t| source::is_clean(t, next))
}

/// Row and byte column of increasing byte positions in one text, walking it once.
#[derive(Default)]
struct PointWalker {
    pos: usize,
    row: usize,
    line_start: usize,
}

impl PointWalker {
    fn at(&mut self, text: &str, pos: usize) -> tree_sitter::Point {
        debug_assert!(pos >= self.pos);
        for (i, b) in text.as_bytes()[self.pos..pos].iter().enumerate() {
            if *b == b'\n' {
                self.row += 1;
                self.line_start = self.pos + i + 1;
            }
        }
        self.pos = pos;
        tree_sitter::Point::new(self.row, pos - self.line_start)
    }
}

/// Keep fixes that do not overlap an earlier fix (its region, or one of its edits); the rest
/// wait for the next pass. Two inserts at one point from different fixes also wait (their
/// order would be a guess), unless they are the same edit (a helper both fixes need, written
/// once). Identical fixes (two query patterns matching one node) are kept once.
pub(crate) fn select(mut fixes: Vec<Fix>) -> Vec<Fix> {
    fixes.sort_by_key(|f| (f.span().start, std::cmp::Reverse(f.span().end)));
    let mut accepted: Vec<Fix> = Vec::new();
    for fix in fixes {
        if accepted.iter().any(|a| a.edits == fix.edits) {
            continue;
        }
        let clashes = |e: &Edit, f: &Edit| {
            let (a, b) = (&e.range, &f.range);
            !(e == f && e.shared)
                && (a.start < b.end && b.start < a.end
                    || (a.is_empty() || b.is_empty())
                        && (a.start == b.start || a.start == b.end && b.is_empty()))
        };
        // A fix owns the region its own edits span (a wrapped block): another fix's edit
        // inside it would miss the re-indentation, so it waits. Shared helper inserts do not
        // count towards a region.
        let span = fix.span();
        let overlaps = accepted.iter().any(|a| {
            let s = a.span();
            s.start < span.end && span.start < s.end
                || a.edits
                    .iter()
                    .any(|e| fix.edits.iter().any(|f| clashes(e, f)))
        });
        if !overlaps {
            accepted.push(fix);
        }
    }
    accepted
}

/// Drop the fixes whose required fix (`Fix::requires`) is not among `accepted` (suppressed, held
/// back by `--safe-only`, rejected in review, or waiting for a later pass), to a fixpoint.
pub(crate) fn without_orphans(accepted: &mut Vec<Fix>) {
    loop {
        let before = accepted.len();
        let present: Vec<(&'static str, usize)> =
            accepted.iter().map(|f| (f.codemod, f.at)).collect();
        accepted.retain(|f| {
            f.requires
                .is_none_or(|at| present.contains(&(f.codemod, at)))
        });
        if accepted.len() == before {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::splice;

    #[test]
    fn splice_converts_newlines_for_crlf_files() {
        let edits = [Edit::replace(0..1, "a\nb")];
        assert_eq!(splice("x\r\ny", &edits, true), "a\r\nb\r\ny");
        assert_eq!(splice("x\ny", &edits, false), "a\nb\ny");
    }

    /// Every node of a tree: kind, byte range, start and end positions.
    fn shape(tree: &tree_sitter::Tree) -> Vec<String> {
        let mut out = Vec::new();
        let mut stack = vec![tree.root_node()];
        while let Some(n) = stack.pop() {
            out.push(format!(
                "{} {:?} {} {}",
                n.kind(),
                n.byte_range(),
                n.start_position(),
                n.end_position()
            ));
            let mut cursor = n.walk();
            stack.extend(n.children(&mut cursor));
        }
        out
    }

    #[test]
    fn incremental_reparse_gives_the_tree_of_a_fresh_parse() {
        let text = "import asyncio\n\n\nasync def main(x):\n    await asyncio.sleep(1)\n    if x:\n        return await asyncio.sleep(x)  # c\n";
        let cases: Vec<Vec<Edit>> = vec![
            // `asyncio.sleep` (1) renamed.
            vec![Edit::replace(46..59, "anyio.sleep")],
            // The import line, and an insert before the second sleep's argument.
            vec![
                Edit::replace(0..14, "import anyio"),
                Edit::insert(108, "max(0, "),
                Edit::insert(109, ")"),
            ],
            // Lines added before the def, and a block wrapped in a new one.
            vec![
                Edit::insert(17, "X = 1\n\n\n"),
                Edit::replace(63..72, "    if x and X:\n        pass\n    if x:"),
            ],
            // The if block deleted.
            vec![Edit::delete(63..116)],
        ];
        let mut parser = source::new_parser().unwrap();
        let lf = text;
        for crlf in [false, true] {
            let text = if crlf {
                lf.replace('\n', "\r\n")
            } else {
                text.to_owned()
            };
            let tree = source::parse(&mut parser, &text).unwrap();
            for edits in &cases {
                // The CRLF text is longer: shift the cases' offsets by the newlines before them.
                let at = |p: usize| {
                    if crlf {
                        p + lf[..p].matches('\n').count()
                    } else {
                        p
                    }
                };
                let edits: Vec<Edit> = edits
                    .iter()
                    .map(|e| Edit::replace(at(e.range.start)..at(e.range.end), e.text.clone()))
                    .collect();
                let next = splice(&text, &edits, crlf);
                let fresh = source::parse(&mut parser, &next).unwrap();
                let reparsed = clean_reparse(&mut parser, &tree, &text, &edits, &next, crlf)
                    .unwrap_or_else(|| panic!("{next:?} does not parse cleanly"));
                assert_eq!(shape(&reparsed), shape(&fresh), "{next:?}");
            }
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass() {
        let fix = |r: std::ops::Range<usize>| {
            Fix::new(
                "t",
                "x",
                r.start,
                crate::edit::Verdict::Safe,
                vec![Edit::replace(r, "x")],
            )
        };
        let kept = select(vec![fix(0..10), fix(2..4), fix(10..12), fix(0..10)]);
        let spans: Vec<_> = kept.iter().map(Fix::span).collect();
        assert_eq!(spans, vec![0..10, 10..12]);
        // A shared helper insertion does not make two far-apart fixes overlap.
        let helper = Edit::shared_insert(0, "def helper(): ...\n");
        let with_helper = |r: std::ops::Range<usize>| {
            Fix::new(
                "t",
                "x",
                r.start,
                crate::edit::Verdict::Safe,
                vec![helper.clone(), Edit::replace(r, "x")],
            )
        };
        assert_eq!(select(vec![with_helper(5..6), with_helper(8..9)]).len(), 2);
        // Two different inserts at one point: the second waits.
        let ins = |t: &str| {
            Fix::new(
                "t",
                "x",
                3,
                crate::edit::Verdict::Safe,
                vec![Edit::insert(3, t)],
            )
        };
        assert_eq!(select(vec![ins("a"), ins("b")]).len(), 1);
    }
}
