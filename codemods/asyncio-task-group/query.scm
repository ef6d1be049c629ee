; asyncio-task-group: `async with asyncio.TaskGroup() as tg:` and every other reference to
; asyncio.TaskGroup. Rust keeps the ones that resolve to asyncio.TaskGroup (`asyncio.TaskGroup`,
; `aio.TaskGroup`, a from-imported `TaskGroup`), follows `tg` and the handles from
; `tg.create_task(...)`, and maps the Task methods used on them.
;
; before:  async with asyncio.TaskGroup() as tg:
;              t = tg.create_task(f(a), name="n")
;          print(t.result(), t.done())
; after:   async with anyio.create_task_group() as tg:
;              t = tg.create_task(f(a), name="n")
;          print(t.return_value, t.status not in (anyio.TaskHandle.Status.PENDING, anyio.TaskHandle.Status.CANCELLING))
(with_item
  value: (as_pattern
    (call
      function: [(identifier) (attribute)] @callee) @call))
(with_item
  value: (call
    function: [(identifier) (attribute)] @callee) @call)
(with_item
  value: (parenthesized_expression
    (as_pattern
      (call
        function: [(identifier) (attribute)] @callee) @call)))

; asyncio.TaskGroup anywhere else (a subclass, a group stored or passed around): MANUAL.
(identifier) @ref
(attribute) @ref
