"""Scene decks: validated whole against the real store, round trips through a file and a
link, and clear messages for malformed files."""

from __future__ import annotations

import json

import pytest

from dashboard import scenes


def deck_doc(*scene_list, **extra) -> dict:
    return {"format": scenes.FORMAT, "version": scenes.VERSION, "title": "Seminar",
            "scenes": list(scene_list), **extra}


MAP_2022 = {"title": "Bosatte per 1000", "page": "kart",
            "params": {"indikator": "settled_per_1000", "aar": "2022"}}
VESTLAND = {"page": "kart", "params": {"indikator": "settled_per_1000", "aar": 2016, "fylke": "46"}}
BERGEN = {"title": "Bergen", "page": "profil", "params": {"kommune": "4601", "gruppe": "fylke"}}


def test_a_deck_round_trips_through_a_file_and_a_link(built_store):
    deck = scenes.from_json(json.dumps(deck_doc(MAP_2022, VESTLAND, BERGEN)), built_store)
    assert [s.page for s in deck.scenes] == ["kart", "kart", "profil"]
    assert deck.scenes[1].params == {"indikator": "settled_per_1000", "aar": "2016", "fylke": "46"}
    assert scenes.from_json(deck.to_json(), built_store) == deck
    token = deck.token()
    assert len(token) < 400 and "=" not in token  # small enough for any link
    assert scenes.from_token(token, built_store) == deck
    link = scenes.permalink_params(deck, 2, {"lang": "en"})
    assert link == {"kommune": "4601", "gruppe": "fylke", "lang": "en", "scener": token, "scene": "3"}


@pytest.mark.parametrize("doc, expected", [
    ({"format": "something-else", "version": 1, "scenes": []}, "ikke en scenefil"),
    (deck_doc(), "mellom 1 og 50"),
    (dict(deck_doc(MAP_2022), version=2), "versjon 2"),
    (deck_doc(MAP_2022, {"page": "kart", "params": {"indikator": "no_such_thing"}}),
     "Scene 2: ukjent indikator «no_such_thing»"),
    (deck_doc({"page": "kart", "params": {"indikator": "settled_per_1000", "aar": "1990"}}),
     "Scene 1: året «1990» finnes ikke"),
    (deck_doc(MAP_2022, VESTLAND, {"page": "profil", "params": {"kommune": "1507"}}),
     "Scene 3: ukjent kommunenummer «1507»"),  # Ålesund's pre-2024 code
    (deck_doc({"page": "profil", "params": {}}), "Scene 1: en profil trenger en kommune"),
    (deck_doc(MAP_2022, {"page": "sammenlign", "params": {"skalaer": "egne"}}),
     "Scene 2: en sammenligning trenger minst én kommune"),
    (deck_doc({"page": "admin", "params": {}}), "Scene 1: «page» må være en av kart, profil, sammenlign"),
    (deck_doc({"page": "kart", "params": {"script": "<script>"}}), "Scene 1: ukjent innstilling «script»"),
    (deck_doc({"page": "sammenlign", "params": {"kommuner": "4601,0301,5001,1103,3201,1151"}}),
     "1–5 kjente kommunenummer"),
    (deck_doc({"page": "kart", "params": {"zoom": "kommune"}}), "zoom til kommune krever en kommune"),
    (deck_doc(*[MAP_2022] * 51), "mellom 1 og 50"),
])
def test_a_malformed_deck_is_refused_whole_with_the_reason(built_store, doc, expected):
    with pytest.raises(scenes.SceneError) as refused:
        scenes.from_json(json.dumps(doc), built_store)
    assert expected in refused.value.text("nb")
    assert refused.value.text("en") and refused.value.text("en") != refused.value.text("nb")


def test_files_and_links_that_are_not_decks(built_store):
    for data in (b"\xff\xfe not json", b"{\"format\": ", b"[1, 2, 3]", b"x" * 200_000):
        with pytest.raises(scenes.SceneError):
            scenes.from_json(data, built_store)
    # Where the file breaks, in the reader's language (Python's own message is English only).
    with pytest.raises(scenes.SceneError) as refused:
        scenes.from_json(b'{\n  "format": ', built_store)
    assert (refused.value.text("nb"), refused.value.text("en")) == (
        "Scenefila er ikke gyldig JSON (feil på linje 2, tegn 13).",
        "The scene file is not valid JSON (error at line 2, character 13).")
    with pytest.raises(scenes.SceneError, match="ikke tekst"):
        scenes.from_json(b"\xff\xfe not json", built_store)
    with pytest.raises(scenes.SceneError, match="skadet"):
        scenes.from_token("not-a-deck!!", built_store)
    good = scenes.from_json(json.dumps(deck_doc(MAP_2022)), built_store).token()
    with pytest.raises(scenes.SceneError, match="skadet"):
        scenes.from_token(good[:-6], built_store)  # a link cut short in an e-mail
    for cut in range(1, len(good) - 4):  # cut anywhere: the link, never "not valid JSON"
        with pytest.raises(scenes.SceneError, match="Scenelenken er skadet"):
            scenes.from_token(good[:-cut], built_store)


def test_capture_keeps_only_what_the_page_uses():
    scene = scenes.capture("kart", {"indikator": "settled_per_1000", "aar": "2022", "gruppe": "kostra",
                                    "lang": "en", "scener": "abc", "scene": "2"}, "  Kart  ")
    assert scene == scenes.Scene("kart", {"indikator": "settled_per_1000", "aar": "2022"}, "Kart")


def test_an_untitled_scene_names_its_fylke(built_store):
    """The 2016 map of Vestland and the 2016 map of Norway read alike in the list."""
    from dashboard.scene_ui import scenes_label

    deck = scenes.from_json(json.dumps(deck_doc(VESTLAND, {**VESTLAND, "params": {
        "indikator": "settled_per_1000", "aar": 2016}})), built_store)
    # Markdown-safe text: the colon is escaped.
    assert [scenes_label(s, built_store, "nb") for s in deck.scenes] == [
        "Kart\\: Bosatte flyktninger per 1 000 innbyggere · Vestland · 2016",
        "Kart\\: Bosatte flyktninger per 1 000 innbyggere · 2016"]
