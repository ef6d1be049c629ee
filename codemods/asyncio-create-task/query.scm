; asyncio-create-task: every call whose callee is a name or an attribute chain. Rust keeps
; `asyncio.create_task(...)`, `asyncio.ensure_future(coro_call)` and
; `asyncio.get_running_loop().create_task(...)` (any spelling: `aio.create_task`, a
; from-imported `create_task`), follows the task's name to its last use, and wraps the
; statements in between in a task group (or reuses the group they already sit in).
;
; before:  t = asyncio.create_task(f(x))
;          other()
;          r = await t
; after:   async with anyio.create_task_group() as tg:
;              t = tg.create_task(f(x))
;              other()
;              r = await t
(call
  function: [(identifier) (attribute)] @callee) @call
