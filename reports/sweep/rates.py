"""Packet rates as people write them: 10k, 20000, 1.5M (html.units writes them so)."""
from reports.usage import UsageError

_SUFFIX = {"k": 1e3, "m": 1e6}


def parse_rate(text):
    t = text.strip().lower()
    scale = _SUFFIX.get(t[-1:], 1.0)
    number = t[:-1] if t[-1:] in _SUFFIX else t
    try:
        value = float(number) * scale
    except ValueError:
        raise UsageError(f"not a packet rate: {text!r} (examples: 10k, 20000, 1.5M)")
    if value <= 0:
        raise UsageError(f"a packet rate must be positive: {text!r}")
    return round(value)


def parse_rates(text):
    rates = [parse_rate(part) for part in text.split(",") if part.strip()]
    if not rates:
        raise UsageError("--rates needs at least one rate, e.g. 10k,20k,50k")
    return sorted(set(rates))
