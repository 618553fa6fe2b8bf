"""Path of a real `compare` results file for tests: baseline, combined-list and null,
3 interleaved repetitions, measure=full (null has no latency and no pipeline)."""
import os

SAMPLE_COMPARE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                              "sample-compare.json")
