//! Where each fix and finding is in the original text, after the passes that moved the text
//! under them: the engine's last step (`engine::migrate`), mapping positions back through each
//! pass's edits.

use super::{Migration, Reported, ReportedFinding};
use crate::edit::{Edit, Finding, Fix};
use tree_sitter::Tree;

/// Report every fix and finding at its position in the original text.
pub(super) fn locate(
    (text, tree): (&str, &Tree),
    history: &[Vec<Edit>],
    output: String,
    applied: Vec<(Fix, usize)>,
    withheld: Vec<Fix>,
    findings: Vec<Finding>,
) -> Migration {
    let lines = LineIndex::new(text);
    let origin = |pos: usize, depth: usize| {
        history[..depth]
            .iter()
            .rev()
            .fold(pos, |p, edits| map_back(p, edits))
    };
    let report = |fix: Fix, depth: usize| {
        let start = origin(fix.at, depth);
        let end = origin(fix.span().end, depth).max(start);
        let (line, column) = lines.line_col(text, start);
        Reported {
            end: lines.line_col(text, end),
            fix,
            line,
            column,
        }
    };
    let depth = history.len();
    let mut findings: Vec<ReportedFinding> = findings
        .into_iter()
        .map(|finding| {
            let start = origin(finding.at, depth);
            let (line, column) = lines.line_col(text, start);
            ReportedFinding {
                end: lines.line_col(text, spot_end(tree, start)),
                finding,
                line,
                column,
            }
        })
        .collect();
    findings.sort_by(|a, b| {
        (a.line, a.column, a.finding.codemod).cmp(&(b.line, b.column, b.finding.codemod))
    });
    findings.dedup_by(|a, b| {
        a.line == b.line
            && a.column == b.column
            && a.finding.codemod == b.finding.codemod
            && a.finding.message == b.finding.message
    });
    let mut applied: Vec<Reported> = applied.into_iter().map(|(f, d)| report(f, d)).collect();
    applied.sort_by_key(|r| (r.line, r.column));
    let withheld = withheld.into_iter().map(|f| report(f, depth)).collect();
    Migration {
        output,
        applied,
        withheld,
        findings,
        suppressed: 0,
        reexports: Vec::new(),
        imports: None,
    }
}

/// The end of the code a finding at `at` is about: the largest node starting there that is
/// an expression or a simple statement (not a block or a compound statement, whose end lies
/// far below); `at` itself when no node starts there.
fn spot_end(tree: &Tree, at: usize) -> usize {
    let Some(mut node) = tree.root_node().descendant_for_byte_range(at, at) else {
        return at;
    };
    if node.start_byte() != at {
        return at;
    }
    // No resolver of this tree at hand: the walk.
    while let Some(parent) = crate::source::walk_parent(node) {
        let compound = parent.kind().ends_with("_definition")
            || matches!(
                parent.kind(),
                "module"
                    | "block"
                    | "if_statement"
                    | "for_statement"
                    | "while_statement"
                    | "with_statement"
                    | "try_statement"
                    | "match_statement"
                    | "decorated_definition"
                    | "except_clause"
                    | "finally_clause"
                    | "else_clause"
                    | "elif_clause"
            );
        if parent.start_byte() != at || compound {
            break;
        }
        node = parent;
    }
    node.end_byte()
}

/// `source::line_col` for many positions in one text: the line starts found once.
struct LineIndex {
    /// The byte offset of every line's start.
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts }
    }

    /// 1-based line and column (in characters) of byte `pos`, as `source::line_col`.
    fn line_col(&self, text: &str, pos: usize) -> (usize, usize) {
        let pos = pos.min(text.len());
        // The lines that start at or before `pos`; a line start is after a '\n' before it.
        let line = self.starts.partition_point(|s| *s <= pos);
        let start = self.starts[line - 1];
        (line, text[start..pos].chars().count() + 1)
    }
}

/// Where a position in the text after `edits` came from in the text before them.
/// A position inside replaced text maps to the start of what it replaced.
fn map_back(pos: usize, edits: &[Edit]) -> usize {
    let mut delta: isize = 0;
    for e in edits {
        let new_start = e.range.start.saturating_add_signed(delta);
        let new_end = new_start + e.text.len();
        if pos < new_start {
            break;
        }
        if pos < new_end {
            return e.range.start;
        }
        delta += e.text.len().cast_signed() - e.range.len().cast_signed();
    }
    pos.saturating_add_signed(-delta)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::splice;
    use crate::source::line_col;

    #[test]
    fn line_index_agrees_with_line_col() {
        for text in ["", "a", "\n", "ab\ncd\n\nxé\r\ny", "\n\nz"] {
            let index = LineIndex::new(text);
            for pos in 0..=text.len() + 2 {
                if text.is_char_boundary(pos.min(text.len())) {
                    assert_eq!(
                        index.line_col(text, pos),
                        line_col(text, pos),
                        "{text:?} {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn map_back_inverts_a_splice() {
        let edits = vec![Edit::replace(2..4, "wxyz"), Edit::insert(6, "!")];
        let after = splice("012345678", &edits, false);
        assert_eq!(after, "01wxyz45!678");
        assert_eq!(map_back(1, &edits), 1);
        assert_eq!(map_back(3, &edits), 2);
        assert_eq!(map_back(7, &edits), 5);
        assert_eq!(map_back(9, &edits), 6);
        assert_eq!(map_back(10, &edits), 7);
    }
}
