#!/usr/bin/env bash
# Run every test: create the pinned Python venv (idempotent), check formatting and clippy,
# migrate the installed Python standard library (scripts/stdlib-check), then the Rust test
# suite (unit, snapshot, CLI and execution tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
# Robustness on the installed Python standard library (release build).
bash scripts/stdlib-check
cargo test --no-fail-fast
