"""Benchmarks of the real bot against the fake Discord: `python -m bench` (see bench/README.md)."""
