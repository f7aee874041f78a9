#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (idempotently), checks the
# formatting of the Java and Python sources, runs the Java modules' tests (core, python, cli, bench,
# compat-tests: real tf-keras beside jkeras), builds and runs the example project against the
# installed artifacts, and runs the Python package's pytest suite. Extra arguments go to Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh
export TF_CPP_MIN_LOG_LEVEL=2
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
source "$ROOT/scripts/lib.sh"
# Lint and formatting of the Python package first: seconds, and they fail before the long build.
echo "[test] ruff (python/)" >&2
"$JKERAS_VENV/bin/ruff" check python
"$JKERAS_VENV/bin/ruff" format --check python
mvn_plain install "$@"
echo "[test] examples/python-generator: a project of its own on the installed artifacts" >&2
mvn_plain -q -f examples/python-generator/pom.xml verify
echo "[test] Python package tests" >&2
"$JKERAS_VENV/bin/python" -m pytest -q python/tests
