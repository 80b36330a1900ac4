"""Compare up to five kommuner side by side on the same charts (?kommuner=4601,1103,5001)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, i18n, page_scroll, profile, resources, styles, view_state as vs
from dashboard.sections import block, csv_of
from data_loaders.catalogue import INDICATORS
from data_loaders.export import source_line

store, _ = resources.load_store()
lang = vs.start_page(store, "sammenlign")
en = lang == "en"

st.title(i18n.t("page_compare", lang))
options = sorted(store.kommuner, key=lambda c: store.kommuner[c])
st.session_state["w_kommuner"] = list(vs.get("kommuner") or [])
st.multiselect(("Kommuner (up to five)" if en else "Kommuner (opptil fem)"), options,
               # No "Select all / Select N matches" entry: it is first in the list, in
               # English, and Enter on a typed name would add every match.
               key="w_kommuner", max_selections=vs.MAX_COMPARE, select_all=False,
               placeholder="Choose kommuner" if en else "Velg kommuner",
               format_func=lambda c: f"{store.kommuner[c]} ({c})",
               on_change=lambda: vs.put("kommuner", list(st.session_state["w_kommuner"])))
codes = vs.get("kommuner") or []
if not codes:
    st.info("Choose kommuner above. The link to this view can be shared." if en else
            "Velg kommuner over. Lenken til visningen kan deles.")
    vs.write_url(*vs.page_url_keys("sammenlign"))
    vs.end_page()

# One kommune far above the rest (Utsira settles ~80 per 1,000) flattens the others on a
# shared axis: each can have its own chart and scale instead.
st.session_state["w_own_scales"] = vs.get("skalaer") == "egne"
own_scales = st.toggle("One chart per kommune, each with its own scale" if en else
                       "Ett diagram per kommune, hver med egen skala", key="w_own_scales",
                       on_change=lambda: vs.put("skalaer", "egne" if st.session_state["w_own_scales"] else None))
vs.write_url(*vs.page_url_keys("sammenlign"))  # now, not after the charts: a link copied at once is right
page_scroll.scroll_once(None)  # a scene from further down this page opens at the top
COMPARED = ["settled_per_1000", "refugees_stayed_share", "immigrant_share",
            "net_migration_per_1000", "employment_rate_immigrants", "intro_work_or_education_1y"]
names = [store.kommuner[c] for c in codes]
for indicator in COMPARED:
    ind = INDICATORS[indicator]
    frame = profile.label_values(profile.with_cohort(profile.rows(store, codes, indicator), store, indicator),
                                 indicator, lang)
    frame = frame.assign(series=frame["kommunenummer"].map(store.kommuner),
                         value=frame["value"].where(frame["status"].map(profile.has_value)))
    frame = profile.trim_years(frame)
    st.subheader(ind.label(lang))
    if frame["value"].isna().all():  # rows of statuses only: an empty chart (and Vega's warnings)
        st.caption(i18n.t("no_figures", lang))
        continue
    goal_label = f"{'National goal' if en else 'Nasjonalt mål'}: {i18n.format_number(ind.goal or 0, 0, lang)} %"
    chart = charts.line_chart(frame, ind.unit(lang), lang, goal=ind.goal, goal_label=goal_label,
                              series_order=names)
    table = frame.pivot_table(index="year", columns="series", values="cell", aggfunc="first",
                              sort=False).reindex(columns=[n for n in names if n in set(frame["series"])])
    table = table.reset_index().rename(columns={"year": "Year" if en else "År"})
    # A kommune with no figure for this indicator gets a line saying so, not an empty
    # chart (whose scale Vega could not set: "Infinite extent" in the console).
    with_figures = set(frame.loc[frame["value"].notna(), "series"])
    shapes = sorted(set(frame.loc[frame["value"].notna(), "status_text"]) - {""})
    panels = tuple(
        (series, charts.line_chart(frame[frame["series"] == series], ind.unit(lang), lang,
                                   goal=ind.goal, goal_label=goal_label, series_order=names,
                                   height=styles.small_multiple_height(len(shapes)), series_legend=False, from_zero=True,
                                   shapes_named=shapes)
         if series in with_figures else None)
        for series in names if series in set(frame["series"])) if own_scales else ()
    block(f"sammenlign_{indicator}", chart, table, csv_of(frame, store, indicator, lang),
          ind.definition(lang), source_line(store, indicator, lang), lang,
          notes=tuple(f"{store.kommuner[c]}: {n}" for c in codes
                      for n in profile.notes_for(store, c, [indicator], lang)),
          warnings=tuple(w for c in codes
                         for w in profile.small_cohort_warnings(store, c, indicator, lang, store.kommuner[c])),
          title=f"{ind.label(lang)}: {', '.join(names)}", link=vs.permalink("sammenlign", "kommuner", "skalaer"),
          panels=panels, file_parts=("compare" if en else "sammenlign", indicator, *codes))
