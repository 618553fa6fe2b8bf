#!/usr/bin/python3
"""Measures the change-point detector (reports/history/changes.py) against issue 20's
targets, on synthetic series with one planted step; docs/history.md quotes its output.

Each case draws --series series of --length points of Gaussian noise around 100 with the
given coefficient of variation, each with one step of the given size at a position
drawn uniformly from [40, 160] (the step's first point), and as many series without a
step. It prints, per case:
  found        share of step series with a change point of the step's sign
  within +-10  share of step series whose nearest change point is within 10 points of it
  extra/series change points other than that nearest one, per step series
  false/series change points per step-free series
Seeded: the same arguments print the same figures.

Run from the repository root:  /usr/bin/python3 tools/changepoint_targets.py
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from reports.history import changes  # noqa: E402  (after the path is set)

# (coefficient of variation, relative step): issue 20's three noise levels.
CASES = ((0.06, 0.05), (0.01, 0.01), (0.12, 0.05))
FIRST, LAST = 40, 160
NEAR = 10


def measure(cv, step, args, rng):
    found = near = extra = false = 0
    for _ in range(args.series):
        at = int(rng.integers(FIRST, LAST + 1))
        values = 100 * (1 + cv * rng.standard_normal(args.length))
        values[at:] *= 1 + step
        points = changes.change_points(list(enumerate(values)), args.window, args.p_value)
        same_sign = [c for c in points if c.change is not None and c.change * step > 0]
        found += bool(same_sign)
        if points:
            nearest = min(points, key=lambda c: abs(c.index - at))
            near += abs(nearest.index - at) <= NEAR
            extra += len(points) - 1
        flat = 100 * (1 + cv * rng.standard_normal(args.length))
        false += len(changes.change_points(list(enumerate(flat)), args.window, args.p_value))
    n = args.series
    return found / n, near / n, extra / n, false / n


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--series", type=int, default=200, help="series per case (default 200)")
    p.add_argument("--length", type=int, default=200, help="points per series (default 200)")
    p.add_argument("--window", type=int, default=changes.WINDOW,
                   help=f"detector window (default {changes.WINDOW})")
    p.add_argument("--p-value", type=float, default=changes.P_VALUE,
                   help=f"detector p-value threshold (default {changes.P_VALUE})")
    p.add_argument("--seed", type=int, default=20, help="random seed (default 20)")
    args = p.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"window {args.window}, p-value {args.p_value}, {args.series} series of "
          f"{args.length} points, seed {args.seed}")
    print(f"{'CV':>5} {'step':>6} {'found':>6} {'within +-10':>12} {'extra/series':>13} "
          f"{'false/series':>13}")
    for cv, step in CASES:
        found, near, extra, false = measure(cv, step, args, rng)
        print(f"{cv:5.0%} {step:+6.0%} {found:6.1%} {near:12.1%} {extra:13.3f} {false:13.3f}")


if __name__ == "__main__":
    main()
