"""Subcommands and renderers that other parts of rxbench provide (reports/html, sweep,
profile) are imported only when used, so that this package works, and says what is
missing, while they are absent."""
import importlib

from reports.usage import say


def import_optional(name):
    """The module `name`, or None if it (or a package above it) does not exist. An
    import error *inside* an existing module is a bug and is raised."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name and (name == e.name or name.startswith(e.name + ".")):
            return None
        raise


def render_report(results_path, report_dir, history_db=None, trend_metrics=None):
    """Asks reports.html to render the HTML report of a results file into report_dir,
    with the trend over commits read from history_db (None: the default history database
    when it exists) of trend_metrics (None: the gate's default). Returns False (after
    saying so on stderr) when reports.html is not installed."""
    html = import_optional("reports.html.cli")
    if html is None:
        say(f"--report {report_dir}: no HTML report, reports.html is not installed")
        return False
    html.render_of_run(results_path, report_dir, history_db, trend_metrics)
    return True
