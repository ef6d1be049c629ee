; asyncio-loop: every call whose callee is a name or an attribute chain. Rust keeps the ones
; that resolve to an asyncio loop API (`asyncio.get_running_loop()`, `aio.iscoroutinefunction`,
; a from-imported `current_task`) and the methods called on a loop those calls returned
; (`loop.time()`, `loop.call_soon(...)`); `trio.x`, `self.time()` and local look-alikes stay.
;
; before:  loop = asyncio.get_running_loop()
;          start = loop.time()
;          if asyncio.iscoroutinefunction(f): ...
; after:   start = anyio.current_time()
;          if inspect.iscoroutinefunction(f): ...
(call
  function: [(identifier) (attribute)] @callee) @call

; asyncio.iscoroutinefunction passed as a value (`filter(asyncio.iscoroutinefunction, fs)`).
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
(default_parameter value: [(identifier) (attribute)] @ref)
(typed_default_parameter value: [(identifier) (attribute)] @ref)

; A parameter annotated as an asyncio loop (`loop: asyncio.AbstractEventLoop`): its uses.
(typed_parameter type: (type) @loop_type)
(typed_default_parameter type: (type) @loop_type)
