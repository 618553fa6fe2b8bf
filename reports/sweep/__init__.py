"""`rxbench sweep`: each strategy across offered rates, and its maximum loss-free rate.

rates.py parses rates; point.py turns one rate's runs into a point with its verdict
(reports.results.rate_verdict); knee.py is the pure search (bisection, and the knee of
a fixed grid); harness.py runs the harness; cli.py orchestrates under a time budget.
The page is drawn by reports.html (sweep_section.py), fed the sweep.json document.
"""
