"""The gazetteer: lazy, read-only look-ups in the SQLite file :mod:`.build` writes.

The file lives at ``$STORYLINE_GAZETTEER`` or, by default, under the user cache
directory (``$XDG_CACHE_HOME/storyline/gazetteer-v<schema>.sqlite``); it is
built from the installed packages on first use if missing, and rebuilt if it
was built by other code or data (its stored fingerprint differs). Each process opens
its own read-only connection on first look-up, so nothing large is pickled into
``nlp.pipe`` workers and memory per worker stays at SQLite's page cache.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from storyline.analyze.places.build import SCHEMA_VERSION, fingerprint
from storyline.analyze.places.names import key

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlaceRecord:
    """One gazetteer entry."""

    id: int
    geonameid: int | None
    name: str
    kind: str  # continent, country, admin1, admin2, city, feature
    fclass: str | None
    fcode: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    level: int | None  # admin level: 0 country, 1, 2; None for other places
    lat: float
    lon: float
    population: int


def stable_key(place: PlaceRecord) -> str | None:
    """An id of the place that stays the same across gazetteer builds and documents.

    ``geonames:<id>`` where the installed packages give a GeoNames id (countries,
    cities, US states); otherwise ``iso3166-2:<code>`` for a region with an ISO
    3166-2 code ("iso3166-2:RU-KRS" for Kursk Oblast, however it is written);
    None for the rest. The gazetteer's own row ids change with every build.
    """
    if place.geonameid is not None:
        return f"geonames:{place.geonameid}"
    if place.kind == "admin1" and place.admin1 and "-" in place.admin1 and "." not in place.admin1:
        return f"iso3166-2:{place.admin1}"
    if place.kind == "admin2" and place.admin2 and place.admin2.startswith("ISO:"):
        return f"iso3166-2:{place.admin2[4:]}"
    return None


@dataclass(frozen=True)
class Match:
    """A place a name may denote, and how the name was written in the gazetteer."""

    place: PlaceRecord
    name_type: str  # name, abbr, code, adj, alt, base


def default_path() -> Path:
    override = os.environ.get("STORYLINE_GAZETTEER")
    if override:
        return Path(override).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "storyline" / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


_COLUMNS = "id, geonameid, name, kind, fclass, fcode, country, admin1, admin2, level, lat, lon, population"


class Gazetteer:
    """Look-ups by name and id; opens (and if needed builds) the file on first use."""

    def __init__(self, path: Path | str | None = None, *, rebuild_stale: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.rebuild_stale = rebuild_stale
        self._db: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, object]:  # workers reopen the file themselves
        return {"path": self.path, "rebuild_stale": self.rebuild_stale}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__(state["path"], rebuild_stale=state["rebuild_stale"])  # type: ignore[misc, arg-type]

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid():
            with self._lock:
                if not self.path.exists():
                    build_in_subprocess(self.path)
                self._db = self._open()
                if self.rebuild_stale and self._fingerprint() != fingerprint():
                    log.info("the gazetteer at %s is from another build of storyline: rebuilding", self.path)
                    self._db.close()
                    build_in_subprocess(self.path, replace=True)
                    self._db = self._open()
                self._pid = os.getpid()
                self._lookup.cache_clear()
        return self._db

    def _open(self) -> sqlite3.Connection:
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)

    def _fingerprint(self) -> str | None:
        assert self._db is not None
        row = self._db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return row[0] if row else None

    def lookup(self, name: str) -> list[Match]:
        """Places whose name, alternate name, abbreviation or adjective has the key of ``name``."""
        return list(self._lookup(key(name)))

    @lru_cache(maxsize=50_000)  # noqa: B019 — one gazetteer per process, lives as long
    def _lookup(self, name_key: str) -> tuple[Match, ...]:
        rows = self.db.execute(
            f"SELECT n.type, {', '.join('p.' + c.strip() for c in _COLUMNS.split(','))} "
            "FROM name n JOIN place p ON p.id = n.place WHERE n.key = ?",
            (name_key,),
        ).fetchall()
        return tuple(Match(PlaceRecord(*row[1:]), row[0]) for row in rows)

    def get(self, place_id: int) -> PlaceRecord | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM place WHERE id = ?", (place_id,)).fetchone()
        return PlaceRecord(*row) if row else None

    def by_geonameid(self, geonameid: int) -> PlaceRecord | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM place WHERE geonameid = ?", (geonameid,)).fetchone()
        return PlaceRecord(*row) if row else None

    def region(self, admin_key: str) -> PlaceRecord | None:
        """The first- or second-level region with this admin key ("US-LA", "ISO:GB-OXF")."""
        column = "admin2" if admin_key.startswith("ISO:") or admin_key.count(".") >= 1 and "-" in admin_key else "admin1"
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM place WHERE {column} = ? AND kind IN ('admin1', 'admin2') "
            "ORDER BY level LIMIT 1",
            (admin_key,),
        ).fetchone()
        return PlaceRecord(*row) if row else None

    def country(self, iso2: str) -> PlaceRecord | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM place WHERE kind = 'country' AND country = ?", (iso2,)).fetchone()
        return PlaceRecord(*row) if row else None

    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta").fetchall())

    def places(self, kinds: tuple[str, ...]) -> list[PlaceRecord]:
        marks = ",".join("?" * len(kinds))
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM place WHERE kind IN ({marks})", kinds).fetchall()
        return [PlaceRecord(*row) for row in rows]

    def names_of(self, place_id: int) -> list[tuple[str, str]]:
        return self.db.execute("SELECT key, type FROM name WHERE place = ?", (place_id,)).fetchall()


def build_in_subprocess(path: Path, *, replace: bool = False) -> None:
    """Build the file in a child process (the build's ~0.8 GB peak never stays in this one);
    a lock file keeps concurrent first uses from building twice."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # no advisory locks (Windows): at worst two builds, one wins
            pass
        if path.exists() and not (replace and _stored_fingerprint(path) != fingerprint()):
            return  # built meanwhile by another process
        log.info("building the gazetteer at %s (first use, about a minute)", path)
        code = "import sys; from storyline.analyze.places.build import main; main(sys.argv[1:])"
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)


def _stored_fingerprint(path: Path) -> str | None:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        return row[0] if row else None
    finally:
        db.close()


_shared: Gazetteer | None = None


def shared() -> Gazetteer:
    """The process-wide gazetteer at :func:`default_path`."""
    global _shared
    if _shared is None or _shared.path != default_path():
        _shared = Gazetteer()
    return _shared


def ruler_patterns() -> list[dict[str, object]]:
    """EntityRuler patterns for countries and first-level regions (see :mod:`.patterns`)."""
    from storyline.analyze.places.patterns import ruler_patterns as patterns

    return patterns()
