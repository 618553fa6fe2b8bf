"""The busy-poll trade-off: which strategies pair, what each pair spent and gained."""
import unittest

from reports.comparison.busy_poll import (LATENCY_GAINED, LATENCY_LOST, NO_LATENCY_GAINED,
                                          latency_verdict, trade_offs, wait_pairs)
from reports.comparison.busy_poll_section import to_busy_poll_section
from reports.render.busy_poll import render_console, render_markdown
from reports.results import synthetic
from reports.results.load import from_dict

N = 10


def run(spent, gained, sleeping="combined-list", waiting="combined-list+wait=busy-poll",
        p99_gained=None, failed=(), others=()):
    """N repetitions of `sleeping` drifting a lot from one to the next (so that only
    repetition i against repetition i shows a steady difference), and of `waiting`
    at spent[i] more ns/packet and gained[i] µs lower latency; `waiting`'s entries are
    written in reverse order. `failed`: waiting's repetitions that failed."""
    entries = []
    for i in range(N):
        cpu, p50 = 3000.0 + 700 * i * (-1) ** i + 5000, 200000.0 + 37000.0 * (i % 4)
        entries.append(synthetic.entry(sleeping, i, cpu, latency_p50_ns=p50,
                                       latency_p99_ns=3 * p50))
    for i in reversed(range(N)):
        cpu, p50 = 3000.0 + 700 * i * (-1) ** i + 5000, 200000.0 + 37000.0 * (i % 4)
        p99_gain = (p99_gained or gained)[i]
        entries.append(synthetic.entry(waiting, i, cpu + spent[i], ok=i not in failed,
                                       latency_p50_ns=p50 - 1000 * gained[i],
                                       latency_p99_ns=3 * p50 - 1000 * p99_gain))
    entries += [synthetic.entry(name, i, 4000.0) for name in others for i in range(N)]
    return from_dict(synthetic.results(entries, invocation={"reference": "baseline"}))


class Pairs(unittest.TestCase):
    def test_each_waiting_strategy_with_its_own_sleeping_one(self):
        names = ["baseline", "combined-list", "iouring", "iouring+wait=napi",
                 "combined-list+wait=busy-poll", "freelist+wait=busy-poll",
                 "combined-list+wait=sleep", "combined-list+batch=64+wait=prefer-busy-poll",
                 "combined-list+batch=64"]
        self.assertEqual(wait_pairs(names), [
            ("iouring", "iouring+wait=napi", "napi"),
            ("combined-list", "combined-list+wait=busy-poll", "busy-poll"),
            ("combined-list+batch=64", "combined-list+batch=64+wait=prefer-busy-poll",
             "prefer-busy-poll")])

    def test_napi_pair_found_when_the_reference_is_another_strategy(self):
        results = run([1000.0] * N, [10.0] * N, sleeping="iouring",
                      waiting="iouring+wait=napi", others=["baseline"])
        [t] = trade_offs(results)
        self.assertEqual((t.sleeping, t.waiting, t.wait), ("iouring", "iouring+wait=napi",
                                                           "napi"))
        self.assertEqual(t.gained_p50.median, 10.0)


class Figures(unittest.TestCase):
    def test_exact_exchange_rate(self):
        """Every pair spends exactly 1000 ns/packet for exactly 10 µs: 0.01 µs per ns,
        every interval a single point."""
        [t] = trade_offs(run([1000.0] * N, [10.0] * N))
        self.assertEqual(t.repetitions, tuple(range(N)))
        self.assertEqual((t.extra_cpu.median, t.extra_cpu.low, t.extra_cpu.high),
                         (1000.0, 1000.0, 1000.0))
        self.assertAlmostEqual(t.extra_receiver_cpu.median, 400.0, places=6)
        for gained in (t.gained_p50, t.gained_p99):
            self.assertEqual((gained.median, gained.low, gained.high), (10.0, 10.0, 10.0))
            self.assertEqual(latency_verdict(gained), LATENCY_GAINED)
        for rate in (t.rate_p50, t.rate_p99):
            self.assertEqual((rate.median, rate.low, rate.high), (0.01, 0.01, 0.01))
        self.assertEqual(t.notes, ())

    def test_failed_repetition_drops_its_pair(self):
        [t] = trade_offs(run([1000.0] * N, [10.0] * N, failed=(3,)))
        self.assertEqual(t.repetitions, (0, 1, 2, 4, 5, 6, 7, 8, 9))
        self.assertEqual((t.rate_p50.low, t.rate_p50.high), (0.01, 0.01))

    def test_ratio_of_medians_and_its_interval(self):
        spent = [1000.0, 1200.0, 800.0, 1100.0, 900.0, 1000.0, 1300.0, 700.0, 1050.0, 950.0]
        gained = [10.0, 14.0, 6.0, 12.0, 8.0, 10.0, 16.0, 4.0, 11.0, 9.0]
        [t] = trade_offs(run(spent, gained))
        self.assertEqual(t.extra_cpu.median, 1000.0)
        self.assertEqual(t.gained_p50.median, 10.0)
        self.assertEqual(t.rate_p50.median, 0.01)
        # gained = spent / 50 - 10 pair by pair: any resample's medians keep that
        # relation, so the rate (1/50 - 10/spent, rising with it) has its bounds where
        # the extra CPU has its own.
        self.assertAlmostEqual(t.rate_p50.low, (t.extra_cpu.low / 50 - 10) / t.extra_cpu.low)
        self.assertAlmostEqual(t.rate_p50.high,
                               (t.extra_cpu.high / 50 - 10) / t.extra_cpu.high)
        self.assertLess(t.rate_p50.low, 0.01)
        self.assertGreater(t.rate_p50.high, 0.01)

    def test_gain_straddling_zero_is_no_latency_gained(self):
        gained = [0.5, -0.5] * (N // 2)
        lost = [-20.0 - i for i in range(N)]
        [t] = trade_offs(run([1000.0] * N, gained, p99_gained=lost))
        self.assertLessEqual(t.gained_p50.low, 0)
        self.assertGreaterEqual(t.gained_p50.high, 0)
        self.assertEqual(latency_verdict(t.gained_p50), NO_LATENCY_GAINED)
        self.assertEqual(latency_verdict(t.gained_p99), LATENCY_LOST)
        text = render_console([t], 0.95)
        self.assertIn(NO_LATENCY_GAINED, text)
        self.assertIn(LATENCY_LOST, text)
        section = to_busy_poll_section([t], 0.95)["pairs"][0]
        self.assertEqual(section["latency_gained_p50_us"]["verdict"], NO_LATENCY_GAINED)

    def test_no_extra_cpu_has_no_exchange_rate(self):
        [t] = trade_offs(run([-100.0] * N, [10.0] * N))
        self.assertEqual(t.extra_cpu.median, -100.0)
        self.assertIsNone(t.rate_p50.median)
        self.assertIn("no extra receive-path CPU", t.notes[0])
        self.assertIn("| p50 µs gained per extra ns/packet | - |",
                      render_markdown([t], 0.95))

    def test_extra_cpu_interval_reaching_zero_leaves_the_rate_unbounded(self):
        spent = [1000.0, -500.0] * (N // 2)
        [t] = trade_offs(run(spent, [10.0] * N))
        self.assertLessEqual(t.extra_cpu.low, 0)
        self.assertIsNotNone(t.rate_p50.median)
        self.assertIsNone(t.rate_p50.low)
        self.assertIn("unbounded", t.notes[0])

    def test_busy_poll_without_effect_is_said(self):
        results = run([1000.0] * N, [10.0] * N)
        for it in results.of_strategy("combined-list+wait=busy-poll"):
            it.raw["busy_poll_no_effect"] = "napi_id 0: no NAPI instance (loopback)"
        [t] = trade_offs(results)
        self.assertEqual(t.notes, ("busy polling had no effect: napi_id 0: no NAPI instance "
                                   "(loopback)",))
        self.assertEqual(trade_offs(run([1000.0] * N, [10.0] * N))[0].notes, ())

    def test_not_measured_latency_is_skipped_with_the_reason(self):
        entries = [synthetic.entry(s, i, 1000.0, latency=None, measure="minimal")
                   for s in ("combined-list", "combined-list+wait=busy-poll")
                   for i in range(3)]
        [t] = trade_offs(from_dict(synthetic.results(entries)))
        self.assertIn("--measure minimal", t.skipped)
        pair = to_busy_poll_section([t], 0.95)["pairs"][0]
        self.assertIsNone(pair["extra_cpu_ns_per_packet_receive_path"]["median"])


if __name__ == "__main__":
    unittest.main()
