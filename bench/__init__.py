"""Benchmarks: each prints its figures beside the machine's raw limits measured in the same run."""
