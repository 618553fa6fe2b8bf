"""A flame graph as a small SVG: one box per frame, width proportional to its weight.

Drawn from folded stacks by the project (no FlameGraph scripts here). Root at the
bottom, callers below callees, siblings in alphabetical order (as FlameGraph does, so
two graphs of the same code line up). Every box has a <title> (name, CPU ms, share)
that a browser shows on hover without any script; names are XML-escaped. User-space
frames are warm by a hash of the name, unsymbolised library frames grey, and the
name (stable colours from one graph to the next), kernel frames blue.
"""
import zlib
from xml.sax.saxutils import escape

from reports.profile.perf_script import KERNEL_SUFFIX

ROW = 17          # px per stack level
FONT = 11         # px; monospace, so ~0.6 * FONT px per character
PAD = 10


class Node:
    __slots__ = ("name", "weight", "children")

    def __init__(self, name):
        self.name, self.weight, self.children = name, 0, {}


def tree(stacks, root_name="all"):
    root = Node(root_name)
    for frames, weight in stacks.items():
        root.weight += weight
        node = root
        for f in frames:
            node = node.children.setdefault(f, Node(f))
            node.weight += weight
    return root


def count_frames(stacks):
    """How many boxes the graph has: every distinct call path, plus the root."""
    paths = {frames[:i + 1] for frames in stacks for i in range(len(frames))}
    return len(paths) + 1


def depth(node):
    return 1 + max((depth(c) for c in node.children.values()), default=0)


def colour(name):
    h = zlib.crc32(name.encode())
    if name.endswith(KERNEL_SUFFIX):
        return f"rgb({90 + h % 50},{150 + (h >> 8) % 50},{210 + (h >> 16) % 40})"
    if name.startswith("["):
        return "rgb(190,190,190)"
    return f"rgb({205 + h % 50},{(h >> 8) % 180 + 40},{(h >> 16) % 55})"


LEGEND = ("width: share of the thread's CPU samples; warm: user space, blue: kernel, "
          "grey: library without symbols; hover a box for its numbers")


def _ms(weight):
    return f"{weight / 1e6:.1f} ms"


def svg(stacks, title, width=1200, legend=LEGEND, amount=_ms):
    """The SVG document (a str). `legend` says what a width is; `amount` writes a box's
    weight (CPU ns by default) for its hover text."""
    root = tree(stacks)
    levels = depth(root)
    height = levels * ROW + 2 * PAD + 40
    scale = (width - 2 * PAD) / root.weight if root.weight else 0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans Mono, monospace" '
           f'font-size="{FONT}">',
           f'<rect width="{width}" height="{height}" fill="#fdfdf8"/>',
           f'<text x="{width / 2}" y="{PAD + 12}" text-anchor="middle" font-size="14">'
           f'{escape(title)}</text>',
           f'<text x="{width / 2}" y="{PAD + 28}" text-anchor="middle" fill="#555">'
           f'{escape(legend)}</text>']
    total = root.weight or 1

    def draw(node, x, level):
        w = node.weight * scale
        y = height - PAD - (level + 1) * ROW
        label = f"{node.name} ({amount(node.weight)}, {100 * node.weight / total:.1f} %)"
        out.append(f'<g><title>{escape(label)}</title><rect class="frame" x="{x:.2f}" y="{y}" '
                   f'width="{w:.2f}" height="{ROW - 1}" fill="{colour(node.name)}" rx="1"/>')
        chars = int((w - 4) / (0.6 * FONT))
        if chars >= 3:
            text = node.name if len(node.name) <= chars else node.name[:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.2f}" y="{y + ROW - 5}">{escape(text)}</text>')
        out.append("</g>")
        for name in sorted(node.children):
            child = node.children[name]
            draw(child, x, level + 1)
            x += child.weight * scale

    draw(root, PAD, 0)
    out.append("</svg>\n")
    return "\n".join(out)
