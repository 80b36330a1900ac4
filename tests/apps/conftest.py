"""AppTest fixtures shared by the page tests: the app, run against the session's store,
opened at a page with URL query parameters (as a shared link would)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_loaders.settings import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


@pytest.fixture()
def open_page(store_env, monkeypatch):
    for key, value in store_env.items():
        monkeypatch.setenv(key, value)

    def run(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        if page:
            # Language, presentation view and palette are read on the first run: a link
            # with ?lang=en or ?present=1 has them from the start.
            for key in ("lang", "present", "palett"):
                if key in params:
                    at.query_params[key] = params[key]
            at.run()
            at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def page_text(at) -> str:
    """Every text the page shows (markdown, captions, notes, titles, metrics)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    for frame in html_tables(at):
        parts.append(" | ".join(frame.columns))
        parts += [" | ".join(row) for row in frame.values.tolist()]
    return "\n".join(parts)


def html_frame(body: str) -> pd.DataFrame:
    """A table the page shows (dashboard.tables.html_table) as a frame of the texts a
    reader sees in its cells."""
    rows = [[html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    assert rows and all(len(r) == len(rows[0]) for r in rows), body
    return pd.DataFrame(rows[1:], columns=rows[0])


def html_tables(at) -> list[pd.DataFrame]:
    """Every such table on the page, in order."""
    return [html_frame(h.value) for h in at.html if '<table class="ik-table">' in h.value]


def ranking(at, bottom: bool = False) -> pd.DataFrame:
    """The map page's ranking (top or bottom tab)."""
    return html_frame(at.tabs[1 if bottom else 0].html[0].value)


def info_notes(at) -> list[str]:
    """The notes in the page's info boxes, one per item (several notes on a link share
    one box, as a list)."""
    out = []
    for box in at.info:
        value = box.value
        out += [line[2:] for line in value.split("\n")] if value.startswith("- ") else [value]
    return out
