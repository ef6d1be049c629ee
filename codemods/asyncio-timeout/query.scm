; asyncio-timeout: every call whose callee is a name or an attribute chain, names used as
; values, and import statements. Rust keeps what resolves to asyncio.wait_for,
; asyncio.timeout / timeout_at or async_timeout.timeout / timeout_at (any alias or
; from-import), so `self.wait_for`, a local `timeout` and a parameter never change.
;
; before:  x = await asyncio.wait_for(f(), 5)
; after:   with anyio.fail_after(5):
;              x = await f()
;
; before:  async with asyncio.timeout(5) as cm:
; after:   with anyio.fail_after(5) as cm:
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call

; wait_for or a timeout factory passed as a value: reported.
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)

; `import async_timeout` left unused by the rewrites: removed.
(import_statement) @import
(import_from_statement) @import
