#!/usr/bin/python3
"""Makes the H.264 clip that `--media h264` sends, and its per-access-unit index.

Runs must be comparable, so the clip must be byte-identical from run to run and from
machine to machine with the same Debian packages. Of videotestsrc's patterns, smpte and
snow differ per run, ball is deterministic but far below a 5 Mbit/s target, and forcing
the rate with nal-hrd=cbr makes 92 % of the bytes filler NALs. zone-plate moved by its
time phase (kt) is detailed enough to reach the target and is identical from run to run
once x264enc runs on one thread (threads=1); bframes=0 keeps decode order = display order,
so each access unit's RTP timestamp is its frame time and grows monotonically.

The clip is made once per parameter set into a cache (it takes seconds, and is megabytes
that do not belong in git); the default clip's md5 is committed in media/clips.md5 and
checked on every make, so a changed encoder shows up as a failure rather than as
quietly different runs.

Index (CSV, one row per access unit, next to the clip as <clip>.au.csv):
  au, rtp_offset (90 kHz, from the clip's start), nals, bytes (NAL bytes without start
  codes), packets (RFC 6184 mode 1 at --rtp-payload-bytes: a NAL that fits is one
  packet, a larger one FU-A fragments), keyframe (1 for an IDR access unit).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MD5_FILE = ROOT / "media" / "clips.md5"

# The H.264 payload room of a default packet: the generator's 1200-byte RTP payload
# less the 24-byte header extension that carries the probe (rtp/probe_extension.h).
DEFAULT_RTP_PAYLOAD_BYTES = 1200 - 24
VIDEO_CLOCK = 90000

NAL_AUD, NAL_SEI, NAL_SPS, NAL_PPS, NAL_IDR = 9, 6, 7, 8, 5


@dataclass(frozen=True)
class ClipParams:
    width: int = 1920
    height: int = 1080
    fps: int = 30
    bitrate_kbps: int = 5000
    gop: int = 30
    seconds: int = 4

    def name(self) -> str:
        return (f"zoneplate-{self.width}x{self.height}-{self.fps}fps-{self.bitrate_kbps}k"
                f"-gop{self.gop}-{self.seconds}s.h264")

    def pipeline(self, out: Path) -> list[str]:
        frames = self.fps * self.seconds
        return [
            "gst-launch-1.0", "-q",
            "videotestsrc", "pattern=zone-plate", "kx2=20", "ky2=20", "kt=1",
            f"num-buffers={frames}", "!",
            f"video/x-raw,format=I420,width={self.width},height={self.height},"
            f"framerate={self.fps}/1", "!",
            "x264enc", "threads=1", f"bitrate={self.bitrate_kbps}", f"key-int-max={self.gop}",
            "bframes=0", "speed-preset=veryfast", "byte-stream=true", "!",
            "video/x-h264,stream-format=byte-stream,alignment=au", "!",
            "filesink", f"location={out}",
        ]


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rxbench" / "media"


def split_nals(stream: bytes) -> list[bytes]:
    """The NAL units of an Annex B byte stream, without their start codes."""
    starts = []
    i = 0
    while True:
        i = stream.find(b"\x00\x00\x01", i)
        if i < 0:
            break
        starts.append(i + 3)
        i += 3
    nals = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 3 if k + 1 < len(starts) else len(stream)
        # A 4-byte start code's leading zero (and any trailing_zero_8bits) is not NAL data.
        while k + 1 < len(starts) and end > start and stream[end - 1] == 0:
            end -= 1
        nals.append(stream[start:end])
    return nals


def is_vcl(nal: bytes) -> bool:
    return 1 <= (nal[0] & 0x1F) <= 5


def split_access_units(nals: list[bytes]) -> list[list[bytes]]:
    """H.264 7.4.1.2.3: an AUD, SEI, SPS or PPS after a slice, or a slice whose
    first_mb_in_slice is 0 (its first coded bit is 1), starts a new access unit."""
    units: list[list[bytes]] = []
    seen_vcl = False
    for nal in nals:
        kind = nal[0] & 0x1F
        starts = not units or (seen_vcl and (
            kind in (NAL_AUD, NAL_SEI, NAL_SPS, NAL_PPS)
            or (is_vcl(nal) and len(nal) > 1 and nal[1] & 0x80)))
        if starts:
            units.append([])
            seen_vcl = False
        units[-1].append(nal)
        seen_vcl = seen_vcl or is_vcl(nal)
    return units


def packets_for(nal: bytes, payload_bytes: int) -> int:
    if len(nal) <= payload_bytes:
        return 1
    # FU-A: the NAL header becomes the 2-byte FU indicator + header of every fragment.
    room = payload_bytes - 2
    return -(-(len(nal) - 1) // room)


def write_index(clip: Path, fps: int, payload_bytes: int, out: Path) -> None:
    units = split_access_units(split_nals(clip.read_bytes()))
    with out.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["au", "rtp_offset", "nals", "bytes", "packets", "keyframe"])
        for k, unit in enumerate(units):
            w.writerow([
                k, k * VIDEO_CLOCK // fps, len(unit), sum(len(n) for n in unit),
                sum(packets_for(n, payload_bytes) for n in unit),
                int(any(n[0] & 0x1F == NAL_IDR for n in unit)),
            ])


def committed_md5(name: str, md5_file: Path = MD5_FILE) -> str | None:
    if not md5_file.exists():
        return None
    for line in md5_file.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1] == name:
            return parts[0]
    return None


def encode(params: ClipParams, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out.parent, suffix=".part", delete=False) as tmp:
        part = Path(tmp.name)
    try:
        subprocess.run(params.pipeline(part), check=True)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)


def make(params: ClipParams, cache: Path, payload_bytes: int, rebuild: bool,
         md5_file: Path = MD5_FILE) -> Path:
    """The clip's path, encoding it when it is not cached (or --rebuild); raises
    RuntimeError when the result is not the committed clip."""
    clip = cache / params.name()
    if rebuild or not clip.exists():
        encode(params, clip)
    digest = hashlib.md5(clip.read_bytes()).hexdigest()
    expected = committed_md5(params.name(), md5_file)
    if expected is not None and digest != expected:
        raise RuntimeError(f"{clip}: md5 {digest}, but {md5_file} says {expected} "
                           "(a different x264 or GStreamer than Debian 12's?)")
    write_index(clip, params.fps, payload_bytes, Path(str(clip) + ".au.csv"))
    return clip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = ClipParams()
    p.add_argument("--width", type=int, default=d.width)
    p.add_argument("--height", type=int, default=d.height)
    p.add_argument("--fps", type=int, default=d.fps)
    p.add_argument("--bitrate-kbps", type=int, default=d.bitrate_kbps)
    p.add_argument("--gop", type=int, default=d.gop, help="frames from one IDR to the next")
    p.add_argument("--seconds", type=int, default=d.seconds)
    p.add_argument("--cache", type=Path, default=default_cache_dir())
    p.add_argument("--rtp-payload-bytes", type=int, default=DEFAULT_RTP_PAYLOAD_BYTES,
                   help="H.264 bytes per RTP packet, for the index's packet counts")
    p.add_argument("--rebuild", action="store_true", help="encode even when cached")
    p.add_argument("--md5-file", type=Path, default=MD5_FILE, help="the committed md5s")
    a = p.parse_args(argv)
    params = ClipParams(a.width, a.height, a.fps, a.bitrate_kbps, a.gop, a.seconds)
    try:
        clip = make(params, a.cache, a.rtp_payload_bytes, a.rebuild, a.md5_file)
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"make_h264_clip: {e}", file=sys.stderr)
        return 1
    print(clip)
    return 0


if __name__ == "__main__":
    sys.exit(main())
