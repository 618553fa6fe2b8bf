"""How many streams a strategy holds loss-free, over repeated searches, and the ratio of
two strategies' counts with its spread. Pure: fed the knees (Knee.as_dict, unit
streams) that `search_max_count` found, one per search.

The spread, exactly:
- a strategy's count is the median over its finished searches of the largest loss-free
  count each found (0 when not even one stream was loss-free); its spread is the min and
  max of those counts;
- the ratio of a strategy to the reference is the ratio of the two medians;
- its `range` goes from the lowest to the highest ratio the searches' brackets allow.
  With good the largest loss-free count and bad the first lossy count of a search, the
  count lies in [good, bad - 1]; the range is from min(good of the strategy's searches)
  / max(bad - 1 of the reference's) to max(bad - 1 of the strategy's) / min(good of the
  reference's). With --streams-precision 1, bad - 1 is good: the range is that of the
  found counts over all pairs of searches;
- its `interval` is the 95 % bootstrap interval of the ratio of medians, each
  strategy's counts resampled on their own (reports.stats.unpaired, as for unpaired
  repetitions); null with fewer than 2 finished searches per strategy or a count of 0.
A search stopped by the time budget is left out; one loss-free up to --max-streams
leaves the upper end unknown (null).
"""
import numpy as np

from reports.stats.unpaired import compare_unpaired

CONFIDENCE = 0.95


def _finished(knees):
    return [k for k in knees if k.get("finished")]


def _found(k):
    return k.get("max_loss_free_streams") or 0


def _highest_possible(k):
    """The largest count this search's bracket leaves possible (None: no lossy count)."""
    bad = k.get("first_bad_streams")
    return None if bad is None else bad - 1


def of_strategy(knees):
    """{median, min, max, counts, searches, at_cap}: the count over finished searches."""
    done = _finished(knees)
    counts = [_found(k) for k in done]
    return {"searches": len(knees), "finished_searches": len(done), "counts": counts,
            "median": float(np.median(counts)) if counts else None,
            "min": min(counts) if counts else None, "max": max(counts) if counts else None,
            # Loss-free at the cap: the count is a lower bound.
            "at_cap": any(k.get("first_bad_streams") is None for k in done)}


def ratio(knees, reference_knees):
    """The strategy's count over the reference's, with its range and interval; every
    figure null when it cannot be computed (no finished search, a zero reference)."""
    mine, ref = _finished(knees), _finished(reference_knees)
    out = {"ratio_of_medians": None, "range": [None, None], "interval": [None, None],
           "confidence": CONFIDENCE}
    if not mine or not ref:
        return out
    a, b = [_found(k) for k in mine], [_found(k) for k in ref]
    if np.median(b) > 0:
        out["ratio_of_medians"] = float(np.median(a) / np.median(b))
    highest_ref = [_highest_possible(k) for k in ref]
    highest_mine = [_highest_possible(k) for k in mine]
    low_den = None if None in highest_ref else max(highest_ref)
    if low_den:
        out["range"][0] = min(a) / low_den
    if min(b) > 0 and None not in highest_mine:
        out["range"][1] = max(highest_mine) / min(b)
    if min(a) > 0 and min(b) > 0:
        c = compare_unpaired(b, a, confidence=CONFIDENCE)
        out["interval"] = [c.ci_low, c.ci_high]
    return out
