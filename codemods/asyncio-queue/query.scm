; asyncio-queue: placeholder query (to be written).
(call function: (_) @callee) @call
