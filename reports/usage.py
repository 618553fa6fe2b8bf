"""How a Python subcommand fails: one line on stderr prefixed 'rxbench: ', and the exit code.

The contract for every rxbench command: 0 ok, 1 a run failed (or the CI gate found a
regression), 2 usage or configuration error. Subcommands raise UsageError / RunFailed
anywhere; `run_main` turns them into that line and code, so no module prints-and-exits.
"""
import argparse
import os
import sys

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The user's input (options, files, configuration) is wrong: exit 2."""


class RunFailed(Exception):
    """A measurement or build failed: exit 1."""


def program_name():
    """The name the user calls rxbench by, in every usage line: ./rxbench passes it in
    RXBENCH_PROG (as it does to the harness); `python3 -m reports` alone is "rxbench"."""
    return os.environ.get("RXBENCH_PROG") or "rxbench"


class ArgumentParser(argparse.ArgumentParser):
    """argparse for the subcommand `command` that raises UsageError instead of printing its
    usage block and exiting: the contract wants exactly one line on stderr. No abbreviated
    options: `ci` passes unknown options on to the harness, and an abbreviation would
    swallow one of them."""

    def __init__(self, *args, command, **kwargs):
        super().__init__(*args, prog=f"{program_name()} {command}", allow_abbrev=False,
                         **kwargs)
        self.command = command

    def error(self, message):
        # say() adds "rxbench: ".
        raise UsageError(f"{self.command}: {message}")


def say(message: str) -> None:
    """One line for a person on stderr, prefixed like every rxbench message."""
    print(f"rxbench: {message}", file=sys.stderr, flush=True)


def run_main(main, argv):
    """Calls main(argv) -> exit code, mapping the two exceptions to their exit codes."""
    try:
        return main(argv)
    except UsageError as e:
        say(str(e))
        return EXIT_USAGE
    except RunFailed as e:
        say(str(e))
        return EXIT_FAILED
