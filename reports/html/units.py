"""Numbers as the pages and the notes under them write them."""


def format_rate(pps: float) -> str:
    """A packet rate as people write it: 10k, 187.3k, 1.5M (sweep.rates reads these)."""
    if pps >= 1e6:
        return f"{pps / 1e6:.3g}M"
    if pps >= 1e3:
        return f"{pps / 1e3:.4g}k"
    return f"{pps:.0f}"
