; blocking-io: every call whose callee is a name or an attribute chain.
; Rust keeps the ones that resolve to subprocess.run / call / check_call / check_output (and
; Popen, getoutput, os.system, reported) or to the builtin `open` as a `with` item, run
; directly by an `async def` body, not in a nested def, lambda or class.
;
; before:  subprocess.run(["git", "status"], check=True)
; after:   await anyio.run_process(["git", "status"], check=True, stdout=None, stderr=None)
(call
  function: [(identifier) (attribute)] @callee
  arguments: (argument_list)) @call
