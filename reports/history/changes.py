"""Change points of a metric over commits: where its level moved, and by how much.

A step too small for one gate (a 2 % slowdown against 6 % run-to-run noise) still shows
as a shift of the level over many runs. The method is e-divisive means (Matteson and
James 2014) as MongoDB, DataStax Hunter and Apache Otava adapted it for CI data (Daly
et al. 2020; Fleming et al. 2023), implemented here from those descriptions:

1. Weak candidates. The series is cut into overlapping windows (WINDOW points, every
   WINDOW/2 points). In each window the split tau (with the end kappa of the segment
   after it) that maximises the energy divergence Q between the points before and after
   is a candidate when a Welch t-test of the two sides gives a p-value below
   WEAK_FACTOR x P_VALUE; the two sides are then split again the same way.
   Windows keep a step that happened long ago from hiding a small one near the end.
2. Merge. All candidates of all windows are judged together: each by a Welch t-test of
   the points since the previous candidate against those until the next one. The
   weakest one (the largest p-value) above P_VALUE is dropped and its neighbours are
   judged again, until every one left is below P_VALUE.
3. Placement. Each change point left is moved to the split that best separates the
   means of the points between its neighbours, within half a window (not in the
   published method: it brings the placement of a 0.8-sigma step close to that of the
   best single split; docs/history.md has the figures). The moved ones are merged
   again, so every change point reported has a p-value below P_VALUE.

The t-tests replace e-divisive's permutation test, so the same series always gives the
same change points. The chosen WINDOW and P_VALUE and what they achieve on synthetic
series are in docs/history.md (tools/changepoint_targets.py measures them).

Incremental: a window whose points are all known never changes, so its candidates are
kept; adding a point re-examines only the (at most two) windows that contain it. The
merge reads running sums, so it costs O(1) per candidate and never a pass over the
points; the placement looks at one window per change point.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
from scipy import stats

WINDOW = 120
P_VALUE = 0.0005
WEAK_FACTOR = 10
MIN_SIDE = 5            # points on each side of a split (fewer make no t-test worth having)
CONFIDENCE = 0.95       # of the size's interval


@dataclass(frozen=True)
class ChangePoint:
    index: int           # the first point after the change
    before: str          # the commit of the last point before it
    after: str           # the commit of the first point after it
    mean_before: float   # of the points since the previous change point
    mean_after: float    # of the points until the next change point
    change: Optional[float]   # mean_after / mean_before - 1; None when mean_before is 0
    low: Optional[float]      # the CONFIDENCE interval of `change`
    high: Optional[float]
    p_value: float


def change_points(points, window=WINDOW, p_value=P_VALUE):
    """`points`: (commit, value) in commit order. Returns the ChangePoints, in order."""
    detector = Detector(window, p_value)
    detector.extend(points)   # each window examined once, as if appended one by one
    return detector.change_points()


class Detector:
    """The change points of a growing series; `append` costs a window, not the series."""

    def __init__(self, window: int = WINDOW, p_value: float = P_VALUE) -> None:
        if window < 4 * MIN_SIDE:
            raise ValueError(f"a window of {window} points is too short to split twice")
        self.window, self.step, self.p_value = window, window // 2, p_value
        self.commits: List[str] = []
        self.values: List[float] = []
        # Running sums of (value - the first value), whose variance is the values' own
        # without the cancellation of large squares: sums[i] covers points [0, i).
        self._sum = [0.0]
        self._squares = [0.0]
        self._weak: Dict[int, Tuple[int, ...]] = {}   # window start -> its candidates
        self.examined = 0   # points the last append or extend passed to the window search

    def extend(self, points):
        """Adds many points, then examines each window they touch once."""
        known = len(self.values)
        for commit, value in points:
            self._add(commit, value)
        self._examine(known)

    def append(self, commit, value):
        self._add(commit, value)
        self._examine(len(self.values) - 1)

    def _add(self, commit, value):
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"{commit}: {value} is not a number")
        self.commits.append(str(commit))
        self.values.append(value)
        shifted = value - self.values[0]
        self._sum.append(self._sum[-1] + shifted)
        self._squares.append(self._squares[-1] + shifted * shifted)

    def _examine(self, first_new):
        """Finds the candidates again in every window holding a point from `first_new` on;
        the others hold only old points, so theirs stand."""
        n, self.examined = len(self.values), 0
        for start in self._window_starts(first_new, n):
            end = min(start + self.window, n)
            self._weak[start] = tuple(self._split(start, end))
            self.examined += end - start

    def _window_starts(self, first_new, n):
        """Windows start every `step` points and hold `window` points. A window that lies
        inside the one before it (at the end of the series) is not examined on its own."""
        first = max(0, (first_new - self.window) // self.step + 1) * self.step
        return [s for s in range(first, n, self.step) if s == 0 or n > s + self.step]

    def _split(self, start, end):
        """The weak candidates in points [start, end), by recursive bisection."""
        if end - start < 2 * MIN_SIDE:
            return []
        tau = _best_split(np.asarray(self.values[start:end]))
        if tau is None:
            return []
        tau += start
        if self._test(start, tau, end)[0] >= WEAK_FACTOR * self.p_value:
            return []
        return self._split(start, tau) + [tau] + self._split(tau, end)

    def change_points(self):
        candidates = sorted(set(c for cs in self._weak.values() for c in cs))
        # Moving a change point changes its neighbours' tests: judge them all again.
        chosen = self._merge(self._place(self._merge(candidates)))
        bounds = [0] + chosen + [len(self.values)]
        return [self._describe(*bounds[k - 1:k + 2]) for k in range(1, len(bounds) - 1)]

    def _merge(self, candidates):
        kept = list(candidates)
        p = [self._judge(kept, k) for k in range(len(kept))]
        while kept:
            worst = max(range(len(kept)), key=lambda k: (p[k], -k))
            if p[worst] < self.p_value:
                break
            del kept[worst], p[worst]
            for k in (worst - 1, worst):   # the neighbours, now bounded by each other
                if 0 <= k < len(kept):
                    p[k] = self._judge(kept, k)
        return kept

    def _place(self, kept):
        """Moves each change point, left to right, to the split between its neighbours
        that best separates the two means (the largest between-sides sum of squares),
        looking half a window either side. A window's energy divergence finds a step but
        places it less exactly than the longer stretches between neighbours can."""
        placed, n = list(kept), len(self.values)
        half = self.step
        for k, at in enumerate(placed):
            start = placed[k - 1] if k > 0 else 0
            end = placed[k + 1] if k + 1 < len(placed) else n
            tau = np.arange(max(start + MIN_SIDE, at - half),
                            min(end - MIN_SIDE, at + half) + 1)
            if len(tau) == 0:
                continue
            a, b = tau - start, end - tau
            upto = np.array(self._sum[tau[0]:tau[-1] + 1])
            gap = (upto - self._sum[start]) / a - (self._sum[end] - upto) / b
            placed[k] = int(tau[np.argmax(a * b / (a + b) * gap * gap)])
        return placed

    def _judge(self, kept, k):
        start = kept[k - 1] if k > 0 else 0
        end = kept[k + 1] if k + 1 < len(kept) else len(self.values)
        return self._test(start, kept[k], end)[0]

    def _moments(self, a, b):
        """Mean and sample variance of points [a, b), from the running sums."""
        n = b - a
        total = self._sum[b] - self._sum[a]
        mean = total / n
        var = max(0.0, (self._squares[b] - self._squares[a] - total * mean) / (n - 1))
        return mean + self.values[0], var, n

    def _test(self, a, tau, b):
        """Welch's t-test of points [a, tau) against [tau, b): (p-value, the two moments)."""
        if min(tau - a, b - tau) < 2:   # candidates of two windows a point apart
            return 1.0, None, None
        before, after = self._moments(a, tau), self._moments(tau, b)
        (m1, v1, n1), (m2, v2, n2) = before, after
        if v1 == 0 and v2 == 0:   # no noise at all: any difference is certain
            return (0.0 if m1 != m2 else 1.0), before, after
        result = stats.ttest_ind_from_stats(m1, np.sqrt(v1), n1, m2, np.sqrt(v2), n2,
                                            equal_var=False)
        return float(result.pvalue), before, after

    def _describe(self, start, tau, end):
        p, (m1, v1, n1), (m2, v2, n2) = self._test(start, tau, end)
        change = low = high = None
        if m1 != 0:
            # Welch's interval of the difference of means, relative to the mean before.
            se2 = v1 / n1 + v2 / n2
            if se2 > 0:
                df = se2 ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
                half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, df)) * np.sqrt(se2)
            else:
                half = 0.0
            change = m2 / m1 - 1
            low, high = sorted(((m2 - m1 - half) / abs(m1), (m2 - m1 + half) / abs(m1)))
        return ChangePoint(tau, self.commits[tau - 1], self.commits[tau], m1, m2, change,
                           low, high, p)


def _best_split(z):
    """The split tau of z (MIN_SIDE <= tau <= len - MIN_SIDE) at which the energy
    divergence Q(z[:tau], z[tau:kappa]) is largest over every end kappa, or None.

    With alpha = 1, Q = ab/(a+b) * (2/(ab) sum|x-y| - sum|x-x'|/C(a,2) - sum|y-y'|/C(b,2))
    for a points x before tau and b points y in [tau, kappa). All pair sums come from one
    2-D prefix sum of the distance matrix."""
    m = len(z)
    d = np.abs(z[:, None] - z[None, :])
    pre = np.zeros((m + 1, m + 1))
    pre[1:, 1:] = d.cumsum(0).cumsum(1)
    tau = np.arange(m + 1)[:, None]
    kappa = np.arange(m + 1)[None, :]
    a, b = tau, kappa - tau
    valid = (a >= MIN_SIDE) & (b >= MIN_SIDE)
    if not valid.any():
        return None
    diag = np.diag(pre)
    between = pre - diag[:, None]                       # sum over i < tau <= j < kappa
    within_x = diag[:, None] / 2                        # pairs i < j < tau
    within_y = (diag[None, :] - 2 * pre + diag[:, None]) / 2   # pairs tau <= i < j < kappa
    with np.errstate(divide="ignore", invalid="ignore"):
        q = a * b / (a + b) * (2 * between / (a * b) - within_x / (a * (a - 1) / 2)
                               - within_y / (b * (b - 1) / 2))
    q = np.where(valid, q, -np.inf)
    best_tau, _ = np.unravel_index(int(np.argmax(q)), q.shape)
    return int(best_tau)
