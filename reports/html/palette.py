"""One colour per strategy, the same in every figure and in every report.

The presets have fixed colours (in `rxbench list` order), so `iouring` is the same
colour in a compare report, a sweep and a profile; `null`, the kernel floor, is grey.
Other names (variants such as `pooled+buffer=freelist`, or "name [2]" from a second
file) take the remaining colours in sorted name order, so a report is reproducible.
"""
from matplotlib import colors as mcolors

PRESETS = ["baseline", "pooled", "lockfree", "recvmmsg", "combined", "combined-list",
           "iouring", "udpsrc"]
NULL_GREY = "#7f7f7f"
# tab10 without its grey, then the darker half of tab20 without grey.
_PRESET_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#bcbd22"]
_EXTRA_COLOURS = ["#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5",
                  "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5"]


def colours(strategies):
    """{strategy: colour} for every name in `strategies`."""
    out = {}
    extras = []
    for name in strategies:
        if name == "null":
            out[name] = NULL_GREY
        elif name in PRESETS:
            out[name] = _PRESET_COLOURS[PRESETS.index(name)]
        else:
            extras.append(name)
    for i, name in enumerate(sorted(set(extras))):
        out[name] = _EXTRA_COLOURS[i % len(_EXTRA_COLOURS)]
    return out


def tint(colour, amount):
    """`colour` blended towards white by `amount` (0 = unchanged, 1 = white)."""
    r, g, b = mcolors.to_rgb(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)
