; asyncio-wait: every call whose callee is a name or an attribute chain. Rust keeps the ones
; that resolve to asyncio.wait (reported with the structured pattern for its form) and
; asyncio.as_completed (a `for` loop over it is rewritten when that is provably close; any
; other use is reported). `self.wait`, `event.wait()`, `trio.as_completed` and a local
; `wait` never match.
;
; before:  for fut in asyncio.as_completed([fetch(1), fetch(2)]):
;              print(await fut)
; after:   async with anyio.as_completed(fetch(1), fetch(2)) as it:
;              async for fut in it:
;                  print(fut.return_value)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call
