"""Python side of jkeras (the Keras training API on the JVM)."""

__version__ = "0.1.0"
