"""Known outlets: domain → name, time zone and country.

The time zone is applied to datelines that give none (donga.com prints Korea
Standard Time without saying so); the country is a prior for place resolution.
Users add or override outlets with a JSON file of the same shape as
``outlets.json`` (``storyline ingest --outlets FILE``); a local outlet can
name its home region (``"region": "US-LA"``), which place resolution then
prefers for names like "Alexandria".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Outlet:
    domain: str
    name: str
    timezone: str | None = None
    country: str | None = None
    region: str | None = None  # ISO 3166-2 home region of a local outlet ("US-LA"): a prior for places

    @property
    def zone(self) -> ZoneInfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None


class Outlets:
    """A registry of outlets, looked up by URL, e-mail address, domain or name."""

    def __init__(self, outlets: dict[str, Outlet] | None = None) -> None:
        self._by_domain: dict[str, Outlet] = dict(outlets or {})

    @classmethod
    def bundled(cls) -> Outlets:
        registry = cls()
        registry.update(json.loads(resources.files("storyline.ingest").joinpath("outlets.json").read_text("utf-8")))
        return registry

    def load(self, path: Path) -> None:
        self.update(json.loads(path.read_text("utf-8")))

    def update(self, data: dict[str, dict[str, str]]) -> None:
        for domain, entry in data.items():
            zone = entry.get("timezone")
            if zone:
                try:
                    ZoneInfo(zone)
                except (ZoneInfoNotFoundError, ValueError) as err:
                    raise ValueError(f"outlet {domain}: unknown time zone {zone!r}") from err
            self._by_domain[domain.lower()] = Outlet(
                domain=domain.lower(), name=entry["name"], timezone=zone, country=entry.get("country"),
                region=entry.get("region"),
            )

    def for_domain(self, domain: str | None) -> Outlet | None:
        """The outlet of ``domain`` or of its closest registered parent domain."""
        if not domain:
            return None
        parts = domain.lower().strip(".").split(".")
        for i in range(len(parts) - 1):
            outlet = self._by_domain.get(".".join(parts[i:]))
            if outlet:
                return outlet
        return None

    def for_url(self, url: str | None) -> Outlet | None:
        return self.for_domain(urlparse(url).hostname) if url else None

    def for_email(self, email: str) -> Outlet | None:
        return self.for_domain(email.rpartition("@")[2])

    def for_name(self, name: str | None) -> Outlet | None:
        if not name:
            return None
        wanted = name.casefold()
        for outlet in self._by_domain.values():
            if outlet.name.casefold() == wanted:
                return outlet
        return None
