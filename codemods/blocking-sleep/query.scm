; blocking-sleep: every call whose callee is a name or an attribute chain.
; Rust keeps the ones that resolve to time.sleep (`time.sleep`, `t.sleep` with
; `import time as t`, a from-imported `sleep`) and that run directly in an `async def` body,
; not in a nested def, lambda or class.
;
; before:  time.sleep(0.5)
; after:   await anyio.sleep(0.5)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list)) @call
