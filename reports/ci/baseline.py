"""Nightly mode: the build under test against stored history instead of another build.
`--baseline NAME` is a run saved with --save-baseline NAME; `--baseline history:N` the
last N runs recorded on this machine (host, kernel and CPU model; --baseline-any-host: on
any) with the same scenario and options. Unpaired: nothing cancels the drift between then
and now, and the output says so."""
from dataclasses import dataclass
from typing import Optional

from reports.history import store
from reports.usage import UsageError

PREFIX = "history:"


@dataclass(frozen=True)
class BaselineSpec:
    name: Optional[str] = None
    last: Optional[int] = None
    any_host: bool = False

    @property
    def label(self):
        if self.name:
            return f"baseline '{self.name}'"
        return f"the last {self.last} runs{' on any host' if self.any_host else ''}"


def parse_baseline(text, any_host=False):
    if text.startswith(PREFIX):
        count = text[len(PREFIX):]
        if not count.isdigit() or int(count) < 1:
            raise UsageError(f"--baseline {text}: expected history:N with N >= 1")
        return BaselineSpec(last=int(count), any_host=any_host)
    if any_host:
        raise UsageError("--baseline-any-host goes with --baseline history:N")
    if not text:
        raise UsageError("--baseline: empty name")
    return BaselineSpec(name=text)


def check_available(conn, spec, host):
    """Fails early, before anything runs, when the baseline cannot exist."""
    if spec.name and store.baseline_run(conn, spec.name) is None:
        raise UsageError(f"--baseline {spec.name}: no such baseline in the history "
                         "(save one with --save-baseline NAME)")
    if spec.last and not spec.any_host and store.runs_on_host(conn, host) == 0:
        raise UsageError(f"--baseline history:{spec.last}: no runs recorded on {host}")


def baseline_iterations(conn, spec, info):
    """The stored repetitions to compare with; `info` describes the run just made."""
    if spec.name:
        run_ids = [store.baseline_run(conn, spec.name)]
    else:
        run_ids = store.runs_like(conn, info, spec.last, spec.any_host)
        if not run_ids:
            where = "any host" if spec.any_host else \
                f"{info.host} (kernel {info.kernel}, CPU {info.cpu_model})"
            raise UsageError(f"--baseline history:{spec.last}: no recorded run on {where} "
                             f"with scenario {info.scenario} and these options")
    return store.iterations_of(conn, run_ids)
