; asyncio-gather: every call whose callee is a name or an attribute chain. Rust keeps the
; ones that resolve to asyncio.gather (`asyncio.gather`, `aio.gather`, a from-imported
; `gather`), so `self.gather`, `trio.gather` and a local `gather` never change.
;
; before:  await asyncio.gather(a(), b(x), c(k=1))
; after:   async with anyio.create_task_group() as tg:
;              tg.start_soon(a)
;              tg.start_soon(b, x)
;              tg.start_soon(functools.partial(c, k=1))
; (results used: `list(await anyio.gather(...))`; inside try/except: `await _gather(...)`;
; return_exceptions=True: `await _gather_return_exceptions(...)`)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (_) @args) @call

; asyncio.gather passed as a value (a callback, a partial): reported.
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
; also an element of a list, tuple, set or dict, or compared (`[gather, asyncio.gather]`,
; `f == asyncio.gather`): the same value.
(list [(identifier) (attribute)] @ref)
(tuple [(identifier) (attribute)] @ref)
(set [(identifier) (attribute)] @ref)
(expression_list [(identifier) (attribute)] @ref)
(pair value: [(identifier) (attribute)] @ref)
(comparison_operator [(identifier) (attribute)] @ref)
(return_statement [(identifier) (attribute)] @ref)
(default_parameter value: [(identifier) (attribute)] @ref)
