; asyncio-sync-primitives: asyncio's Lock, Event, Semaphore, BoundedSemaphore and Condition.
; The query finds shapes; Rust keeps what resolves to asyncio's classes (`asyncio.Lock`,
; `aio.Event`, a from-imported `Semaphore`), follows each constructed object to its uses in
; the same scope (or `self.attr` in the same class) and decides the verdict there.
;
; before:  sem = asyncio.BoundedSemaphore(3)          if sem.locked(): ...
; after:   sem = anyio.Semaphore(3, max_value=3)      if sem.value == 0: ...

; Constructors: every call whose callee is a name or an attribute chain.
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list) @args) @call

; Annotations: `lock: asyncio.Lock`, `-> Optional[asyncio.Event]`.
(type) @type

; The class as a value: isinstance/issubclass arguments, factories
; (`defaultdict(asyncio.Lock)`, `field(default_factory=asyncio.Event)`), aliases, base classes.
(argument_list [(identifier) (attribute)] @ref)
(argument_list (tuple [(identifier) (attribute)] @ref))
(keyword_argument value: [(identifier) (attribute)] @ref)
(assignment right: [(identifier) (attribute)] @ref)
