"""The smallest sample at which a rank test can reach p < alpha."""
import unittest

from reports.stats.needed import paired_minimum, unpaired_minimum


class Needed(unittest.TestCase):
    def test_wilcoxon_floor_is_two_over_two_to_the_n(self):
        # 2 / 2^n < alpha: n = 6 (0.031) at 0.05, 8 (0.0078) at 0.01, 11 at 0.001.
        self.assertEqual(paired_minimum(0.05), 6)
        self.assertEqual(paired_minimum(0.01), 8)
        self.assertEqual(paired_minimum(0.001), 11)

    def test_mann_whitney_floor(self):
        self.assertEqual(unpaired_minimum(3, 0.05), 5)
        # Equal sizes 4 and 4: 2 / C(8, 4) = 0.029 < 0.05; 3 against 4 gives 0.057.
        self.assertEqual(unpaired_minimum(4, 0.05), 4)


if __name__ == "__main__":
    unittest.main()
