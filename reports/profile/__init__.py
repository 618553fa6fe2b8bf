"""`rxbench profile`: where each strategy's receive path spends its CPU, thread by thread.

perf_check.py decides whether perf can be used here and says why not; record.py runs
`perf record` around the harness and `perf script`; perf_script.py parses its text;
stacks.py folds samples per thread and ranks functions; flamegraph.py draws folded
stacks as SVG; cli.py falls back to the harness's phase timing without perf. The page
is drawn by reports.html (profile_section.py), fed the profile.json document.
"""
