; asyncio-shield: every call whose callee is a name or an attribute chain, plus names used as
; values. Rust keeps what resolves to asyncio.shield (`asyncio.shield`, `aio.shield`, a
; from-imported `shield`), so `self.shield`, a local `shield` and a parameter never change.
;
; before:  x = await asyncio.shield(f())
; after:   with anyio.CancelScope(shield=True):
;              x = await f()
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call

; asyncio.shield passed as a value: reported.
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
