"""What a view's URL parameters may hold, checked in one place against the store.

Both ways a view arrives use it: a link or the browser's address (view_state, which
drops what is wrong and says so in a note) and a scene file or scene link (scenes,
which refuses the whole deck and names the scene). Pure: no Streamlit here."""

from __future__ import annotations

import re

from data_loaders.catalogue import INDICATORS
from data_loaders.store import Store
from . import i18n
from .peers import MAX_COMPARE, PEER_KINDS

# Parameters that may hold only one of a few words.
CHOICES = {"zoom": ("kommune",), "skala": ("alle",), "skalaer": ("egne",), "palett": ("kontrast",),
           "gruppe": PEER_KINDS, "lang": tuple(i18n.LANGUAGES), "present": ("1", "0")}


def map_indicator(value: str | None) -> bool:
    return value in INDICATORS and INDICATORS[value].on_map


def figure_named(value: str | None) -> tuple[str, int] | None:
    """'<indicator>-<year>' ('intro_work_or_education_5y-2019') as (indicator, year) if
    the indicator is the catalogue's and the year four digits; else None."""
    indicator, _, year = (value or "").rpartition("-")
    if indicator not in INDICATORS or not re.fullmatch(r"[0-9]{4}", year):
        return None
    return indicator, int(year)


def traced_figure(value: str | None, store: Store) -> tuple[str, int] | None:
    """The figure a link asks Om dataene to trace (`figure_named`): any indicator of the
    catalogue, in a year it has rows for; None if the store has no such figure."""
    named = figure_named(value)
    return named if named and named[1] in store.years(named[0]) else None


def kommune_list(value: str, store: Store) -> list[str]:
    """The known codes of a `kommuner` list, in order, each once."""
    return [c for c in dict.fromkeys(value.split(",")) if c in store.kommuner]


def _kommuner_ok(value: str, store: Store) -> bool:
    codes = [c for c in value.split(",") if c]  # a trailing comma is harmless
    return kommune_list(value, store) == codes and 1 <= len(codes) <= MAX_COMPARE


def invalid(params: dict[str, str], store: Store, indicator: str | None = None) -> list[str]:
    """The keys of `params` whose values the store does not know, in the order given.
    A year is checked against the years of the indicator in `params` if that one is
    known, else of `indicator`, else against every year in the store. Keys not listed
    here (language, scene position, ...) are left to their owners."""
    shown = params.get("indikator") if map_indicator(params.get("indikator")) else indicator

    def year_ok(value: str) -> bool:  # the store is filtered only when a year is given
        if not re.fullmatch(r"[0-9]{4}", value):
            return False
        years = store.years(shown) if shown else store.values["year"].unique()
        return int(value) in years

    checks = {
        "indikator": map_indicator,
        "aar": year_ok,
        "kommune": lambda v: v in store.kommuner,
        "fylke": lambda v: v in store.fylker,
        "tall": lambda v: traced_figure(v, store) is not None,
        "kommuner": lambda v: _kommuner_ok(v, store),
        "fane": lambda v: i18n.profile_tab(v, "nb") is not None,  # a tab's label, either language
        **{key: (lambda v, allowed=allowed: v in allowed) for key, allowed in CHOICES.items()},
    }
    return [key for key, value in params.items() if key in checks and not checks[key](value)]
