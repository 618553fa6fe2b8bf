"""Covariate adjustment of the wall-clock tier (ANCOVA / CUPED on the paired log ratios).

Much of a repetition's wall-clock noise has a measured cause: the receive side's threads
waited on a run queue, were switched out, the hypervisor stole time, the receiver took
bigger or smaller batches. Each pair i gives the log ratio y_i = log(B_i / A_i) of the
gated metric and, per covariate, the difference x_i = c(B_i) - c(A_i) of the two sides'
values. The model is y_i = delta + x_i . beta + e_i: fitted on the gate's own pairs, each
pair is brought to what it would have been had both sides seen the same covariates,

    y_adj_i = y_i - x_i . beta,

whose mean is the intercept delta, the effect at equal covariates. Adjusting to x = 0 (not
to the pairs' mean of x) is what removes the covariates' share of the noise in the
estimate itself; centring on mean(x) would only tighten the scatter around a centre as
noisy as before, and make the test overconfident.

The price: a covariate that the change under test moves (a slower receiver takes bigger
batches; a receiver spinning longer keeps the pipeline threads on its CPU waiting) carries
part of the real effect, and adjusting removes that part. So a covariate stays in the
gate's default only where it lowered the A/A spread AND left injected-cost detection
intact, on this VM (docs/deciding.md).

beta is re-estimated inside every gate, and inside every simulated gate of `ci
--calibrate` (adjust() works on a stack of gates), so the rates calibrate reports include
what fitting k coefficients on n pairs costs: with few pairs the fit also absorbs noise
and the test becomes overconfident.
"""
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

# Pairs needed per fitted coefficient before adjusting at all: below this the fit absorbs
# as much noise as it explains (and the signed-rank test would not know).
PAIRS_PER_COVARIATE = 4
_RECEIVE_SIDE = ("receiver", "pipeline")


def _receive_side_sum(field: str) -> Callable[[dict], Optional[float]]:
    """A per-packet figure summed over the receive side's threads (receiver and every
    pipeline thread) from the run's per-thread table; None if any of them lacks it."""
    def value(raw):
        threads = raw.get("thread_cpu") or {}
        picked = [t.get(field) for t in threads.values() if t.get("role") in _RECEIVE_SIDE]
        if not picked or any(v is None for v in picked):
            return None
        return float(sum(picked))
    return value


def _mean_batch(raw):
    batches, packets = raw.get("receiver_batches"), raw.get("packets_received")
    if not batches or packets is None:
        return None
    return packets / batches


def _field(name: str) -> Callable[[dict], Optional[float]]:
    def value(raw):
        v = raw.get(name)
        return None if v is None else float(v)
    return value


# name -> (what it is, how to read it from one repetition's results). The names are the
# gate's --adjust-for vocabulary.
COVARIATES: Dict[str, tuple] = {
    "run_queue_wait": ("run-queue wait of the receive side's threads, ns per packet",
                       _receive_side_sum("run_queue_wait_ns_per_packet")),
    "involuntary_switches": ("involuntary context switches of the receive side's threads "
                             "per packet", _receive_side_sum("involuntary_switches_per_packet")),
    "steal": ("steal time of the machine over the window, ns per packet",
              _field("machine_steal_ns_per_packet")),
    "batch": ("the receiver's mean batch, packets per receive batch", _mean_batch),
}


def differences(names: Sequence[str], reference_raws: Sequence[dict],
                candidate_raws: Sequence[dict]) -> Optional[np.ndarray]:
    """The (pairs x covariates) matrix of candidate-minus-reference covariate values, or
    None when a covariate is missing from any repetition (older files, a kernel without
    schedstats): an adjustment on part of the pairs would not be the gate's."""
    rows = []
    for a, b in zip(reference_raws, candidate_raws):
        row = []
        for name in names:
            read = COVARIATES[name][1]
            va, vb = read(a), read(b)
            if va is None or vb is None:
                return None
            row.append(vb - va)
        rows.append(row)
    return np.asarray(rows, dtype=float).reshape(len(rows), len(names))


def adjust(log_ratios, covariates, widen=True) -> np.ndarray:
    """Adjusted log ratios. `log_ratios`: (n,) or (gates, n); `covariates`: (n, k) or
    (gates, n, k), row i of a gate belonging to pair i. Each gate is fitted on its own
    pairs. With fewer than PAIRS_PER_COVARIATE pairs per covariate, or no covariate, the
    log ratios come back unchanged. `widen`: the pairs a test reads (below); False gives
    the fit's own residuals around the estimate, the spread that is left."""
    y = np.asarray(log_ratios, dtype=float)
    x = np.asarray(covariates, dtype=float)
    single = y.ndim == 1
    if single:
        y, x = y[None, :], x[None, :, :]
    n, k = y.shape[1], x.shape[2]
    if k == 0 or n < PAIRS_PER_COVARIATE * k:
        return y[0] if single else y
    xc = x - x.mean(axis=1, keepdims=True)
    # Scaled to unit spread so that one tiny ridge suits covariates in ns and in counts
    # alike; a covariate that did not vary in a gate gets a zero column and no weight.
    scale = xc.std(axis=1, keepdims=True)
    xs = np.divide(xc, scale, out=np.zeros_like(xc), where=scale > 0)
    yc = y - y.mean(axis=1, keepdims=True)
    gram = np.einsum("gnk,gnl->gkl", xs, xs) + 1e-9 * n * np.eye(k)
    beta = np.linalg.solve(gram, np.einsum("gnk,gn->gk", xs, yc)[..., None])[..., 0]
    # The slope comes from the centred fit (the intercept is free); it is applied to the
    # uncentred differences: each pair brought to equal covariates on both sides.
    unit = np.divide(x, scale, out=np.zeros_like(x), where=scale > 0)
    adjusted = y - np.einsum("gnk,gk->gn", unit, beta)
    # The test that reads these pairs takes their scatter for the estimate's uncertainty.
    # The fit made the residuals too tight (k slopes fitted on n pairs) and the estimate
    # (the intercept) carries the slopes' own error where mean(x) is off zero: the
    # residuals are widened so that their scatter is the intercept's standard error of
    # the regression, sqrt(s^2 (1/n + xbar' (Xc'Xc)^-1 xbar)), s^2 on n - k - 1 degrees
    # of freedom. Without this, 3 covariates of pure noise on 12 pairs false-alarmed in
    # 10.9 % of simulated gates at alpha 5 % (covariates_test).
    if not widen:
        return adjusted[0] if single else adjusted
    centre = adjusted.mean(axis=1, keepdims=True)
    mean_x = unit.mean(axis=1)
    leverage = np.einsum("gk,gk->g", mean_x,
                         np.linalg.solve(gram, mean_x[..., None])[..., 0])
    fitted = (scale[:, 0, :] > 0).sum(axis=1)   # the slopes that were fitted per gate
    widen = np.sqrt((n - 1) / np.maximum(n - fitted - 1, 1) * (1 + n * leverage))[:, None]
    adjusted = centre + (adjusted - centre) * widen
    return adjusted[0] if single else adjusted


def variance_explained(log_ratios, adjusted) -> Optional[float]:
    """Share of the log ratios' variance the adjustment removed (None without spread)."""
    before = float(np.var(log_ratios, ddof=1)) if len(log_ratios) > 1 else 0.0
    if before <= 0:
        return None
    return 1 - float(np.var(adjusted, ddof=1)) / before


def parse_names(text: str) -> List[str]:
    """--adjust-for's value: comma-separated covariate names, or 'none'."""
    if text.strip() == "none":
        return []
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in COVARIATES]
    if unknown:
        raise ValueError(f"unknown covariate(s) {', '.join(unknown)}; one of "
                         f"{', '.join(COVARIATES)} or 'none'")
    return list(dict.fromkeys(names))
