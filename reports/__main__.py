"""`python3 -m reports <subcommand> ARGS...`: the Python subcommands of ./rxbench.

Each subcommand's module is imported only when it is run: a missing optional part (the
HTML report, sweep, profile) then costs nothing until someone asks for it, and says so.
"""
import sys

from reports.optional import import_optional
from reports.usage import UsageError, run_main

SUBCOMMANDS = {
    "analyze-compare": ("reports.analyze.cli", "paired statistics after `compare` "
                                               "(run by ./rxbench)"),
    "ci": ("reports.ci.cli", "regression gate: A/B of two builds, or against a baseline"),
    "history": ("reports.history.cli", "trend of a metric over recorded runs"),
    "report": ("reports.html.cli", "HTML report of results files"),
    "sweep": ("reports.sweep.cli", "parameter sweeps"),
    "profile": ("reports.profile.cli", "profiles of a run"),
}


def usage():
    lines = ["usage: rxbench <subcommand> [--help] ...", "", "Python subcommands:"]
    lines += [f"  {name:<16} {text}" for name, (_, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv):
    if argv and argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    return run_main(_dispatch, argv)


def _dispatch(argv):
    if not argv:
        raise UsageError(f"missing subcommand: one of {', '.join(SUBCOMMANDS)}")
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        raise UsageError(f"unknown subcommand '{name}': one of {', '.join(SUBCOMMANDS)}")
    module_name = SUBCOMMANDS[name][0]
    module = import_optional(module_name)
    if module is None:
        raise UsageError(f"'{name}' is not available: {module_name} is not installed")
    return module.main(rest)


def entry_point():
    """The `rxbench-reports` console script (pyproject.toml): main() on this process's
    arguments."""
    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(entry_point())
