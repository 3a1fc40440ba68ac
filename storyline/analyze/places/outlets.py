"""Outlet profiles: the region a local outlet writes about, learnt from its other articles.

A local paper's "Alexandria" is the Alexandria near it. Where an outlet's home
region is not registered, it can be read off the places its *other* articles
resolve to: the first-level region holding most of them (leave-one-out, so an
article never votes for itself). Needs no gold data: it runs on the resolver's
own output, one pass before the real one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

from storyline.analyze.places.resolver import Resolution

_LOCAL_KINDS = {"city", "admin2", "admin1"}


class OutletProfiles:
    """Per-outlet counts of the first-level regions its articles' places lie in."""

    def __init__(self, min_articles: int = 2, min_share: float = 0.5) -> None:
        self.min_articles = min_articles
        self.min_share = min_share
        self._total: dict[str, Counter[str]] = defaultdict(Counter)
        self._articles: dict[str, set[Hashable]] = defaultdict(set)
        self._own: dict[Hashable, Counter[str]] = {}

    def add(self, outlet: str, article: Hashable, resolutions: Iterable[Resolution | None]) -> None:
        counts = Counter(r.admin1 for r in resolutions if r is not None and r.kind in _LOCAL_KINDS and r.admin1)
        self._own[article] = counts
        self._articles[outlet].add(article)
        self._total[outlet].update(counts)

    def region(self, outlet: str | None, article: Hashable | None = None) -> str | None:
        """The outlet's home region (an admin1 key, "US-LA"), from its articles other than ``article``."""
        if not outlet or outlet not in self._total:
            return None
        others = len(self._articles[outlet] - {article})
        if others < self.min_articles:
            return None
        counts = self._total[outlet] - self._own.get(article, Counter())
        total = sum(counts.values())
        if not total:
            return None
        region, n = counts.most_common(1)[0]
        return region if n >= self.min_share * total else None
