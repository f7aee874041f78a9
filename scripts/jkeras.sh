#!/usr/bin/env bash
# Runs the `jkeras` command (demo, train, bench ...) after setting up what it needs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh
source "$ROOT/scripts/lib.sh"
mvn_plain -q -pl java/cli -am -DskipTests install
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
exec java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "java/cli/target/classes:$(cat java/cli/target/classpath.txt)" jkeras.cli.Main "$@"
