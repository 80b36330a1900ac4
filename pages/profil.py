"""Kommune profile: settlement, staying, push and pull, work after the introduction
programme, each against kommuner like it (KOSTRA group, centrality class, fylke, Norway)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, page_scroll, profile, resources, tables, view_state as vs
from dashboard.peers import KIND_LABEL, comparison_group, peer_group
from dashboard.sections import block, csv_of
from data_loaders.catalogue import INDICATORS
from data_loaders.export import source_line, source_text

store, _ = resources.load_store()
lang = vs.start_page(store, "profil")
en = lang == "en"

if not vs.get("kommune"):  # the page says what it is before a kommune names it
    st.title(i18n.t("page_profile", lang))
top = st.columns([3, 1])
with top[0]:
    options = [""] + sorted(store.kommuner, key=lambda c: store.kommuner[c])
    st.session_state["w_profil_kommune"] = vs.get("kommune") or ""
    st.selectbox(i18n.t("choose_kommune", lang), options, key="w_profil_kommune",
                 format_func=lambda c: f"{store.kommuner[c]} ({c})" if c else "–",
                 on_change=lambda: vs.put("kommune", st.session_state["w_profil_kommune"] or None))
with top[1]:
    st.page_link("pages/kart.py", label=i18n.t("back_to_map", lang), icon=":material/arrow_back:",
                 query_params=vs.link_params("kart"))

code = vs.get("kommune")
if not code:
    st.info("Choose a kommune above, or click one on the map page." if en else
            "Velg en kommune over, eller klikk på en på kartsiden.")
    vs.write_url(*vs.page_url_keys("profil"))
    vs.end_page()

name = store.kommuner[code]
peer, alone_in = comparison_group(store, code, vs.get("gruppe"), lang)
if alone_in is not None:
    vs.put("gruppe", peer.kind)  # the control shows the group compared with
fylke = peer_group(store, code, "fylke", lang)
norway = peer_group(store, code, "norway", lang)
groups = list({g.code: g for g in (peer, fylke, norway)}.values())
link = vs.permalink("profil", "kommune", "gruppe")  # carried by every export

# Download files are named by kommune and in the reader's language; the block keys
# (which hold the blocks' widget state across a language switch) stay in bokmål.
FILE_WORDS_EN = {"bosetting": "settlement", "bosatt_per_1000": "settled_per_1000",
                 "bli_boende": "staying", "bli_boende_sammenlignet": "staying_compared",
                 "flytting": "migration", "netto_per_1000": "net_migration_per_1000",
                 "sysselsatte_innvandrere": "employed_immigrants",
                 "sysselsatte_ellers": "employed_others", "befolkningsvekst": "population_growth",
                 "intro_1_aar": "intro_after_1_year"}


def profile_block(key: str, *args, traced: str | None = None, year: int | None = None,
                  **kwargs) -> None:
    """sections.block, its downloads named 'integreringskart_4601_staying' in English,
    'integreringskart_4601_bli_boende' in bokmål, with a link to how the kommune's figure
    of `traced` was made (of `year`, else of the latest year it has a figure for)."""
    if traced and year is None:
        row = profile.latest(store, code, traced)
        year = None if row is None else int(row["year"])
    trace = ((i18n.t("trace_link_year", lang, label=INDICATORS[traced].label(lang), name=name, year=year),
              vs.trace_params(code, traced, year))
             if traced and year is not None else None)
    block(key, *args, file_parts=(code, FILE_WORDS_EN[key] if en else key), trace=trace, **kwargs)


classes = {k: profile.latest(store, code, k) for k in ("centrality_class", "kostra_group")}

st.title(name)
facts = [f"{'Kommune number' if en else 'Kommunenummer'} {code}", fylke.label]
if classes["centrality_class"] is not None:
    facts.append(f"{'Centrality class' if en else 'Sentralitetsklasse'} "
                 f"{int(classes['centrality_class']['value'])} {'of 6' if en else 'av 6'}")
if classes["kostra_group"] is not None:
    facts.append(f"{'KOSTRA group' if en else 'KOSTRA-gruppe'} {int(classes['kostra_group']['value'])}")
st.caption(" · ".join(facts))
st.page_link("pages/sammenlign.py", label=("Compare with other kommuner" if en else
                                            "Sammenlign med andre kommuner"),
             icon=":material/compare_arrows:", query_params={"kommuner": code, **vs.session_params()})

vs.bind("w_gruppe", "gruppe")
st.segmented_control(i18n.t("compare_with", lang), list(KIND_LABEL), key="w_gruppe",
                     format_func=lambda k: KIND_LABEL[k][en],
                     on_change=lambda: vs.put("gruppe", st.session_state["w_gruppe"] or "kostra"))
if alone_in is not None:
    st.caption(i18n.t("alone_in_group", lang, name=name, alone=alone_in.label, peer=peer.in_sentence()))

# -- at a glance -----------------------------------------------------------------------
st.subheader("Push, pull and stay at a glance" if en else "Push, pull og bli boende – oversikt")
st.info(profile.summary(store, code, peer, lang))
settled = profile.latest(store, code, "settled_per_1000")
if settled is not None and vs.get("aar") != int(settled["year"]):
    # Come from the map's 2021, the summary's "I 2022 bosatte …" read as a mistake.
    st.caption(i18n.t("profile_years", lang, year=vs.get("aar")))
factor_rows = profile.factor_table(store, code, peer, lang)
st.html(tables.html_table(pd.DataFrame([{
    ("Factor" if en else "Faktor"): r.factor, ("Indicator" if en else "Indikator"): r.indicator,
    ("Value" if en else "Verdi"): r.value, ("Year" if en else "År"): r.year,
    (f"Rank in {peer.in_sentence()}" if en else f"Rangering i {peer.in_sentence()}"): r.rank,
    ("Trend" if en else "Utvikling"): r.trend} for r in factor_rows]), right=("Value", "Verdi")))
st.caption("The factors of NIBR report 2012:5 «Derfor blir vi her» (“That is why we stay here”). "
           "Each can act as a push (weak here), a pull (stronger elsewhere) or a reason to stay "
           "(strong here): the rank shows where the kommune stands in its group. "
           "Rank 1 = highest value."
           if en else
           "Faktorene i NIBR-rapport 2012:5 «Derfor blir vi her». Hver av dem kan virke som "
           "push (svak her), pull (sterkere et annet sted) eller grunn til å bli (sterk her): "
           "rangeringen viser hvor kommunen står i gruppen. Rangering 1 = høyeste verdi.")


def comparison_block(key: str, indicator: str, years: tuple[int, int] | None = None) -> None:
    """A share of a cohort has the cohort beside it in the block's CSV."""
    ind = INDICATORS[indicator]
    frame = profile.trim_years(profile.comparison(store, code, indicator, groups, lang, years))
    frame = profile.with_cohort(frame, store, indicator)
    own = frame[frame["series"] == name]
    if frame.empty or own["value"].isna().all():
        # Hidden every year is not "no figures": the source has them, for too few persons.
        hidden = not own.empty and own["status"].eq("suppressed").all()
        st.caption(f"{ind.label(lang)}: {i18n.t('all_suppressed' if hidden else 'no_figures', lang)}")
        if frame.empty:
            return
    goal_label = f"{'National goal' if en else 'Nasjonalt mål'}: {i18n.format_number(ind.goal or 0, 0, lang)} %"
    chart = charts.line_chart(frame, ind.unit(lang), lang, goal=ind.goal, goal_label=goal_label)
    table = frame.pivot_table(index="year", columns="series", values="cell", aggfunc="first",
                              sort=False).reset_index().rename(columns={"year": "År" if not en else "Year"})
    warnings = profile.small_cohort_warnings(store, code, indicator, lang)
    profile_block(key, chart, table, csv_of(frame, store, indicator, lang), ind.definition(lang),
                  source_line(store, indicator, lang), lang,
                  notes=tuple(profile.notes_for(store, code, [indicator], lang))
                  + tuple(profile.group_coverage_notes(frame, name, lang, store.kommuner))
                  + tuple(profile.same_figures_notes(frame, lang)), warnings=warnings,
                  title=f"{name}: {ind.label(lang)}", link=link, traced=indicator)


# Only the open tab runs (and the open tab is in the URL, ?fane=...). A tab named in the
# other language (after a language switch, or a link made in it) is set to the same tab
# in this one, through the widget's state: Streamlit owns the bound URL parameter.
tab_open = st.session_state.get("fane") or st.query_params.get("fane")
if i18n.profile_tab(tab_open, lang) not in (None, tab_open):
    st.session_state["fane"] = i18n.profile_tab(tab_open, lang)
elif st.session_state.pop("_fane_to_url", None) == tab_open:
    st.session_state["fane"] = tab_open  # set again, now that the widget is known: see below
# A tab clicked replaces the panel below with an empty one until its charts arrive: the
# page got shorter, the browser pulled it up, and the tabs fell to the bottom of the
# screen. Tabs at least a screen tall keep where the viewer stands.
st.html("<style>.st-key-fane{min-height:100vh}</style>")
tabs = st.tabs(i18n.profile_tab_labels(lang),
               key="fane", on_change="rerun", bind="query-params")
# Streamlit writes a tab set through the state into the URL only if the same widget
# was there when the last run finished; after a language switch (new labels) or on
# arriving from another page (a scene) it was not, and a link copied now would open
# the first tab. So the page runs once more, just after this run, setting the tab
# again (once per tab and language: never a loop).
tab_shown = st.session_state.get("fane")
if (tab_shown not in (None, i18n.profile_tab_labels(lang)[0])
        and st.query_params.get("fane") != tab_shown
        and st.session_state.get("_fane_written") != (tab_shown, lang)):
    st.session_state["_fane_written"] = (tab_shown, lang)
    st.session_state["_fane_to_url"] = tab_shown

    @st.fragment(run_every=0.1)
    def _tab_into_url() -> None:
        if st.session_state.get("_fane_armed"):  # the run that drew this has finished
            st.session_state.pop("_fane_armed")
            st.rerun(scope="app")
        st.session_state["_fane_armed"] = True

    st.session_state.pop("_fane_armed", None)  # from a fragment a newer run replaced
    _tab_into_url()

# -- 1. settlement ---------------------------------------------------------------------
def settlement_tab() -> None:
    st.markdown("**" + ("Requested → decided → settled, per year" if en else
                        "Anmodet → vedtatt → bosatt, per år") + "**")
    funnel = profile.settlement_funnel(store, code, lang)
    order = [label[en] for _, label in profile.SETTLEMENT_MEASURES]
    table = funnel.pivot_table(index="year", columns="measure", values="cell", aggfunc="first")
    table = table.reindex(columns=order).reset_index().rename(columns={"year": "Year" if en else "År"})
    profile_block("bosetting",
                  charts.grouped_bars(funnel, "personer" if not en else "persons", lang, order),
                  table, csv_of(funnel, store, "settled_refugees", lang),
                  INDICATORS["settled_refugees"].definition(lang),
                  source_line(store, "settled_refugees", lang),
                  lang, notes=tuple(profile.notes_for(store, code, ["settled_refugees"], lang)),
                  title=f"{name}: " + ("requested, decided and settled refugees" if en else
                                       "anmodede, vedtatte og bosatte flyktninger"),
                  link=link, traced="settled_refugees")
    st.markdown("**" + INDICATORS["settled_per_1000"].label(lang) + "**")
    comparison_block("bosatt_per_1000", "settled_per_1000", years=(2012, 9999))


# -- 2. staying ------------------------------------------------------------------------
def staying_tab() -> None:
    stay = profile.stay(store, code, lang)
    if stay["value"].notna().any():
        stay = profile.trim_years(stay)
        st.markdown("**" + (f"{INDICATORS['refugees_stayed_share'].label(lang)}, by years in Norway"
                            if en else
                            f"{INDICATORS['refugees_stayed_share'].label(lang)}, etter botid i Norge")
                    + "**")
        chart = charts.line_chart(stay, "%", lang)
        table = stay.pivot_table(index="year", columns="series", values="cell", aggfunc="first",
                                 sort=False).reset_index().rename(columns={"year": "Year" if en else "År"})
        profile_block("bli_boende", chart, table, csv_of(stay, store, "refugees_stayed_share", lang),
                      INDICATORS["refugees_stayed_share"].definition(lang),
                      source_line(store, "refugees_stayed_share", lang), lang,
                      notes=tuple(profile.stay_notes(store, code, lang)),
                      title=f"{name}: {INDICATORS['refugees_stayed_share'].label(lang)}", link=link)
        labels = [g.label for g in groups]
        others = i18n.join_words(labels, lang)
        st.markdown("**" + (f"{name} compared with {others}" if en else
                            f"{name} sammenlignet med {others}") + "**")
        comparison_block("bli_boende_sammenlignet", "refugees_stayed_share")
    else:
        # The reason only where the source gives it: Utsira is not in the file at all.
        hidden = stay["status"].eq("suppressed").any()
        st.warning(("IMDi publishes no kommune figure on staying for this kommune"
                    + (" (too few persons)." if hidden else ": it is not in IMDi's file."))
                   if en else
                   ("IMDi publiserer ikke tall for bofasthet for denne kommunen"
                    + (" (for få personer)." if hidden else ": den er ikke med i IMDis fil.")))
    fylke_share = store.meta.get("fylke_references", {}).get("stay_5y", {}).get(code[:2])
    kommune_shown = stay["value"].notna().any()
    if fylke_share is not None:
        st.metric(("Fylke figure: " if en else "Fylkestall: ") + fylke.label,
                  f"{i18n.format_number(fylke_share, 0, lang)} %")
        # "Another measure than the one above" only where one is above (Utsira has none).
        st.caption("Share of settled refugees still living in their first kommune after five years, "
                   "for the whole fylke (IMDi; the file does not give the year). A fylke figure, "
                   "not the kommune's" + (", and another measure than the one above." if kommune_shown else ".")
                   if en else
                   "Andel bosatte flyktninger som fortsatt bor i første bostedskommune etter fem år, "
                   "for hele fylket (IMDi; fila oppgir ikke året). Et fylkestall, ikke kommunens "
                   "eget" + (", og et annet mål enn det over." if kommune_shown else "."))
        st.caption(f"{i18n.t('source', lang)}: {source_text(store, 'imdi_fylke_references', lang)}")


# -- 3. migration and work -------------------------------------------------------------
def migration_work_tab() -> None:
    migration_year = profile.latest(store, code, "in_migration")
    if migration_year is not None:
        year = int(migration_year["year"])
        st.markdown("**" + (f"Moves in {year}: immigrants and the rest of the population" if en else
                            f"Flyttinger i {year}: innvandrere og befolkningen ellers") + "**")
        frame = profile.migration(store, code, year, lang)
        order = [label[en] for _, label in profile.MIGRATION_GROUPS]
        table = frame.pivot_table(index="x", columns="measure", values="cell", aggfunc="first",
                                  sort=False).reset_index().rename(columns={"x": " "})
        profile_block("flytting",
                      charts.grouped_bars(frame, "personer" if not en else "persons", lang, order),
                      table, csv_of(frame, store, "in_migration", lang),
                      profile.migration_definition(lang),
                      source_line(store, "in_migration", lang), lang,
                      notes=tuple(profile.notes_for(store, code, ["in_migration"], lang))
                      + INDICATORS["in_migration"].caveats(lang),
                      title=f"{name}: " + (f"moves in {year}" if en else f"flyttinger i {year}"),
                      link=link, traced="in_migration", year=year)
    else:
        st.caption(i18n.t("no_figures", lang))
    st.markdown("**" + INDICATORS["net_migration_per_1000"].label(lang) + "**")
    comparison_block("netto_per_1000", "net_migration_per_1000")
    st.markdown("**" + INDICATORS["employment_rate_immigrants"].label(lang) + "**")
    comparison_block("sysselsatte_innvandrere", "employment_rate_immigrants")
    st.markdown("**" + INDICATORS["employment_rate_rest"].label(lang) + "**")
    comparison_block("sysselsatte_ellers", "employment_rate_rest")
    st.markdown("**" + INDICATORS["population_growth"].label(lang) + "**")
    comparison_block("befolkningsvekst", "population_growth", years=(2010, 9999))


# -- 4. after the introduction programme -----------------------------------------------
def introduction_tab() -> None:
    st.markdown("**" + INDICATORS["intro_work_or_education_1y"].label(lang) + "**")
    comparison_block("intro_1_aar", "intro_work_or_education_1y")
    # A plain table, like the one below it: a data grid scrolled inside itself and hid
    # most rows in the presentation view.
    cohorts = profile.cohort_table(store, code, groups, lang)
    st.html(tables.html_table(cohorts, right=tuple(cohorts.columns[2:])))
    later = profile.later_outcome_table(store, code, lang)
    if not later.empty:
        st.markdown("**" + ("Two to five years after (latest year with a share)" if en else
                            "To til fem år etter (siste år med andel)") + "**")
        st.html(tables.html_table(later, right=tuple(later.columns[2:])))  # share, cohort
        with st.container(horizontal=True, key="ik_later_traces"):
            for n, year in zip(later.iloc[:, 0], later.attrs["trace_years"]):
                st.page_link("pages/om_dataene.py", label=i18n.t("trace_link_later", lang, n=n, name=name, year=year),
                             icon=":material/calculate:",
                             query_params=vs.trace_params(code, f"intro_work_or_education_{n}y", int(year)))
    refs = store.meta.get("fylke_references", {}).get("intro_1y", {})
    if refs:
        st.caption(("Latest fylke figures (IMDi, 2024, fylker of 2020): " if en else
                    "Siste fylkestall (IMDi, 2024, fylkesinndelingen fra 2020): ")
                   + ", ".join(f"{'Norway' if en and k == 'Norge' else k} "
                               f"{i18n.format_number(v, 0, lang)} %" for k, v in refs.items()))

for tab, draw in zip(tabs, (settlement_tab, staying_tab, migration_work_tab, introduction_tab)):
    if tab.open:
        with tab:
            draw()

# A link or scene naming a tab opens at that tab (below the overview), others at the top.
page_scroll.scroll_once(".st-key-fane" if tab_shown not in (None, i18n.profile_tab_labels(lang)[0]) else None)
vs.write_url(*vs.page_url_keys("profil"), tab=tab_shown)
