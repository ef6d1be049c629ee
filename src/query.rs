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
use rayon::prelude::*;
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

/// From this many codemods on one file, the joined query is the cheaper walk (it costs about
/// three single-codemod queries).
const JOIN_FROM: usize = 3;

/// Every registered codemod's compiled query, in registry order (all compiled at once: the
/// run itself compiles each on first use, `registered`).
pub fn compiled() -> Result<&'static [Query]> {
    static QUERIES: OnceLock<Result<Vec<Query>, String>> = OnceLock::new();
    let result = QUERIES.get_or_init(|| {
        let language = tree_sitter_python::LANGUAGE.into();
        CODEMODS
            .par_iter()
            .map(|c| {
                Query::new(&language, c.query)
                    .map_err(|e| format!("codemods/{}/query.scm: {e}", c.id))
            })
            .collect()
    });
    result.as_deref().map_err(|e| anyhow!("{e}"))
}

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

/// Every registered codemod's patterns in one query, and the codemod (registry index) of
/// each pattern.
pub struct Joined {
    query: Query,
    owner: Vec<usize>,
}

/// The registry's joined query.
pub fn joined() -> Result<&'static Joined> {
    static JOINED: OnceLock<Result<Joined, String>> = OnceLock::new();
    let result = JOINED.get_or_init(|| {
        let mut source = String::new();
        let mut starts = Vec::new();
        for c in CODEMODS {
            starts.push(source.len());
            source.push_str(c.query);
            source.push('\n');
        }
        let query = Query::new(&tree_sitter_python::LANGUAGE.into(), &source)
            .map_err(|e| format!("the joined codemod queries: {e}"))?;
        let owner = (0..query.pattern_count())
            .map(|p| {
                let at = query.start_byte_for_pattern(p);
                starts.partition_point(|s| *s <= at) - 1
            })
            .collect();
        Ok(Joined { query, owner })
    });
    result.as_ref().map_err(|e| anyhow!("{e}"))
}

/// Compile the joined query now, while the caller does something else (walks the paths).
pub fn warm_up() {
    let _ = joined();
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
    let Some(registered) = registered.filter(|r| r.len() >= JOIN_FROM && distinct(r)) else {
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
        let r = joined.owner[m.pattern_index];
        let Some(bucket) = bucket_of[r] else {
            continue;
        };
        let nodes = m.captures.iter().map(|c| (c.index, c.node)).collect();
        buckets[bucket].extend((CODEMODS[r].plan)(
            ctx,
            &Captures::new(&joined.query, nodes),
        ));
    }
    Ok(buckets.into_iter().flatten().collect())
}
