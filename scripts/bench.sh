#!/usr/bin/env bash
# Benchmarks (programs that print tables, never tests):
#   train-on-batch  jkeras trainOnBatch vs tf-keras train_on_batch (Python subprocess in the
#                   project venv) vs a bare TensorFlow Java loop
#   fit-generator   fitGenerator throughput with a producer as costly as a training step (CPU work
#                   and sleep), workers 0, 1, 2: does batch preparation overlap training?
# Usage: scripts/bench.sh                  both, with their defaults
#        scripts/bench.sh NAME [ARGS...]   one of them, ARGS passed on, e.g.
#        scripts/bench.sh train-on-batch --repetitions 9 --steps 500
#        scripts/bench.sh fit-generator --steps 300 --workers 0,1,2,4
# Needs Java 17, Maven and a shared-libpython CPython (see scripts/setup-python.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup-python.sh"
mvn -q -pl java/cli -am -DskipTests install
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
bench() {
  java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
    -cp "java/cli/target/classes:$(cat java/cli/target/classpath.txt)" jkeras.cli.Main bench "$@"
}
case "${1:-all}" in
  all)
    bench train-on-batch
    echo
    bench fit-generator
    ;;
  train-on-batch|fit-generator)
    bench "$@"
    ;;
  *)
    # Options without a bench name go to train-on-batch, as before.
    bench train-on-batch "$@"
    ;;
esac
