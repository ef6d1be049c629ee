; asyncio-queue: every call whose callee is a name, an attribute chain or a subscription
; (`asyncio.Queue[int]()`), plus names passed as arguments (a factory, a base class).
; Rust keeps the ones that resolve to asyncio.Queue (or LifoQueue/PriorityQueue), follows the
; queue through every use, and rewrites them all in one fix, or reports why it cannot.
;
; before:  q = asyncio.Queue()
;          await q.put(1)
;          item = await q.get()
; after:   q_send, q_recv = anyio.create_memory_object_stream(math.inf)
;          async with q_send, q_recv:
;              await q_send.send(1)
;              item = await q_recv.receive()
(call
  function: [(identifier) (attribute) (subscript)] @callee) @call

; `defaultdict(asyncio.Queue)`, `class Jobs(asyncio.Queue)`, `self.make = asyncio.Queue`:
; reported.
(argument_list [(identifier) (attribute)] @ref)
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
