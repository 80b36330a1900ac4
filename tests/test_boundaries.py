"""The simplified boundaries written by the refresh to assets/kommuner.geojson."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from data_loaders import boundaries
from data_loaders.parse import SourceFormatError

ISLANDS = {"1151": "Utsira", "1144": "Kvitsøy", "4633": "Fedje", "1835": "Træna",
           "1856": "Røst", "1857": "Værøy"}


@pytest.fixture(scope="module")
def simplified(built_store, mirror_settings):
    path = mirror_settings.boundaries_path
    return path, gpd.read_file(path).to_crs(25833)


@pytest.fixture(scope="module")
def original(mirror):
    frame = gpd.read_file(mirror / "geo/Kommuner-S.geojson").to_crs(25833)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame


def test_all_357_with_code_and_name_only_under_400_kb(simplified, built_store):
    path, frame = simplified
    assert path.stat().st_size < 400_000
    assert len(frame) == 357 and set(frame["kommunenummer"]) == set(built_store.kommuner)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert {tuple(sorted(f["properties"])) for f in doc["features"]} == {("kommunenavn", "kommunenummer")}
    assert dict(zip(frame["kommunenummer"], frame["kommunenavn"]))["4601"] == "Bergen"


def test_small_island_kommuner_survive(simplified):
    _, frame = simplified
    islands = frame[frame["kommunenummer"].isin(ISLANDS)].set_index("kommunenummer")
    assert set(islands.index) == set(ISLANDS)
    assert (islands.area > 1e6).all(), islands.area.to_dict()  # more than 1 km² each
    assert dict(islands["kommunenavn"]) == ISLANDS


def test_borders_stay_shared_no_gaps_or_slivers(simplified, original):
    _, frame = simplified

    def neighbours(g):
        pairs = gpd.sjoin(g[["kommunenummer", "geometry"]], g[["kommunenummer", "geometry"]],
                          predicate="intersects")
        return {tuple(sorted(p)) for p in zip(pairs["kommunenummer_left"],
                                              pairs["kommunenummer_right"]) if p[0] != p[1]}

    assert neighbours(frame) == neighbours(original)  # every shared border kept, none invented
    union = frame.union_all()
    overlap_km2 = (frame.area.sum() - union.area) / 1e6
    assert overlap_km2 < 0.1  # no overlaps beyond rounding to the 0.0001° grid
    holes = lambda geom: sum(len(p.interiors) for p in getattr(geom, "geoms", [geom]))  # noqa: E731
    assert holes(union) == holes(original.union_all())  # no gaps opened between kommuner
    assert abs(union.area / original.union_all().area - 1) < 0.005


def test_missing_kommune_in_boundaries_is_refused(mirror, built_store):
    doc = json.loads((mirror / "geo/Kommuner-S.geojson").read_text(encoding="utf-8"))
    doc["features"] = [f for f in doc["features"] if f["properties"]["kommunenummer"] != "1151"]
    with pytest.raises(SourceFormatError, match="1151"):
        boundaries.simplify_boundaries(doc, built_store.kommuner)


def test_map_bounds_from_stored_bboxes_equal_bounds_from_every_coordinate(simplified):
    """The map fits a fylke from each feature's bbox, computed once at load; the result
    must be the box of every coordinate in that fylke (Vestland, 46; Utsira alone)."""
    from dashboard import map_view

    path, frame = simplified
    doc = json.loads(path.read_text(encoding="utf-8"))
    walked = {prefix: map_view.bounds_of(doc, prefix) for prefix in (None, "46", "1151")}
    map_view.add_bboxes(doc)
    expected_boxes = frame.to_crs(4326).set_index("kommunenummer").bounds
    for feature in doc["features"]:  # each kommune's box, islands and holes included
        code = feature["properties"]["kommunenummer"]
        assert feature["bbox"] == pytest.approx(list(expected_boxes.loc[code]), abs=1e-9), code
    for prefix, expected in walked.items():
        assert map_view.bounds_of(doc, prefix) == expected
    west, south, east, north = frame.to_crs(4326)[frame["kommunenummer"].str.startswith("46")].total_bounds
    assert walked["46"] == [[pytest.approx(south), pytest.approx(west)], [pytest.approx(north), pytest.approx(east)]]
    assert map_view.bounds_of(doc, "99") == map_view.NORWAY_BOUNDS  # no such fylke


def test_geometry_files_unused_for_a_month_are_deleted_the_rest_kept(tmp_path):
    """Each refresh with new boundaries publishes new files: the old ones go once no
    instance has published them for 30 days; files in use, recent or foreign stay."""
    import os
    import time

    from dashboard.resources import prune_geometry

    now = time.time()
    old, older, recent, current = ("kommuner-" + "a" * 16, "fylker-" + "b" * 16,
                                   "kommuner-" + "c" * 16, "kommuner-" + "d" * 16)
    ages = {f"{old}.json.gz": 31, f"{older}.json.gz": 40, f"{recent}.json.gz": 2,
            f"{current}.json.gz": 90, "notes-old.txt": 90, "kommuner-mine.json.gz": 90}
    for name, days in ages.items():
        (tmp_path / name).write_bytes(b"x")
        os.utime(tmp_path / name, (now - days * 86400, now - days * 86400))
    deleted = prune_geometry(tmp_path, keep={f"{current}.json.gz"})
    assert deleted == [f"{older}.json.gz", f"{old}.json.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [  # only the app's own names go
        f"{recent}.json.gz", f"{current}.json.gz", "kommuner-mine.json.gz", "notes-old.txt"]


def test_a_geometry_file_deleted_under_a_running_app_is_written_again(store_env, tmp_path, monkeypatch):
    from dashboard import resources

    for key, value in store_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(resources, "STATIC_DATA", tmp_path)
    monkeypatch.setattr(resources, "_touched", {})
    resources._published.clear()
    _, kommuner_url, fylker_url = resources.load_boundaries()
    served = tmp_path / kommuner_url.rsplit("/", 1)[1]
    assert served.is_file() and (tmp_path / fylker_url.rsplit("/", 1)[1]).is_file()
    served.unlink()  # another instance pruned it, say
    resources._touched.clear()  # a day later: this process touches its files again
    assert resources.load_boundaries()[1] == kommuner_url
    assert served.is_file()
    resources._published.clear()
