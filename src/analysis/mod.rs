//! The analysis every codemod's soundness rests on, written once: what binds a name, and what
//! kind of awaitable an expression is. Codemods ask; they never re-implement these rules.

pub mod awaitable;
pub mod bindings;
pub mod patches;
