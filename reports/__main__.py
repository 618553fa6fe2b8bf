"""`python3 -m reports <subcommand> ARGS...`: the Python subcommands of ./rxbench.

Each subcommand's module is imported only when it is run: a missing optional part (the
HTML report, sweep, profile) then costs nothing until someone asks for it, and says so.
"""
import sys

from reports.optional import import_optional
from reports.usage import UsageError, program_name, run_main

# Each subcommand's module. Their one line of help is ./rxbench's, in its table of
# subcommands (subcommands.txt); analyze-compare is not there: ./rxbench runs it after
# `compare`, no user does.
SUBCOMMANDS = {
    "analyze-compare": "reports.analyze.cli",
    "bisect": "reports.bisection.cli",
    "ci": "reports.ci.cli",
    "count": "reports.exact.cli",
    "history": "reports.history.cli",
    "report": "reports.html.cli",
    "sweep": "reports.sweep.cli",
    "profile": "reports.profile.cli",
}


def usage():
    return (f"usage: {program_name()} <subcommand> [--help] ...\n\n"
            f"Python subcommands: {', '.join(SUBCOMMANDS)}; ./rxbench --help says what each does.")


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
    module_name = SUBCOMMANDS[name]
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
