#!/usr/bin/env bash
# Runs the `jkeras` command (demo, train, bench ...) after setting up what it needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CALLER_DIR="$PWD"
cd "$ROOT"
bash scripts/setup-python.sh
source "$ROOT/scripts/lib.sh"
mvn_plain -q -pl java/cli -am -DskipTests install
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
CP="$ROOT/java/cli/target/classes:$(cat java/cli/target/classpath.txt)"
# `run SCRIPT.py` resolves the script and its relative paths from where the command was typed, as python does.
if [[ "${1:-}" == "run" ]]; then cd "$CALLER_DIR"; fi
exec java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "$CP" jkeras.cli.Main "$@"
