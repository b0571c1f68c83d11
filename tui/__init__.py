"""Textual face and command line of alliance explorer."""

# Kept in step with pyproject.toml (a test checks); reading package metadata would slow start-up.
__version__ = "0.1.0"
