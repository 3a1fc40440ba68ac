"""The world outline behind the story map: Natural Earth land (1:110m) from the npm package
``world-atlas`` (TopoJSON), converted once to an SVG in plate carrée, x = longitude + 180,
y = 90 − latitude, so a place at (lat, lon) sits at (lon + 180, 90 − lat) on it.

    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python -m storyline.web.world package/land-110m.json storyline/web/static/land-110m.svg

The committed file is that output (licences: static/LICENSE-world.txt).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

Ring = list[tuple[float, float]]


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """Arcs in degrees: TopoJSON quantizes them and stores each point as a delta from the last."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def rings(topology: dict[str, Any], name: str) -> list[Ring]:
    """Every ring of the object's polygons (an arc index ~i is arc i reversed)."""
    arcs = _arcs(topology)

    def ring(indices: list[int]) -> Ring:
        points: Ring = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    out = []
    for geometry in topology["objects"][name]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        out += [ring(r) for polygon in polygons for r in polygon]
    return out


def svg(outline: list[Ring]) -> str:
    paths = []
    for r in outline:
        points = [f"{lon + 180:.1f} {90 - lat:.1f}" for lon, lat in r]
        deduped = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
        if len(deduped) > 2:
            paths.append("M" + "L".join(deduped) + "Z")
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" width="360" height="180">'
            '<!-- Natural Earth 1:110m land (public domain), via world-atlas 2.0.2 (ISC) -->'
            f'<path fill="#e4e4e4" stroke="#bbb" stroke-width="0.1" d="{"".join(paths)}"/></svg>\n')


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.write_text(svg(rings(json.loads(source.read_text()), "land")), encoding="utf-8")
