"""`rxbench sweep`: each strategy across offered rates, and its maximum loss-free rate.

rates.py parses rates; point.py turns one rate's runs into a verdict; knee.py is the
pure search (bisection, and the knee of a fixed grid); runner.py runs the harness;
figure.py and section.py draw it; cli.py orchestrates under a time budget.
"""
