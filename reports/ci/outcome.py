"""The gate's decision for people and CI systems: the verdict line, JUnit cases, Markdown
and the machine-readable ci.json. Layout only; decision.py decides."""
import dataclasses

from reports.ci.decision import REGRESSION, SKIPPED, regressions
from reports.ci.exact_tier import render
from reports.comparison.section import to_section
from reports.render.junit import Case, junit_xml
from reports.render.markdown import render_markdown


def verdict_line(checks, reference_label):
    found = regressions(checks)
    if found:
        return (f"rxbench ci: FAIL: {len(found)} regression{'s' * (len(found) > 1)} "
                f"against {reference_label}")
    return f"rxbench ci: PASS: no gated metric regressed against {reference_label}"


def junit_text(checks):
    return junit_xml("rxbench ci", [
        Case(classname=f"rxbench.ci.{c.strategy}", name=c.metric,
             failure=c.message if c.status == REGRESSION else None,
             skipped=c.message if c.status == SKIPPED else None,
             details=c.message) for c in checks])


def sequential_lines(stops, plan, alpha):
    """The time tier's looks, and where and why each strategy stopped."""
    looks = plan.looks
    head = (f"looks at {', '.join(map(str, looks))} pairs, each at alpha "
            f"{plan.alpha(alpha):g} ({alpha:g} / {len(looks)})" if len(looks) > 1 else
            f"one look at {looks[0]} pairs, alpha {alpha:g}")
    return [head] + [f"  {strategy}: {stop.reason()}" for strategy, stop in stops.items()]


def markdown_text(analysis, checks, reference_label, exact=None, looks=()):
    """`looks`: sequential_lines of the time tier (none for a nightly gate)."""
    summary = [f"**{verdict_line(checks, reference_label)}**"]
    summary += [f"- {c.message}" for c in regressions(checks)]
    if looks:
        summary += ["", f"Time tier: {looks[0]}:"]
        summary += [f"- {line.strip()}" for line in looks[1:]]
    if exact is not None:
        summary += ["", "```", render(exact), "```"]
    return render_markdown(analysis, title="rxbench ci", summary_lines=summary)


def exact_markdown(checks, reference_label, exact):
    """--tier exact: the decision and the exact tier, with no time table."""
    lines = ["# rxbench ci", "", f"**{verdict_line(checks, reference_label)}**"]
    lines += [f"- {c.message}" for c in regressions(checks)]
    return "\n".join(lines + ["", "```", render(exact), "```", ""])


def ci_document(candidate_context, candidate_iterations, analysis, checks, settings,
                stops=None):
    """Results JSON of the build under test (readable by compare.py and reports/html)
    with the comparison section and the gate's checks; `stops` (strategy ->
    sequential.Stop): where and why each strategy's looks stopped (null: no looks, a
    nightly gate)."""
    return {
        "context": {**candidate_context, "ci": settings},
        "benchmarks": [it.raw for it in candidate_iterations],
        "comparison": to_section(analysis),
        "gate": {"failed": bool(regressions(checks)),
                 "checks": [dataclasses.asdict(c) for c in checks],
                 "sequential": None if stops is None else {
                     strategy: {"status": stop.status, "look": stop.look,
                                "looks": stop.looks, "pairs": stop.pairs,
                                "look_alpha": stop.alpha, "reason": stop.reason()}
                     for strategy, stop in stops.items()}},
    }
