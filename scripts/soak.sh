#!/usr/bin/env bash
# Issue 13's soak run (not part of scripts/test.sh): 100,000 fitGenerator steps over a Python
# generator with workers=0, 2 threads and 2 worker processes, printing RSS, threads, file
# descriptors and /dev/shm files every 10,000 steps (jkeras.python.SoakMain in java/python's test
# classes). Builds this tree's modules with `mvn test-compile` (never install).
#   scripts/soak.sh [steps]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup-python.sh >/dev/null
source "$ROOT/scripts/lib.sh"
mvn_plain -q -o -pl java/python -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/soak-classpath.txt -Dmdep.includeScope=test
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export JKERAS_VENV="${JKERAS_VENV:-$ROOT/.venv}"
exec java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "java/python/target/test-classes:java/python/target/classes:$(cat java/python/target/soak-classpath.txt)" \
  jkeras.python.SoakMain "$@"
