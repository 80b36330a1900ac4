"""The store as a flat CSV table for anyone to check: one row per figure, with the
kommune name, unit, status and the source it traces to (table and retrieval date)."""

from __future__ import annotations

import pandas as pd

from .catalogue import INDICATORS
from .kommuner import NORWAY, UNKNOWN_KOMMUNE
from .sources import SOURCES
from .store import Store

# Six decimals: finer than any published figure's precision, and no float noise such as
# 56.00000000000001 (0.56 * 100) in a file people read.
EXPORT_DECIMALS = 6

EXPORT_COLUMNS = ["kommunenummer", "kommunenavn", "year", "indicator", "value", "unit",
                  "status", "source"]


def table_name(info: dict, source_id: str, lang: str = "nb") -> str:
    """The table as the store names it ('128 (sentralitet)'), in English where the name is
    more than an id ('128 (centrality)')."""
    source = SOURCES.get(source_id)
    if lang == "en" and source is not None and source.table_en and info.get("table") == source.table:
        return source.table_en
    return info["table"]


def source_text(store: Store, source_id: str, lang: str = "nb") -> str:
    """'IMDi bosatt_anmodede (hentet 2023-09)': publisher, table and retrieval date."""
    info = store.source(source_id)
    if not info:
        return ""
    table = table_name(info, source_id, lang) + republished_by(source_id, info.get("format"))
    when = info.get("retrieved")
    if when:
        return f"{info['publisher']} {table} ({'retrieved' if lang == 'en' else 'hentet'} {when})"
    if info.get("mode") == "mirror":
        read = "mirror copy read" if lang == "en" else "speilkopi lest"
        return f"{info['publisher']} {table} ({read} {info['read_at'][:10]})"
    unknown = "retrieval date unknown" if lang == "en" else "hentedato ukjent"
    return f"{info['publisher']} {table} ({unknown})"


def republished_by(source_id: str, read_format: str | None) -> str:
    """' via IMDi' where the figures were read from IMDi's export of an SSB table."""
    source = SOURCES.get(source_id)
    via = next((r.via for r in (source.representations if source else ()) if r.format == read_format), "")
    return f" via {via}" if via else ""


def source_line(store: Store, indicator: str, lang: str = "nb") -> str:
    """Every source behind an indicator: 'IMDi bosatt_anmodede (hentet 2023-09); SSB 07459 …'."""
    return "; ".join(filter(None, (source_text(store, s, lang) for s in INDICATORS[indicator].sources)))


def publishers(store: Store, indicator: str, lang: str = "nb") -> str:
    """Who published the figures behind an indicator, as the map's credit names them:
    'IMDi, SSB', 'SSB via IMDi', or 'SSB (partly via IMDi)' where some of SSB's tables
    were read from IMDi's exports and some from SSB (KLASS's code lists are SSB's)."""
    vias: dict[str, set[str]] = {}
    for source_id in INDICATORS[indicator].sources:
        if info := store.source(source_id):
            publisher = info.get("publisher", "").replace("SSB KLASS", "SSB")
            vias.setdefault(publisher, set()).add(republished_by(source_id, info.get("format")))
    partly = "partly" if lang == "en" else "delvis"
    # `via` holds '' (read from the publisher) and/or ' via IMDi'.
    return ", ".join(publisher + (next(iter(via)) if len(via) == 1
                                  else f" ({partly}{next(v for v in via if v)})")
                     for publisher, via in vias.items())


def names(store: Store, lang: str = "nb") -> dict[str, str]:
    """Names for every code in the store: kommuner, Norway, unknown kommune, and the
    peer groups (F = fylke, K = KOSTRA group, S = centrality class)."""
    en = lang == "en"
    groups = {}
    for code in store.values["kommunenummer"].astype(str).unique():
        if code.startswith("F"):
            groups[code] = store.fylker.get(code[1:], code)
        elif code.startswith("K"):
            groups[code] = f"{'KOSTRA group' if en else 'KOSTRA-gruppe'} {code[1:]}"
        elif code.startswith("S"):
            groups[code] = f"{'Centrality class' if en else 'Sentralitetsklasse'} {code[1:]}"
    return {**store.kommuner, **groups, NORWAY: "Norway" if en else "Norge",
            UNKNOWN_KOMMUNE: "Unknown kommune" if en else "Uoppgitt kommune"}


def export_frame(store: Store, values: pd.DataFrame | None = None, lang: str = "nb") -> pd.DataFrame:
    """The rows with name, unit and source line (in `lang`: bokmål by default)."""
    values = store.values if values is None else values
    out = values.copy()
    out["kommunenavn"] = out["kommunenummer"].astype(str).map(names(store, lang)).fillna("")
    out["unit"] = out["indicator"].map({k: i.unit(lang) for k, i in INDICATORS.items()})
    sources = {k: source_line(store, k, lang) for k in out["indicator"].unique()}
    out["source"] = out["indicator"].map(sources)
    out["value"] = out["value"].round(EXPORT_DECIMALS)
    return out[EXPORT_COLUMNS]


def write_csv(store: Store, path) -> int:
    """The whole store. Its last column, `conversion`, says how each figure was made from
    former kommuner ('split:1507:0.862', 'merged:1504+1523;hidden:1523'): a 2023 figure of
    a split kommune is a part year and an estimate, and one status cannot say both."""
    frame = export_frame(store).assign(conversion=store.values["conversion"].fillna(""))
    frame.to_csv(path, index=False, encoding="utf-8")
    return len(frame)
