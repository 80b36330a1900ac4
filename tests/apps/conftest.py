"""AppTest fixtures shared by the page tests: the app, run against the session's store,
opened at a page with URL query parameters (as a shared link would)."""

from __future__ import annotations

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
    return "\n".join(parts)


def markdown_frame(text: str) -> pd.DataFrame:
    """A Markdown table the page shows (dashboard.tables.markdown_table) as a frame of
    its cell texts, escapes undone."""
    lines = [line.strip() for line in text.splitlines()]
    assert len(lines) >= 2 and re.fullmatch(r"\|(:?-+:?\|)+", lines[1]), text

    def cells(line: str) -> list[str]:
        parts = re.split(r"(?<!\\)\|", line.strip("|"))
        return [re.sub(r"\\(.)", r"\1", p).strip().replace("\u00a0", "") for p in parts]

    return pd.DataFrame([cells(line) for line in lines[2:]], columns=cells(lines[0]))


def markdown_tables(at) -> list[pd.DataFrame]:
    """Every Markdown table on the page, in order."""
    return [markdown_frame(m.value) for m in at.markdown
            if m.value.startswith("| ") and ("\n|:" in m.value or "\n|-" in m.value)]


def ranking(at, bottom: bool = False) -> pd.DataFrame:
    """The map page's ranking (top or bottom tab)."""
    return markdown_frame(at.tabs[1 if bottom else 0].markdown[0].value)
