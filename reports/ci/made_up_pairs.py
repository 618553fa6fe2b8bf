"""Made-up paired repetitions for the covariate tests: their scatter comes from the
receiver's run-queue wait (+1 ns of wait per packet costs +1 % of receive-path CPU), and
the build under test is `effect` slower, optionally with its wait moved too. `spread`:
the waits' standard deviation in ns, so the raw pairs' in %."""
import numpy as np

from reports.comparison.analysis import Contender
from reports.results.metrics import RECEIVE_PATH_CPU
from reports.results.model import Iteration

KEY = RECEIVE_PATH_CPU.key


def iteration(index, cost, wait):
    raw = {"thread_cpu": {"rx": {"role": "receiver", "run_queue_wait_ns_per_packet": wait}}}
    return Iteration("combined-list", "s", index, True, "", {KEY: cost}, raw)


def contender(effect, n=16, seed=3, wait_shift=0.0, spread=3.0):
    rng = np.random.default_rng(seed)
    waits = rng.normal(0, spread, (n, 2))
    reference = [iteration(i, 1000 * np.exp(0.01 * w[0]), 100 + w[0])
                 for i, w in enumerate(waits)]
    candidate = [iteration(i, 1000 * (1 + effect) * np.exp(0.01 * w[1] + rng.normal(0, 0.002)),
                           100 + w[1] + wait_shift) for i, w in enumerate(waits)]
    return Contender("combined-list", reference, candidate)
