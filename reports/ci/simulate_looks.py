"""The time tier's looks on synthetic noise: `ci --calibrate`'s table for log-normal A/A
pools of a given CV, under the default looks and, for comparison, a fixed count of the
cap's pairs. The figures in docs/deciding.md come from

    python3 -m reports.ci.simulate_looks

(seeded: the same figures every run; a few minutes on the 2-core VM)."""
import sys

import numpy as np

from reports.ci.config import DEFAULT
from reports.ci.options import DEFAULT_FIRST_LOOK, DEFAULT_LOOK_EVERY, \
    DEFAULT_REPETITIONS
from reports.ci.report_calibration import Pool, report_calibration
from reports.ci.sequential import Plan, fixed

CVS = (0.03, 0.06, 0.12)
POOL = 2000     # draws: the noise's distribution, not a small sample of it
KEY = "cpu_ns_per_packet_receive_path"


def pools():
    out = []
    for cv in CVS:
        sigma = np.sqrt(np.log(1 + cv * cv))     # a log-normal ratio of this CV
        logs = np.random.default_rng(1).normal(0.0, sigma, size=POOL)
        out.append(Pool("log-normal", f"CV {cv * 100:g} %", logs, DEFAULT.rule(KEY)))
    return out


def main():
    looks = Plan(DEFAULT_FIRST_LOOK, DEFAULT_LOOK_EVERY, DEFAULT_REPETITIONS)
    print(report_calibration([("looks", pools(), looks),
                              ("fixed count", pools(), fixed(DEFAULT_REPETITIONS))]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
