"""The gate's per-metric thresholds and significance level, from a small JSON file
checked into the user's repository (--config rxbench-ci.json):

    {"thresholds": {"cpu_ns_per_packet_receive_path": 0.05}, "alpha": 0.01,
     "ignore_below": {"cpu_ns_per_packet_receive_path": 0.02}}

A metric is gated when it has a threshold: the size of regression the gate must catch.
It fails when it is significantly worse (one-sided, at alpha) AND worse by more than its
ignore-below level (rule.py; default 0.4 x the threshold). The file's thresholds replace
the defaults (so a metric can be ungated); alpha defaults to 0.01.

The exact tier (reports/ci/exact_tier.py) has its own, "exact_thresholds":

    {"exact_thresholds": {"instructions_per_packet": 0.01, "syscalls_per_packet": 0.01,
                          "allocations_per_packet": 0.01}}

instructions_per_packet is a fraction: a role whose instructions per packet grow by more
fails. The other two are absolute floors: a syscall entry point or allocation site used
more often by more than that many calls per packet fails. Keys left out keep these
defaults.
"""
from dataclasses import dataclass, field

from reports.ci.covariates import parse_names
from reports.ci.rule import Rule, default_ignore_below
from reports.files import read_json
from reports.results.metrics import COMPARED, GATED_BY_DEFAULT
from reports.usage import UsageError

DEFAULT_THRESHOLDS = GATED_BY_DEFAULT
# A gate runs on every merge request: a false alarm at 5 % would fail one in twenty.
DEFAULT_ALPHA = 0.01
# The exact tier's defaults. 1 %: the counts' A/A spread is a few tenths of a percent
# (docs/results/2026-12-07-exact-tier.md), so 1 % is no noise, and a regression of
# +2 % is caught every time. 0.01 per packet: once per 100 packets or more often is a
# change of the receive path; a call once per run (a clock read at the window's edges,
# 1/4096 per packet at the default count) is not.
DEFAULT_EXACT = {"instructions_per_packet": 0.01, "syscalls_per_packet": 0.01,
                 "allocations_per_packet": 0.01}
# None by default until a covariate is shown, on this VM, to lower the A/A spread and
# keep injected-cost detection (docs/deciding.md#covariates).
DEFAULT_ADJUST_FOR: tuple = ()
_KEYS = [m.key for m in COMPARED]


@dataclass(frozen=True)
class GateConfig:
    thresholds: dict    # metric key -> fraction (0.05 = 5 % worse)
    alpha: float
    ignore_below: dict = field(default_factory=dict)   # metric key -> fraction, if not default
    exact: dict = field(default_factory=lambda: dict(DEFAULT_EXACT))
    # The time tier's covariates (covariates.py) the gated metrics are adjusted for.
    adjust_for: tuple = DEFAULT_ADJUST_FOR

    def exact_rule(self) -> Rule:
        """The exact tier's rule for instructions per packet: no test (see
        calibrate.gate_fails), fail above the threshold."""
        level = self.exact["instructions_per_packet"]
        return Rule(level, level, self.alpha)

    def rule(self, key):
        """The rule of a gated metric, None for an ungated one."""
        threshold = self.thresholds.get(key)
        if threshold is None:
            return None
        return Rule(threshold, self.ignore_below.get(key, default_ignore_below(threshold)),
                    self.alpha)

    @property
    def confidence(self):
        """Intervals at 1 - alpha agree with the test: one excludes 1 when p < alpha."""
        return 1 - self.alpha


DEFAULT = GateConfig(DEFAULT_THRESHOLDS, DEFAULT_ALPHA)


def load_config(path):
    if path is None:
        return DEFAULT
    return parse_config(read_json(path, "--config"), path)


def parse_config(data, where="config"):
    if not isinstance(data, dict):
        raise UsageError(f"{where}: expected a JSON object")
    unknown = set(data) - {"thresholds", "alpha", "ignore_below", "exact_thresholds",
                           "adjust_for"}
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                         "expected 'thresholds', 'ignore_below', 'alpha', "
                         "'exact_thresholds' and 'adjust_for'")
    thresholds = data.get("thresholds", DEFAULT_THRESHOLDS)
    if not isinstance(thresholds, dict):
        raise UsageError(f"{where}: 'thresholds' must map metric keys to fractions")
    for key, value in thresholds.items():
        if key not in _KEYS:
            raise UsageError(f"{where}: unknown metric '{key}'; one of {', '.join(_KEYS)}")
        if not _number(value) or not 0 <= value < 1:
            raise UsageError(f"{where}: threshold of {key} must be a fraction in [0, 1), "
                             f"e.g. 0.05 for 5 %; got {value!r}")
    alpha = data.get("alpha", DEFAULT_ALPHA)
    if not _number(alpha) or not 0 < alpha < 0.5:
        raise UsageError(f"{where}: 'alpha' must be in (0, 0.5); got {alpha!r}")
    return GateConfig(dict(thresholds), float(alpha),
                      _ignore_below(data.get("ignore_below", {}), thresholds, where),
                      _exact(data.get("exact_thresholds", {}), where),
                      _adjust_for(data.get("adjust_for", list(DEFAULT_ADJUST_FOR)), where))


def _adjust_for(names, where):
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise UsageError(f"{where}: 'adjust_for' must be a list of covariate names")
    try:
        return tuple(parse_names(",".join(names) or "none"))
    except ValueError as e:
        raise UsageError(f"{where}: 'adjust_for': {e}") from e


def _exact(levels, where):
    if not isinstance(levels, dict):
        raise UsageError(f"{where}: 'exact_thresholds' must map "
                         f"{', '.join(DEFAULT_EXACT)} to numbers")
    for key, value in levels.items():
        if key not in DEFAULT_EXACT:
            raise UsageError(f"{where}: unknown exact threshold '{key}'; one of "
                             f"{', '.join(DEFAULT_EXACT)}")
        if not _number(value) or not 0 <= value < 1:
            raise UsageError(f"{where}: exact threshold {key} must be in [0, 1); "
                             f"got {value!r}")
    return {**DEFAULT_EXACT, **levels}


def _ignore_below(levels, thresholds, where):
    """Above its threshold, an ignore-below level would bring back the cap the rule
    exists to avoid (a true regression of the threshold's size caught ~half the time)."""
    if not isinstance(levels, dict):
        raise UsageError(f"{where}: 'ignore_below' must map gated metric keys to fractions")
    for key, value in levels.items():
        if key not in thresholds:
            raise UsageError(f"{where}: ignore_below of '{key}', which has no threshold")
        if not _number(value) or not 0 <= value <= thresholds[key]:
            raise UsageError(f"{where}: ignore_below of {key} must be a fraction from 0 to "
                             f"its threshold {thresholds[key]:g}; got {value!r}")
    return dict(levels)


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
