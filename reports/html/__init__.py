"""`rxbench report`: results JSON -> a self-contained HTML page with matplotlib figures.

The one renderer every view feeds, importing none of the commands it draws for.
Data flows one way: load (load.py) -> per-strategy numbers (reports.stats.median,
verdicts.py) -> one function per figure (fig_*.py) -> files (figure_files.py) -> page
(page.py, assembled by report.py). `sweep` and `profile` call report.render with their
documents; cli.py is `rxbench report`, and `render_of_run`, which `compare --report`
and `ci --report` call.
"""
