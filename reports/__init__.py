"""rxbench's Python side: analysis, reports, sweeps and profiles of results JSON."""
