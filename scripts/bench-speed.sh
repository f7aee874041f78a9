#!/usr/bin/env bash
# Issue 16's table: each setting of the training step in its own JVM (TensorFlow's thread pools are
# process-wide, fixed by the first session), then one table (compat-tests/bench/speed_table.py):
#   before    the graph and session settings before issue 16 (elementwise optimizer updates, steps
#             through TF Java's Session.Runner, TensorFlow's threads: one intra-op and one inter-op
#             thread per core); its engine floor is "today's floor"; tf-keras with its defaults
#   defaults  jkeras' defaults (fused kernels, the threading rule, the C API step runner); tf-keras
#             with the same threads
#   spe8      jkeras' defaults with compile(steps_per_execution=8)
# MLP rows (train_on_batch, fit over one fixed batch, fit on arrays, fit_generator with a Python
# generator, workers=1) and the model rows (CNN, BN CNN, LSTM) run in separate JVMs, as the rule
# gives them different threads.
# Usage: scripts/bench-speed.sh [--repetitions N] [--out-dir DIR] [--mlp-only]
#        (about 12 minutes on the loaded 2-core machine)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPS=3
OUT="$ROOT/docs/bench/speed"
MLP_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --repetitions) REPS="$2"; shift 2 ;;
    --out-dir) OUT="$2"; shift 2 ;;
    --mlp-only) MLP_ONLY=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
CORES="$(nproc)"
MLP=tob,fixed_fit,fit,gen
ROWS=cnn,bn_cnn,lstm
run() { # name, extra args...
  local name="$1"; shift
  echo "== $name: $*"
  scripts/bench.sh all --no-memory --repetitions "$REPS" --out-dir "$OUT/$name" "$@" \
    > "$OUT/$name.log" 2>&1 || { echo "$name failed, see $OUT/$name.log" >&2; exit 1; }
}
JKERAS_BENCH_JAVA_OPTS="-Djkeras.optimizers.fusedKernels=false -Djkeras.stepRunner=false" \
  run before-mlp --only "$MLP" --intra-op-threads "$CORES" --inter-op-threads "$CORES"
run defaults-mlp --only "$MLP" --tf-keras-threads 1,1
run spe8-mlp --only fixed_fit,fit,gen --steps-per-execution 8 --no-tf-keras
[ "$MLP_ONLY" = 1 ] || JKERAS_BENCH_JAVA_OPTS="-Djkeras.optimizers.fusedKernels=false -Djkeras.stepRunner=false" \
  run before-rows --only "$ROWS" --intra-op-threads "$CORES" --inter-op-threads "$CORES"
[ "$MLP_ONLY" = 1 ] || run defaults-rows --only "$ROWS"
[ "$MLP_ONLY" = 1 ] || run spe8-rows --only "$ROWS" --steps-per-execution 8 --no-tf-keras
"$ROOT/.venv/bin/python" compat-tests/bench/speed_table.py "$OUT" | tee "$OUT/speed.txt"
