//! Compile each codemod's query once; run them over a tree and hand captures to planners.

use crate::codemods::{Captures, Ctx};
use crate::edit::Outcome;
use crate::registry::{CODEMODS, Codemod};
use anyhow::{Result, anyhow};
use std::sync::OnceLock;
use streaming_iterator::StreamingIterator;
use tree_sitter::{Query, QueryCursor};

/// Every registered codemod's compiled query, in registry order.
pub fn compiled() -> Result<&'static [Query]> {
    static QUERIES: OnceLock<Result<Vec<Query>, String>> = OnceLock::new();
    let result = QUERIES.get_or_init(|| {
        let language = tree_sitter_python::LANGUAGE.into();
        CODEMODS
            .iter()
            .map(|c| {
                Query::new(&language, c.query)
                    .map_err(|e| format!("codemods/{}/query.scm: {e}", c.id))
            })
            .collect()
    });
    result.as_deref().map_err(|e| anyhow!("{e}"))
}

/// A compiled query: the registry's shared one, or one compiled for a codemod outside it.
pub enum Compiled {
    Shared(&'static Query),
    Owned(Query),
}

impl AsRef<Query> for Compiled {
    fn as_ref(&self) -> &Query {
        match self {
            Self::Shared(q) => q,
            Self::Owned(q) => q,
        }
    }
}

/// The compiled query of each codemod, in order.
pub fn for_codemods(codemods: &[&Codemod]) -> Result<Vec<Compiled>> {
    let shared = compiled()?;
    codemods
        .iter()
        .map(
            |c| match CODEMODS.iter().position(|r| std::ptr::eq(r, *c)) {
                Some(i) => Ok(Compiled::Shared(&shared[i])),
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
