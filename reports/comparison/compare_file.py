"""The analysis of one `compare` results file: every strategy against the reference
strategy, paired by repetition index (compare ran them back to back)."""
from reports.comparison.analysis import Contender, analyze
from reports.results import floor
from reports.results.metrics import COMPARED


def analyze_compare_file(results, reference=None, metrics=COMPARED):
    """`reference` defaults to context.invocation.reference, then to the harness's default
    (the catalogue's); if that strategy did not run, or the file names neither, the
    first strategy is the reference (with a warning)."""
    strategies = results.strategies()
    wanted = reference or results.invocation.get("reference") or (
        results.catalogue.default_reference if results.catalogue else None)
    notes = []
    if wanted is None and strategies:
        notes.append(f"the file names no reference (it predates the strategy catalogue); "
                     f"comparing with '{strategies[0]}', the first strategy")
        wanted = strategies[0]
    elif wanted not in strategies and strategies:
        notes.append(f"reference '{wanted}' is not in this run; comparing with "
                     f"'{strategies[0]}' instead")
        wanted = strategies[0]
    reference_iterations = results.of_strategy(wanted)
    contenders = [Contender(s, reference_iterations, results.of_strategy(s))
                  for s in strategies if s != wanted]
    analysis = analyze(wanted, contenders, metrics)
    failed = [it for it in results.iterations if not it.ok]
    notes += [f"{it.strategy} repetition {it.repetition_index} failed "
              f"({it.error_message or 'no reason given'}): left out" for it in failed]
    # Where the floor woke or called the kernel more per packet than a strategy, its
    # ratios are no floor's: said before the noise warnings (reports/results/floor.py).
    notes += floor.notes_of_file(results)
    analysis.warnings[:0] = notes
    return analysis
