#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what it needs (idempotently: the Python
# environment, and real Keras 2.3.1 in its own for the compat tests), checks the Python sources
# with ruff, runs the Java modules' tests (core, python, cli, bench, compat-tests: Keras 2.3.1 and
# tf-keras beside jkeras), builds and runs the example project against the installed artifacts, and
# runs the Python package's pytest suite. Extra arguments go to Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh --with-keras231
export TF_CPP_MIN_LOG_LEVEL=2
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
export JKERAS_KERAS231_VENV="${JKERAS_KERAS231_VENV:-$ROOT/.venv-keras231}"
source "$ROOT/scripts/lib.sh"
# Lint and formatting of the Python package first: seconds, and they fail before the long build.
# compat-tests' Python has its own ruff.toml, which extends python/pyproject.toml's rules.
echo "[test] ruff (python/, compat-tests/python, compat-tests/bench)" >&2
"$JKERAS_VENV/bin/ruff" check python compat-tests/python compat-tests/bench
"$JKERAS_VENV/bin/ruff" format --check python compat-tests/python compat-tests/bench
mvn_plain clean install "$@"
echo "[test] examples/python-generator: a project of its own on the installed artifacts" >&2
mvn_plain -q -f examples/python-generator/pom.xml clean verify
echo "[test] what Keras 2.3.1 runs here (compat-tests/README.md)" >&2
TF_CPP_MIN_LOG_LEVEL=3 "$JKERAS_KERAS231_VENV/bin/python" compat-tests/python/keras231_smoke.py
echo "[test] Python package tests" >&2
"$JKERAS_VENV/bin/python" -m pytest -q python/tests
