"""The busy-poll trade-off of a `compare` run: what busy polling cost in CPU and what it
bought in latency, for every strategy S that ran both sleeping and as S+wait=X.

Whatever the run's reference, S+wait=X is compared with S itself (iouring+wait=napi
with iouring), repetition i with repetition i: compare interleaves the repetitions, so
a pair ran back to back and the machine's slow drift cancels in the differences.

Per pair: extra CPU = X's CPU per packet minus S's (receive path, and the receiver
thread alone); latency gained = S's p50 (p99) minus X's, in µs. The exchange rate is
the ratio of the two medians, not the median of per-pair ratios: a pair whose extra
CPU is near 0 or negative has a huge or wrongly signed ratio of its own. The medians
and the ratio get their intervals from one paired bootstrap (the same resamples of
the pairs); when the extra CPU's interval reaches 0, the ratio's is unbounded and
left out, and the two medians are what to read.
"""
import re
from dataclasses import dataclass
from typing import Optional

import numpy as np

from reports.comparison.samples import paired_iterations
from reports.results.metrics import LATENCY_P50, LATENCY_P99, RECEIVE_PATH_CPU, RECEIVER_CPU
from reports.stats.interval import bootstrap_intervals

CONFIDENCE = 0.95
# The sleeping default is no busy polling: S+wait=sleep is S.
_WAIT = re.compile(r"\+wait=([A-Za-z0-9_-]+)")
_SLEEP = "sleep"

LATENCY_GAINED = "latency gained"
NO_LATENCY_GAINED = "no latency gained"
LATENCY_LOST = "latency lost"


@dataclass(frozen=True)
class Figure:
    """A median over the pairs with its paired bootstrap interval (None: none)."""
    median: Optional[float]
    low: Optional[float] = None
    high: Optional[float] = None


@dataclass(frozen=True)
class TradeOff:
    sleeping: str                 # S
    waiting: str                  # S+wait=X
    wait: str                     # X
    repetitions: tuple            # the repetition indices paired, in order
    extra_cpu: Figure             # receive path, ns/packet, X - S
    extra_receiver_cpu: Figure    # receiver thread, ns/packet, X - S
    gained_p50: Figure            # µs, S - X
    gained_p99: Figure
    rate_p50: Figure              # µs gained per extra receive-path ns/packet
    rate_p99: Figure
    notes: tuple = ()
    skipped: Optional[str] = None  # why there are no figures

    @property
    def n(self):
        return len(self.repetitions)


def wait_pairs(strategies):
    """[(S, S+wait=X, X)] for every S+wait=X in `strategies` whose S (the same name
    without its wait override) ran too, in the order the waiting ones ran."""
    present = set(strategies)
    pairs = []
    for name in strategies:
        match = _WAIT.search(name)
        if not match or match.group(1) == _SLEEP:
            continue
        sleeping = name[:match.start()] + name[match.end():]
        if sleeping in present:
            pairs.append((sleeping, name, match.group(1)))
    return pairs


def trade_offs(results, confidence=CONFIDENCE):
    """The trade-off of every wait pair in a results file (results.model.ResultsFile)."""
    return [trade_off(results.of_strategy(s), results.of_strategy(w), s, w, x, confidence)
            for s, w, x in wait_pairs(results.strategies())]


_KEYS = (RECEIVE_PATH_CPU.key, RECEIVER_CPU.key, LATENCY_P50.key, LATENCY_P99.key)


def trade_off(sleeping_iterations, waiting_iterations, sleeping, waiting, wait,
              confidence=CONFIDENCE):
    pairs = [(s, w) for s, w in paired_iterations(sleeping_iterations, waiting_iterations)
             if all(s.value(k) is not None and w.value(k) is not None for k in _KEYS)]
    if not pairs:
        return TradeOff(sleeping, waiting, wait, (), *([Figure(None)] * 6),
                        skipped="no repetition has CPU and latency on both sides "
                                "(latency is not measured under --measure minimal)")
    extra_cpu = [w.value(RECEIVE_PATH_CPU.key) - s.value(RECEIVE_PATH_CPU.key)
                 for s, w in pairs]
    extra_receiver = [w.value(RECEIVER_CPU.key) - s.value(RECEIVER_CPU.key) for s, w in pairs]
    gained = {m.key: [(s.value(m.key) - w.value(m.key)) / 1000.0 for s, w in pairs]
              for m in (LATENCY_P50, LATENCY_P99)}
    samples = (extra_cpu, extra_receiver, gained[LATENCY_P50.key], gained[LATENCY_P99.key])
    points = _statistic(*[np.asarray(s, dtype=float) for s in samples])
    with np.errstate(divide="ignore", invalid="ignore"):
        # Resamples whose extra CPU's median is not positive make rates of inf or nan;
        # those rates' intervals are left out below, the medians' are unaffected.
        intervals = bootstrap_intervals(samples, _statistic, confidence, paired=True,
                                        outputs=len(points))
    figures = [Figure(float(p), low, high) for p, (low, high) in zip(points, intervals)]
    cpu = figures[0]
    notes = []
    if cpu.median is None or cpu.median <= 0:
        notes.append(f"busy polling spent no extra receive-path CPU (median "
                     f"{cpu.median:+.0f} ns/packet): no exchange rate")
        figures[4] = figures[5] = Figure(None)
    elif cpu.low is not None and cpu.low <= 0:
        notes.append("the extra CPU's interval reaches 0: the exchange rate's interval is "
                     "unbounded (left out); read the two medians")
        figures[4] = Figure(figures[4].median)
        figures[5] = Figure(figures[5].median)
    # On loopback (no NAPI instance) the waiting strategy slept like S: whatever
    # differs is noise, not busy polling; the harness says why per repetition.
    notes += [f"busy polling had no effect: {reason}" for reason in dict.fromkeys(
        w.raw.get("busy_poll_no_effect") for _, w in pairs) if reason]
    return TradeOff(sleeping, waiting, wait, tuple(s.repetition_index for s, _ in pairs),
                    *figures, notes=tuple(notes))


def _statistic(extra_cpu, extra_receiver, gained_p50, gained_p99, axis=-1):
    """The six figures of one (re)sample of pairs: the four medians, then the two
    latency medians over the extra CPU's median (inf or negative where that median
    is not positive; those intervals are then left out, above)."""
    medians = [np.median(x, axis=axis) for x in (extra_cpu, extra_receiver, gained_p50,
                                                 gained_p99)]
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = [medians[2] / medians[0], medians[3] / medians[0]]  # inf/nan: see above
    return np.stack(medians + rates)


def latency_verdict(figure):
    """Words for a latency gain: whether its interval lies above 0, straddles it or
    lies below it; None with no interval (fewer than 2 pairs)."""
    if figure.low is None or figure.high is None:
        return None
    if figure.low > 0:
        return LATENCY_GAINED
    if figure.high < 0:
        return LATENCY_LOST
    return NO_LATENCY_GAINED
