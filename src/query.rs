//! Compile each codemod's query once; run them over a tree and hand captures to planners.
//!
//! A file that several codemods look at is matched once with the registry's patterns joined
//! into one query: each query run is a walk over the whole tree, and walking it once for every
//! codemod costs several times the parse. The matches of each codemod keep their order (a
//! query cursor orders its matches by start and by pattern index, and the joined query keeps
//! each codemod's patterns in order), and the outcomes are gathered per codemod, in the
//! codemods' order, exactly as with one query per codemod.

use crate::codemods::{Captures, Ctx};
use crate::edit::Outcome;
use crate::registry::{CODEMODS, Codemod};
use anyhow::{Result, anyhow};
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

/// From this many codemods on one file, the joined query is the cheaper walk (with the shared
/// patterns merged it costs about two single-codemod queries; measured on the standard library
/// with callgrind, 2 is a little cheaper than 1 or 3).
const JOIN_FROM: usize = 2;

/// The compiled query of the registry's codemod `i`, compiled on first use.
pub fn registered(i: usize) -> Result<&'static Query> {
    static QUERIES: OnceLock<Vec<OnceLock<Result<Query, String>>>> = OnceLock::new();
    let slots = QUERIES.get_or_init(|| CODEMODS.iter().map(|_| OnceLock::new()).collect());
    let c = &CODEMODS[i];
    slots[i]
        .get_or_init(|| {
            Query::new(&tree_sitter_python::LANGUAGE.into(), c.query)
                .map_err(|e| format!("codemods/{}/query.scm: {e}", c.id))
        })
        .as_ref()
        .map_err(|e| anyhow!("{e}"))
}

/// Every registered codemod's patterns in one query, and the codemods (registry indices) of
/// each pattern. A pattern that several codemods share (the same text, up to whitespace and
/// comments: `(argument_list [(identifier) (attribute)] @ref)` is in nine of them) is in the
/// query once and its matches go to each of them: the cursor's work grows with the number of
/// patterns. Each codemod's patterns keep their order in the joined query (it is a common
/// supersequence of the codemods' pattern lists), so each codemod's matches keep theirs.
pub struct Joined {
    query: Query,
    owners: Vec<Vec<usize>>,
}

/// One pattern of the joined query: its text (from the first codemod that has it), its
/// normalized text, and the codemods that have it.
struct Shared {
    text: &'static str,
    key: String,
    owners: Vec<usize>,
}

/// The registry's patterns merged into one list: each codemod's list in turn is aligned with
/// the merged one on a longest common subsequence of equal patterns, and its other patterns
/// are inserted where the alignment puts them.
fn merged_patterns() -> Vec<Shared> {
    let mut merged: Vec<Shared> = Vec::new();
    for (r, c) in CODEMODS.iter().enumerate() {
        let own: Vec<(&'static str, String)> = pattern_ranges(c.query)
            .into_iter()
            .map(|range| {
                let text = &c.query[range];
                (text, normalized(text))
            })
            .collect();
        // lcs[a][b]: the longest common subsequence of merged[a..] and own[b..].
        let (rows, cols) = (merged.len(), own.len());
        let mut lcs = vec![vec![0usize; cols + 1]; rows + 1];
        for a in (0..rows).rev() {
            for b in (0..cols).rev() {
                lcs[a][b] = if merged[a].key == own[b].1 {
                    lcs[a + 1][b + 1] + 1
                } else {
                    lcs[a + 1][b].max(lcs[a][b + 1])
                };
            }
        }
        let mut next = Vec::with_capacity(rows + cols);
        let mut old = merged.into_iter().peekable();
        let (mut a, mut b) = (0, 0);
        while a < rows || b < cols {
            let shared = a < rows && b < cols && old.peek().is_some_and(|s| s.key == own[b].1);
            if shared && lcs[a][b] == lcs[a + 1][b + 1] + 1 {
                let mut s = old.next().expect("a < rows");
                s.owners.push(r);
                next.push(s);
                a += 1;
                b += 1;
            } else if a < rows && (b == cols || lcs[a + 1][b] >= lcs[a][b + 1]) {
                next.push(old.next().expect("a < rows"));
                a += 1;
            } else {
                let (text, key) = own[b].clone();
                next.push(Shared {
                    text,
                    key,
                    owners: vec![r],
                });
                b += 1;
            }
        }
        merged = next;
    }
    merged
}

/// The registry's joined query.
pub fn joined() -> Result<&'static Joined> {
    static JOINED: OnceLock<Result<Joined, String>> = OnceLock::new();
    let result = JOINED.get_or_init(|| {
        let merged = merged_patterns();
        let mut source = String::new();
        let mut starts = Vec::new();
        for s in &merged {
            starts.push(source.len());
            source.push_str(s.text);
            source.push('\n');
        }
        let query = Query::new(&tree_sitter_python::LANGUAGE.into(), &source)
            .map_err(|e| format!("the joined codemod queries: {e}"))?;
        // The patterns are those split out of the codemods' queries, exactly.
        let split_ok = query.pattern_count() == starts.len()
            && starts
                .iter()
                .enumerate()
                .all(|(p, s)| query.start_byte_for_pattern(p) == *s);
        if !split_ok {
            return Err("the joined codemod queries: the patterns were split wrongly".to_owned());
        }
        let owners = merged.into_iter().map(|s| s.owners).collect();
        Ok(Joined { query, owners })
    });
    result.as_ref().map_err(|e| anyhow!("{e}"))
}

/// The byte ranges of a query source's top-level patterns: a parenthesized or bracketed group,
/// a string (an anonymous node) or a wildcard, with the quantifiers and captures after it.
/// Comments (`;` to the end of the line) and whitespace between them are left out.
fn pattern_ranges(source: &str) -> Vec<std::ops::Range<usize>> {
    let b = source.as_bytes();
    let mut out = Vec::new();
    let mut i = skip_blank(b, 0);
    while i < b.len() {
        let start = i;
        i = skip_item(b, i);
        // Captures (`@name`) and quantifiers, on the same or the following lines.
        loop {
            let j = skip_blank(b, i);
            match b.get(j) {
                Some(b'@') => i = skip_word(b, j + 1),
                Some(b'*' | b'+' | b'?') => i = j + 1,
                _ => break,
            }
        }
        out.push(start..i);
        i = skip_blank(b, i);
    }
    out
}

/// Past whitespace and comments.
fn skip_blank(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
        } else if b[i] == b';' {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else {
            break;
        }
    }
    i
}

/// Past a capture or node name, a field name, a predicate name.
fn skip_word(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'_' | b'.' | b'-')) {
        i += 1;
    }
    i
}

/// Past a string with its escapes (`i` at its opening quote).
fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    (i + 1).min(b.len())
}

/// Past one item: a group up to its matching bracket (strings and comments in it skipped), a
/// string, or a word.
fn skip_item(b: &[u8], i: usize) -> usize {
    match b[i] {
        b'"' => skip_string(b, i),
        b'(' | b'[' => {
            let mut depth = 0usize;
            let mut i = i;
            while i < b.len() {
                match b[i] {
                    b'"' => {
                        i = skip_string(b, i);
                        continue;
                    }
                    b';' => {
                        i = skip_blank(b, i);
                        continue;
                    }
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i
        }
        _ => skip_word(b, i).max(i + 1),
    }
}

/// A pattern's text with comments left out and each run of whitespace outside strings made
/// one space: two patterns with the same normalized text are the same pattern.
fn normalized(pattern: &str) -> String {
    let b = pattern.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == b';' {
            i = skip_blank(b, i);
            out.push(' ');
        } else if b[i] == b'"' {
            let end = skip_string(b, i);
            out.push_str(&pattern[i..end]);
            i = end;
        } else {
            let end = i + pattern[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&pattern[i..end]);
            i = end;
        }
    }
    out
}

/// Compile the joined query now, while the caller does something else (reads the files).
pub fn warm_up() {
    let _ = joined();
}

/// Set for a run of a few files (`lib.rs`): each codemod's own query runs, compiled on first
/// use, instead of the joined one. The outcomes are the same either way (see the module
/// documentation); compiling the joined query costs about 236 M instructions (callgrind),
/// most of a one-file run, while the queries of the codemods a few files trigger cost a
/// fraction of that.
static SEPARATE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// `SEPARATE`, for the rest of the process.
pub fn run_separately(separate: bool) {
    SEPARATE.store(separate, std::sync::atomic::Ordering::Relaxed);
}

/// A codemod's query: the registry's (compiled on first use, shared), or one compiled for a
/// codemod outside it.
pub enum Compiled {
    Registered(usize),
    Owned(Query),
}

impl Compiled {
    pub fn get(&self) -> Result<&Query> {
        match self {
            Self::Registered(i) => registered(*i),
            Self::Owned(q) => Ok(q),
        }
    }
}

/// The query of each codemod, in order.
pub fn for_codemods(codemods: &[&Codemod]) -> Result<Vec<Compiled>> {
    codemods
        .iter()
        .map(
            |c| match CODEMODS.iter().position(|r| std::ptr::eq(r, *c)) {
                Some(i) => Ok(Compiled::Registered(i)),
                None => Query::new(&tree_sitter_python::LANGUAGE.into(), c.query)
                    .map(Compiled::Owned)
                    .map_err(|e| anyhow!("codemods/{}/query.scm: {e}", c.id)),
            },
        )
        .collect()
}

/// Run `codemod`'s query over the tree in `ctx` and plan every match.
pub fn run(codemod: &Codemod, query: &Query, ctx: &Ctx) -> Vec<Outcome> {
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(query, ctx.tree.root_node(), ctx.text.as_bytes());
    let mut out = Vec::new();
    while let Some(m) = matches.next() {
        let nodes = m.captures.iter().map(|c| (c.index, c.node)).collect();
        out.extend((codemod.plan)(ctx, &Captures::new(query, nodes)));
    }
    out
}

/// Plan every match of the codemods `selected` (indices into `codemods`, ascending) over the
/// tree in `ctx`: the outcomes of the first selected codemod, then the second's, ...
pub fn run_selected(
    codemods: &[&Codemod],
    queries: &[Compiled],
    selected: &[usize],
    ctx: &Ctx,
) -> Result<Vec<Outcome>> {
    // The registry index of each selected codemod, when every one is registered.
    let registered: Option<Vec<usize>> = selected
        .iter()
        .map(|&i| CODEMODS.iter().position(|r| std::ptr::eq(r, codemods[i])))
        .collect();
    let distinct = |r: &Vec<usize>| (1..r.len()).all(|i| !r[..i].contains(&r[i]));
    let separate = SEPARATE.load(std::sync::atomic::Ordering::Relaxed);
    let Some(registered) = registered.filter(|r| !separate && r.len() >= JOIN_FROM && distinct(r))
    else {
        let mut out = Vec::new();
        for &i in selected {
            out.extend(run(codemods[i], queries[i].get()?, ctx));
        }
        return Ok(out);
    };
    let joined = joined()?;
    // For each registry codemod, its bucket among the selected ones.
    let mut bucket_of = vec![None; CODEMODS.len()];
    for (bucket, &r) in registered.iter().enumerate() {
        bucket_of[r] = Some(bucket);
    }
    let mut buckets: Vec<Vec<Outcome>> = selected.iter().map(|_| Vec::new()).collect();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&joined.query, ctx.tree.root_node(), ctx.text.as_bytes());
    while let Some(m) = matches.next() {
        // One set of captures for every codemod that has the pattern.
        let mut captures = None;
        for &r in &joined.owners[m.pattern_index] {
            let Some(bucket) = bucket_of[r] else {
                continue;
            };
            let captures = captures.get_or_insert_with(|| {
                let nodes = m.captures.iter().map(|c| (c.index, c.node)).collect();
                Captures::new(&joined.query, nodes)
            });
            buckets[bucket].extend((CODEMODS[r].plan)(ctx, captures));
        }
    }
    Ok(buckets.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_split_as_tree_sitter_splits_them() {
        let source = "; a comment (not a pattern)\n(call\n  function: (identifier) @f ; trailing (\n  (#eq? @f \"a)\\\"b;\")) @call\n\n[(identifier) (attribute)]+ @x\n  @y\n\"await\" @kw\n_ @any\n";
        let ranges = pattern_ranges(source);
        let texts: Vec<&str> = ranges.iter().map(|r| &source[r.clone()]).collect();
        assert_eq!(
            texts,
            [
                "(call\n  function: (identifier) @f ; trailing (\n  (#eq? @f \"a)\\\"b;\")) @call",
                "[(identifier) (attribute)]+ @x\n  @y",
                "\"await\" @kw",
                "_ @any",
            ]
        );
        let query = Query::new(&tree_sitter_python::LANGUAGE.into(), source).unwrap();
        assert_eq!(query.pattern_count(), ranges.len());
        for (p, r) in ranges.iter().enumerate() {
            assert_eq!(query.start_byte_for_pattern(p), r.start);
        }
        assert_eq!(
            normalized(texts[0]),
            "(call function: (identifier) @f (#eq? @f \"a)\\\"b;\")) @call"
        );
    }

    #[test]
    fn the_joined_query_holds_every_codemod_pattern_in_order_shared_ones_once() {
        let merged = merged_patterns();
        let joined = joined().unwrap();
        assert_eq!(joined.owners.len(), merged.len());
        let mut total = 0;
        for (r, c) in CODEMODS.iter().enumerate() {
            // Its patterns, in its order, each with the same text as in its query.
            let mine: Vec<String> = merged
                .iter()
                .filter(|s| s.owners.contains(&r))
                .map(|s| s.key.clone())
                .collect();
            let own: Vec<String> = pattern_ranges(c.query)
                .into_iter()
                .map(|range| normalized(&c.query[range]))
                .collect();
            assert_eq!(mine, own, "{}", c.id);
            assert_eq!(
                own.len(),
                registered(r).unwrap().pattern_count(),
                "{}",
                c.id
            );
            total += own.len();
        }
        // Shared patterns are in the query once.
        assert!(merged.len() * 2 < total, "{} of {total}", merged.len());
    }
}
