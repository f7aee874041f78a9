#!/usr/bin/env bash
# The project's main job: builds the core and cli modules, then runs `jkeras train` (an MLP on
# generated "synthetic digits", Keras progress bar, test accuracy). Arguments go to `train`,
# e.g. scripts/main.sh --epochs 3 --seed 1. Needs Java 17 and Maven on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
# The train command runs in the JVM only; scripts/setup-python.sh is not needed here.
mvn -q -pl java/cli -am -DskipTests install
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
exec java -Dorg.bytedeco.javacpp.cachedir="$HOME/.javacpp/cache" -Djkeras.root="$ROOT" \
  -cp "java/cli/target/classes:$(cat java/cli/target/classpath.txt)" jkeras.cli.Main train "$@"
