"""`rxbench bisect GOOD BAD`: the first commit between two revisions where a metric got
worse, found by a binary search whose every step is a paired gate of two builds."""
