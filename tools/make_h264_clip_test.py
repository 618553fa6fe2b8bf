"""tools/make_h264_clip.py with the real encoder: the clip is byte-identical from one
encode to the next and equal to the md5 committed in media/clips.md5; a clip that is
not makes the script fail; the index follows the encoder's settings (one row per
frame, an IDR every GOP, 90 kHz frame times)."""
import csv
import hashlib
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "make_h264_clip.py"
MD5_FILE = HERE.parent / "media" / "clips.md5"
NAME = "zoneplate-1920x1080-30fps-5000k-gop30-4s.h264"


def make(cache: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/usr/bin/python3", str(SCRIPT), "--cache", cache,
                           "--md5-file", str(MD5_FILE), *extra],
                          capture_output=True, text=True, check=False)


def md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


class MakeH264ClipTest(unittest.TestCase):
    dirs: list[str]
    runs: list[subprocess.CompletedProcess[str]]

    @classmethod
    def setUpClass(cls) -> None:
        cls.dirs = [tempfile.mkdtemp(), tempfile.mkdtemp()]
        cls.runs = [make(d) for d in cls.dirs]

    def test_two_encodes_are_identical_and_the_committed_clip(self) -> None:
        for run in self.runs:
            self.assertEqual(run.returncode, 0, run.stderr)
        a, b = (Path(d) / NAME for d in self.dirs)
        self.assertEqual(md5(a), md5(b))
        committed = MD5_FILE.read_text().split()
        self.assertEqual(committed[committed.index(NAME) - 1], md5(a))

    def test_a_clip_other_than_the_committed_one_fails(self) -> None:
        wrong = Path(tempfile.mkdtemp()) / "clips.md5"
        wrong.write_text("0" * 32 + "  " + NAME + "\n")
        run = subprocess.run(["/usr/bin/python3", str(SCRIPT), "--cache", self.dirs[0],
                              "--md5-file", str(wrong)], capture_output=True, text=True,
                             check=False)
        self.assertEqual(run.returncode, 1)
        self.assertIn("md5", run.stderr)

    def test_index_follows_the_encoder_settings(self) -> None:
        with open(os.path.join(self.dirs[0], NAME + ".au.csv")) as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 4 * 30)
        self.assertEqual([int(r["au"]) for r in rows if r["keyframe"] == "1"], [0, 30, 60, 90])
        self.assertEqual([int(r["rtp_offset"]) for r in rows], [k * 3000 for k in range(120)])
        clip_bytes = (Path(self.dirs[0]) / NAME).stat().st_size
        nal_bytes = sum(int(r["bytes"]) for r in rows)
        # Between NAL bytes and NAL bytes with 4-byte start codes.
        self.assertLessEqual(nal_bytes, clip_bytes)
        self.assertGreaterEqual(nal_bytes + 4 * sum(int(r["nals"]) for r in rows), clip_bytes)


if __name__ == "__main__":
    unittest.main()
