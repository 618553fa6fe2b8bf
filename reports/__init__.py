"""rxbench reports: the Python side of rxbench (statistics, history, CI gate, rendering).

Run as `python3 -m reports <subcommand>` with Debian's /usr/bin/python3 (scipy, numpy).
Data flows one way: results (load) -> stats / comparison (analyse) -> render (print, write).
"""
