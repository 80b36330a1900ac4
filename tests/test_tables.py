"""dashboard.tables.html_table: what data puts in a cell stays the text it is."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.tables import html_table
from tests.apps.conftest import html_frame

# Markup, Streamlit's Markdown extensions (icons, its logo, colours, math), autolinks
# and the typographic substitutions Streamlit makes in Markdown text.
HOSTILE = ["<b>Nord</b>&amp;", ":material/home: :streamlit: :red[Oslo] $1$",
           "https://evil.example www.x.no post@x.no", "a -- b -> c <= d", "Ål|esund *x* _y_",
           "Porsanger - Porsáŋgu - Porsanki", "699\u202f827"]


def test_every_cell_is_escaped_text():
    table = html_table(pd.DataFrame({"Kommune": HOSTILE, "Verdi": list(range(len(HOSTILE)))}),
                       right=("Verdi",))
    assert "<b>" not in table and "&amp;amp;" in table and "<script" not in table
    back = html_frame(table)
    assert list(back.columns) == ["Kommune", "Verdi"]
    assert list(back["Kommune"]) == HOSTILE  # U+202F, the thousands separator, kept
    assert table.count('<td class="num">') == len(HOSTILE) and '<th class="num">Verdi</th>' in table


def test_missing_cells_are_empty_never_none_or_nan():
    back = html_frame(html_table(pd.DataFrame({"a": ["x", None], "b": [1.5, math.nan]})))
    assert back.values.tolist() == [["x", "1.5"], ["", ""]]


def test_notes_in_a_figures_column_stay_left():
    table = html_table(pd.DataFrame({"Verdi": ["70 % av 15–74 år", "–", "-0,4", "Ingen tall"]}),
                       right=("Verdi",))
    assert table.count('<td class="num">') == 3 and "<td>Ingen tall</td>" in table
