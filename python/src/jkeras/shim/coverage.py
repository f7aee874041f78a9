"""``jkeras run -m jkeras.shim.coverage NAMES_FILE``: reaches every Keras name listed in the file ("module name"
per line, e.g. "keras.layers Dense") through the shim, prints the ones it cannot reach and exits 1 when there
are any. The Java test KerasShimCoverageTest lists the names jkeras implements in Java and runs this."""

import importlib
import sys

missing = []
with open(sys.argv[1]) as f:
    entries = [line.split() for line in f if line.strip()]
for module_name, name in entries:
    try:
        module = importlib.import_module(module_name)
        getattr(module, name)
    except Exception as e:
        missing.append("%s.%s (%s: %s)" % (module_name, name, type(e).__name__, str(e).split(" (")[0]))
print("checked %d names" % len(entries))
for m in missing:
    print("MISSING", m)
sys.exit(1 if missing else 0)
