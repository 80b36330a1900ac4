"""About the data: generated from the indicator catalogue and the store's metadata."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard import figure_trace, i18n, param_rules, resources, tables, view_state
from dashboard.refresh_ui import refresh_button
from data_loaders.catalogue import INDICATORS, TOPICS
from data_loaders.export import republished_by, source_line, table_name

store, _ = resources.load_store()
# A link to this page may carry a view: read it like every page (a bad value gets its
# note) and keep it for the next page. A kommune chosen there gets its figure traced to
# its sources at the top; the address then names that figure (a link to the trace can be
# shared and reloaded), and otherwise nothing.
lang = view_state.start_page(store, "om-dataene")
en = lang == "en"
chosen_kommune = view_state.get("kommune")
# The figure a link names (?tall=, any indicator: the profile's later shares are not on
# the map), else the map's indicator and year.
traced = param_rules.traced_figure(view_state.get("tall"), store)
chosen_indicator, shown_year = traced or (view_state.get("indikator"), view_state.get("aar"))
tracing = chosen_kommune in store.kommuner and chosen_indicator in INDICATORS
view_state.write_url(*(view_state.page_url_keys("om-dataene") if tracing else ()))

st.title(i18n.t("page_about", lang))
st.write(
    "Every figure in Integreringskart comes from a published table, harmonised to today's "
    "357 kommuner. Below: what each indicator means, where it comes from, when it was "
    "retrieved, what it covers and what to watch out for."
    if en else
    "Alle tall i Integreringskart kommer fra publiserte tabeller, omregnet til dagens 357 "
    "kommuner. Her står hva hver indikator betyr, hvor den kommer fra, når den ble hentet, "
    "hva den dekker og hva du bør være oppmerksom på."
)


def show_trace(code: str, indicator: str, year: int) -> None:
    """The chosen kommune's figure, its inputs, the calculation and what its statuses mean."""
    trace = figure_trace.trace(store, code, indicator, year, lang)
    with st.container(border=True, key="ik_trace"):
        st.subheader(i18n.t("trace_title", lang, label=trace.indicator.label(lang),
                            kommune=trace.kommune, year=year))
        st.caption(i18n.t("trace_intro", lang))
        st.html(tables.html_table(pd.DataFrame({
            i18n.t("figure", lang): [r.label for r in trace.rows],
            i18n.t("year", lang): [str(r.year) for r in trace.rows],
            i18n.t("value", lang): [r.value for r in trace.rows],
            i18n.t("status", lang): [r.status for r in trace.rows],
            i18n.t("source", lang): [r.source for r in trace.rows],
        }), right=(i18n.t("value", lang),)))
        # Not computed for want of matching inputs: the note and the status say why.
        lines = [f"<b>{html.escape(i18n.t('trace_computed', lang))}:</b> {html.escape(trace.formula)}"
                 if trace.formula else html.escape(i18n.t("trace_no_formula", lang))
                 ] if len(trace.rows) > 1 and "unmatched" not in trace.statuses else []
        notes = [note for note in dict.fromkeys(r.note for r in trace.rows) if note]
        # A rate's note often is its count's plus a sentence: say it once.
        lines += [html.escape(n) for n in notes if not any(m != n and m.startswith(n) for m in notes)]
        lines += [html.escape(i18n.status_meaning(s, lang)) for s in trace.statuses]
        if lines:
            st.html('<ul class="ik-trace">' + "".join(f"<li>{line}</li>" for line in lines) + "</ul>")
        if traced:  # came from the profile
            st.page_link("pages/profil.py", label=i18n.t("back_to_profile", lang),
                         icon=":material/arrow_back:", query_params=view_state.link_params("profil"))
        else:
            st.page_link("pages/kart.py", label=i18n.t("back_to_map", lang),
                         icon=":material/arrow_back:", query_params=view_state.link_params("kart"))


if tracing:
    shown_year = shown_year or view_state.default_year(store, chosen_indicator)
    if shown_year:
        show_trace(chosen_kommune, chosen_indicator, int(shown_year))
elif traced:  # a figure without a kommune: say how to get one traced
    st.info(i18n.t("trace_needs_kommune", lang, label=INDICATORS[traced[0]].label(lang),
                   year=traced[1]), icon=":material/info:")


# The sections after the indicators: anchor -> heading (bokmål, English).
SECTIONS = {"kilder": ("Kilder", "Sources"), "statusene": ("Statusene", "Status"),
            "oppdatere-data": ("Oppdatere data", "Refresh data")}


def section_header(key: str) -> None:
    st.header(SECTIONS[key][en], anchor=key)


def anchor(indicator_id: str) -> str:
    return "indikator-" + indicator_id.replace("_", "-")


def show_indicator(ind) -> None:
    """One indicator: definition, unit, source, licence, coverage, statuses, caveats."""
    years, kommuner, counts = tables.coverage(store, ind.id)
    st.subheader(ind.label(lang), anchor=anchor(ind.id))
    st.write(ind.definition(lang))
    span = "–".join(dict.fromkeys(str(y) for y in (years[0], years[-1]))) if years else ""  # "2024", not "2024–2024"
    coverage = f"{span}, {kommuner} kommuner" if years else ("no figures" if en else "ingen tall")
    cells = len(store.kommuner) * (years[-1] - years[0] + 1) if years else 0
    licences = sorted({store.source(s).get("licence", "") for s in ind.sources} - {""})
    facts = {
        ("Unit" if en else "Enhet"): ind.unit(lang),
        ("Source" if en else "Kilde"): source_line(store, ind.id, lang),
        ("Licence" if en else "Lisens"): ", ".join(licences),
        ("Coverage" if en else "Dekning"): coverage,
        ("Figures by status" if en else "Tall etter status"): ", ".join(
            f"{i18n.status_text(s, lang) or ('ok')}: {i18n.format_number(n, 0, lang)}"
            for s, n in counts.items()) + (
            f" ({'of' if en else 'av'} {i18n.format_number(cells, 0, lang)} = {len(store.kommuner)} "
            f"kommuner × {years[-1] - years[0] + 1} {('year' if years[-1] == years[0] else 'years') if en else 'år'})" if years else ""),
    }
    if ind.is_rate:
        denominator = " + ".join(INDICATORS[d].label(lang) for d in ind.denominator)
        facts["Computed as" if en else "Beregnet som"] = (
            f"{INDICATORS[ind.numerator].label(lang)} / "
            + (f"({denominator})" if len(ind.denominator) > 1 else denominator)
            + f" × {i18n.format_number(ind.scale, 0, lang)}")
    st.markdown("\n".join(f"- **{k}:** {v}" for k, v in facts.items()))
    for caveat in ind.caveats(lang):
        st.caption("• " + caveat)


def show_contents(topics: dict[str, list]) -> None:
    """Links to every indicator, by topic, and to the sections after them: 63 indicators
    make a long page, and a planner looks for one."""
    lines = [f"- **{TOPICS[topic][en]}** ({len(inds)}): "
             + " · ".join(f"[{ind.label(lang)}](#{anchor(ind.id)})" for ind in inds)
             for topic, inds in topics.items()]
    lines.append("- " + " · ".join(f"[{SECTIONS[key][en]}](#{key})" for key in SECTIONS))
    with st.container(border=True, key="ik_contents"):
        st.markdown(f"**{'Contents' if en else 'Innhold'}**\n\n" + "\n".join(lines))


topics = {topic: [ind for ind in INDICATORS.values() if ind.topic == topic] for topic in TOPICS}
show_contents(topics)
# The indicator of the view first: the reader came to read its definition.
if chosen_indicator in INDICATORS:
    show_indicator(INDICATORS[chosen_indicator])
for topic, inds in topics.items():
    st.header(TOPICS[topic][en], anchor="tema-" + topic)
    for ind in inds:
        if ind.id != chosen_indicator:
            show_indicator(ind)

section_header("kilder")
for source_id, info in store.meta["sources"].items():
    title = info["title_en"] if en else info["title_nb"]
    if en:  # "Retrieved 2023-09." or "Mirror copy read 2024-05-01."
        when = (f"Retrieved {info['retrieved']}" if info.get("retrieved")
                else f"Mirror copy read {info['read_at'][:10]}")
    else:
        when = (f"Hentet {info['retrieved']}" if info.get("retrieved")
                else f"Speilkopi lest {info['read_at'][:10]}")
    st.markdown(f"- **{info['publisher']} {table_name(info, source_id, lang)}"
                f"{republished_by(source_id, info.get('format'))}**: {title}. "
                f"{when}. {info['licence']}. [{info['homepage']}]({info['homepage']})")

section_header("statusene")
for status in ["estimated", "incomplete", "partial-year", "suppressed", "missing"]:
    st.markdown(f"- **{i18n.status_text(status, lang)}** – {i18n.status_meaning(status, lang)}")
st.caption(
    "Suppressed and missing figures are never shown as zero. Merged kommuner are summed; "
    "rates are recomputed from summed numerators and denominators, never averaged."
    if en else
    "Skjulte og manglende tall vises aldri som null. Sammenslåtte kommuner summeres; "
    "rater regnes på nytt fra summerte tellere og nevnere, aldri som gjennomsnitt."
)
if store.meta.get("warnings"):
    with st.expander("Merknader fra siste oppdatering" if not en else "Notes from the last refresh"):
        for warning in store.meta["warnings"]:
            st.write(warning)

section_header("oppdatere-data")
settings = resources.settings()
if settings.app_refresh:  # the server's own paths only where its user runs it
    if en:
        st.caption(f"{'mirror directory ' + str(settings.mirror) if settings.mirror else 'network (live)'}")
    else:
        st.caption(f"{'speilmappe ' + str(settings.mirror) if settings.mirror else 'nett (live)'}")
refresh_button("Refresh now" if en else "Oppdater nå", lang)
