; asyncio-cancelled-error: except clauses, `x.cancel()` calls, and every name or attribute
; chain. Rust keeps the clauses that name asyncio.CancelledError (any spelling, in a tuple,
; `except*`, `as e`), plus bare `except:` / `except BaseException:` around awaits that can
; swallow the cancellation; `.cancel()` on a provable asyncio Task; and other references
; to asyncio.CancelledError (`raise`, `isinstance`, ...).
;
; before:  except asyncio.CancelledError:
;              await cleanup()
;              raise
; after:   except anyio.get_cancelled_exc_class():
;              with anyio.CancelScope(shield=True):
;                  await cleanup()
;              raise
(except_clause) @clause

(call
  function: (attribute
    object: (_) @object
    attribute: (identifier) @method)
  arguments: (argument_list)
  (#eq? @method "cancel")) @cancel

(attribute) @ref
(identifier) @ref
