//! Why a match is left as it is, before it becomes a MANUAL finding: the finding's kind, what
//! stops the rewrite, what to do. Planners that try several forms pass it up with `?`.

use crate::edit::Finding;

pub struct Refusal {
    pub kind: &'static str,
    pub why: String,
    pub hint: &'static str,
}

pub fn refusal(kind: &'static str, why: impl Into<String>, hint: &'static str) -> Refusal {
    Refusal {
        kind,
        why: why.into(),
        hint,
    }
}

impl Refusal {
    /// The MANUAL finding of `codemod` at `at`.
    pub fn finding(self, codemod: &'static str, at: usize) -> Finding {
        Finding::manual(codemod, self.kind, at, self.why, self.hint)
    }
}
