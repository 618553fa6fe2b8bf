"""`rxbench sweep`: each strategy across offered rates, and its maximum loss-free rate;
or across stream counts, and the largest count one core holds loss-free (--streams).

rates.py parses rates; point.py turns one rate's (or stream count's) runs into a point
with its verdict (reports.results.rate_verdict); knee.py is the pure search (bisection
of a rate, doubling then bisection of a stream count, and the knee of a fixed grid);
capacity.py the stream counts over repeated searches and their ratios; harness.py runs
the harness; cli.py orchestrates under a time budget, streams.py the --streams mode.
The page is drawn by reports.html (sweep_section.py), fed the sweep.json document.
"""
