"""One colour per strategy, the same in every figure and in every report.

The harness's strategies (the results' catalogue, in `rxbench list` order) have fixed
colours, so `iouring` is the same colour in a compare report, a sweep and a profile; the
floors (role `floor`: null, null+gro), the kernel's cost, are greys. Other names
(variants such as `pooled+buffer=freelist`, "name [2]" from a second file, or every name
of a file older than the catalogue) take the remaining colours in sorted name order, so a
report is reproducible.
"""
from matplotlib import colors as mcolors

from reports.results.catalogue import FLOOR

# tab10 without its grey, for the strategies in catalogue order.
PRESET_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                  "#e377c2", "#bcbd22", "#17becf"]
# The floors' greys, in catalogue order.
FLOOR_GREYS = ["#7f7f7f", "#4d4d4d", "#b0b0b0"]
# The lighter half of tab20 without grey.
EXTRA_COLOURS = ["#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
                 "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5"]


def fixed_colours(catalogue):
    """{strategy: colour} for the catalogue's strategies ([(name, role)] in `rxbench
    list` order); a strategy beyond the fixed colours gets none here."""
    out = {}
    ordinary = [name for name, role in catalogue if role != FLOOR]
    floors = [name for name, role in catalogue if role == FLOOR]
    out.update(zip(ordinary, PRESET_COLOURS))
    out.update(zip(floors, FLOOR_GREYS))
    return out


def colours(strategies, catalogue=()):
    """{strategy: colour} for every name in `strategies`; `catalogue`: [(name, role)] of
    the harness's strategies, in order (empty for results older than the catalogue)."""
    fixed = fixed_colours(catalogue)
    out = {name: fixed[name] for name in strategies if name in fixed}
    extras = sorted(set(name for name in strategies if name not in fixed))
    for i, name in enumerate(extras):
        out[name] = EXTRA_COLOURS[i % len(EXTRA_COLOURS)]
    return out


def tint(colour, amount):
    """`colour` blended towards white by `amount` (0 = unchanged, 1 = white)."""
    r, g, b = mcolors.to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)
