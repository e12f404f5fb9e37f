"""The cprules version, stamped on every evaluation."""

__version__ = "0.1.0"
