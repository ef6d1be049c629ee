#!/usr/bin/env bash
# Run every test: create the pinned Python venv (idempotent), then the Rust test suite
# (unit, snapshot, CLI and execution tests), clippy and the formatting check.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-python.sh
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --no-fail-fast
