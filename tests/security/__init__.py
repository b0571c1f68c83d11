"""Attacks of issue 11, one module per finding."""
