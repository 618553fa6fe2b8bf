"""Where a strategy stops being loss-free: pure functions, no clock, no processes.

The searched quantity is an offered rate (pps) or a stream count (integer). Both
searches take a `probe(value) -> verdict` the caller supplies (the harness in real use,
a synthetic loss model in tests), assume loss is monotonic in the value, and narrow
the same bracket [largest value seen loss-free, smallest value seen not]; repetitions
per probe are how the caller makes a noisy "loss-free" trustworthy.
`bisect_max_loss_free` starts from a known-good and a known-bad rate and halves in log
space; `search_max_count` doubles from one stream until loss, then halves the integer
gap. `knee_of_grid` reads the same answer off a fixed list of measured values.
"""
import math
from dataclasses import dataclass, field
from typing import Optional

from reports.html.units import format_rate
from reports.results.rate_verdict import GENERATOR_SHORT, LOSS_FREE

RATE, STREAMS = "pps", "streams"  # the searched quantity: the suffix of its JSON keys


class OutOfTime(Exception):
    """Raised by a probe (or should_stop) when the time budget is spent."""


@dataclass
class Knee:
    max_loss_free: Optional[float] = None  # highest value seen loss-free (None: none was)
    first_bad: Optional[float] = None      # lowest value seen not loss-free (None: none was)
    first_bad_verdict: Optional[str] = None    # why that value was bad
    finished: bool = True             # False: stopped by the time budget
    probes: list = field(default_factory=list)  # [(value, verdict)] in the order tried
    note: str = ""
    unit: str = RATE

    def as_dict(self):
        return {f"max_loss_free_{self.unit}": self.max_loss_free,
                f"first_bad_{self.unit}": self.first_bad,
                "first_bad_verdict": self.first_bad_verdict, "finished": self.finished,
                "probes": len(self.probes), "note": self.note}


def next_rate(good, bad, step=100):
    """The geometric midpoint (rates span decades), on a `step` pps grid, strictly between."""
    mid = round(math.sqrt(good * bad) / step) * step
    if mid <= good or mid >= bad:
        mid = (good + bad) / 2
    return mid


def _checker(knee, probe, should_stop):
    """probe() that records each verdict in the knee and the bracket it moves."""
    def check(value):
        if should_stop():
            raise OutOfTime()
        verdict = probe(value)
        knee.probes.append((value, verdict))
        if verdict == LOSS_FREE:
            if knee.max_loss_free is None or value > knee.max_loss_free:
                knee.max_loss_free = value
        elif knee.first_bad is None or value < knee.first_bad:
            knee.first_bad, knee.first_bad_verdict = value, verdict
        return verdict
    return check


def _narrow(knee, check, midpoint, wide):
    """Halves the bracket while wide(good, bad); stops early if no value lies between."""
    while wide(knee.max_loss_free, knee.first_bad):
        value = midpoint(knee.max_loss_free, knee.first_bad)
        if value in (knee.max_loss_free, knee.first_bad):
            break
        check(value)


def bisect_max_loss_free(probe, low, high, resolution=0.05, should_stop=lambda: False):
    """Brackets the maximum loss-free rate to within `resolution` (relative)."""
    knee = Knee(unit=RATE)
    check = _checker(knee, probe, should_stop)
    try:
        if check(low) == LOSS_FREE and check(high) != LOSS_FREE:
            _narrow(knee, check, next_rate, lambda good, bad: bad / good > 1 + resolution)
    except OutOfTime:
        knee.finished = False
    knee.note = _bracket_note(knee)
    return knee


def search_max_count(probe, cap, precision=1, should_stop=lambda: False):
    """The largest loss-free stream count up to `cap`: 1, 2, 4, ... until a count is not
    loss-free (or `cap` is reached; the last step is `cap` itself), then bisection of
    the integer bracket until first_bad - max_loss_free <= precision. A first loss at
    count L costs ceil(log2 L) + 1 doubling probes and about log2 of the last doubling
    step in halving probes (L = 37: 1..64, then 48, 40, 36, 38, 37: 12 probes)."""
    knee = Knee(unit=STREAMS)
    check = _checker(knee, probe, should_stop)
    try:
        count = 1
        while check(count) == LOSS_FREE and count < cap:
            count = min(count * 2, cap)
        if knee.max_loss_free is not None and knee.first_bad is not None:
            _narrow(knee, check, lambda good, bad: (good + bad) // 2,
                    lambda good, bad: bad - good > precision)
    except OutOfTime:
        knee.finished = False
    knee.note = _bracket_note(knee)
    return knee


def knee_of_grid(points, unit=RATE):
    """The knee of one strategy's measured points ({offered_pps or streams, verdict}
    dicts)."""
    key = "offered_pps" if unit == RATE else "streams"
    knee = Knee(unit=unit)
    ordered = sorted(points, key=lambda p: p[key])
    knee.probes = [(p[key], p["verdict"]) for p in ordered]
    for p in ordered:
        if p["verdict"] == LOSS_FREE:
            knee.max_loss_free = p[key]
        else:
            knee.first_bad, knee.first_bad_verdict = p[key], p["verdict"]
            break
    later_good = [p for p in ordered if knee.first_bad is not None
                  and p[key] > knee.first_bad and p["verdict"] == LOSS_FREE]
    knee.note = _bracket_note(knee)
    if later_good:
        again = _value(knee, later_good[0][key])
        knee.note += (f"; loss-free again at {again}: loss is not monotonic here, "
                      "so more repetitions are needed to trust the knee")
    return knee


def _value(knee, value):
    return f"{format_rate(value)} pps" if knee.unit == RATE else f"{int(value)} streams"


def _bracket_note(knee):
    what = "rate" if knee.unit == RATE else "stream count"
    if knee.max_loss_free is None:
        text = (f"not loss-free even at the lowest {what} tried"
                + (f" ({knee.first_bad_verdict})" if knee.first_bad_verdict else ""))
    elif knee.first_bad is None:
        text = f"loss-free at every {what} tried: the knee is higher"
    else:
        text = (f"loss-free at {_value(knee, knee.max_loss_free)}, not at "
                f"{_value(knee, knee.first_bad)} ({knee.first_bad_verdict})")
        if knee.first_bad_verdict == GENERATOR_SHORT:
            text += ("; the generator could not offer the higher rate, so the receiver's own "
                     "limit was not reached (on a small machine the receive path's threads "
                     "may be what slows the generator)")
    if not knee.finished:
        text += "; stopped by --max-time before the bracket was narrow"
    return text
