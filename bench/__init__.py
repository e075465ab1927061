"""Benchmarks: scripts that print measured figures (see run.py)."""
