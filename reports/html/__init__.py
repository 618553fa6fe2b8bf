"""`rxbench report`: results JSON -> a self-contained HTML page with matplotlib figures.

Data flows one way: load (load.py) -> per-strategy numbers (summary.py, verdicts.py)
-> one function per figure (fig_*.py) -> files (figure_files.py) -> page (page.py).
cli.py holds `main(argv)` and `render(...)`, which `compare --report`, `ci --report`,
`sweep` and `profile` call.
"""
