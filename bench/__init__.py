"""Benchmarks: figures printed, never asserted (the machines are shared and noisy)."""
