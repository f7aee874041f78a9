#!/usr/bin/env bash
# Creates (or reuses) the project-local Python virtual environment in .venv with the pinned
# packages jkeras needs: numpy and jep for the bridge; tensorflow-cpu and tf-keras for the compat
# tests and benchmarks (never loaded into the JVM); pytest and ruff for the Python package's checks. Idempotent: a stamp file records what was
# installed, and a second run with the same pins does nothing.
# --with-keras231 also builds .venv-keras231, real Keras 2.3.1 for the compat tests
# (scripts/setup-keras231.sh); the main job does not need it, scripts/test.sh asks for it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == "--with-keras231" ]]; then
  bash "$ROOT/scripts/setup-python.sh"
  exec bash "$ROOT/scripts/setup-keras231.sh"
fi
VENV="${JKERAS_VENV:-$ROOT/.venv}"
PYTHON="${JKERAS_BASE_PYTHON:-python3}"

# Pins. jep's jar on the Java side (pom.xml `jep.version`) must be exactly this version.
NUMPY=2.0.2          # tensorflow-cpu 2.18 needs numpy < 2.1
JEP=4.2.2
TF=2.18.0            # TensorFlow Java 1.1.0 wraps TensorFlow 2.18.0: same kernels on both sides
TF_KERAS=2.18.0
RUFF=0.17.6          # lints python/ and compat-tests' Python (scripts/test.sh runs `ruff check`)
KERAS_PREPROCESSING=1.1.2  # Keras 2.3.1's ImageDataGenerator, for the cifar10-cnn job's Python variant
SCIPY=1.13.1         # keras_preprocessing's affine transforms
WANT="v3 numpy=$NUMPY jep=$JEP tensorflow-cpu=$TF tf-keras=$TF_KERAS pytest=8.3.4 ruff=$RUFF keras-preprocessing=$KERAS_PREPROCESSING scipy=$SCIPY jkeras-py=editable"
STAMP="$VENV/.jkeras-stamp"
# Added to a venv in place (no rebuild): `jkeras run` pickles a script's own generators and Sequences by
# value for use_multiprocessing=True worker processes (the script is __main__, which workers cannot import).
CLOUDPICKLE=3.1.2

ensure_extras() {
  if ! "$VENV/bin/python" -c "import cloudpickle, sys; sys.exit(cloudpickle.__version__ != '$CLOUDPICKLE')" 2>/dev/null; then
    "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps "cloudpickle==$CLOUDPICKLE"
  fi
}

# The shim's native fast path for train_on_batch/test_on_batch under `jkeras run` (a C file calling Java
# through JNI): built next to the package's sources, which the venv has installed editable, and rebuilt
# when the source is newer. Without a C compiler the shim keeps its Python path, a little slower.
ensure_native() {
  local src="$ROOT/python/src/jkeras/shim/_onbatch.c" so inc jh tmp want
  so="${src%.c}$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
  inc="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
  jh="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
  local cmd=("${CC:-cc}" -shared -fPIC -O2 -Wall -I"$inc" -I"$jh/include" -I"$jh/include/linux")
  # rebuilt when the source, the compiler command or the headers' places change (a stamp, not mtimes)
  want="$(sha256sum "$src" | cut -d' ' -f1) ${cmd[*]}"
  if [[ -f "$so" && "$(cat "$so.stamp" 2>/dev/null)" == "$want" ]]; then return 0; fi
  tmp="$so.$$.tmp"
  if "${cmd[@]}" -o "$tmp" "$src"; then
    mv -f "$tmp" "$so"
    echo "$want" > "$so.stamp"
  else
    rm -f "$tmp" "$so" "$so.stamp" # never an older build of a changed source
    echo "[setup] warning: could not build $src; train_on_batch under jkeras run takes its Python path" >&2
  fi
}

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$VENV/bin/python" ]]; then
  ensure_extras
  ensure_native
  exit 0
fi

echo "[setup] building Python environment in $VENV ($WANT)" >&2
"$PYTHON" - <<'PY'
import sys, sysconfig
if sys.version_info < (3, 9):
    sys.exit("jkeras needs Python >= 3.9, found " + sys.version)
if not sysconfig.get_config_var("Py_ENABLE_SHARED"):
    sys.exit("jkeras needs a CPython built with --enable-shared (libpython) for jep; "
             "name one with JKERAS_BASE_PYTHON=/path/to/python3")
PY
# A venv from other pins is rebuilt from scratch: pip cannot cleanly swap overlapping TensorFlow builds.
if [[ -d "$VENV" ]]; then rm -rf "$VENV"; fi
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check -q)
"${PIP[@]}" "numpy==$NUMPY" "setuptools<76" wheel "pytest==8.3.4" "ruff==$RUFF"
# No build isolation: jep must see numpy while it compiles, or it silently builds without numpy support.
JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}" \
  "${PIP[@]}" --no-build-isolation "jep==$JEP"
# jep cannot be imported outside a JVM; its numpy conversions are compiled in only when numpy was
# visible at build time, so look for them in the native library.
JEPLIB="$("$VENV/bin/python" -c 'import importlib.util,os;print(os.path.dirname(importlib.util.find_spec("jep").origin))')/libjep.so"
grep -q convert_pyndarray_jobject "$JEPLIB" || { echo "[setup] jep was built without numpy support: $JEPLIB" >&2; exit 1; }
"${PIP[@]}" "tensorflow-cpu==$TF"
# tf-keras depends on the `tensorflow` distribution, which would pull a second, full TensorFlow
# over tensorflow-cpu; its only dependency is TensorFlow itself, so install it without deps.
"${PIP[@]}" --no-deps "tf-keras==$TF_KERAS"
# keras_preprocessing without deps: its `keras` is the bridge's stand-in (or tf-keras in a worker).
"${PIP[@]}" "scipy==$SCIPY"
"${PIP[@]}" --no-deps "keras-preprocessing==$KERAS_PREPROCESSING"
"${PIP[@]}" --no-deps -e "$ROOT/python"
ensure_extras
ensure_native
echo "$WANT" > "$STAMP"
echo "[setup] Python environment ready" >&2
