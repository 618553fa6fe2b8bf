"""Creates figures and writes each as PNG (for the page) and SVG (to zoom into).

Figures are built on matplotlib's object API (Figure + Agg canvas), never pyplot:
no global state, no display needed, nothing left open between figures.
"""
import os
import textwrap

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator

PNG_DPI = 100


def new_figure(width_in, height_in):
    fig = Figure(figsize=(width_in, height_in), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def footnote(fig, text):
    """A note under the plot area (what is missing and why), kept inside the image.

    As the figure's supxlabel, constrained layout makes room for it; wrapped by hand
    because the layout sizes text before matplotlib's own wrapping would apply.
    """
    chars = int(fig.get_figwidth() * PNG_DPI / 6.3)  # ~6 px per character at 8 pt
    fig.supxlabel(textwrap.fill(text, chars), x=0.01, ha="left", fontsize=8, color="#444444")


def log_axis_plain(ax):
    """A log y axis labelled 200, 500, 1 000 rather than 10^3: people read values off it."""
    ax.set_yscale("log")
    plain = FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", " ") if v >= 1 else f"{v:g}")
    ax.yaxis.set_major_formatter(plain)
    ax.yaxis.set_minor_locator(LogLocator(subs=(2, 5)))
    ax.yaxis.set_minor_formatter(plain)


def save(fig, out_dir, stem):
    """Writes stem.png and stem.svg into out_dir; returns the two file names."""
    png, svg = f"{stem}.png", f"{stem}.svg"
    fig.savefig(os.path.join(out_dir, png), dpi=PNG_DPI)
    # A fixed salt and no date: the same figure gives the same SVG bytes (diffable).
    with matplotlib.rc_context({"svg.hashsalt": "rxbench"}):
        fig.savefig(os.path.join(out_dir, svg), metadata={"Date": None})
    return png, svg
