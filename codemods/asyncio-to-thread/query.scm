; asyncio-to-thread: every call whose callee is a name or an attribute chain (Rust keeps the ones
; that resolve to asyncio.to_thread), every `<object>.run_in_executor(...)` call (Rust proves the
; object is the running asyncio loop), and asyncio.to_thread passed as a value (reported).
;
; before:  await asyncio.to_thread(f, a, k=1)
; after:   await anyio.to_thread.run_sync(functools.partial(f, a, k=1), abandon_on_cancel=True)
;
; before:  await asyncio.get_running_loop().run_in_executor(None, f, a)
; after:   await anyio.to_thread.run_sync(f, a, abandon_on_cancel=True)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list)) @call

(call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method)
  arguments: (argument_list)
  (#eq? @method "run_in_executor")) @call

(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
