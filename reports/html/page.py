"""HTML building blocks: every text goes through html.escape unless it is already HTML.

`Safe` marks strings this module built; anything else handed to `el` is escaped, so a
strategy named `<script>` arrives on the page as text. No JavaScript, no external
resources: the page is read offline from its directory.
"""
import html

STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 2em auto; max-width: 1250px;
       color: #222; line-height: 1.4; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-bottom: 0.3em; }
.verdict { font-size: 1.1em; background: #f3f7fb; border-left: 4px solid #1f77b4;
           padding: 0.6em 1em; margin: 0.5em 0; }
.note { color: #555; font-size: 0.92em; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #444; margin-top: 0.3em; }
code, pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.88em; }
pre { background: #f7f7f7; padding: 0.6em; white-space: pre-wrap; word-break: break-all; }
.side { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 1em; }
table.profile { table-layout: fixed; width: 100%; }
table.profile > thead > tr > th:first-child { width: 9em; }
table.profile > tbody > tr > td table { width: 100%; font-size: 0.8em; }
table.profile > tbody > tr > td table td:first-child { word-break: break-all;
       font-family: 'DejaVu Sans Mono', monospace; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.35em;
          vertical-align: -0.1em; border-radius: 2px; }
"""


class Safe(str):
    """HTML built here; `el` inserts it as is."""


def esc(value):
    return html.escape(str(value), quote=True)


def _part(child):
    return child if isinstance(child, Safe) else esc(child)


def el(tag, *children, **attrs):
    """<tag attrs>children</tag>; attribute names: class_ -> class, data_x -> data-x."""
    return Safe(f"<{tag}{_attrs(attrs)}>{''.join(_part(c) for c in children)}</{tag}>")


def void(tag, **attrs):
    return Safe(f"<{tag}{_attrs(attrs)}>")


def _attrs(attrs):
    return "".join(f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"'
                   for k, v in attrs.items() if v is not None)


def prose(text):
    """Plain text in which `backticked` spans are shown as code; all of it escaped."""
    pieces = str(text).split("`")
    if len(pieces) % 2 == 0:  # an unmatched backtick: show the text as it is
        return esc(text)
    return Safe("".join(el("code", p) if i % 2 else esc(p) for i, p in enumerate(pieces)))


def join(*parts):
    return Safe("".join(_part(p) for p in parts))


def table(head, rows, numeric_from=1, numeric_to=None):
    """A table; cells of columns numeric_from .. numeric_to - 1 (to the end when None)
    are right-aligned (numbers). head None: no header row (a key-value table)."""
    def numeric(i):
        return i >= numeric_from and (numeric_to is None or i < numeric_to)
    body = [el("tr", *[el("td", c, class_="num" if numeric(i) else None)
                       for i, c in enumerate(row)]) for row in rows]
    if head is None:
        return el("table", el("tbody", *body))
    header = el("tr", *[el("th", h) for h in head])
    return el("table", el("thead", header), el("tbody", *body))


def figure(png, svg, alt, caption):
    """The PNG on the page, linked to the SVG for zooming."""
    return el("figure", el("a", void("img", src=png, alt=alt), href=svg),
              el("figcaption", caption, " ", el("a", "(SVG)", href=svg)))


def swatch(colour):
    return el("span", "", class_="swatch", style=f"background:{colour}")


def document(title, body_parts):
    head = el("head", void("meta", charset="utf-8"),
              void("meta", name="viewport", content="width=device-width, initial-scale=1"),
              el("title", title), el("style", Safe(STYLE)))
    return "<!DOCTYPE html>\n" + el("html", head, el("body", *body_parts), lang="en") + "\n"
