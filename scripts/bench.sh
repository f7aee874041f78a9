#!/usr/bin/env bash
# Benchmarks: jkeras trainOnBatch vs tf-keras train_on_batch (Python subprocess in the project
# venv) vs a bare TensorFlow Java loop. Arguments go to `bench train-on-batch`, e.g.
# scripts/bench.sh --repetitions 9 --steps 500. Needs Java 17, Maven and a shared-libpython
# CPython (see scripts/setup-python.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup-python.sh"
mvn -q -pl java/cli -am -DskipTests install
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
exec java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "java/cli/target/classes:$(cat java/cli/target/classpath.txt)" jkeras.cli.Main bench train-on-batch "$@"
