"""The gate's rule for one gated metric, as one predicate shared by the gate (decision.py,
one comparison) and by `ci --calibrate` (calibrate.py, thousands of simulated gates at
once): the rates calibrate reports are those of the rule the gate applies.

A metric fails when it is worse, significantly (one-sided test at alpha: the gate asks
only "worse?"), AND its point estimate (the median ratio) is worse by more than
`ignore_below`. The threshold is not a bar the estimate must clear: it is the size of
regression the gate is meant to catch, and `ci --calibrate` says how often it does
("+5 % caught"). Requiring the estimate to clear the threshold itself would cap that
rate near 50 %: the estimate of a true +5 % lands above 1.05 about half the time.

Error rates at the threshold: with no change, the gate fails in at most alpha of runs
(the one-sided test's level; ignore_below only lowers it). A change of the threshold's
size is caught as often as the test's power allows at the repetitions used; the rule
puts no cap on it. Changes up to ignore_below never fail, however significant.
"""
from dataclasses import dataclass

# The default ignore-below level as a share of the threshold: 2 % for a 5 % threshold.
# Low enough that the estimate of a regression of the threshold's size clears it whenever
# the test finds it significant (at the power the gate aims for, the estimate's spread
# is well under 0.6 of the threshold); high enough that a significant 1 % is no failure
# for a 5 % gate.
IGNORE_BELOW_SHARE = 0.4


@dataclass(frozen=True)
class Rule:
    threshold: float      # the regression (fraction) the gate must catch: 0.05 = +5 %
    ignore_below: float   # a change up to this fraction passes, significant or not
    alpha: float          # level of the one-sided test


def default_ignore_below(threshold):
    return round(IGNORE_BELOW_SHARE * threshold, 12)   # 0.02, not 0.020000000000000004


def regressed(enough, median_ratio, p_worse, rule, higher_is_better=False):
    """The rule. `enough`: the test could reach p < alpha at this number of repetitions
    (else the comparison is "too few" and never fails). `p_worse`: the one-sided p of the
    bad direction. Element-wise on numpy arrays (one simulated gate each) as on floats."""
    if higher_is_better:
        beyond = median_ratio < 1 - rule.ignore_below
    else:
        beyond = median_ratio > 1 + rule.ignore_below
    return enough & (p_worse < rule.alpha) & beyond
