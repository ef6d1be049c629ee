; asyncio-sleep: every call whose callee is a name or an attribute chain.
; Rust keeps the ones that resolve to asyncio.sleep (`asyncio.sleep`, `aio.sleep`, a
; from-imported `sleep`), so `self.sleep`, `trio.sleep` and a local `sleep` never change.
;
; before:  await asyncio.sleep(delay, "done")
; after:   await anyio.sleep(max(0, delay))   (plus `v = "done"` when the result is used)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call

; asyncio.sleep passed as a value (a callback, a default): rewritten, flagged for review.
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
