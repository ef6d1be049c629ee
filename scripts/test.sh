#!/usr/bin/env bash
# Run every test: create the pinned Python venv (idempotent), check formatting and clippy,
# migrate the installed Python standard library (scripts/stdlib-check), build and install the
# Python wheel (scripts/wheel-check), the differential test of the verdicts (scripts/difftest),
# then the Rust test suite (unit, snapshot, CLI and execution tests).
#
#   bash scripts/test.sh           everything (what .ci/run runs)
#   bash scripts/test.sh --quick   fmt, clippy, unit, snapshot, CLI and property tests: no
#                                  program is executed under asyncio or anyio (about a minute
#                                  once built; for the edit-test loop, not for a submission)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
if [ "${1:-}" = "--quick" ]; then
    exec cargo test --lib --test api_table --test cli --test codes --test examples --test fuzz \
        --test layers --test prefilter --test prefilter_soundness --test project_pass \
        --test robustness --test tooling
fi
# Robustness on the installed Python standard library (release build).
bash scripts/stdlib-check
# The install routes: the wheel pip builds from pypi/ (reusing the release build above), installed
# into a fresh venv and run on examples/demo; its sdist; the crate package's file list.
echo "wheel-check: build, install and run the Python wheel (target/wheel-check)"
bash scripts/wheel-check
# The verdicts checked on generated programs (docs/difftest.md): 300 programs of fixed seeds (a
# few minutes; a time limit keeps a slow machine within it), each run under asyncio and,
# migrated by the release build above, under anyio; a SAFE violation, a crash or a refusal
# fails.
target/pyenv/bin/python scripts/difftest/selftest.py
# difftest NAME ARGS...: run.py ARGS into target/NAME(.log); the whole log on a failure, else its
# summary lines.
difftest() {
    local name=$1
    shift
    if ! target/pyenv/bin/python scripts/difftest/run.py "$@" --fail-on-violation \
        --keep "target/$name" > "target/$name.log" 2>&1; then
        cat "target/$name.log"
        exit 1
    fi
    grep -E '^difftest: seed|SAFE violations|crashes|refusals' "target/$name.log"
}
difftest difftest-ci --count 300 --seed 11 --max-seconds 360
# The same at a floor: 100 programs migrated for anyio 4.0 and run on anyio 4.0.0.
difftest difftest-ci-4.0 --count 100 --seed 12 --max-seconds 180 \
    --target-anyio 4.0 --anyio-path target/anyio-floors/4.0.0
cargo test --no-fail-fast
