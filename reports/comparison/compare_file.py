"""The analysis of one `compare` results file: every strategy against the reference
strategy, paired by repetition index (compare ran them back to back)."""
from reports.comparison.analysis import Contender, analyze
from reports.results.metrics import COMPARED

DEFAULT_REFERENCE = "baseline"


def analyze_compare_file(results, reference=None, metrics=COMPARED):
    """`reference` defaults to context.invocation.reference, then to baseline; if that
    strategy did not run, the first strategy is the reference (with a warning)."""
    strategies = results.strategies()
    wanted = reference or results.invocation.get("reference") or DEFAULT_REFERENCE
    notes = []
    if wanted not in strategies and strategies:
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
    analysis.warnings[:0] = notes
    return analysis
