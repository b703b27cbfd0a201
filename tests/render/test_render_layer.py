"""desktop.render turns records into pages without Qt, so a printout, an export or a read-aloud
text can use it in a script; already-escaped text is a type (Markup), plain text is escaped."""

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.render import Colours, Markup, esc, stylesheet
from desktop.render.page import Page

RENDER = Path(__file__).resolve().parents[2] / "desktop" / "render"
MODULES = sorted(p.stem for p in RENDER.glob("*.py"))


@pytest.mark.parametrize("module", MODULES)
def test_the_renderer_imports_no_qt(module):
    name = "desktop.render" if module == "__init__" else f"desktop.render.{module}"
    code = (f"import sys, {name}; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("module", MODULES)
def test_render_modules_stay_small(module):
    lines = (RENDER / f"{module}.py").read_text(encoding="utf-8").count("\n")
    assert lines < 500, f"{module}.py has {lines} lines"


@given(st.text())
def test_esc_gives_markup_without_raw_tags_and_is_not_applied_twice(text):
    escaped = esc(text)
    assert isinstance(escaped, Markup)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert esc(escaped) == escaped  # Markup is already safe: escaping it again changes nothing


@given(st.text())
def test_the_page_builder_escapes_plain_text_and_keeps_markup(text):
    page = Page()
    page.paragraph(text)
    page.items([text, text])
    page.facts_table([("Label", text)])
    page.paragraph(Markup("<b>kept</b>"))
    body = page.html()
    assert body.count("<b>kept</b>") == 1
    for shown in (f"<p>{esc(text)}</p>", f"<li>{esc(text)}</li>", f'<td valign="top">{esc(text)}</td>'):
        assert shown in body  # each place holds the escaped text...
    if esc(text) != text:  # ...never the raw one ("<" alone is in every page's own tags)
        assert f"<li>{text}</li>" not in body and f'<td valign="top">{text}</td>' not in body


def test_the_stylesheet_takes_plain_colours():
    css = stylesheet(Colours(text="#101010", muted="#555555", link="#123456", alternate="#eeeeee",
                             accent="#ff0000", base="#ffffff"))
    assert "#123456" in css and "#101010" in css
    assert "#ffd6d6" in css  # the term tint: 16% of the accent over the page's background


def test_a_record_page_renders_in_a_script_without_qt():
    code = ("import sys; from desktop.data.library import Library; "
            "from desktop.render import record_html; "
            "from desktop.data.records import Record; "
            "r = Record(id='x', kind='study', title='T <b>', summary='S', fields={}); "
            "html = record_html(r); assert 'T &lt;b&gt;' in html, html; "
            "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
