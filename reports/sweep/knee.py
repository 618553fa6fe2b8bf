"""Where a strategy stops being loss-free: pure functions, no clock, no processes.

`bisect_max_loss_free` searches between a known-good and a known-bad rate with a
`probe(rate) -> verdict` the caller supplies (the harness in real use, a synthetic
loss model in tests). It assumes loss is monotonic in the rate; repetitions per probe
are how the caller makes a noisy "loss-free" trustworthy. `knee_of_grid` reads the
same answer off a fixed list of measured rates.
"""
import math
from dataclasses import dataclass, field
from typing import Optional

from reports.html.units import format_rate
from reports.results.rate_verdict import GENERATOR_SHORT, LOSS_FREE


class OutOfTime(Exception):
    """Raised by a probe (or should_stop) when the time budget is spent."""


@dataclass
class Knee:
    max_loss_free_pps: Optional[float] = None  # highest rate seen loss-free (None: none was)
    first_bad_pps: Optional[float] = None      # lowest rate seen not loss-free (None: none was)
    first_bad_verdict: Optional[str] = None    # why that rate was bad
    finished: bool = True             # False: stopped by the time budget
    probes: list = field(default_factory=list)  # [(rate, verdict)] in the order tried
    note: str = ""

    def as_dict(self):
        return {"max_loss_free_pps": self.max_loss_free_pps, "first_bad_pps": self.first_bad_pps,
                "first_bad_verdict": self.first_bad_verdict, "finished": self.finished,
                "note": self.note}


def next_rate(good, bad, step=100):
    """The geometric midpoint (rates span decades), on a `step` pps grid, strictly between."""
    mid = round(math.sqrt(good * bad) / step) * step
    if mid <= good or mid >= bad:
        mid = (good + bad) / 2
    return mid


def bisect_max_loss_free(probe, low, high, resolution=0.05, should_stop=lambda: False):
    """Brackets the maximum loss-free rate to within `resolution` (relative)."""
    knee = Knee()

    def check(rate):
        if should_stop():
            raise OutOfTime()
        verdict = probe(rate)
        knee.probes.append((rate, verdict))
        return verdict

    try:
        verdict = check(low)
        if verdict != LOSS_FREE:
            knee.first_bad_pps, knee.first_bad_verdict = low, verdict
            knee.note = f"not loss-free even at the lowest rate tried ({verdict})"
            return knee
        knee.max_loss_free_pps = low
        verdict = check(high)
        if verdict == LOSS_FREE:
            knee.max_loss_free_pps = high
            knee.note = "loss-free up to the highest rate tried: the knee is higher"
            return knee
        knee.first_bad_pps, knee.first_bad_verdict = high, verdict
        while knee.first_bad_pps / knee.max_loss_free_pps > 1 + resolution:
            rate = next_rate(knee.max_loss_free_pps, knee.first_bad_pps)
            if rate in (knee.max_loss_free_pps, knee.first_bad_pps):
                break
            verdict = check(rate)
            if verdict == LOSS_FREE:
                knee.max_loss_free_pps = rate
            else:
                knee.first_bad_pps, knee.first_bad_verdict = rate, verdict
    except OutOfTime:
        knee.finished = False
    knee.note = _bracket_note(knee)
    return knee


def knee_of_grid(points):
    """The knee of one strategy's measured points ({offered_pps, verdict} dicts)."""
    knee = Knee()
    ordered = sorted(points, key=lambda p: p["offered_pps"])
    knee.probes = [(p["offered_pps"], p["verdict"]) for p in ordered]
    for p in ordered:
        if p["verdict"] == LOSS_FREE:
            knee.max_loss_free_pps = p["offered_pps"]
        else:
            knee.first_bad_pps, knee.first_bad_verdict = p["offered_pps"], p["verdict"]
            break
    later_good = [p for p in ordered if knee.first_bad_pps is not None
                  and p["offered_pps"] > knee.first_bad_pps and p["verdict"] == LOSS_FREE]
    knee.note = _bracket_note(knee)
    if later_good:
        again = format_rate(later_good[0]["offered_pps"])
        knee.note += (f"; loss-free again at {again} pps: loss is not monotonic here, "
                      "so more repetitions are needed to trust the knee")
    return knee


def _bracket_note(knee):
    if knee.max_loss_free_pps is None:
        text = "no rate tried was loss-free"
    elif knee.first_bad_pps is None:
        text = "loss-free at every rate tried: the knee is higher"
    else:
        text = (f"loss-free at {format_rate(knee.max_loss_free_pps)} pps, not at "
                f"{format_rate(knee.first_bad_pps)} pps ({knee.first_bad_verdict})")
        if knee.first_bad_verdict == GENERATOR_SHORT:
            text += ("; the generator could not offer the higher rate, so the receiver's own "
                     "limit was not reached (on a small machine the receive path's threads "
                     "may be what slows the generator)")
    if not knee.finished:
        text += "; stopped by --max-time before the bracket was narrow"
    return text
