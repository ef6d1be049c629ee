; asyncio-create-task: placeholder query (to be written).
(call function: (_) @callee) @call
