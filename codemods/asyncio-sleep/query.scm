; asyncio-sleep: every call whose callee is a name or an attribute chain.
; Rust keeps the ones that resolve to asyncio.sleep (`asyncio.sleep`, `aio.sleep`, a
; from-imported `sleep`), so `self.sleep`, `trio.sleep` and a local `sleep` never change.
;
; before:  await asyncio.sleep(delay, "done")
; after:   await anyio.sleep(max(0, delay))   (plus `v = "done"` when the result is used)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call

; asyncio.sleep passed as a value (a callback, a default, an element of a callback list or
; a dict value): becomes the `_asyncio_sleep` helper with asyncio's signature.
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
(list [(identifier) (attribute)] @ref)
(tuple [(identifier) (attribute)] @ref)
(set [(identifier) (attribute)] @ref)
(expression_list [(identifier) (attribute)] @ref)
(pair value: [(identifier) (attribute)] @ref)
(return_statement [(identifier) (attribute)] @ref)
(default_parameter value: [(identifier) (attribute)] @ref)
(typed_default_parameter value: [(identifier) (attribute)] @ref)
