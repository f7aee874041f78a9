#!/usr/bin/env bash
# Creates (or reuses) .venv-keras231: real Keras 2.3.1, the behavioural baseline, on TensorFlow 2.18
# CPU, for the third column of the compat tests (compat-tests/python/keras231_patches.py makes it
# import there). Only the tests need it; scripts/test.sh runs this, the main job never does.
# Idempotent like setup-python.sh: a stamp file records the pins, and a second run does nothing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${JKERAS_KERAS231_VENV:-$ROOT/.venv-keras231}"
PYTHON="${JKERAS_BASE_PYTHON:-python3}"

KERAS=2.3.1
NUMPY=1.26.4          # Keras 2.3.1 uses np.Inf, gone in numpy 2
TF=2.18.0             # the kernels of the other two columns
TF_KERAS=2.18.0       # Keras 2.3.1's metrics module reads tf.keras.metrics at import (TF_USE_LEGACY_KERAS=1)
KERAS_PREPROCESSING=1.1.2
KERAS_APPLICATIONS=1.0.8
PYYAML=6.0.2
SCIPY=1.13.1
PILLOW=11.3.0          # keras_preprocessing loads images with PIL (flow_from_directory compat)
WANT="v1 keras=$KERAS numpy=$NUMPY tensorflow-cpu=$TF tf-keras=$TF_KERAS keras-preprocessing=$KERAS_PREPROCESSING keras-applications=$KERAS_APPLICATIONS pyyaml=$PYYAML scipy=$SCIPY pillow=$PILLOW"
STAMP="$VENV/.jkeras-stamp"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" && -x "$VENV/bin/python" ]]; then
  exit 0
fi

echo "[setup] building the Keras 2.3.1 environment in $VENV ($WANT)" >&2
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else "Keras 2.3.1 here needs Python >= 3.9")'
if [[ -d "$VENV" ]]; then rm -rf "$VENV"; fi
"$PYTHON" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check -q)
"${PIP[@]}" "tensorflow-cpu==$TF"
# After TensorFlow, which brings numpy 2: Keras 2.3.1 needs numpy 1.
"${PIP[@]}" "numpy==$NUMPY" "pyyaml==$PYYAML" "scipy==$SCIPY" "pillow==$PILLOW"
# Without dependencies: keras 2.3.1 would pull old keras-applications/preprocessing pins, tf-keras the
# full `tensorflow` distribution. pip's "tensorflow requires keras>=3.5" complaint is expected here:
# Keras 2.3.1 takes the `keras` name, and TensorFlow reaches tf-keras through TF_USE_LEGACY_KERAS=1.
"${PIP[@]}" --no-deps "keras==$KERAS" "keras-preprocessing==$KERAS_PREPROCESSING" \
  "keras-applications==$KERAS_APPLICATIONS" "tf-keras==$TF_KERAS"
# The smoke test: the patched import, as the compat runner does it.
TF_USE_LEGACY_KERAS=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONPATH="$ROOT/compat-tests/python" "$VENV/bin/python" -c \
  'import keras231_patches, keras; keras231_patches.after_import(keras); assert keras.__version__ == "2.3.1", keras.__version__' \
  || { echo "[setup] Keras 2.3.1 does not import in $VENV" >&2; exit 1; }
echo "$WANT" > "$STAMP"
echo "[setup] Keras 2.3.1 environment ready" >&2
