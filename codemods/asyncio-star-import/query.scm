; asyncio-star-import: `from M import *`; Rust reports M = asyncio or asyncio.<submodule>
; (MANUAL) with the explicit import it should become, and any other M (relative ones too) in a
; module whose asyncio code, tests or fixtures it hides.
;
; before:  from asyncio import *
;          await gather(a(), b())
; after:   (unchanged; suggested)  from asyncio import gather
(import_from_statement
  module_name: (dotted_name) @module
  (wildcard_import)) @import

(import_from_statement
  module_name: (relative_import) @module
  (wildcard_import)) @import
