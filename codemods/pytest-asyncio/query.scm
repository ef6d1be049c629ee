; pytest-asyncio: the test-suite side of moving from pytest-asyncio to anyio's pytest plugin.
; Queries match shapes; Rust resolves names (`pytest.mark.asyncio` through `import pytest as
; pt` or `from pytest import mark`, `pytest_asyncio.fixture` through from-imports).
;
; before:  @pytest.mark.asyncio(loop_scope="module")      @pytest_asyncio.fixture(loop_scope="module")
; after:   @pytest.mark.anyio                             @pytest.fixture

; Every name or attribute chain: markers, fixture decorators, other pytest_asyncio names.
(attribute) @ref
(identifier) @ref

; `import pytest_asyncio` / `from pytest_asyncio import fixture`: removed once unused.
(import_statement) @import
(import_from_statement) @import

; Fixture definitions: event_loop (deleted), event_loop_policy (reported), anyio_backend
; (widened to session scope).
(decorated_definition) @decorated

; Tests and fixtures requesting event_loop / event_loop_policy; sync tests requesting an async
; fixture.
(function_definition) @func

; class T(unittest.IsolatedAsyncioTestCase)
(class_definition superclasses: (argument_list)) @class

; `pytest_plugins = ["pytest_asyncio", ...]`: pytest-asyncio loaded by name (dropped).
(module
  (expression_statement
    (assignment
      left: (identifier) @plugins_name
      right: [(string) (list) (tuple)]) @plugins)
  (#eq? @plugins_name "pytest_plugins"))
