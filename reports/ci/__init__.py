"""`rxbench ci`: the regression gate. A/B-tests two builds interleaved on one machine
(or the build under test against a stored baseline) and exits 1 only on a regression:
significantly worse, by more than the change it ignores (rule.py)."""
