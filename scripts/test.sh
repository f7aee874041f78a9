#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (idempotently), then runs the
# Java modules' tests (core, cli, compat-tests: real Keras 2.3.1 and tf-keras beside jkeras) and the
# Python package's pytest suite. Extra arguments go to Maven (e.g. -Pslow for the long suites).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh --with-keras231
export TF_CPP_MIN_LOG_LEVEL=2
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
export JKERAS_KERAS231_VENV="${JKERAS_KERAS231_VENV:-$ROOT/.venv-keras231}"
mvn -B -ntp install "$@"
echo "[test] what Keras 2.3.1 runs here (compat-tests/README.md)" >&2
TF_CPP_MIN_LOG_LEVEL=3 "$JKERAS_KERAS231_VENV/bin/python" compat-tests/python/keras231_smoke.py
echo "[test] Python package tests" >&2
"$JKERAS_VENV/bin/python" -m pytest -q python/tests
