"""The page's opening: which strategy is cheapest, by how much, and how sure that is.

With a "comparison" section (written by `analyze-compare`) the verdicts are its paired
(or unpaired) statistics: median ratio, interval, p-value. Without one, only medians
are available, and the text says so instead of implying a significance it does not have.
A floor (null, null+gro: the results' strategy_role) is never "cheapest": it is the
kernel's cost, it delivers nothing to GStreamer. Results written before the roles have no
floor and a note says so. Where the floor woke or called the kernel more per packet than a
strategy, a note says it is no comparable floor there (reports/results/floor.py).
"""
from dataclasses import dataclass, field

from reports.results import floor
from reports.results.catalogue import FLOOR, NO_CATALOGUE_NOTE
from reports.stats import median

PATH_KEY = "cpu_ns_per_packet_receive_path"


@dataclass
class Verdicts:
    headline: list = field(default_factory=list)  # sentences, most important first
    head: list = field(default_factory=list)      # table column titles
    rows: list = field(default_factory=list)      # table rows (strings)
    notes: list = field(default_factory=list)     # warnings, geometric means


def build(results):
    paired = [(i, f.comparison) for i, f in enumerate(results.files) if f.comparison]
    if paired:
        out = Verdicts()
        for index, comparison in paired:
            _from_comparison(results, index, comparison, out)
    else:
        out = _from_medians(results)
    for label, errors in results.failed.items():
        out.notes.append(f"{label}: {len(errors)} repetition(s) failed, left out: {errors[0]}")
    if results.files and results.catalogue() is None:
        out.notes.append(f"These results were {NO_CATALOGUE_NOTE}.")
    # A comparison section written since the rule has these notes among its warnings.
    out.notes += [n for n in floor_notes(results).values()
                  if not any(n in existing for existing in out.notes)]
    return out


def floor_label(results):
    """The first floor strategy (the results' strategy_role), or None."""
    return next((s for s in results.strategies if results.role_of(s) == FLOOR), None)


def floor_notes(results):
    """{label: note} for each strategy the first floor is no comparable floor for
    (reports/results/floor.py); empty when it is one for all, or there is no floor."""
    label = floor_label(results)
    if label is None:
        return {}
    found = results.catalogue()
    others = [(s, results.runs[s], found.preset_of(results.base_name[s]) if found else None)
              for s in results.strategies if results.role_of(s) != FLOOR]
    index = results.file_of[label]
    lock_step = bool(results.files[index].context.get("lock_step_packets"))
    return floor.notes(label, results.runs[label], others, lock_step)


def number(v, digits=0):
    """1234567.8 -> '1 234 568': thin grouping as in the README's tables."""
    if v is None:
        return "-"
    return f"{v:,.{digits}f}".replace(",", "\u202f")


def p_value(p):
    if p is None:
        return "-"
    return "< 0.001" if p < 0.001 else f"{p:.3g}"


def p_text(p):
    value = p_value(p)
    return f"p {value}" if value.startswith("<") else f"p = {value}"


def delivered_fraction(runs):
    sent = sum(r.get("packets_sent") or 0 for r in runs)
    delivered = sum(r.get("packets_delivered") or 0 for r in runs)
    return delivered / sent if sent else None


def lost_packets(results, label):
    fraction = delivered_fraction(results.runs.get(label, []))
    return fraction is not None and fraction < 1


def _loss_clause(results, label, ranked, describe):
    """When the cheapest lost packets, CPU per *delivered* packet flatters it: say so,
    and name the cheapest strategy that delivered everything (`ranked`: cheapest first)."""
    if not lost_packets(results, label):
        return ""
    fraction = delivered_fraction(results.runs[label])
    n = len(results.runs[label])
    text = (f" It lost {100 * (1 - fraction):.2g} % of the packets sent over its {n} "
            "repetition" + ("s" if n != 1 else "") + " (see the loss account)")
    clean = next((s for s in ranked if not lost_packets(results, s)), None)
    if clean is None:
        return text + "; so did every other strategy compared."
    return text + f"; the cheapest that lost none is {clean}, {describe(clean)}."


def _from_comparison(results, index, comparison, out):
    reference = comparison.get("reference") or results.reference_of(index) or "the reference"
    design = comparison.get("design", "paired")
    level = round(100 * float(comparison.get("confidence", 0.95)))
    metrics = {m.get("key"): m for m in comparison.get("metrics", [])}
    rows = comparison.get("rows", [])
    path_rows = [r for r in rows if r.get("metric") == PATH_KEY
                 and results.role_of(results.label_of(r.get("strategy"), index)
                                     or str(r.get("strategy")), index) != FLOOR
                 and r.get("median_ratio") is not None]
    prefix = f"[{index + 1}] " if len(results.files) > 1 else ""
    if path_rows:
        best = min(path_rows, key=lambda r: r["median_ratio"])
        label = results.label_of(best["strategy"], index) or best["strategy"]
        if best["median_ratio"] >= 1:
            out.headline.append(f"{prefix}Cheapest receive path: {reference} (the reference); "
                                f"no strategy's median ratio is below 1.")
        else:
            sentence = (f"{prefix}Cheapest receive path: {label}, {best['median_ratio']:.2f}× "
                        f"{reference}'s CPU per packet ({100 * (1 - best['median_ratio']):.0f} % "
                        f"less), {level} % interval [{best.get('ci_low', 0):.2f}, "
                        f"{best.get('ci_high', 0):.2f}], {p_text(best.get('p_value'))} "
                        f"({design}, n = {best.get('n', '?')}): {best.get('verdict', '?')}.")
            if best.get("needed_repetitions"):
                sentence += f" About {best['needed_repetitions']} repetitions are needed to tell."
            ranked = [results.label_of(r["strategy"], index) or r["strategy"]
                      for r in sorted(path_rows, key=lambda r: r["median_ratio"])]
            ratio_of = {results.label_of(r["strategy"], index) or r["strategy"]: r
                        for r in path_rows}
            out.headline.append(sentence + _loss_clause(
                results, label, ranked,
                lambda s: f"{ratio_of[s]['median_ratio']:.2f}× {reference} "
                          f"({p_text(ratio_of[s].get('p_value'))}, {ratio_of[s].get('verdict')})"))
    else:
        out.headline.append(f"{prefix}The comparison section has no receive-path CPU rows.")

    out.head = ["strategy", "metric", f"{reference} median", "median", "ratio",
                f"{level} % interval", "p", "verdict"]
    for r in rows:
        m = metrics.get(r.get("metric"), {})
        unit = f" ({m['unit']})" if m.get("unit") else ""
        needed = r.get("needed_repetitions")
        out.rows.append([
            results.label_of(r.get("strategy"), index) or str(r.get("strategy")),
            f"{m.get('label', r.get('metric'))}{unit}",
            number(r.get("reference_median"), _digits(r.get("reference_median"))),
            number(r.get("median"), _digits(r.get("median"))),
            "-" if r.get("median_ratio") is None else f"{r['median_ratio']:.3f}",
            "-" if r.get("ci_low") is None else f"[{r['ci_low']:.3f}, {r['ci_high']:.3f}]",
            p_value(r.get("p_value")),
            str(r.get("verdict", "-")) + (f" (needs ~{needed})" if needed else ""),
        ])
    geomean = comparison.get("geomean") or {}
    if geomean:
        parts = [f"{metrics.get(k, {}).get('label', k)} {v:.3f}×" for k, v in geomean.items()
                 if v is not None]
        out.notes.append(f"{prefix}Geometric mean of the median ratios across strategies: "
                         + ", ".join(parts) + ".")
    out.notes.extend(f"{prefix}{w}" for w in comparison.get("warnings", []))


def _digits(v):
    return 3 if isinstance(v, float) and abs(v) < 10 else 0


def _from_medians(results):
    out = Verdicts()
    medians = {s: median.median_of(results.runs[s], PATH_KEY) for s in results.strategies}
    wanted = results.label_of(results.reference_of(0), 0)
    reference = wanted if medians.get(wanted) else next(
        (s for s in results.strategies if medians.get(s) and results.role_of(s) != FLOOR), None)
    candidates = [s for s in results.strategies if medians.get(s) is not None
                  and results.role_of(s) != FLOOR]
    out.headline.append("No paired statistics are available: these results have no comparison "
                        "section (`rxbench compare` writes one). What follows are medians of the "
                        "repetitions, without intervals or p-values.")
    if candidates:
        best = min(candidates, key=lambda s: medians[s])
        n = len(results.runs[best])
        sentence = (f"Cheapest receive path by median: {best}, {number(medians[best])} ns CPU "
                    f"per packet (n = {n})")
        if reference and best != reference:
            ratio = medians[best] / medians[reference]
            sentence += (f", {ratio:.2f}× {reference}'s median of {number(medians[reference])} ns "
                         f"(ratio of medians, n = {len(results.runs[reference])})")
        ranked = sorted(candidates, key=lambda s: medians[s])

        def describe(s):
            ratio = f", {medians[s] / medians[reference]:.2f}× {reference}" if reference else ""
            return f"{number(medians[s])} ns{ratio}"
        out.headline.append(sentence + "." + _loss_clause(results, best, ranked, describe))
    out.head = ["strategy", "n", "receive-path CPU (ns/packet)", "receiver", "pipeline",
                "latency p50 (µs)", "latency p99 (µs)", "delivered"]
    for s in results.strategies:
        runs = results.runs[s]
        fraction = delivered_fraction(runs)
        p50 = median.median_of(runs, "latency_p50_ns")
        p99 = median.median_of(runs, "latency_p99_ns")
        out.rows.append([
            s, str(len(runs)), number(medians.get(s)),
            number(median.median_of(runs, "cpu_ns_per_packet_receiver")),
            number(median.median_of(runs, "cpu_ns_per_packet_pipeline")),
            number(p50 / 1e3, 1) if p50 is not None else "-",
            number(p99 / 1e3, 1) if p99 is not None else "-",
            "-" if fraction is None else f"{100 * fraction:.3f} %",
        ])
    return out
