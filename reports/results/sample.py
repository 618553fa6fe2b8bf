"""Paths of real harness output for tests: a `compare` results file (baseline,
combined-list and null, 3 interleaved repetitions, measure=full: null has no latency and
no pipeline), and `rxbench list --json` (the strategy catalogue), which
harness_schema_test keeps equal to what the harness prints."""
import os

SAMPLE_COMPARE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                              "sample-compare.json")

LIST_JSON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata", "list.json")
