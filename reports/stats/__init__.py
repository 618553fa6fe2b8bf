"""Statistics for comparing two sets of repetitions: pure functions over plain lists of
positive numbers (scipy does the statistics; nothing here re-implements a test)."""
