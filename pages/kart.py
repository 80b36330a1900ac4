"""The map page (default): a choropleth of all 357 kommuner for one indicator and year."""

from __future__ import annotations

import dataclasses

import streamlit as st
from streamlit_folium import st_folium

from dashboard import (exports, i18n, map_first, map_view, profile, resources, scene_ui, styles, tables,
                       view_state as vs)
from data_loaders.catalogue import INDICATORS, TOPICS, map_indicators
from data_loaders.export import publishers, source_line

store, _ = resources.load_store()
# A session opening here gets the map before the rest of the page (dashboard.map_first).
holding = not st.session_state.get("w_map_table") and map_first.hold()
# The link's notes go beside the map (in the presentation view over it): above the
# page they pushed the map's legend and zoom below a 720p screen.
lang = vs.start_page(store, "kart", notes_here=False)
link_notes = vs.url_notes()
presenting = vs.presenting()
if presenting:
    vs.show_url_notes(link_notes)


SPEEDS = {"slow": 2.0, "normal": 1.2, "fast": 0.6}  # seconds per year when animating

# Below 1200 px (a 1024x768 projector) the one row of controls cut its words to "S." and
# "Mi". Beside the sidebar, the indicator takes a row of its own and the rest share the
# next; in the presentation view (one row, the map below fills the screen) the exit is
# an icon, as on the other pages, and the speed box keeps room for "Middels".
NARROW_CONTROLS_CSS = """<style>@media (max-width: 1200px) {
.st-key-ik_controls .five{flex-wrap:wrap;row-gap:0.5rem}
.st-key-ik_controls .five > :nth-child(1){flex:1 1 100% !important}
.st-key-ik_controls .five > :nth-child(n+2){flex:1 1 calc(25% - 1rem) !important}
.st-key-ik_controls .six > :nth-child(5){flex:0 0 7.6rem !important}
.st-key-ik_controls .six > :nth-child(6){flex:0 0 3rem !important}
.st-key-ik_controls .six > :nth-child(6) button p{ICON_ONLY_LABEL}
}</style>""".replace("ICON_ONLY_LABEL", styles.ICON_ONLY_LABEL).replace(
    ".five", "[data-testid='stHorizontalBlock']:has(> :nth-child(5):last-child)").replace(
    ".six", "[data-testid='stHorizontalBlock']:has(> :nth-child(6):last-child)")


# In the presentation view the map fills the screen below the controls at any size (a
# 1080p projector left 400 px blank under a map of fixed height); inside its frame the
# map follows the frame (map_view.MAP_CSS). The controls' text grows with a screen
# larger than 720p (24px at 1080p, as the map's title and legend grow: map_view's --u),
# where it had stayed at 14px under a legend of 27; so the map's top is in rem.
MAP_FRAME = ".stMain iframe[title='streamlit_folium.st_folium']"
PRESENTING_MAP_CSS = ("<style>html{font-size:clamp(16px, min(2.22vh, 1.25vw), 32px)}"
                      f"{MAP_FRAME}{{height:max(420px, calc(100vh - 6.75rem)) !important}}</style>")


def _snap_year() -> None:
    """A new indicator may not have the chosen year: keep the nearest one it has."""
    years = store.years(vs.get("indikator"))
    if years and vs.get("aar") not in years:
        chosen = vs.get("aar") or years[-1]
        vs.put("aar", vs.nearest_year(years, chosen))
        if vs.get("aar") != chosen:  # said once on the page: the year moved by itself
            st.session_state["_year_moved"] = (chosen, vs.get("aar"))


indicators = [i.id for i in map_indicators()]
_snap_year()
indicator = vs.get("indikator")
ind = INDICATORS[indicator]
years = store.years(indicator)
playing = st.session_state.get("playing", False)
# The title and the controls stand above the map but are sent after it: the browser
# draws elements in the order they come, and the map's frame is the slowest of them
# (dashboard.map_first).
above_map = st.container()


def _stop_playing() -> None:
    """Stop the animation on the year the map last drew while playing: a step that the
    click cut short had moved the year on already, and the map then jumped a year past
    the one the audience saw."""
    st.session_state["playing"] = False
    drawn = st.session_state.pop("_drawn_while_playing", None)
    if drawn and drawn[0] == vs.get("indikator"):
        vs.put("aar", drawn[1])


def _leave_presentation() -> None:
    _stop_playing()
    st.session_state["present"] = False


def _toggle_play() -> None:
    if st.session_state.get("playing"):
        _stop_playing()
        return
    st.session_state["playing"] = True
    st.session_state.pop("_drawn_while_playing", None)
    vs.put("skala", "alle")  # colours must mean the same in every year shown
    # From the last full year (the default) or a part year after it, the next step
    # was the part year and then the first year: start the years over instead.
    shown, last_full = vs.get("aar"), vs.default_year(store, vs.get("indikator"))
    if shown is not None and last_full is not None and shown >= last_full:
        st.session_state["_play_from_start"] = True


def draw_title() -> None:
    if not presenting:
        st.markdown("### " + ("Integreringskart · settlement and migration, 357 kommuner"
                              if lang == "en" else
                              "Integreringskart · bosetting og flytting i 357 kommuner"))


def controls_css() -> str:
    """The controls' layout, and their height: kept while their widgets load, and held
    free while a session's first map is drawn alone (hold_controls_space), so the map
    below never moves. One row; two beside the sidebar below 1200 px, where the
    presentation view keeps one."""
    # A label longer than its box ends in "…" (it was cut mid-word, as if it were the
    # whole label; the map's own title gives it in full).
    space = (".st-key-ik_controls,.ik-controls-space{min-height:4.25rem}"
             ".st-key-ik_controls [data-testid='stSelectbox'] input:not(:focus){text-overflow:ellipsis}") + (
        "" if presenting else
        "@media (max-width: 1200px){.st-key-ik_controls,.ik-controls-space{min-height:9rem}"
        # With the second row of controls the map's foot (legend, zoom) fell below a
        # 1024x768 screen: the map is as high as the screen leaves it, 400-540 px.
        f"{MAP_FRAME}{{height:clamp(400px, calc(100vh - 245px), {map_view.HEIGHT}px) !important}}}}"
        # On a larger screen the map grows with it (540 px left 300 px bare under it at
        # 1920x1080), up to 900 px; at 720 px high it keeps its 540.
        "@media (min-width: 1201px){"
        f"{MAP_FRAME}{{height:clamp({map_view.HEIGHT}px, calc(100vh - 180px), 900px) !important}}}}")
    return NARROW_CONTROLS_CSS + f"<style>{space}</style>" + (PRESENTING_MAP_CSS if presenting else "")


def hold_controls_space() -> None:
    """While the first map is drawn alone (dashboard.map_first): the title, and an empty
    box as high as the controls."""
    draw_title()
    st.html(controls_css() + '<div class="ik-controls-space"></div>')


def draw_controls() -> None:
    """The title and the controls above the map."""
    draw_title()
    st.html(controls_css())  # before the controls, so that it holds while they load
    with st.container(key="ik_controls"):
        controls = st.columns([3.6, 2.2, 1.8, 1.5, 1.1, 1.1] if presenting else [2.8, 1.5, 1.4, 1.05, 1.1],
                              vertical_alignment="bottom")
    with controls[0]:
        vs.bind("w_indikator", "indikator")
        st.selectbox(i18n.t("indicator", lang), indicators, key="w_indikator",
                     format_func=lambda k: f"{TOPICS[INDICATORS[k].topic][lang == 'en']}: "
                                           f"{INDICATORS[k].label(lang)}",
                     on_change=vs.on_change("w_indikator", "indikator", then=_snap_year))
    if moved := st.session_state.pop("_year_moved", None):
        st.toast(i18n.t("year_moved", lang, old=moved[0], new=moved[1]),
                 icon=":material/event:")
    with controls[1]:
        if playing:  # the map alone moves on; the slider rests on the ranking's year
            st.session_state["w_aar"] = year
        else:
            vs.bind("w_aar", "aar", only_if_changed=True)
        st.select_slider(i18n.t("year_playing" if playing else "year", lang), options=years, key="w_aar",
                         on_change=vs.on_change("w_aar", "aar"), disabled=playing)
    with controls[2]:
        st.session_state["w_fylke"] = vs.get("fylke") or ""
        st.selectbox(i18n.t("fylke", lang), [""] + sorted(store.fylker), key="w_fylke",
                     format_func=lambda c: store.fylker.get(c, i18n.t("all_norway", lang)),
                     on_change=lambda: vs.put("fylke", st.session_state["w_fylke"] or None))
    with controls[3]:
        st.button(i18n.t("pause" if playing else "play", lang),
                  icon=":material/pause:" if playing else ":material/play_arrow:",
                  on_click=_toggle_play, width="stretch",
                  # No tooltip while playing: under the pointer it stayed over the map's top.
                  help=None if playing else i18n.t("play_help", lang))
    with controls[4]:
        # Given again on every run, so the box shows its choice in the language now chosen
        # (left alone, the browser would keep showing the label in the old one).
        st.session_state["speed"] = st.session_state.get("speed", "normal")
        st.selectbox(i18n.t("speed", lang), list(SPEEDS), key="speed",
                     format_func=lambda k: i18n.t(f"speed_{k}", lang))
    if presenting:
        with controls[5]:
            st.button(i18n.t("present_exit", lang), icon=":material/close_fullscreen:",
                      help=i18n.t("present_exit", lang),  # the name where only the icon shows
                      on_click=_leave_presentation)


year = vs.get("aar")
fylke = vs.get("fylke")
# Read now: the map's files are made later, when asked for, outside this run, where the
# session's choices cannot be read (the PNG and HTML came out in the normal palette).
contrast = vs.contrast()

boundaries, kommuner_url, fylker_url = resources.load_boundaries()
rows = tables.map_rows(store, indicator, year, None)
# The fylke's rows, if one is chosen: ranked, listed as the map's table and downloaded.
in_view = tables.map_rows(store, indicator, year, fylke) if fylke else rows
source_text = source_line(store, indicator, lang)
source_short = i18n.t("source", lang) + ": " + publishers(store, indicator, lang)
selected = vs.get("kommune")
former = map_view.FormerKommuner(store.meta)  # names and splits, for every conversion note


zoom_to = selected if selected and vs.get("zoom") == "kommune" else None
# One colour scale for every year (animation, comparing years) or one per year.
scale_rows = tables.all_years(store, indicator) if vs.get("skala") == "alle" else None


# Shares of a handful of persons this year (flagged in the tooltip and the ranking).
small_now = tables.small_cohorts(store, indicator, rows)


def map_payload(shown_year: int) -> dict:
    place = (store.kommuner[zoom_to] if zoom_to else store.fylker.get(fylke) if fylke
             else i18n.t("norway", lang))
    view = map_view.MapView(indicator, shown_year, lang, selected, fylke, presenting,
                            contrast=contrast, zoom_to=zoom_to, place=place,
                            scene_bar=presenting and scene_ui.deck() is not None)
    shown = rows if shown_year == year else tables.map_rows(store, indicator, shown_year, None)
    small = small_now if shown_year == year else tables.small_cohorts(store, indicator, shown)
    return map_view.map_payload(
        shown, view, store.kommuner, former, source_short, "",
        map_view.bounds_of(boundaries, zoom_to or fylke), scale_rows=scale_rows,
        small_cohorts={code: n for (code, _), n in small.items()})


def draw_map(shown_year: int):
    """The map for one year. The base never changes; only the payload does, so the
    map is recoloured in place (no flicker, also while the years are animated)."""
    # The map says when it has drawn (dashboard.map_first), once in each of its frames:
    # asked alike in every run, so the whole page's run sends the same map again.
    payload = {**map_payload(shown_year), "announce": map_first.ENABLED}
    return st_folium(
        map_view.base_map(kommuner_url, fylker_url),
        key="kart", height=map_view.HEIGHT_PRESENTING if presenting else map_view.HEIGHT, use_container_width=True,
        feature_group_to_add=map_view.payload_layer(payload),
        returned_objects=["last_active_drawing"],
    )


def map_fragment() -> None:
    """The map, always in the same fragment so that starting or stopping the animation
    does not remount it. While playing, the fragment alone reruns once per step and
    shows the next year (round again after the last)."""
    if st.session_state.pop("_play_from_start", False):
        vs.put_step("aar", years[0])
    elif st.session_state.get("playing"):
        later = [y for y in years if y > vs.get("aar")]
        vs.put_step("aar", later[0] if later else years[0])
    # The map's word that it has drawn (dashboard.map_first) is read before the map is
    # drawn again (streamlit-folium keeps its last value under the map's key), so that
    # this run does not send the map only to be replaced by the whole page's run.
    map_first.map_said(st.session_state.get("kart"))
    clicked = draw_map(vs.get("aar"))
    if st.session_state.get("playing"):
        st.session_state["_drawn_while_playing"] = (indicator, vs.get("aar"))
    # A click selects a kommune. streamlit-folium keeps returning the last click, so
    # act only on a click we have not seen before; then redraw the whole page.
    drawing = (clicked or {}).get("last_active_drawing")
    if drawing:
        code = (drawing.get("properties") or {}).get("kommunenummer")
        signature = (code, str(drawing.get("geometry", ""))[:64])
        if code in store.kommuner and signature != st.session_state.get("_last_click"):
            st.session_state["_last_click"] = signature
            if code != selected:
                vs.put("kommune", code)
                st.rerun(scope="app")


if presenting:  # the map alone, as large as a 720p screen allows
    map_column, side_column = st.container(), None
else:
    map_column, side_column = st.columns([5, 2], gap="medium")
with map_column:
    if st.session_state.get("w_map_table"):
        # The accessible alternative: every kommune's figure, sortable, read by screen readers.
        # Its heading names what the map would show (and keeps the table's hover toolbar
        # off the fylke box above).
        # With a fylke chosen, its kommuner, as the map colours them and the CSV has them
        # (it had listed all 357 under the fylke's map).
        place = i18n.plain_markdown(store.fylker.get(fylke, ""))
        st.markdown(f"**{exports.map_title(in_view, indicator, year, lang, place)}**")
        listed = tables.accessible_table(in_view, store, indicator, lang, small=small_now)
        widths = dict(zip(["#", i18n.t("kommune", lang), tables.value_heading(indicator, lang),
                           i18n.t("status", lang), i18n.t("note", lang)],
                          (44, 180, 110, 150, "large")))  # px: the status in sight at 720p
        st.dataframe(listed, hide_index=True, width="stretch",
                     height=map_view.HEIGHT_PRESENTING if presenting else map_view.HEIGHT,
                     column_config={c: st.column_config.TextColumn(
                         c, width=w, alignment="right" if c == tables.value_heading(indicator, lang) else None)
                         for c, w in widths.items() if c in listed.columns})
    else:
        st.fragment(map_fragment, run_every=SPEEDS[st.session_state.get("speed", "normal")]
                    if playing else None)()
    if holding:
        map_first.fallback()
    elif not presenting:
        table_toggle, scale_toggle = st.columns(2)
        table_toggle.toggle(i18n.t("map_as_table", lang), key="w_map_table")
        st.session_state["w_skala"] = vs.get("skala") == "alle"
        scale_toggle.toggle(i18n.t("fixed_scale", lang), key="w_skala", help=i18n.t("fixed_scale_help", lang),
                            on_change=lambda: vs.put("skala", "alle" if st.session_state["w_skala"] else None))
        # The label as the picker has it: lower-cased inside a sentence, "i arbeid eller
        # utdanning ett år etter …" read as broken grammar.
        st.caption(i18n.t("map_caption", lang, label=ind.label(lang), year=year))
        st.caption(f"{i18n.t('source', lang)}: {source_text}. © Kartverket (CC BY 4.0).")

with above_map:
    if holding:
        hold_controls_space()
    else:
        draw_controls()
if presenting or holding:
    vs.write_url(*vs.page_url_keys("kart"))
    vs.end_page()

def map_downloads(shown) -> None:
    """The figures shown (CSV, Excel) and the map itself (PNG, standalone HTML), each
    with its title, source tables, retrieval dates and the link back to this view."""
    place = store.kommuner[zoom_to] if zoom_to else store.fylker.get(fylke) if fylke else ""
    meta = exports.ExportMeta(
        title=exports.map_title(rows, indicator, year, lang, place), source=source_text,
        permalink=vs.permalink("kart", "kommune", "indikator", "aar", "fylke", "zoom", "skala"), lang=lang,
        alt=exports.map_alt_text(rows, store.kommuner, indicator, year, lang))
    # The figures' link leaves out the kommune chosen: it does not change the figures, and
    # in a column beside every row it read as each row's link (Kinn's row led to Bergen).
    figures_meta = dataclasses.replace(meta, permalink=vs.permalink(
        "kart", "indikator", "aar", "fylke", "zoom", "skala"))
    stem = exports.file_stem(indicator, year, fylke)
    # Every file is made only when asked for, not on each rerun of the page.
    figures = lambda: tables.download_frame(shown, store, lang)  # noqa: E731
    st.download_button(i18n.t("download_csv", lang), lambda: exports.csv_bytes(figures(), figures_meta),
                       mime="text/csv", file_name=f"{stem}.csv", icon=":material/download:",
                       on_click="ignore")
    with st.popover(i18n.t("download_map", lang), icon=":material/download:"):
        st.download_button("Excel", lambda: exports.excel_bytes({"Data": figures()}, figures_meta),
                           file_name=f"{stem}.xlsx", on_click="ignore",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        st.download_button(i18n.t("map_png", lang), lambda: exports.map_png(
            rows, boundaries, indicator, meta, resources.load_fylker(), contrast=contrast,
            fylke=zoom_to or fylke, scale_rows=scale_rows), file_name=f"{stem}.png", mime="image/png",
            on_click="ignore")
        st.download_button(i18n.t("map_html", lang), lambda: exports.map_html(
            map_payload(year), boundaries, resources.load_fylker(), meta).encode("utf-8"),
            file_name=f"{stem}.html", mime="text/html", on_click="ignore")
        st.caption(i18n.t("download_note", lang))


with side_column:
    vs.show_url_notes(link_notes)
    st.subheader(i18n.t("selected", lang))
    options = [""] + sorted(store.kommuner, key=lambda c: store.kommuner[c])
    st.session_state["w_kommune"] = selected or ""
    st.selectbox(i18n.t("pick_kommune", lang), options, key="w_kommune",
                 on_change=lambda: vs.put("kommune", st.session_state["w_kommune"] or None),
                 format_func=lambda c: f"{store.kommuner[c]} ({c})" if c else i18n.t("no_kommune", lang))
    if selected:
        row = rows[rows["kommunenummer"] == selected].iloc[0]
        value = (i18n.format_number(row["value"], ind.decimals, lang)
                 if row["status"] not in ("missing", "suppressed") else "–")
        st.metric(f"{store.kommuner[selected]} {year} ({ind.unit(lang)})", value)
        if row["status"] != "ok":
            st.caption(i18n.status_text(row["status"], lang, row["conversion"]).capitalize())
        note = map_view.conversion_text(row["conversion"], former, lang)
        if note:
            st.caption(note)
        if row["status"] == "missing" and year in profile.years_without_population(store, selected, indicator):
            st.caption(profile.no_population_text(lang, indicator))
        fylke_code = selected[:2]
        for label, fig in ((store.fylker.get(fylke_code, fylke_code),
                            tables.group_figure(store, indicator, year, "F" + fylke_code)),
                           (i18n.t("norway", lang), tables.group_figure(store, indicator, year, "0000"))):
            if fig and fig["value"] == fig["value"]:
                text = f"{label}: {i18n.format_number(fig['value'], ind.decimals, lang)} {ind.unit(lang)}"
                if fig["status"] != "ok":
                    text += f" ({i18n.status_text(fig['status'], lang)})"
                st.write(text)
                # Named (they were bare codes: "4618, 4621"), and at most eight of them.
                coverage_note = map_view.conversion_text(fig["conversion"], former, lang,
                                                         max_members=profile.MAX_NAMED)
                if coverage_note:
                    st.caption(coverage_note)
        st.session_state["w_zoom"] = vs.get("zoom") == "kommune"
        st.toggle(i18n.t("zoom_kommune", lang), key="w_zoom",
                  on_change=lambda: vs.put("zoom", "kommune" if st.session_state["w_zoom"] else None))
        st.page_link("pages/profil.py", label=i18n.t("open_profile", lang, name=store.kommuner[selected]),
                     icon=":material/arrow_forward:", query_params=vs.link_params("profil"))
        st.page_link("pages/om_dataene.py", label=i18n.t("trace_link", lang), icon=":material/calculate:",
                     query_params=vs.link_params("om-dataene"))
    else:
        st.caption(i18n.t("none_selected", lang))

    # The year named: while the map plays the years, the ranking stays on the slider's.
    st.subheader(i18n.t("rank_title", lang, year=year))
    if playing:  # the map moves on, this table does not: say which year it is
        st.caption(i18n.t("rank_while_playing", lang, year=year))
    ranked = tables.ranking(in_view, store, indicator, lang, small=small_now)
    tab_top, tab_bottom = st.tabs([i18n.t("top", lang), i18n.t("bottom", lang)])
    figures = (tables.value_heading(indicator, lang),)
    for tab, table, note in ((tab_top, ranked.top, ranked.top_note),
                             (tab_bottom, ranked.bottom, ranked.bottom_note)):
        tab.html(tables.html_table(table, right=figures))
        if note:
            tab.caption(note)
    if left_out := sum(code.startswith(fylke or "") for code, _ in small_now):
        st.caption(i18n.t("small_cohorts_unranked", lang, n=left_out))
    map_downloads(in_view)

with st.expander(i18n.t("definition", lang)):
    st.write(ind.definition(lang))
    for caveat in ind.caveats(lang):
        st.caption("• " + caveat)

vs.write_url(*vs.page_url_keys("kart"))
