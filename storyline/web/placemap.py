"""The places of a story on the world outline (static/land-110m.svg, see storyline/web/world.py).

Coordinates are the outline's: x = longitude + 180, y = 90 − latitude. The
view is the places' bounding box with a margin, so a story in one region is
shown at that region's scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from storyline.store import Store

MAX_PLACES = 40


@dataclass
class Place:
    name: str
    lat: float
    lon: float
    documents: int
    x: float = 0.0
    y: float = 0.0
    r: float = 0.0


@dataclass
class PlaceMap:
    places: list[Place]
    view: tuple[float, float, float, float]  # the SVG viewBox: x, y, width, height


def places(store: Store, story_id: str, limit: int = MAX_PLACES) -> list[Place]:
    """The story's resolved places, by the number of its documents that name them."""
    rows = store.sql.rows(
        "SELECT min(e.canonical), avg(e.lat), avg(e.lon), count(DISTINCT e.doc_id) AS n FROM story_documents sd "
        "JOIN documents d ON d.id = sd.doc_id JOIN entities e ON e.{rows_key} = d.{documents_key} WHERE sd.story_id = {p} AND e.lat IS NOT NULL "
        "AND e.lon IS NOT NULL GROUP BY COALESCE(e.place_key, e.canonical) ORDER BY n DESC, 1 LIMIT {p}",
        [story_id, limit],
    )
    return [Place(name, lat, lon, n) for name, lat, lon, n in rows]


def place_map(found: list[Place]) -> PlaceMap | None:
    if not found:
        return None
    xs, ys = [p.lon + 180 for p in found], [90 - p.lat for p in found]
    width = max(max(xs) - min(xs), 20.0)
    height = max(max(ys) - min(ys), 10.0)
    width, height = max(width, height * 2), max(height, width / 2)  # the page's 2:1 frame
    width, height = width * 1.16, height * 1.16  # a margin around the outermost places
    width, height = min(width, 360.0), min(height, 180.0)
    # Centred on the places, kept on the world.
    x = min(max((max(xs) + min(xs)) / 2 - width / 2, 0.0), 360.0 - width)
    y = min(max((max(ys) + min(ys)) / 2 - height / 2, 0.0), 180.0 - height)
    view = (round(x, 2), round(y, 2), round(width, 2), round(height, 2))
    most = max(p.documents for p in found)
    for p, px, py in zip(found, xs, ys):
        p.x, p.y = round(px, 2), round(py, 2)
        p.r = round(view[2] * (0.004 + 0.012 * math.sqrt(p.documents / most)), 2)
    return PlaceMap(found, view)
