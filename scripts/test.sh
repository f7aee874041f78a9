#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (idempotently), then runs the
# Java modules' tests (core, cli, compat-tests: real tf-keras beside jkeras) and the Python package's
# ruff checks and pytest suite. Extra arguments go to Maven (e.g. -Pslow for the long suites).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh
export TF_CPP_MIN_LOG_LEVEL=2
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
# Lint and formatting of the Python package first: seconds, and they fail before the long build.
# (compat-tests/ is not in ruff's scope yet.)
echo "[test] ruff (python/)" >&2
"$JKERAS_VENV/bin/ruff" check python
"$JKERAS_VENV/bin/ruff" format --check python
mvn -B -ntp install "$@"
echo "[test] Python package tests" >&2
"$JKERAS_VENV/bin/python" -m pytest -q python/tests
