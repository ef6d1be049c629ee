"""Subprocess calls in coroutines: same results, same errors, same inherited output."""
import shlex
import subprocess
import sys

PY = sys.executable


async def run_forms():
    done = subprocess.run([PY, "-c", "print('inherited')"], check=True)
    print("run:", done.returncode, done.stdout, done.stderr, flush=True)
    captured = subprocess.run([PY, "-c", "import sys; print('out'); print('err', file=sys.stderr)"], capture_output=True)
    print("captured:", captured.returncode, captured.stdout, captured.stderr)
    merged = subprocess.run(
        [PY, "-c", "import sys; print('o'); sys.stdout.flush(); print('e', file=sys.stderr)"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    print("merged:", merged.stdout)
    failed = subprocess.run([PY, "-c", "raise SystemExit(3)"])
    print("failed without check:", failed.returncode, flush=True)
    fed = subprocess.run([PY, "-c", "import sys; print(sys.stdin.read().upper())"], input=b"abc", stdout=subprocess.PIPE)
    print("fed:", fed.stdout)
    quiet = subprocess.run([PY, "-c", "import sys; print(repr(sys.stdin.read()))"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    print("devnull:", quiet.stdout)
    shell = subprocess.run("echo $((6 * 7))", shell=True, stdout=subprocess.PIPE)
    print("shell:", shell.stdout, shell.args)
    cmd = [PY, "-c", "print('bound once')"]
    print("named:", subprocess.run(cmd, stdout=subprocess.PIPE).stdout)
    split = subprocess.run(shlex.split(f"{PY} -c 'print(2)'"), stdout=subprocess.PIPE)
    print("split:", split.stdout)


async def check_forms():
    out = subprocess.check_output([PY, "-c", "print('checked')"])
    print("check_output:", out)
    print("strip:", subprocess.check_output([PY, "-c", "print(' x ')"]).strip())
    subprocess.check_call([PY, "-c", "print('check_call', flush=True)"])
    print("check_call value:", subprocess.check_call([PY, "-c", "pass"]))
    print("call:", subprocess.call([PY, "-c", "raise SystemExit(5)"]))
    subprocess.call([PY, "-c", "pass"])
    try:
        subprocess.check_output([PY, "-c", "print('partial'); raise SystemExit(2)"])
    except subprocess.CalledProcessError as e:
        print("check_output error:", e.returncode, e.output, e.stderr, type(e).__name__)
    try:
        subprocess.run([PY, "-c", "raise SystemExit(4)"], check=True, capture_output=True)
    except subprocess.CalledProcessError as e:
        print("run error:", e.returncode, e.output, e.stderr)
    try:
        subprocess.check_call([PY, "-c", "raise SystemExit(6)"])
    except subprocess.CalledProcessError as e:
        print("check_call error:", e.returncode, e.output)
    results = [subprocess.check_output([PY, "-c", f"print({i})"]) for i in range(3)]
    print("comprehension:", results)


async def main():
    await run_forms()
    await check_forms()
