; asyncio-timeout-error: every name and attribute chain, plus every from-import.
; Rust keeps the references that resolve to asyncio.TimeoutError (`asyncio.TimeoutError`,
; `asyncio.exceptions.TimeoutError`, `aio.TimeoutError`, a from-imported alias), wherever they
; are used: `except` clauses (plain, `as e`, tuples, `except*`), `raise`, `isinstance`,
; `pytest.raises`, ... A local or parameter named like the import is not asyncio's.
;
; before:  except (asyncio.TimeoutError, OSError) as e:
; after:   except (TimeoutError, OSError) as e:
(attribute) @ref
(identifier) @ref

; `from asyncio import TimeoutError`: the name would hide the builtin on Python 3.10.
(import_from_statement) @import
