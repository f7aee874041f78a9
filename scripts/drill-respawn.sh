#!/usr/bin/env bash
# Issue 13's "done when" drill: scripts/main.sh's demo with --workers 2 --use-multiprocessing
# --epochs 400, one Python worker process killed with SIGKILL part-way. Passes when training runs
# all 400 epochs, exits 0 and printed the respawn warning. Builds with `mvn package` (never
# install), runs the demo from this tree's jars, keeps the log in target/drill-respawn.log.
#   scripts/drill-respawn.sh [--kill-after-epoch N] [extra demo arguments]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
KILL_AT=50
if [[ "${1:-}" == "--kill-after-epoch" ]]; then KILL_AT="$2"; shift 2; fi
bash scripts/setup-python.sh >/dev/null
source "$ROOT/scripts/lib.sh"
mvn_plain -q -o -pl java/cli -am -DskipTests package
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
mkdir -p target
LOG="$ROOT/target/drill-respawn.log"
rm -f "$LOG" # a previous run's epochs must not be mistaken for this one's
java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "java/cli/target/classes:$(cat java/cli/target/classpath.txt)" jkeras.cli.Main \
  demo --workers 2 --use-multiprocessing --epochs 400 "$@" >"$LOG" 2>&1 &
JVM=$!
# Whatever goes wrong, the demo does not outlive the drill.
trap 'kill "$JVM" 2>/dev/null || true' EXIT
# Wait for epoch KILL_AT, then SIGKILL the JVM's first worker process.
until grep -q "Epoch $KILL_AT/400" "$LOG" 2>/dev/null; do
  if ! kill -0 "$JVM" 2>/dev/null; then
    echo "drill: the demo ended before epoch $KILL_AT"; tail -20 "$LOG"; exit 1
  fi
  sleep 0.2
done
VICTIM=$(pgrep -P "$JVM" -f "jkeras.worker" | head -1 || true)
[[ -n "$VICTIM" ]] || { echo "drill: no worker process found under JVM $JVM"; exit 1; }
kill -9 "$VICTIM"
echo "drill: killed worker pid $VICTIM (kill -9) at epoch $KILL_AT/400"
set +e
wait "$JVM"
RC=$?
set -e
echo "drill: demo exit status $RC"
grep -m1 "replaced by a new worker process" "$LOG" || { echo "drill: FAILED, no respawn warning"; exit 1; }
grep -q "Epoch 400/400" "$LOG" || { echo "drill: FAILED, epoch 400 not reached"; tail -20 "$LOG"; exit 1; }
LEFT=$(ls /dev/shm | grep -c "^jkeras-$JVM-" || true)
[[ "$LEFT" == 0 ]] || { echo "drill: FAILED, $LEFT shared-memory files left"; exit 1; }
[[ "$RC" == 0 ]] || { echo "drill: FAILED, exit status $RC"; tail -20 "$LOG"; exit 1; }
echo "drill: passed (400 epochs, exit 0, respawn warning, no /dev/shm file left); log: $LOG"
