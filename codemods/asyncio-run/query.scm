; asyncio-run: every call whose callee is a name or an attribute chain (Rust keeps the ones that
; resolve to asyncio.run: `asyncio.run`, `aio.run`, a from-imported `run`), and every
; `<object>.run_until_complete(...)` call (Rust proves the object is a fresh asyncio loop).
;
; before:  asyncio.run(main(a, k=1), debug=True)
; after:   anyio.run(functools.partial(main, a, k=1), backend_options={"debug": True})
;
; before:  loop = asyncio.new_event_loop()
;          try:
;              loop.run_until_complete(main())
;          finally:
;              loop.close()
; after:   anyio.run(main)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list)) @call

(call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method)
  arguments: (argument_list)
  (#eq? @method "run_until_complete")) @call

; `asyncio.run` / `asyncio.Runner` passed or stored as a value (reported).
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
(default_parameter value: [(identifier) (attribute)] @ref)
(typed_default_parameter value: [(identifier) (attribute)] @ref)
(return_statement [(identifier) (attribute)] @ref)

; A from-import: `Runner` / `run` imported conditionally (asyncio's or a backport's) is reported.
(import_from_statement) @import
