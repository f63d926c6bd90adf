"""The package version: one place, imported by the CLI, the JSON documents and the wheel."""

__version__ = "0.1.0"
