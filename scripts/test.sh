#!/usr/bin/env bash
# Run every test: create the pinned Python venv (idempotent), check formatting and clippy,
# migrate the installed Python standard library (scripts/stdlib-check), build and install the
# Python wheel (scripts/wheel-check), then the Rust test suite (unit, snapshot, CLI and
# execution tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
# Robustness on the installed Python standard library (release build).
bash scripts/stdlib-check
# The install routes: the wheel pip builds from pypi/ (reusing the release build above), installed
# into a fresh venv and run on examples/demo; its sdist; the crate package's file list.
echo "wheel-check: build, install and run the Python wheel (target/wheel-check)"
bash scripts/wheel-check
cargo test --no-fail-fast
