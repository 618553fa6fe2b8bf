"""`rxbench profile`: perf call graphs of one run per strategy, per thread, side by side.

    rxbench profile --strategy baseline,combined-list --out profile/
    rxbench profile --strategy iouring --scenario high-rate --rcvbuf 16777216 --duration 3

Options it does not know (scenario and receiver options) go to `rxbench run` unchanged.
Per strategy, DIR/<strategy>/ gets results.json, perf.data (for `perf report -i`),
one .folded file and one flame graph SVG per thread; DIR/profile.json and a report
(DIR/index.html) show them side by side. Without a usable perf it says why and falls
back to the harness's in-loop phase timing.
"""
import os
import re
import shlex
import sys

from reports.files import write_json_atomically
from reports.html import report
from reports.html.load import read_json
from reports.usage import ArgumentParser, RunFailed, UsageError, run_main, say
from reports.exact import count, valgrind
from reports.profile import counted, flamegraph, perf_check, perf_script, record, stacks
from reports.results import catalogue
from reports.sweep import harness

# The harness option that turns its in-loop phase timing on (the fallback without perf).
PHASE_TIMING = "--phase-timing"


def parse(argv):
    p = ArgumentParser(command="profile", description=__doc__.split("\n")[0],
                       epilog="Other options (--scenario, --rate, --duration, ...) are passed "
                              "to `rxbench run`.")
    p.add_argument("--strategy", required=True, help="strategy, or several comma-separated")
    p.add_argument("--frequency", type=int, default=4000,
                   help="samples per second per thread (default 4000)")
    p.add_argument("--top", type=int, default=12, help="functions per thread table (default 12)")
    p.add_argument("--out", default="profile", help="output directory (default: profile)")
    p.add_argument("--count", choices=("instructions",),
                   help="instructions: count one lock-step run under callgrind instead of "
                        "sampling (exact; kernel work is not counted): top functions by "
                        "inclusive instructions per packet per role, flame graphs folded "
                        "from the call graph")
    args, forwarded = p.parse_known_args(argv)
    # Unlike sweep, the rate is the user's to choose here.
    harness.check_forwarded(forwarded, owned=harness.OWNED_OPTIONS - {"--rate", "--bitrate"})
    args.strategies = [s for s in args.strategy.split(",") if s]
    if not args.strategies:
        raise UsageError("--strategy needs at least one name")
    if not 1 <= args.frequency <= 50000:
        raise UsageError("--frequency must be between 1 and 50000")
    return args, forwarded


def profile_with_perf(strategy, directory, harness_argv, args, results_file):
    data = os.path.join(directory, "perf.data")
    record.record(data, harness_argv, args.frequency)
    samples = perf_script.parse(record.script(data))
    if not samples:
        raise RunFailed(f"perf recorded no samples of {strategy}")
    # The run under perf wrote its results: their catalogue names the threads.
    try:
        found = catalogue.of_context(read_json(results_file).get("context"))
    except UsageError:
        found = None
    return thread_profiles(strategy, samples, directory, args.top, found)


def thread_profiles(strategy, samples, directory, top, found_catalogue):
    """Per thread: folded stacks and flame graph written into `directory`, top functions."""
    threads = []
    for comm, folded in sorted(stacks.fold(samples).items(),
                               key=lambda kv: -sum(kv[1].values())):
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", comm)
        with open(os.path.join(directory, f"{name}.folded"), "w", encoding="utf-8") as f:
            f.write(stacks.folded_text(folded))
        with open(os.path.join(directory, f"flame-{name}.svg"), "w", encoding="utf-8") as f:
            f.write(flamegraph.svg(folded, f"{strategy}: thread {comm}"))
        threads.append({
            "comm": comm, "role": stacks.role(comm, strategy, found_catalogue),
            "samples": sum(1 for s in samples if s.comm == comm),
            "cpu_ns": sum(folded.values()),
            "top": [vars(t) for t in stacks.top_functions(folded, top)],
            "folded": f"{os.path.basename(directory)}/{name}.folded",
            "flamegraph": f"{os.path.basename(directory)}/flame-{name}.svg",
        })
    return {"samples": len(samples), "threads": threads}


def profile_with_phases(strategy, harness_argv, results_file, why_not_perf):
    try:
        runs, error = harness.run(harness_argv + [PHASE_TIMING], results_file)
    except UsageError as e:
        raise UsageError(f"perf is unusable ({why_not_perf}) and the fallback failed: the "
                         f"harness rejected {PHASE_TIMING}: {e}")
    if error:
        raise RunFailed(f"{strategy}: {error}")
    timing = runs[0].get("phase_ns_per_packet") if runs else None
    if not timing:
        raise RunFailed(f"{strategy}: the results have no phase_ns_per_packet "
                        f"(this harness does not support {PHASE_TIMING} yet)")
    return {"phase_ns_per_packet": timing}


def main(argv):
    """The subcommand: exit code 0/1/2, errors as one line on stderr (any dispatcher)."""
    return run_main(_main, argv)


def _main(argv):
    args, forwarded = parse(argv)
    binary = harness.harness_path()
    if args.count:
        return _counted(binary, args, forwarded)
    why_not_perf = perf_check.unusable_reason()
    if why_not_perf:
        say(f"profile: perf is unusable here: {why_not_perf}; falling back to {PHASE_TIMING}")
    entries = []
    for strategy in args.strategies:
        directory = os.path.join(args.out, re.sub(r"[^A-Za-z0-9_.-]", "_", strategy))
        os.makedirs(directory, exist_ok=True)
        results_file = os.path.join(directory, "results.json")
        harness_argv = [binary] + harness.run_args(strategy, None, 1, results_file, forwarded)
        say(f"profile: {strategy}")
        entry = {"strategy": strategy, "results_file": os.path.relpath(results_file, args.out)}
        if why_not_perf:
            entry.update(profile_with_phases(strategy, harness_argv, results_file, why_not_perf))
        else:
            entry.update(profile_with_perf(strategy, directory, harness_argv, args,
                                           results_file))
        entry["packets_delivered"] = _delivered(results_file)
        entries.append(entry)
    doc = {"profile": {
        "version": 1,
        "command_line": "rxbench profile " + shlex.join(argv),
        "method": "phase-timing" if why_not_perf else "perf",
        "perf_unusable": why_not_perf,
        "event": record.EVENT, "unwinding": record.UNWINDING, "frequency_hz": args.frequency,
        "forwarded": forwarded, "strategies": entries,
    }}
    path = os.path.join(args.out, "profile.json")
    write_json_atomically(path, doc)
    index = report.render(args.out, profile=doc)
    print(f"profile: {path}\nreport: {index}")
    return 0


def _counted(binary, args, forwarded):
    probe = valgrind.probe()
    if probe.reason:
        raise UsageError(f"profile --count: {probe.reason}")
    unavailable = count.tier_unavailable(binary, "this build")
    if unavailable:
        raise UsageError(f"profile --count: {unavailable}")
    return counted.run(binary, args.strategies, args.out, forwarded, args.top)


def _delivered(results_file):
    try:
        runs = [b for b in read_json(results_file)["benchmarks"]
                if b.get("run_type") == "iteration"]
        return sum(int(r.get("packets_delivered") or 0) for r in runs) or None
    except (UsageError, KeyError):
        return None


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
