; asyncio-star-import: `from M import *`; Rust keeps M = asyncio or asyncio.<submodule> and
; reports it (MANUAL) with the explicit import it should become.
;
; before:  from asyncio import *
;          await gather(a(), b())
; after:   (unchanged; suggested)  from asyncio import gather
(import_from_statement
  module_name: (dotted_name) @module
  (wildcard_import)) @import
