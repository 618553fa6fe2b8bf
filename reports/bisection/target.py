"""What `bisect` looks for: a metric, and the gate tier that measures it.

The time tier's metrics are the results' (reports/results/metrics.py), gated by the
gate's rule when the config gives them a threshold. The exact tier's are named as its
checks name them (reports/ci/exact_tier.py): exact_instructions_per_packet:ROLE, and the
receiver's exact_syscalls_per_packet / exact_allocations_per_packet; `instructions`,
`instructions:ROLE`, `syscalls` and `allocations` are short for them (the receiver's).
"""
from dataclasses import dataclass
from typing import Optional

from reports.ci import exact_tier
from reports.ci.config import GateConfig
from reports.results.metrics import COMPARED, RECEIVE_PATH_CPU, Metric
from reports.usage import UsageError

TIME = "time"
EXACT = "exact"
TIERS = (TIME, EXACT)
_SHORT = {"instructions": exact_tier.INSTRUCTIONS, "syscalls": exact_tier.SYSCALLS,
          "allocations": exact_tier.ALLOCATIONS}
_RECEIVER_ONLY = (exact_tier.SYSCALLS, exact_tier.ALLOCATIONS)
DEFAULT_EXACT = f"{exact_tier.INSTRUCTIONS}:{exact_tier.RECEIVER}"


@dataclass(frozen=True)
class Target:
    tier: str                      # TIME or EXACT
    key: str                       # the metric key, as the tier's checks name it
    label: str
    metric: Optional[Metric] = None   # the time tier's metric
    role: Optional[str] = None        # the exact tier's thread role

    @property
    def higher_is_better(self) -> bool:
        return bool(self.metric and self.metric.higher_is_better)


def resolve(name: Optional[str], tier: Optional[str], config: GateConfig) -> Target:
    """The target of `--metric NAME --tier TIER` (either may be None: the receive-path
    CPU on the time tier, or the receiver's instructions on the exact tier)."""
    if name is None:
        name = DEFAULT_EXACT if tier == EXACT else RECEIVE_PATH_CPU.key
    target = _exact(name) or _time(name, config)
    if tier is not None and tier != target.tier:
        raise UsageError(f"bisect: --metric {name} is measured by the {target.tier} tier, "
                         f"not the {tier} tier")
    return target


def _time(name: str, config: GateConfig) -> Target:
    metric = next((m for m in COMPARED if m.key == name), None)
    if metric is None:
        known = [m.key for m in COMPARED] + [f"{k}[:ROLE]" for k in _SHORT]
        raise UsageError(f"bisect: unknown metric '{name}'; one of {', '.join(known)}")
    if config.rule(name) is None:
        raise UsageError(f"bisect: {name} is not gated: give it a threshold in --config "
                         "(\"thresholds\"), which is the change bisect looks for")
    return Target(TIME, name, metric.label, metric=metric)


def _exact(name: str) -> Optional[Target]:
    base, _, role = name.partition(":")
    key = _SHORT.get(base, base)
    if key not in _SHORT.values():
        return None
    role = role or exact_tier.RECEIVER
    if key in _RECEIVER_ONLY and role != exact_tier.RECEIVER:
        raise UsageError(f"bisect: the exact tier gates {key} of the receiver only")
    if role in exact_tier.NOT_GATED:
        raise UsageError(f"bisect: the exact tier does not gate the {role} (not the "
                         "receive path)")
    label = key.removeprefix("exact_").replace("_", " ")
    return Target(EXACT, f"{key}:{role}", f"{label}, {role}", role=role)
