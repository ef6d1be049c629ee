//! Messages more than one codemod gives.

pub const CONTEXT_WHY: &str = "the task is started with `context=`: asyncio runs it in that Context object, so the ContextVar changes it makes are visible there afterwards; anyio's `create_task(..., context=ctx)` runs it in a copy and leaves `ctx` unchanged";

pub const CONTEXT_HINT: &str = "if nothing reads the context afterwards, `tg.create_task(coro, context=ctx)` in a task group; otherwise pass the values back explicitly (the task's return value, or a mutable holder) instead of through the context";

pub const PATCH_HINT: &str = "patch a seam of the code under test instead (its own function or method), or drive the real timing; patching asyncio's function only works while the code still calls it";
