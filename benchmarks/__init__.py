"""Performance and quality benchmarks with JSON results (SPEC §10); not part of the unit tests."""
