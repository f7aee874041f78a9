#!/usr/bin/env bash
# Issue 12's epoch-time row: the seed article's second example (Keras 2.3.1's examples/cifar10_cnn.py)
# as jkeras' job (scripts/jkeras.sh cifar10-cnn) against the same script in tf-keras 2.18
# (compat-tests/bench/cifar10_cnn_tfkeras.py), both with workers=4 threads, the same image counts
# and batch size, alternating; prints each round and the median seconds per epoch with the ratio.
# A benchmark, never part of the tests. Usage: scripts/bench-cifar10.sh [ROUNDS] [EPOCHS] [SAMPLES]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${1:-3}"; EPOCHS="${2:-2}"; SAMPLES="${3:-5000}"
bash scripts/setup-python.sh
export TF_CPP_MIN_LOG_LEVEL=2
j=(); t=()
for r in $(seq 1 "$ROUNDS"); do
  line=$(scripts/jkeras.sh cifar10-cnn --epochs "$EPOCHS" --samples "$SAMPLES" --workers 4 --verbose 0 \
    --save-dir "target/bench-cifar10" | grep "s/epoch")
  js=$(sed -E 's/.*\(([0-9.]+) s\/epoch\).*/\1/' <<<"$line")
  line2=$(.venv/bin/python compat-tests/bench/cifar10_cnn_tfkeras.py --epochs "$EPOCHS" --samples "$SAMPLES" \
    --workers 4 2>/dev/null | grep "s/epoch")
  ts=$(sed -E 's/.*: ([0-9.]+) s\/epoch.*/\1/' <<<"$line2")
  echo "round $r: jkeras $js s/epoch, tf-keras $ts s/epoch"
  j+=("$js"); t+=("$ts")
done
python3 - "${j[*]}" "${t[*]}" "$EPOCHS" "$SAMPLES" <<'PY'
import statistics, sys
j = [float(v) for v in sys.argv[1].split()]; t = [float(v) for v in sys.argv[2].split()]
mj, mt = statistics.median(j), statistics.median(t)
print(f"cifar10_cnn, {sys.argv[4]} images, batch 32, workers=4, {sys.argv[3]} epochs (mean s/epoch, median of"
      f" {len(j)} rounds [min..max]): jkeras {mj:.2f} [{min(j):.2f}..{max(j):.2f}], tf-keras {mt:.2f}"
      f" [{min(t):.2f}..{max(t):.2f}]; tf-keras/jkeras {mt / mj:.2f}x")
PY
