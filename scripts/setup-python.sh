#!/usr/bin/env bash
# Create the Python venvs used by the execution tests (tests/exec/, tests/projects/):
# target/pyenv, with anyio, trio, pytest and pytest-asyncio (for the example projects'
# before/after runs) pinned exactly by scripts/python-constraints.txt, and target/pyenv-legacy,
# the same with pytest-asyncio 0.23 (before 1.0: the `event_loop` fixture) pinned by
# scripts/python-legacy-constraints.txt.
#
# Idempotent: a stamp file records the hash of the constraints file and of this
# script; when it matches and the venv imports anyio, trio, pytest and pytest_asyncio, nothing
# is done. Otherwise the venv is recreated from scratch.
#
# Usage: scripts/setup-python.sh      (no arguments, no stdin needed)
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
cd "$repo_root"

# Pick the interpreter: python3.11 if it runs, else python3 if it is 3.10+.
python=""
if python3.11 -c 'import sys' >/dev/null 2>&1; then
    python="python3.11"
elif python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' >/dev/null 2>&1; then
    python="python3"
else
    echo "setup-python: need python3.11, or python3 >= 3.10; found neither" >&2
    exit 1
fi
echo "setup-python: using $(command -v "$python") ($("$python" -c 'import sys; print(sys.version.split()[0])'))"

# make_venv DIR CONSTRAINTS: (re)create DIR unless its stamp matches.
make_venv() {
    local venv=$1 constraints=$2
    local stamp="$venv/.setup-stamp"
    local want
    want="$(cat "$constraints" "${BASH_SOURCE[0]}" | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] \
        && "$venv/bin/python" -c 'import anyio, trio, pytest, pytest_asyncio' >/dev/null 2>&1 </dev/null; then
        echo "setup-python: $venv is up to date"
        return 0
    fi
    rm -f "$stamp"
    "$python" -m venv --clear "$venv" </dev/null
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input \
        -c "$constraints" anyio trio pytest pytest-asyncio </dev/null
    "$venv/bin/python" -c 'import anyio, trio, pytest, pytest_asyncio' </dev/null
    echo "$want" > "$stamp"
    echo "setup-python: installed into $venv"
}

make_venv target/pyenv scripts/python-constraints.txt
# pytest-asyncio before 1.0 (its `event_loop` fixture), for the example projects that need it.
make_venv target/pyenv-legacy scripts/python-legacy-constraints.txt

# install_into DIR ARGS...: `pip install --target DIR ARGS` into a fresh DIR, unless DIR was
# completed before with the same ARGS and constraints (its `.installed` stamp).
install_into() {
    local dir=$1
    shift
    local want="$* $(cat scripts/python-floors-constraints.txt scripts/python-tools-constraints.txt | "$python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
    if [[ -f "$dir/.installed" && "$(cat "$dir/.installed")" == "$want" ]]; then
        return 0
    fi
    rm -rf "$dir"
    target/pyenv/bin/python -m pip install -q --disable-pip-version-check --no-input \
        --target "$dir" "$@" </dev/null
    echo "$want" > "$dir/.installed"
    echo "setup-python: $* in $dir"
}

# The anyio releases of the API table's proof (tests/api_table.rs): anyio alone, no
# dependencies (the probes run in target/pyenv, which has sniffio, idna and trio).
grep -v '^#' scripts/anyio-releases.txt | while read -r version; do
    [[ -z "$version" ]] && continue
    install_into "target/anyio-releases/$version" --no-deps "anyio==$version"
done

# The anyio floors of the examples' proof (tests/floors.rs): anyio and a trio it supports.
grep -v '^#' scripts/anyio-floors.txt | while read -r anyio trio; do
    [[ -z "$anyio" ]] && continue
    install_into "target/anyio-floors/$anyio" -c scripts/python-floors-constraints.txt \
        "anyio==$anyio" "trio==$trio"
done

# The tools the tests run over the output (tests/tooling.rs): ruff and jsonschema, pinned.
install_into target/pytools -r scripts/python-tools-constraints.txt
