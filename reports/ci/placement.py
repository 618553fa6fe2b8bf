"""Where `rxbench ci` puts the threads of each run unless told otherwise.

Measured on the shared 2-core VM (README, "How good the gate is"): the coefficient of
variation of the paired ratio of receive-path CPU was 18-30 % with every thread left to
the scheduler and 12-15 % with the whole receive side (receiver and every pipeline
thread) on one core and the generator on another, and a +10 % slowdown was caught in
72-96 % of 40-pair gates unpinned against 98-99.8 % pinned. So the gate pins by default:
the generator on the first CPU this process may use, the receive side on the last.
`--no-pin` leaves placement to the scheduler; any --cpu-* option given by the user
replaces the default placement entirely (a half-default placement would be neither).
"""
import os

CPU_OPTIONS = ("--cpu-receiver", "--cpu-pipeline", "--cpu-generator")


def default_placement(allowed_cpus):
    """The scenario options that pin a run, or [] when there are fewer than 2 CPUs
    (one core cannot separate the sender from the receive side)."""
    cpus = sorted(allowed_cpus)
    if len(cpus) < 2:
        return []
    generator, receive_side = cpus[0], cpus[-1]
    return ["--cpu-generator", str(generator), "--cpu-receiver", str(receive_side),
            "--cpu-pipeline", str(receive_side)]


def user_placed(scenario):
    return any(option.split("=", 1)[0] in CPU_OPTIONS for option in scenario)


def placement_for(scenario, pin, allowed_cpus=None):
    """The options to add to `scenario`: none when the user placed threads or said
    --no-pin, the default placement otherwise."""
    if not pin or user_placed(scenario):
        return []
    return default_placement(os.sched_getaffinity(0) if allowed_cpus is None
                             else allowed_cpus)
