"""How a Python subcommand fails: one line on stderr prefixed 'rxbench: ', and its exit code.

Same names as the statistics side's reports/usage.py, so one of the two can go on merge.
"""
import argparse
import sys

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Options, files or configuration are wrong: exit 2."""


class RunFailed(Exception):
    """A measurement failed: exit 1."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse that raises instead of printing a usage block: the contract wants one line.

    No abbreviations: sweep and profile forward options they do not know to the
    harness, and `--rate` must not silently become sweep's own `--rates`.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def say(message):
    print(f"rxbench: {message}", file=sys.stderr, flush=True)


def run_main(main, argv):
    """main(argv) -> exit code, with UsageError -> 2 and RunFailed -> 1, each one line."""
    try:
        return main(argv)
    except UsageError as e:
        say(str(e))
        return EXIT_USAGE
    except RunFailed as e:
        say(str(e))
        return EXIT_FAILED
