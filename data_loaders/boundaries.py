"""Kommune boundaries for the map: Kartverket's 2024 division, simplified once at refresh.

Simplification is topology-aware (GEOS coverage simplification through geopandas'
`simplify_coverage`): neighbouring kommuner share each simplified border, so no gaps or
slivers open between them, and no polygon is dropped, so the small island kommuner
(Utsira, Kvitsøy, Fedje, Træna, Røst, Værøy) stay on the map.
"""

from __future__ import annotations

import json

import geopandas as gpd
import shapely

from .parse import SourceFormatError

# Effective-area tolerance in metres (UTM 33N): removes vertices whose triangle is
# smaller than ~1.5 km x 1.5 km. Chosen by eye (README) to keep fjords readable at
# fylke zoom while keeping the file under 400 KB.
SIMPLIFY_TOLERANCE_M = 1500
COORDINATE_GRID_DEG = 0.0001  # ~11 m north-south, ~5 m east-west at 60°N
MAX_BYTES = 400_000


def _polygons_only(geom):
    """make_valid can return collections with lines; keep the polygonal parts."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def simplify_boundaries(doc: dict, kommuner: dict[str, str],
                        tolerance_m: float = SIMPLIFY_TOLERANCE_M) -> dict:
    """GeoJSON FeatureCollection (EPSG:4326) -> simplified FeatureCollection with
    properties `kommunenummer` and `kommunenavn` only, checked against today's codes."""
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    if "kommunenummer" not in frame.columns:
        raise SourceFormatError("Grensefilen mangler egenskapen kommunenummer")
    frame["kommunenummer"] = frame["kommunenummer"].astype(str).str.zfill(4)
    codes = set(frame["kommunenummer"])
    if codes != set(kommuner):
        missing = sorted(set(kommuner) - codes)[:5]
        extra = sorted(codes - set(kommuner))[:5]
        raise SourceFormatError(
            f"Grensene passer ikke med dagens kommuner (boundaries do not match today's "
            f"kommuner): mangler {missing}, ukjente {extra}")
    frame["geometry"] = [_polygons_only(g) for g in shapely.make_valid(frame.geometry.values)]
    if frame["kommunenummer"].duplicated().any():
        frame = frame.dissolve("kommunenummer", as_index=False)  # one feature per kommune
    metric = frame.to_crs(25833)
    metric["geometry"] = metric.geometry.simplify_coverage(tolerance_m)
    out = metric.to_crs(4326)
    out["geometry"] = shapely.set_precision(out.geometry.values, COORDINATE_GRID_DEG)
    out["kommunenavn"] = out["kommunenummer"].map(kommuner)
    out = out[["kommunenummer", "kommunenavn", "geometry"]].sort_values("kommunenummer")
    if out.geometry.is_empty.any():
        lost = list(out.loc[out.geometry.is_empty, "kommunenummer"])
        raise SourceFormatError(f"Forenklingen mistet kommunene {lost}")
    return json.loads(out.to_json(drop_id=True, to_wgs84=False))


def encode(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fylke_outlines(doc: dict) -> dict:
    """Borders between fylker as lines, taken from the simplified kommune borders (so they
    lie exactly on them). The coast is left out: the kommuner already draw it."""
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    frame["fylkesnummer"] = frame["kommunenummer"].str[:2]
    fylker = frame.dissolve("fylkesnummer", as_index=False)
    features = []
    for i, row in fylker.iterrows():
        others = shapely.union_all(fylker.geometry.drop(index=i).values)
        border = shapely.line_merge(shapely.intersection(row.geometry.boundary, others.boundary))
        border = shapely.set_precision(border, COORDINATE_GRID_DEG)
        if not border.is_empty:
            features.append({"type": "Feature", "properties": {"fylkesnummer": row.fylkesnummer},
                             "geometry": shapely.geometry.mapping(border)})
    return {"type": "FeatureCollection", "features": features}
