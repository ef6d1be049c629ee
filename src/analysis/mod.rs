//! The analysis every codemod's soundness rests on, written once: what binds a name
//! (`bindings`), which variable a name refers to (`scopes`), what kind of awaitable an expression
//! is (`awaitable`), where an exception is caught (`exceptions`) and whether a caller catches it
//! (`callers`), and the tree's shape (`syntax`).
//! Codemods ask; they never re-implement these rules. Nothing here depends on a codemod.

pub mod awaitable;
pub mod bindings;
pub mod builtins;
pub mod callers;
pub mod exceptions;
pub mod member_uses;
pub mod module_reads;
pub mod patches;
pub mod scopes;
pub mod star_names;
pub mod syntax;

pub use awaitable::Code;
