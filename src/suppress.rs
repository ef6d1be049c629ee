//! What the user asked not to touch: `# anyio-migrate: ignore` comments (all rewrites and
//! findings on that line), `# anyio-migrate: ignore[ID,...]` (codemod ids or codes), a
//! `# anyio-migrate: skip-file` in a file's leading comments, and the codes or ids a run
//! leaves out (`--select` / `--ignore` with codes, `per-file-ignores`).

use std::collections::HashMap;
use tree_sitter::{Node, Tree};

const MARKER: &str = "anyio-migrate:";

/// Which outcomes a run keeps, by codemod id or code (`asyncio-loop/get-running-loop`).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Keep only these (empty: all).
    pub select: Vec<String>,
    /// Never these (`--ignore` codes).
    pub ignore: Vec<String>,
    /// Never these, counted as suppressed (`per-file-ignores`).
    pub suppress: Vec<String>,
}

/// The filter of a run that leaves nothing out.
pub static NO_FILTER: Filter = Filter {
    select: Vec::new(),
    ignore: Vec::new(),
    suppress: Vec::new(),
};

/// Does a list of ids and codes name this outcome (its codemod, or its exact code)?
pub fn names(list: &[String], codemod: &str, code: &str) -> bool {
    list.iter().any(|x| x == codemod || x == code)
}

impl Filter {
    /// Left out of the run by `--select` / `--ignore` (not counted).
    pub fn drops(&self, codemod: &str, code: &str) -> bool {
        (!self.select.is_empty() && !names(&self.select, codemod, code))
            || names(&self.ignore, codemod, code)
    }
}

/// Does the file's leading comment block (before its first statement) hold
/// `# anyio-migrate: skip-file`?
pub fn skips_file(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .take_while(|l| l.is_empty() || l.starts_with('#'))
        .any(|l| directive(l).is_some_and(|d| d == "skip-file"))
}

/// The text after `anyio-migrate:` in a comment, trimmed.
fn directive(comment: &str) -> Option<&str> {
    let at = comment.find(MARKER)?;
    Some(comment[at + MARKER.len()..].trim())
}

/// What an `ignore` comment covers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Scope {
    All,
    Only(Vec<String>),
}

/// The `ignore` comments of one text, by line (0-based row).
#[derive(Debug, Default)]
pub struct Comments {
    rows: HashMap<usize, Scope>,
}

impl Comments {
    pub fn of(tree: &Tree, text: &str) -> Self {
        let mut rows = HashMap::new();
        if !text.contains(MARKER) {
            return Self { rows };
        }
        let mut stack = vec![tree.root_node()];
        while let Some(node) = stack.pop() {
            if node.kind() == "comment" {
                if let Some(scope) = parse_ignore(&text[node.byte_range()]) {
                    rows.insert(node.start_position().row, scope);
                }
                continue;
            }
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        Self { rows }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Is there an `ignore` comment on this row (0-based)?
    pub fn has_row(&self, row: usize) -> bool {
        self.rows.contains_key(&row)
    }

    /// Is the outcome at byte `at` suppressed: an `ignore` comment naming it (or naming
    /// nothing) at the end of its line, or of the first line of the statement around it?
    pub fn cover(&self, tree: &Tree, at: usize, codemod: &str, code: &str) -> bool {
        if self.rows.is_empty() {
            return false;
        }
        let Some(node) = tree.root_node().descendant_for_byte_range(at, at) else {
            return false;
        };
        let mut rows = vec![node.start_position().row];
        if let Some(stmt) = statement_of(node) {
            rows.push(stmt.start_position().row);
        }
        rows.iter().any(|row| match self.rows.get(row) {
            Some(Scope::All) => true,
            Some(Scope::Only(list)) => names(list, codemod, code),
            None => false,
        })
    }
}

/// `# anyio-migrate: ignore` or `# anyio-migrate: ignore[a, b]` (anywhere in the comment,
/// so it can follow a `# noqa`).
fn parse_ignore(comment: &str) -> Option<Scope> {
    let rest = directive(comment)?.strip_prefix("ignore")?;
    let rest = rest.trim_start();
    let Some(list) = rest.strip_prefix('[') else {
        return rest
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '#')
            .then_some(Scope::All);
    };
    let list = &list[..list.find(']')?];
    Some(Scope::Only(
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    ))
}

/// The innermost statement around a node (a compound statement's header counts as its
/// first line).
fn statement_of(node: Node) -> Option<Node> {
    let mut n = Some(node);
    while let Some(x) = n {
        let kind = x.kind();
        if kind.ends_with("_statement") || kind.ends_with("_definition") {
            return Some(x);
        }
        n = crate::source::walk_parent(x);
    }
    None
}

/// `--add-ignore` on a file's text (its BOM kept): an ignore comment naming the codes of the
/// spots `(1-based line, code)` on each of their lines. `Ok(Ok((text, lines commented)))`, or
/// `Ok(Err(lines))` naming the lines that cannot hold a comment (their end lies inside a
/// string) or whose comment would break the parse: then nothing is to be written.
pub fn with_ignores(
    text: &str,
    spots: &[(usize, String)],
) -> anyhow::Result<Result<(String, usize), Vec<usize>>> {
    let mut by_line: std::collections::BTreeMap<usize, Vec<String>> =
        std::collections::BTreeMap::new();
    for (line, code) in spots {
        let codes = by_line.entry(*line).or_default();
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let mut lines: Vec<String> = body.split_inclusive('\n').map(str::to_owned).collect();
    for (line, codes) in &by_line {
        if let Some(l) = lines.get_mut(line - 1) {
            *l = with_ignore(l, codes);
        }
    }
    let new = lines.concat();
    let tree = crate::source::parse(&mut crate::source::new_parser()?, &new)?;
    let placed = Comments::of(&tree, &new);
    let missing: Vec<usize> = by_line
        .keys()
        .copied()
        .filter(|l| !placed.has_row(l - 1))
        .collect();
    if !crate::source::is_clean(&tree, &new) || !missing.is_empty() {
        return Ok(Err(missing));
    }
    Ok(Ok((format!("{bom}{new}"), by_line.len())))
}

/// The line `--add-ignore` ends with: `line` plus an `ignore[codes]` comment (merged into one
/// already there).
pub fn with_ignore(line: &str, codes: &[String]) -> String {
    let body = line.trim_end_matches(['\r', '\n']);
    let ending = &line[body.len()..];
    if let Some(at) = body.find(MARKER)
        && let Some(Scope::Only(mut have)) = parse_ignore(&body[at..])
    {
        let start = body[..at].rfind('#').unwrap_or(at);
        for c in codes {
            if !have.contains(c) {
                have.push(c.clone());
            }
        }
        let tail = &body[at..];
        let end = tail.find(']').map_or(body.len(), |e| at + e + 1);
        return format!(
            "{}# {MARKER} ignore[{}]{}{ending}",
            &body[..start],
            have.join(", "),
            &body[end..]
        );
    }
    format!("{body}  # {MARKER} ignore[{}]{ending}", codes.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Tree {
        let mut parser = crate::source::new_parser().unwrap();
        parser.parse(text, None).unwrap()
    }

    #[test]
    fn ignore_comments_cover_their_line_and_their_statement() {
        let text = "x = f(  # anyio-migrate: ignore[asyncio-sleep]\n    a,\n    g(b),\n)\ny = h()  # noqa: E1  # anyio-migrate: ignore\nz = k()  # anyio-migrate: ignored\n";
        let t = tree(text);
        let c = Comments::of(&t, text);
        let at = |s: &str| text.find(s).unwrap();
        assert!(c.cover(&t, at("g(b)"), "asyncio-sleep", "asyncio-sleep/sleep"));
        assert!(c.cover(&t, at("g(b)"), "x", "asyncio-sleep"));
        assert!(!c.cover(&t, at("g(b)"), "asyncio-loop", "asyncio-loop/x"));
        assert!(c.cover(&t, at("h()"), "anything", "anything/x"));
        assert!(
            !c.cover(&t, at("k()"), "anything", "anything/x"),
            "ignored is not ignore"
        );
    }

    #[test]
    fn skip_file_only_in_the_leading_comments() {
        assert!(skips_file(
            "#!/usr/bin/env python\n\n# anyio-migrate: skip-file\nimport x\n"
        ));
        assert!(!skips_file("import x\n# anyio-migrate: skip-file\n"));
    }

    #[test]
    fn add_ignore_appends_or_merges() {
        assert_eq!(
            with_ignore("    loop = f()\n", &["a/b".to_owned()]),
            "    loop = f()  # anyio-migrate: ignore[a/b]\n"
        );
        assert_eq!(
            with_ignore(
                "x()  # anyio-migrate: ignore[a/b]\r\n",
                &["a/b".to_owned(), "c".to_owned()]
            ),
            "x()  # anyio-migrate: ignore[a/b, c]\r\n"
        );
        assert_eq!(
            with_ignore("x()  # noqa\n", &["c".to_owned()]),
            "x()  # noqa  # anyio-migrate: ignore[c]\n"
        );
    }
}
