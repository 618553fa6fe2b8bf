"""The contract between the C++ harness and the reports, tested on what the real harness
writes: short runs on loopback of `run` (udpsrc, the reference; 3 streams on 2
receivers), `compare` (null, the floor, and udpsrc; aggregates and context.invocation)
and `recv` fed by `gen` (what it knows of the sender) must validate against
schema/results.schema.json with python3-jsonschema; `rxbench list --json` must be the
catalogue every results file carries (and the copy the other tests read); the reports'
loader must carry every field the schema names into its model; and the palette must have
a colour of its own for every strategy the harness names, so a strategy added in C++
cannot go unnoticed here.

Usage (Bazel passes these): harness_schema_test.py HARNESS SCHEMA
"""
import copy
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

import jsonschema

from reports.html import palette
from reports.results import catalogue
from reports.results.load import from_dict
from reports.results.sample import LIST_JSON

HARNESS, SCHEMA = (os.path.abspath(p) for p in sys.argv[1:3])
del sys.argv[1:3]

# Few packets: the subject is the file's shape, not a measurement.
TRAFFIC = ["--packets", "300", "--rate", "3000"]


def harness(*args):
    done = subprocess.run([HARNESS, *args], capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise AssertionError(f"rxbench {' '.join(args)} exited {done.returncode}:\n"
                             f"{done.stdout}\n{done.stderr}")
    return done.stdout


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def two_hosts(recv_file):
    """`recv` fed by `gen` on loopback: recv's results add what it knows of the sender.
    It stops at the generator's end message."""
    port = free_udp_port()
    recv = subprocess.Popen([HARNESS, "recv", "--strategy", "combined", "--bind",
                             f"127.0.0.1:{port}", "--out", recv_file],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        # gen only once recv has bound its ports and says so (or has exited).
        seen = []
        for line in recv.stdout:
            seen.append(line)
            if "waiting for a stream" in line:
                break
        harness("gen", "--dest", f"127.0.0.1:{port}", *TRAFFIC)
        out, _ = recv.communicate(timeout=120)
        out = "".join(seen) + out
    finally:
        if recv.poll() is None:
            recv.kill()
            recv.communicate()
    if recv.returncode != 0:
        raise AssertionError(f"rxbench recv exited {recv.returncode}:\n{out}")


def problems(validator, document):
    """Every violation, one line each (path: message), so a failure says all at once."""
    return sorted(f"{'/'.join(str(p) for p in e.absolute_path) or '(top)'}: {e.message}"
                  for e in validator.iter_errors(document))


class HarnessOutput(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SCHEMA, encoding="utf-8") as f:
            cls.schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)
        cls.tmp = tempfile.TemporaryDirectory(prefix="harness_schema_test_")
        run_file = os.path.join(cls.tmp.name, "run.json")
        harness("run", "--strategy", "udpsrc", *TRAFFIC, "--out", run_file)
        harness("compare", "--strategies", "null,udpsrc", "--repetitions", "2", *TRAFFIC,
                "--out", cls.tmp.name)
        lock_step_file = os.path.join(cls.tmp.name, "lock_step.json")
        harness("run", "--strategy", "baseline", *TRAFFIC, "--lock-step", "64",
                "--out", lock_step_file)
        streams_file = os.path.join(cls.tmp.name, "streams.json")
        harness("run", "--strategy", "combined", *TRAFFIC, "--streams", "3", "--receivers", "2",
                "--stream-sockets", "per-stream", "--out", streams_file)
        recv_file = os.path.join(cls.tmp.name, "recv.json")
        two_hosts(recv_file)
        cls.files = {}
        for name, path in (("run", run_file),
                           ("compare", os.path.join(cls.tmp.name, "compare.json")),
                           ("lock_step", lock_step_file), ("streams", streams_file),
                           ("recv", recv_file)):
            with open(path, encoding="utf-8") as f:
                cls.files[name] = json.load(f)
        cls.listed = json.loads(harness("list", "--json"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_what_the_harness_writes_is_valid(self):
        for name, document in self.files.items():
            with self.subTest(file=name):
                self.assertEqual(problems(self.validator, document), [])

    def test_a_lock_step_run_says_how_its_rounds_went(self):
        (entry,) = self.files["lock_step"]["benchmarks"]
        self.assertEqual(entry["lock_step"]["packets_per_round"], 64)
        self.assertEqual(self.files["lock_step"]["context"]["lock_step_packets"], 64)

    def test_a_many_streams_run_accounts_each_stream_and_socket(self):
        (entry,) = self.files["streams"]["benchmarks"]
        context = self.files["streams"]["context"]
        self.assertEqual((context["streams"], context["receivers"], context["stream_sockets"]),
                         (3, 2, "per-stream"))
        self.assertEqual(len(entry["per_stream"]), 3)
        self.assertEqual([s["unexplained"] for s in entry["per_socket"]], [0, 0, 0])

    def test_the_runs_cover_both_entry_kinds_and_both_roles(self):
        # Otherwise a valid file could be valid for want of anything to check.
        entries = self.files["compare"]["benchmarks"]
        self.assertEqual({e["run_type"] for e in entries}, {"iteration", "aggregate"})
        self.assertEqual({e["strategy"]: e["strategy_role"] for e in entries
                          if e["run_type"] == "iteration"},
                         {"null": catalogue.FLOOR, "udpsrc": catalogue.REFERENCE})
        self.assertIn("invocation", self.files["compare"]["context"])
        self.assertEqual(self.files["recv"]["context"]["command"], "recv")

    def test_a_wrong_type_or_a_missing_field_is_refused(self):
        # The schema is precise, not merely permissive: the harness's own file, broken
        # in one field, no longer validates.
        document = self.files["run"]
        wrong_type = copy.deepcopy(document)
        wrong_type["benchmarks"][0]["packets_delivered"] = "300"
        self.assertTrue(problems(self.validator, wrong_type))
        missing = copy.deepcopy(document)
        del missing["benchmarks"][0]["cpu_ns_per_packet_receive_path"]
        self.assertTrue(problems(self.validator, missing))
        fake_zero = copy.deepcopy(document)
        fake_zero["context"]["schema_version"] = 0
        self.assertTrue(problems(self.validator, fake_zero))
        unknown = copy.deepcopy(document)
        unknown["benchmarks"][0]["undocumented_field"] = 1
        self.assertTrue(problems(self.validator, unknown))

    def test_list_json_is_the_catalogue_every_results_file_carries(self):
        listed = {k: v for k, v in self.listed.items()
                  if k not in ("scenarios", "default_pipeline")}
        of_catalogue = jsonschema.Draft202012Validator(
            {"$ref": "#/$defs/catalogue", "$defs": self.schema["$defs"]})
        self.assertEqual(problems(of_catalogue, listed), [])
        for name, document in self.files.items():
            with self.subTest(file=name):
                self.assertEqual(document["context"]["catalogue"], listed)
        # The copy the other tests read (reports/results/testdata): regenerate it with
        # `bazel-bin/commands/rxbench list --json > reports/results/testdata/list.json`.
        with open(LIST_JSON, encoding="utf-8") as f:
            self.assertEqual(json.load(f), self.listed)

    def test_the_palette_has_a_colour_of_its_own_for_every_strategy(self):
        found = catalogue.from_json(self.listed)
        pairs = [(s["name"], s["role"]) for s in found.strategies]
        fixed = palette.fixed_colours(pairs)
        self.assertEqual(sorted(fixed), sorted(found.names()))
        self.assertEqual(len(set(fixed.values())), len(fixed))

    def test_the_loader_carries_every_field_the_schema_names(self):
        document = self.files["compare"]
        results = from_dict(document)
        self.assertEqual(results.notes, [])   # version 1: nothing converted
        self.assertEqual(results.catalogue.names(), catalogue.from_json(self.listed).names())
        entry_schema = self.schema["$defs"]["iteration"]["properties"]
        raw_entries = [e for e in document["benchmarks"] if e["run_type"] == "iteration"]
        self.assertEqual(len(results.iterations), len(raw_entries))
        for it, raw in zip(results.iterations, raw_entries):
            self.assertEqual((it.strategy, it.scenario, it.repetition_index, it.ok),
                             (raw["strategy"], raw["scenario"], raw["repetition_index"],
                              raw["ok"]))
            self.assertEqual(results.catalogue.role(it.strategy), raw["strategy_role"])
            for key in entry_schema:
                if key not in raw:
                    continue   # written only when it applies
                value = raw[key]
                if value is None or (isinstance(value, (int, float))
                                     and not isinstance(value, bool)):
                    self.assertIn(key, it.metrics)
                    self.assertEqual(it.value(key), value, key)
                else:
                    self.assertEqual(it.raw[key], value, key)


if __name__ == "__main__":
    unittest.main()
