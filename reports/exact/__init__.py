"""The exact tier's measurement core: what a receive path costs per packet, counted under
valgrind's callgrind rather than timed.

callgrind.py reads callgrind's per-thread profiles; roles.py tells which thread was the
receiver, a pipeline element's streaming thread or the generator; figures.py turns a
counted window and its packet count into instructions, syscalls and allocations per
packet; profile_diff.py says what moved between two builds; valgrind.py says whether
valgrind can run here and for a strategy. The window itself is marked in the harness by
metrics/callgrind_window.h.
"""
