#!/usr/bin/env bash
# Benchmarks (programs that print tables, never tests):
#   all             every workload in tf-keras 2.18 (its own Python process, .venv) and in jkeras,
#                   alternating, warm-up then timed rounds: one table (median [min..max], ratios),
#                   goals beside it; written to docs/bench/bench-all.{txt,json,png}
#   train-on-batch  jkeras trainOnBatch vs tf-keras train_on_batch (Python subprocess in the
#                   project venv) vs a bare TensorFlow Java loop
#   augment         ImageDataGenerator throughput (images/s), jkeras vs keras_preprocessing 1.1.2
#                   (.venv-keras231), 1 and 2 workers, alternating rounds
#   run-script      issue 14's row: ms/step and CPU/step of a Keras script (compat-tests/bench/run_script_mlp.py)
#                   under `jkeras run` against the same model driven from Java (and the script in
#                   tf-keras), each a fresh process per round, alternating; written to
#                   docs/bench/run-script.txt
#   fit-generator   fitGenerator throughput with a producer as costly as a training step (CPU work
#                   and sleep), workers 0, 1, 2: does batch preparation overlap training?
#   step-probe      diagnostics of the MLP train step (jkeras vs a bare loop over its graph vs a
#                   hand-written graph; --compare-runner, --fixed-fit K, --row cnn|bn_cnn|lstm,
#                   --trace: a traced step's nodes per op type)
#   multi-worker    multi-worker training's per-step all-reduce cost: each row's step in 1 worker
#                   JVM and in 2 on loopback, alternating rounds; an N-worker estimate at a stated
#                   bandwidth (docs/distributed.md)
# Usage: scripts/bench.sh                  bench all, with its defaults (a few minutes on 2 cores)
#        scripts/bench.sh NAME [ARGS...]   one of them, ARGS passed on, e.g.
#        scripts/bench.sh all --repetitions 5 --samples 120000 --only tob,fit --out-dir /tmp/b
#        scripts/bench.sh train-on-batch --repetitions 9 --steps 500
#        scripts/bench.sh fit-generator --steps 300 --workers 0,1,2,4
#        scripts/bench.sh run-script --rounds 5 --steps 500 --warmup 200
#        JKERAS_BENCH_JAVA_OPTS=-Djkeras.optimizers.fusedKernels=false scripts/bench.sh all \
#          --intra-op-threads 2 --inter-op-threads 2     (the graph and session settings before
#                                                        issue 16: elementwise updates, TF threads)
#        scripts/bench-speed.sh                           issue 16's table: each setting in its own
#                                                        JVM (threads are process-wide), one table
# Needs Java 17, Maven and a shared-libpython CPython (see scripts/setup-python.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup-python.sh"
source "$ROOT/scripts/lib.sh"
# package, not install: the reactor resolves the modules from this tree (nothing goes to ~/.m2).
mvn_plain -q -pl java/bench -am -DskipTests package
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
bench() {
  # shellcheck disable=SC2086  # JKERAS_BENCH_JAVA_OPTS: extra JVM options, word-split on purpose
  java ${JKERAS_BENCH_JAVA_OPTS:-} -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
    -Djava.awt.headless=true -Djkeras.bench.command="scripts/bench.sh $*" \
    -cp "java/bench/target/classes:$(cat java/bench/target/classpath.txt)" jkeras.bench.BenchMain "$@"
}
case "${1:-all}" in
  all)
    shift || true
    bench all "$@"
    ;;
  augment)
    bash "$ROOT/scripts/setup-keras231.sh"
    bench "$@"
    ;;
  train-on-batch|fit-generator|step-probe|multi-worker)
    bench "$@"
    ;;
  run-script)
    shift
    bench run-script --out docs/bench/run-script.txt "$@"
    ;;
  *)
    # Options without a bench name go to train-on-batch, as before.
    bench train-on-batch "$@"
    ;;
esac
