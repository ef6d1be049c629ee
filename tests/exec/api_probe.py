"""Run the API table's probes on one anyio release.

    target/pyenv/bin/python tests/exec/api_probe.py RELEASE_DIR PROBES.json

RELEASE_DIR holds one anyio release (put first on sys.path); PROBES.json is a list of
{"api": str, "probe": str}. Each probe runs in a fresh namespace with `anyio` imported;
prints {"release": anyio's path, "results": {api: "ok" | "ExceptionType: message"}}.
"""

import json
import sys

sys.path.insert(0, sys.argv[1])
import anyio  # noqa: E402

results = {}
for row in json.load(open(sys.argv[2], encoding="utf-8")):
    try:
        exec(row["probe"], {"anyio": anyio, "__name__": "probe"})
        results[row["api"]] = "ok"
    except BaseException as e:  # noqa: BLE001 - any failure is the answer
        results[row["api"]] = f"{type(e).__name__}: {e}"[:200]
print(json.dumps({"release": anyio.__file__, "results": results}))
