"""Results files (Google Benchmark JSON written by the C++ harness) as plain records."""
