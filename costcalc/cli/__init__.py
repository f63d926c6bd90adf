"""The `costcalc` command line: arguments, help and the exit status contract."""

from costcalc.cli.app import main

__all__ = ["main"]
