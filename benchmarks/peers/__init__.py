"""Helpers of ``benchmarks/bench_peers.py`` (data shared by both sides, the peers' side script)."""
