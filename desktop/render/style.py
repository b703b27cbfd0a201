"""The stylesheet of a page, from plain colour values (no Qt): the pane passes its palette's
colours, a printed summary can pass black on white."""

from __future__ import annotations

from dataclasses import dataclass

TERM_TINT = 0.16  # how much of the accent colour tints a glossary term's background


@dataclass(frozen=True)
class Colours:
    """A theme's colours as ``#rrggbb``: text, muted text, links, the lead's background
    (alternate), the accent and the page's background (base). The values come from the
    palettes (resources/palettes.toml), never from code."""

    text: str
    muted: str
    link: str
    alternate: str
    accent: str
    base: str


def blend(one: str, other: str, amount: float) -> str:
    """``amount`` of colour ``one`` over ``other`` (both ``#rrggbb``): a tint that stays readable
    in every theme."""
    rgb = [int(c[i:i + 2], 16) for c in (one, other) for i in (1, 3, 5)]
    mix = [round(a * amount + b * (1 - amount)) for a, b in zip(rgb[:3], rgb[3:])]
    return "#" + "".join(f"{v:02x}" for v in mix)


def stylesheet(colours: Colours, compact: bool = False) -> str:
    """CSS for a page, every colour taken from ``colours`` (so themes only set palettes).
    ``compact`` (large text): headings and the summary no larger than the text, tighter gaps, so
    the title, the plain summary and the key facts still fit on a 1280x800 screen at 200%."""
    text, muted, link, lead_bg = colours.text, colours.muted, colours.link, colours.alternate
    term_bg = blend(colours.accent, colours.base, TERM_TINT)
    # one rule for the summary: a second one for the same class leaves its links at the first size
    lead_size, lead_padding = ("medium", "2px") if compact else ("large", "8px")
    css = f"""
body {{ color: {text}; }}
a {{ color: {link}; }}
a.gloss {{ color: {text}; background-color: {term_bg}; text-decoration: none; }}
a.toggle {{ color: {text}; text-decoration: none; }}
h1 {{ font-size: large; font-weight: 700; margin-top: 4px; margin-bottom: 2px; }}
h2 {{ font-size: medium; font-weight: 700; margin-top: 18px; margin-bottom: 4px; }}
p {{ margin-top: 2px; margin-bottom: 6px; }}
ul {{ margin-top: 0px; margin-bottom: 6px; }}
li {{ margin-bottom: 6px; }}
.official {{ font-size: medium; margin-top: 0px; margin-bottom: 4px; }}
.meta {{ color: {muted}; margin-bottom: 10px; }}
.lead {{ font-size: {lead_size}; background-color: {lead_bg}; padding: {lead_padding}; }}
.label {{ font-weight: 600; margin-top: 8px; margin-bottom: 0px; }}
.term {{ color: {muted}; font-weight: normal; font-size: small; }}
.note {{ color: {muted}; }}
.unconfirmed {{ font-weight: 600; }}
.after-table {{ margin-top: 12px; }}
.fact {{ font-weight: 600; padding-right: 12px; }}
.side {{ background-color: {lead_bg}; }}
.folded {{ color: {muted}; font-weight: normal; font-size: medium; }}
.group {{ font-size: large; font-weight: 700; padding-top: 16px; }}
"""
    if compact:  # later rules win
        css += """
h1 { font-size: medium; margin-top: 0px; }
.official { font-size: small; }
.meta { font-size: small; margin-bottom: 4px; }
.fact { padding-right: 4px; }
"""
    return css


# ---- building pages ------------------------------------------------------------------------
